"""Loading the country files and the import-rules API, on SQLite and PostgreSQL (made-up countries)."""

import pytest
import yaml
from pydantic import ValidationError

from backends.db import session_scope
from backends.import_rules.loader import load_import_rules
from tests.backends.conftest import api_client, key_of
from tests.backends.import_rules.synthetic_countries import ad_valorem_country, cbec_country, flat_rate_country

KEY = key_of("assistant")


def write(directory, rules):
    (directory / f"{rules['country']}.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def rules_dir(tmp_path):
    directory = tmp_path / "import_rules"
    directory.mkdir()
    for rules in (ad_valorem_country(), flat_rate_country(), cbec_country()):
        write(directory, rules)
    return directory


@pytest.fixture
def with_rules(loaded, rules_dir):
    with session_scope(loaded) as session:
        assert load_import_rules(session, rules_dir) == 3
    return loaded


@pytest.fixture
def client(with_rules, database_url):
    with api_client(with_rules, database_url) as client:
        yield client


def test_loading_is_idempotent_and_follows_the_files(with_rules, rules_dir):
    with session_scope(with_rules) as session:
        assert load_import_rules(session, rules_dir) == 0
    changed = ad_valorem_country()
    changed["vat"]["rate_percent"] = "21"
    write(rules_dir, changed)
    (rules_dir / "XC.yml").unlink()
    with session_scope(with_rules) as session:
        assert load_import_rules(session, rules_dir) == 1
    with api_client(with_rules, "unused") as client:
        countries = client.get("/v1/import-rules/countries", headers=KEY).json()
    assert [(c["country"], c["vat"]["rate_percent"]) for c in countries] == [("XA", "21"), ("XB", None)]


def test_a_file_that_breaks_the_schema_is_not_loaded(with_rules, rules_dir):
    broken = flat_rate_country()
    del broken["vat"]["source"]
    write(rules_dir, broken)
    with pytest.raises(ValidationError, match="source"):
        with session_scope(with_rules) as session:
            load_import_rules(session, rules_dir)


def test_every_figure_comes_with_its_source_and_date(client):
    body = client.get("/v1/import-rules/countries/XA", params={"language": "ru"}, headers=KEY).json()
    assert body["name"] == "Testland XA (рус.)"
    threshold = body["duty_free_threshold"]
    assert threshold["amount"] == {"amount_minor": 15000, "currency": "EUR"}
    assert threshold["source"]["url"] == "https://example.org/g" and threshold["as_of"] == "2026-01-01"
    assert body["duty"]["by_category"]["books"]["status"] == "unknown"
    assert body["duty"]["by_category"]["books"]["note"] == "Tariff line not confirmed. (рус.)"
    drones = next(i for i in body["items"] if i["item"] == "drones")
    assert (drones["rule"], drones["name"]) == ("prohibited", "Дроны")


def test_an_item_prohibited_in_one_country_and_allowed_in_another(client):
    answers = client.get("/v1/import-rules/items/drones", params={"language": "ar"}, headers=KEY).json()
    assert {a["country"]: a["rule"] for a in answers} == {"XA": "prohibited", "XB": "allowed", "XC": "allowed"}
    assert client.get("/v1/import-rules/items/unicorns", headers=KEY).status_code == 400


def test_landed_cost_over_http(client):
    reply = client.get("/v1/import-rules/landed-cost", headers=KEY, params={
        "country": "xb", "category": "clothing", "unit_price_minor": 30000, "currency": "EUR", "weight_kg": "2",
        "buyer_currency": "KZT", "language": "zh"})
    body = reply.json()
    assert reply.status_code == 200, body
    duty = next(c for c in body["charges"] if c["kind"] == "duty")
    assert duty["amount"] == {"amount_minor": 150000, "currency": "RUB"}
    assert duty["source"]["id"] == "test-gazette"
    assert body["total"] == {"amount_minor": 3150000, "currency": "RUB"}
    assert body["buyer_total"]["currency"] == "KZT" and body["buyer_total"]["amount_minor"] > 0
    assert body["complete"] is True
    assert any("超过免税额度" in e["text"] for e in body["explanations"])


@pytest.mark.parametrize("params,status", [
    ({"country": "ZZ"}, 404), ({"category": "spaceships"}, 400), ({"unit_price_minor": 0}, 422),
    ({"currency": "XXX"}, 400), ({"weight_kg": "-1"}, 422),
])
def test_bad_estimates_get_clear_errors(client, params, status):
    query = {"country": "XA", "category": "toys", "unit_price_minor": 1000, "currency": "EUR", **params}
    reply = client.get("/v1/import-rules/landed-cost", headers=KEY, params=query)
    assert reply.status_code == status and reply.json()["message"]


def test_a_page_of_estimates_in_one_call_answers_as_one_by_one(client):
    parcels = [{"category": "clothing", "unit_price_minor": 30000, "currency": "EUR"},
               {"category": "toys", "unit_price_minor": 1000, "currency": "CNY"},
               {"category": "phone", "unit_price_minor": 250000, "currency": "USD", "quantity": 2}]
    reply = client.post("/v1/import-rules/landed-costs", headers=KEY, json={
        "country": "xb", "parcels": parcels, "buyer_currency": "KZT", "language": "zh"})
    assert reply.status_code == 200, reply.json()
    batch = reply.json()["estimates"]
    for parcel, estimate in zip(parcels, batch, strict=True):
        single = client.get("/v1/import-rules/landed-cost", headers=KEY, params={
            "country": "xb", **parcel, "buyer_currency": "KZT", "language": "zh"}).json()
        assert estimate == single


def test_a_bad_parcel_in_a_page_spoils_only_its_own_estimate(client):
    reply = client.post("/v1/import-rules/landed-costs", headers=KEY, json={"country": "XA", "parcels": [
        {"category": "toys", "unit_price_minor": 1000, "currency": "EUR"},
        {"category": "spaceships", "unit_price_minor": 1000, "currency": "EUR"},
        {"category": "toys", "unit_price_minor": 1000, "currency": "XXX"}]})
    assert reply.status_code == 200
    good, unknown_category, unknown_currency = reply.json()["estimates"]
    assert good["complete"] in (True, False) and "error" not in good
    assert unknown_category["error"] == "invalid_parcel" and "spaceships" in unknown_category["message"]
    assert unknown_currency["error"] == "invalid_parcel" and "XXX" in unknown_currency["message"]


@pytest.mark.parametrize("body,status", [
    ({"country": "ZZ"}, 404), ({"parcels": []}, 422), ({"parcels": [{"category": "toys"}]}, 422),
    ({"parcels": [{"category": "toys", "unit_price_minor": 1, "currency": "EUR"}] * 51}, 422),
    ({"buyer_currency": "XXX"}, 400),
])
def test_bad_pages_of_estimates_get_clear_errors(client, body, status):
    question = {"country": "XA", "parcels": [{"category": "toys", "unit_price_minor": 1000, "currency": "EUR"}],
                **body}
    reply = client.post("/v1/import-rules/landed-costs", headers=KEY, json=question)
    assert reply.status_code == status and reply.json()["message"]


def test_one_category_in_one_country(client):
    body = client.get("/v1/import-rules/countries/XA/categories/phone", params={"language": "ru"}, headers=KEY).json()
    assert body["duty_rate"]["rate_percent"] == "10" and body["duty_rate"]["specific"] is False
    assert {i["item"]: i["rule"] for i in body["items"]} == {"radio_equipment": "allowed",
                                                             "lithium_batteries": "restricted"}
    assert body["duty_free_threshold"]["amount"] == {"amount_minor": 15000, "currency": "EUR"}
    clothing = client.get("/v1/import-rules/countries/XA/categories/clothing", headers=KEY).json()
    assert clothing["duty_rate"] == {**clothing["duty_rate"], "rate_percent": "12", "specific": True}
    assert client.get("/v1/import-rules/countries/XA/categories/spaceships", headers=KEY).status_code == 400
    assert client.get("/v1/import-rules/countries/ZZ/categories/phone", headers=KEY).status_code == 404
