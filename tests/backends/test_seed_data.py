"""The reviewed seed data: complete, consistent, and searchable in every language."""

from collections import Counter

import pytest
import yaml
from sqlalchemy import func, select

from backends.catalog.search import search
from backends.db import session_scope
from backends.models import Product
from backends.money import MINOR_UNITS
from backends.seed.catalog_loader import REQUIRED_LANGUAGES, SEED_DATA, load_all

NLU_COLORS = set("red blue green black white gray pink purple yellow orange brown gold silver beige".split())


def read(path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


CATALOG_FILES = sorted((SEED_DATA / "catalog").glob("*.yml"))
CATEGORIES = {c["slug"]: c for c in read(SEED_DATA / "categories.yml")["categories"]}
SELLERS = {s["slug"]: s for s in read(SEED_DATA / "sellers.yml")["sellers"]}


def test_enough_products_in_enough_categories():
    products = [p for path in CATALOG_FILES for p in read(path)["products"]]
    assert len(products) >= 300
    assert len(CATALOG_FILES) >= 15
    skus = Counter(p["sku"] for p in products)
    assert [sku for sku, n in skus.items() if n > 1] == []


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_catalog_file(path):
    catalog = read(path)
    assert catalog["category"] == path.stem and path.stem in CATEGORIES
    for product in catalog["products"]:
        assert product["seller"] in SELLERS, product["sku"]
        assert isinstance(product["price_minor"], int) and product["price_minor"] > 0
        assert isinstance(product["stock"], int) and product["stock"] >= 0
        assert (product.get("attributes") or {}).get("color") in NLU_COLORS | {None}, product["sku"]
        for language in REQUIRED_LANGUAGES:
            assert product["names"].get(language), (product["sku"], language)
            assert product["descriptions"].get(language), (product["sku"], language)
    assert any(p["stock"] == 0 for p in catalog["products"]) and any(p["stock"] > 0 for p in catalog["products"])


def test_categories_and_sellers():
    for slug, category in CATEGORIES.items():
        for language in REQUIRED_LANGUAGES:
            assert category["names"].get(language) and category["keywords"].get(language), (slug, language)
    assert all(seller["currency"] in MINOR_UNITS for seller in SELLERS.values())


def test_every_rate_has_a_source_and_date():
    rates = read(SEED_DATA / "exchange_rates.yml")
    assert rates["source"] and rates["as_of"]
    assert set(rates["units_per_usd"]) >= {"RUB", "KZT", "UZS", "SAR", "AED", "EGP", "TRY", "PKR", "IDR",
                                            "MYR", "USD", "EUR", "CNY"}


@pytest.fixture
def seeded(sessions):
    with session_scope(sessions) as session:
        load_all(session)
    return sessions


def test_headphones_are_found_in_every_language(seeded):
    with session_scope(seeded) as session:
        found = [set(search(session, q, limit=50).product_ids) for q in ("наушники", "耳机", "سماعات", "earphones")]
        headphones = set(session.execute(
            select(Product.id).where(Product.sku.like("HP-%"))).scalars())
        total = session.execute(select(func.count(Product.id))).scalar_one()
    assert headphones and total >= 300
    assert all(result == headphones for result in found), [len(r) for r in found]
