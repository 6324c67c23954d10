"""Every backend test runs on SQLite and on the machine's PostgreSQL (database `test`)."""

import sqlite3
import uuid
from contextlib import contextmanager
from typing import Dict

import pytest
import sqlalchemy as sa
import yaml

from backends.db import make_engine, make_session_factory, session_scope
from backends.migrate import upgrade
from backends.seed.catalog_loader import SEED_DATA, load_all
from common import api_keys
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


# One key per kind of caller (common/api_keys.KINDS); the API is given only their hashes.
API_KEYS = {kind: f"test-{kind.replace('_', '-')}-key" for kind in api_keys.KINDS}


def key_of(kind: str) -> Dict[str, str]:
    """The headers of a call with that kind of caller's key (add its identity header: X-Buyer-Id, ...)."""
    return {"X-Api-Key": API_KEYS[kind]}


def settings_for(database_url: str, **values):
    """The backends' settings for a test: its database, the test keys of every kind, and ``values``."""
    from backends.settings import Settings

    return Settings(database_url=database_url, backend_api_keys=api_keys.entries(API_KEYS), **values)


@contextmanager
def api_client(sessions, database_url, **settings):
    """A test client of the marketplace API on the test's database, with the keys API_KEYS."""
    from fastapi.testclient import TestClient

    from backends.api.app import create_app

    with TestClient(create_app(settings_for(database_url, **settings), sessions)) as client:
        yield client


STAFF_PASSWORD = "staff-password-1"


def sign_in_staff(client, sessions, username="agent-3"):
    """Makes a support agent and signs ``client`` in to the console as them (staff act only through a session)."""
    from backends.support.staff import save_agent

    with session_scope(sessions) as session:
        save_agent(session, username, STAFF_PASSWORD, username.title(), ["en"])
    answer = client.post("/console/api/login", json={"username": username, "password": STAFF_PASSWORD})
    assert answer.status_code == 200, answer.text
