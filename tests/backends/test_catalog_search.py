"""Catalog loading and multilingual search, on SQLite and PostgreSQL."""

import pytest
import yaml

from backends.catalog.search import SearchFilters, is_postgres, search
from backends.db import session_scope
from backends.migrate import downgrade, upgrade
from backends.models import Product
from backends.seed.catalog_loader import load_all
from tests.backends.sample_catalog import CATALOG, product


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


def add_products(seed_dir, category, *products):
    """Adds products to a category of the sample seed files."""
    (seed_dir / "catalog" / f"{category}.yml").write_text(yaml.safe_dump(
        {"category": category, "products": CATALOG[category] + list(products)}, allow_unicode=True))


def search_page(sessions, query, **kwargs):
    with session_scope(sessions) as session:
        return search(session, query, **kwargs)


def test_a_query_of_category_words_finds_that_categorys_products(loaded):
    assert skus(loaded, "телефон") == ["PH-001"]
    assert skus(loaded, "smartphone") == ["PH-001"]
    assert set(skus(loaded, "наушники earbuds")) == {"HP-001", "HP-002"}
    assert search_page(loaded, "耳机 гарнитура").total == 2
    # no category has both words, and no product has both in its name
    assert (skus(loaded, "headphones phone"), search_page(loaded, "headphones phone").total) == ([], 0)


def test_a_mixed_query_needs_its_other_words_in_the_name_or_brand(loaded):
    assert skus(loaded, "наушники lumio") == ["HP-002"]
    assert skus(loaded, "耳机 soundwave") == ["HP-001"]
    assert skus(loaded, "phone 256gb") == ["PH-001"]
    assert skus(loaded, "phone lumio") == []


def test_a_category_word_in_another_categorys_product_name_still_finds_it(loaded, seed_dir):
    add_products(seed_dir, "phone", product("PH-002", "Nova", 99900, "black", 7, {
        "en": "Nova Earbuds Bundle", "zh": "Nova 手机套装", "ru": "Комплект Nova", "ar": "حزمة Nova"}))
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
    found = skus(loaded, "earbuds")
    assert set(found) == {"HP-001", "HP-002", "PH-002"} and search_page(loaded, "earbuds").total == 3
    assert found[-1] == "HP-002"  # the only one out of stock
    # both words must be somewhere: PH-002 by its name, PH-001 has "earbuds" only in its description
    assert skus(loaded, "earbuds nova") == ["PH-002"]
    assert set(skus(loaded, "phone")) == {"PH-001", "PH-002"}


def test_products_of_the_category_a_word_names_rank_before_products_that_only_have_it_in_their_name(
    loaded, seed_dir
):
    add_products(seed_dir, "headphones", product("HP-003", "Lumio", 29900, "white", 4, {
        "en": "Lumio Studio Monitor", "zh": "Lumio 监听", "ru": "Студийный монитор Lumio", "ar": "شاشة Lumio"}))
    add_products(seed_dir, "phone", product("PH-002", "Nova", 99900, "black", 7, {
        "en": "Nova Earbuds Bundle", "zh": "Nova 手机套装", "ru": "Комплект Nova", "ar": "حزمة Nova"}))
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
        postgres = is_postgres(session)
    found = skus(loaded, "earbuds")
    assert set(found) == {"HP-001", "HP-002", "HP-003", "PH-002"}
    assert found[-1] == "HP-002"
    if postgres:  # SQLite's bm25 weighs a name match above a category keyword match, category or not
        assert found == ["HP-001", "HP-003", "PH-002", "HP-002"]


