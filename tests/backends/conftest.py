"""Every backend test runs on SQLite and on the machine's PostgreSQL (database `test`)."""

import sqlite3
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
import yaml

from backends.db import make_engine, make_session_factory, session_scope
from backends.migrate import upgrade
from backends.seed.catalog_loader import SEED_DATA, load_all
from tests.backends.sample_catalog import CATALOG, CATEGORIES

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'marketplace.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One SQLite database at the newest schema: each SQLite test starts from a copy of it (the migrations run
    once, not once per test)."""
    path = tmp_path_factory.mktemp("migrated") / "marketplace.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def engine(database_url, request):
    if database_url.startswith("sqlite:///"):
        template = request.getfixturevalue("migrated_sqlite")
        with sqlite3.connect(template) as source, sqlite3.connect(database_url[len("sqlite:///"):]) as target:
            source.backup(target)
    else:
        upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture
def seed_dir(tmp_path):
    directory = tmp_path / "seed"
    (directory / "catalog").mkdir(parents=True)
    (directory / "categories.yml").write_text(yaml.safe_dump(CATEGORIES, allow_unicode=True))
    (directory / "sellers.yml").write_text(yaml.safe_dump({"sellers": [
        {"slug": "s1", "name": "Seller One", "country": "CN", "city": "Shenzhen", "currency": "CNY", "rating": 4.5}]}))
    (directory / "exchange_rates.yml").write_text((SEED_DATA / "exchange_rates.yml").read_text())
    for category, products in CATALOG.items():
        (directory / "catalog" / f"{category}.yml").write_text(
            yaml.safe_dump({"category": category, "products": products}, allow_unicode=True))
    return directory


@pytest.fixture
def loaded(sessions, seed_dir):
    with session_scope(sessions) as session:
        load_all(session, seed_dir)
    return sessions


API_KEY = "test-key"


@contextmanager
def api_client(sessions, database_url):
    """A test client of the marketplace API on the test's database, with key API_KEY."""
    from fastapi.testclient import TestClient

    from backends.api.app import create_app
    from backends.settings import Settings

    app = create_app(Settings(database_url=database_url, api_keys=frozenset({API_KEY})), sessions)
    with TestClient(app) as client:
        yield client
