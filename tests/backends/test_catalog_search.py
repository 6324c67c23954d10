"""Catalog loading and multilingual search, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest
import yaml

from backends.catalog.search import SearchFilters, search
from backends.db import session_scope
from backends.models import Product
from backends.seed.catalog_loader import SEED_DATA, load_all

CATEGORIES = {
    "categories": [
        {"slug": "headphones", "hs_chapter": 85,
         "names": {"en": "Headphones", "zh": "耳机", "ru": "Наушники", "ar": "سماعات"},
         "keywords": {"en": ["headphones", "earphones", "earbuds"], "zh": ["耳机", "耳麦"],
                      "ru": ["наушники", "гарнитура"], "ar": ["سماعات", "سماعة"]}},
        {"slug": "phone", "hs_chapter": 85,
         "names": {"en": "Phones", "zh": "手机", "ru": "Телефоны", "ar": "هواتف"},
         "keywords": {"en": ["phone", "smartphone"], "zh": ["手机"], "ru": ["телефон", "смартфон"],
                      "ar": ["جوال", "هاتف"]}},
    ]
}


def product(sku, brand, price, color, stock, names, descriptions=None):
    return {"sku": sku, "seller": "s1", "brand": brand, "price_minor": price, "stock": stock,
            "attributes": {"color": color, "size": None}, "names": names,
            "descriptions": descriptions or {lang: "" for lang in names}}


CATALOG = {
    "headphones": [
        product("HP-001", "Soundwave", 19900, "black", 10, {
            "en": "Soundwave A40 Wireless Earbuds", "zh": "声浪 A40 无线蓝牙耳机",
            "ru": "Беспроводные наушники Soundwave A40", "ar": "سماعات لاسلكية Soundwave A40"}),
        product("HP-002", "Lumio", 59900, "red", 0, {
            "en": "Lumio Over-Ear Headphones", "zh": "Lumio 头戴式耳机",
            "ru": "Полноразмерные наушники Lumio", "ar": "سماعات رأس Lumio"}),
    ],
    "phone": [
        product("PH-001", "Nova", 159900, "red", 5, {
            "en": "Nova X5 Smartphone 256GB", "zh": "Nova X5 智能手机 256GB",
            "ru": "Смартфон Nova X5 256 ГБ", "ar": "هاتف ذكي Nova X5 سعة 256 جيجابايت"},
            {"en": "Comes with free earbuds in the box.", "zh": "", "ru": "", "ar": ""}),
    ],
}


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


def skus(sessions, query, **filters):
    with session_scope(sessions) as session:
        page = search(session, query, SearchFilters(**filters))
        by_id = {p.id: p.sku for p in session.query(Product).filter(Product.id.in_(page.product_ids))}
        return [by_id[i] for i in page.product_ids]


@pytest.mark.parametrize("query", ["наушники", "耳机", "سماعات", "earphones", "headphones", "наушников", "السماعات"])
def test_a_query_in_any_language_finds_the_same_products(loaded, query):
    assert set(skus(loaded, query)) == {"HP-001", "HP-002"}


def test_name_ranks_above_category_keywords_above_description(loaded):
    # HP-001: in its name (and its category's keywords); HP-002: only its
    # category's keywords; PH-001: only its description.
    assert skus(loaded, "earbuds") == ["HP-001", "HP-002", "PH-001"]


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