def test_totals_are_exact_with_filters_and_past_the_last_page(loaded, seed_dir):
    add_products(seed_dir, "headphones", *(
        product(f"HP-1{i:02d}", "Lumio", 10000 + i * 1000, "red" if i % 2 else "blue", i % 3, {
            "en": f"Lumio Buds {i}", "zh": f"Lumio 耳机 {i}", "ru": f"Наушники Lumio {i}", "ar": f"سماعات Lumio {i}"})
        for i in range(12)))
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
    assert search_page(loaded, "наушники").total == 14
    assert search_page(loaded, "наушники", filters=SearchFilters(color="red")).total == 7  # HP-002 and 6 of 12
    in_stock = search_page(loaded, "earbuds", filters=SearchFilters(in_stock=True), limit=5)
    assert in_stock.total == 9  # HP-001 and the 8 of 12 with stock
    pages = [search_page(loaded, "耳机", limit=5, offset=offset) for offset in (0, 5, 10, 15)]
    assert [page.total for page in pages] == [14, 14, 14, 14]
    ids = [i for page in pages for i in page.product_ids]
    assert len(ids) == len(set(ids)) == 14 and pages[-1].product_ids == []


def test_a_new_category_keyword_finds_the_categorys_products_after_a_reload(loaded, seed_dir):
    categories = yaml.safe_load((seed_dir / "categories.yml").read_text())
    categories["categories"][0]["keywords"]["en"].append("kopfhörer")
    (seed_dir / "categories.yml").write_text(yaml.safe_dump(categories, allow_unicode=True))
    assert skus(loaded, "kopfhörer") == []
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
    assert skus(loaded, "kopfhörer") == ["HP-001", "HP-002"]


def test_migrating_the_index_down_and_up_keeps_what_matches(loaded, database_url):
    queries = ["наушники", "earbuds", "耳机 soundwave", "phone 256gb", "nova", "سماعات lumio", "refrigerator"]
    before = {q: (set(skus(loaded, q)), search_page(loaded, q).total) for q in queries}
    downgrade(database_url, "0005")
    upgrade(database_url)
    assert {q: (set(skus(loaded, q)), search_page(loaded, q).total) for q in queries} == before


def ranked(sessions, prefer, **filters):
    with session_scope(sessions) as session:
        page = search(session, "", SearchFilters(**filters), prefer=prefer)
        by_id = {p.id: p.sku for p in session.query(Product).filter(Product.id.in_(page.product_ids))}
        return [by_id[i] for i in page.product_ids], page.total


@pytest.mark.parametrize("prefer", ["looking for wireless earbuds under 50 usd", "нужны беспроводные наушники",
                                    "要无线的耳机", "سماعات لاسلكية"])
def test_the_words_a_buyer_said_rank_the_products_that_have_them_first(loaded, seed_dir, prefer):
    # HP-003 is the cheapest and in stock: without the buyer's words it would come first
    add_products(seed_dir, "headphones", product("HP-003", "Lumio", 9900, "white", 4, {
        "en": "Lumio Wired Earphones", "zh": "Lumio 有线耳机", "ru": "Проводные наушники Lumio",
        "ar": "سماعات سلكية Lumio"}))
    with session_scope(loaded) as session:
        load_all(session, seed_dir)
    assert ranked(loaded, "", category="headphones")[0][0] == "HP-003"
    found, total = ranked(loaded, prefer, category="headphones")
    assert found[0] == "HP-001" and total == 3  # the words rank, they do not filter
    assert ranked(loaded, "waterproof 2026", category="headphones")[0][0] == "HP-003"  # no product has them


def required(sessions, require, **filters):
    with session_scope(sessions) as session:
        page = search(session, "", SearchFilters(**filters), require=require)
        by_id = {p.id: p.sku for p in session.query(Product).filter(Product.id.in_(page.product_ids))}
        return sorted(by_id[i] for i in page.product_ids), page.total


def test_required_phrases_keep_only_the_products_whose_names_have_one_of_them(loaded):
    assert required(loaded, ["wireless"], category="headphones") == (["HP-001"], 1)
    assert required(loaded, ["over ear"], category="headphones") == (["HP-002"], 1)  # every word of the phrase
    assert required(loaded, ["over wireless"], category="headphones") == ([], 0)
    assert required(loaded, ["over-ear", "wireless"], category="headphones") == (["HP-001", "HP-002"], 2)  # any one
    assert required(loaded, ["wireless"], category="headphones", color="red") == ([], 0)
    assert required(loaded, ["4k", "a"], category="headphones")[1] == 2  # nothing to search by: no requirement
