"""Catalog loading and multilingual search, on SQLite and PostgreSQL."""

import pytest
import yaml

from backends.catalog.search import SearchFilters, search
from backends.db import session_scope
from backends.models import Product
from backends.seed.catalog_loader import load_all
from tests.backends.sample_catalog import CATALOG


def skus(sessions, query, **filters):
    with session_scope(sessions) as session:
        page = search(session, query, SearchFilters(**filters))
        by_id = {p.id: p.sku for p in session.query(Product).filter(Product.id.in_(page.product_ids))}
        return [by_id[i] for i in page.product_ids]


@pytest.mark.parametrize("query", ["наушники", "耳机", "سماعات", "earphones", "headphones", "наушников", "السماعات"])
def test_a_query_in_any_language_finds_the_same_products(loaded, query):
    assert set(skus(loaded, query)) == {"HP-001", "HP-002"}


def test_a_name_match_ranks_above_a_category_keyword_match(loaded):
    # HP-001 has "earbuds" in its name, HP-002 only through its category's
    # keywords; PH-001 only in its description, which is not searched.
    assert skus(loaded, "earbuds") == ["HP-001", "HP-002"]
    assert skus(loaded, "earbuds soundwave") == ["HP-001"]


def test_in_stock_products_come_first(loaded):
    assert skus(loaded, "headphones") == ["HP-001", "HP-002"]


def test_filters(loaded):
    assert skus(loaded, "", category="phone") == ["PH-001"]
    assert skus(loaded, "наушники", color="red") == ["HP-002"]
    assert skus(loaded, "наушники", in_stock=True) == ["HP-001"]
    # 199.00 CNY is 27.64 USD, 599.00 CNY is 83.19 USD
    assert skus(loaded, "耳机", max_usd_minor=5000) == ["HP-001"]
    assert skus(loaded, "耳机", min_usd_minor=5000) == ["HP-002"]


def test_no_match_is_an_empty_page(loaded):
    with session_scope(loaded) as session:
        page = search(session, "refrigerator")
    assert (page.product_ids, page.total) == ([], 0)


def test_loading_twice_changes_nothing(loaded, seed_dir):
    with session_scope(loaded) as session:
        report = load_all(session, seed_dir)
        assert (report.products, session.query(Product).count()) == (3, 3)
    assert set(skus(loaded, "наушники")) == {"HP-001", "HP-002"}


def test_reloading_updates_prices_and_the_index(loaded, seed_dir):
    changed = dict(CATALOG)
    changed["phone"] = [dict(CATALOG["phone"][0], price_minor=99900,
                             names=dict(CATALOG["phone"][0]["names"], en="Nova X5 Lite Phone"))]
    (seed_dir / "catalog" / "phone.yml").write_text(
        yaml.safe_dump({"category": "phone", "products": changed["phone"]}, allow_unicode=True))
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
    with session_scope(loaded) as session:
        phone = session.query(Product).filter_by(sku="PH-001").one()
        assert (phone.price_minor, phone.reference_usd_minor) == (99900, 13875)
    assert skus(loaded, "lite") == ["PH-001"]


def test_pages_and_totals(loaded):
    with session_scope(loaded) as session:
        first = search(session, "наушники", limit=1)
        second = search(session, "наушники", limit=1, offset=1)
        past = search(session, "наушники", limit=1, offset=5)
    assert (first.total, second.total, past.total) == (2, 2, 2)
    assert len(first.product_ids + second.product_ids) == 2 and set(first.product_ids) != set(second.product_ids)
    assert past.product_ids == []
