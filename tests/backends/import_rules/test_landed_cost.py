"""The estimator at, below and above each kind of threshold, on made-up countries with round figures.

Demo rates: 1 USD = 0.92 EUR = 92 RUB = 7.20 CNY, so 1 EUR = 100 RUB exactly.
"""

from datetime import date
from decimal import Decimal

import pytest

from backends.import_rules.explanations import render
from backends.import_rules.landed_cost import InvalidParcel, Parcel, estimate
from backends.money import Rate, RateTable
from tests.backends.import_rules.synthetic_countries import (
    ad_valorem_country, cbec_country, flat_rate_country, parsed,
)

AS_OF = date(2026, 11, 1)
RATES = RateTable({code: Rate(code, Decimal(units), AS_OF, "test") for code, units in
                   {"USD": "1", "EUR": "0.92", "RUB": "92", "CNY": "7.20", "KZT": "480"}.items()})
XA, XB, XC = parsed(ad_valorem_country()), parsed(flat_rate_country()), parsed(cbec_country())


def charges(result):
    return {c.kind if c.kind != "fee" else c.id: (c.status, c.amount_minor) for c in result.charges}


def codes(result):
    return [r.code for r in result.reasons]


@pytest.mark.parametrize("price,duty,vat,levy", [
    (149_99, ("exempt", 0), ("charged", 32_00), None),          # below: VAT 20% of 159.99 = 31.998
    (150_00, ("exempt", 0), ("charged", 32_00), None),          # at the threshold: still duty-free
    (150_01, ("charged", 19_20), ("charged", 35_84), ("charged", 1_60)),  # above: 12% of 160.01, VAT on +duty
])
def test_ad_valorem_around_the_threshold(price, duty, vat, levy):
    result = estimate(XA, Parcel("XA", "clothing", price, "EUR", shipping_minor=10_00), RATES)
    got = charges(result)
    assert (got["duty"], got["vat"], got["handling"]) == (duty, vat, ("charged", 2_00))
    assert got.get("levy") == levy
    assert result.total_minor == price + 10_00 + sum(a for _s, a in got.values())
    assert result.complete and result.rule == "allowed"
    expected = "under_duty_threshold" if price <= 150_00 else "over_duty_threshold"
    assert expected in codes(result) and "no_tax_threshold" in codes(result)


def test_the_threshold_counts_the_quantity_and_not_the_shipping():
    result = estimate(XA, Parcel("XA", "clothing", 75_00, "EUR", quantity=2, shipping_minor=50_00), RATES)
    assert charges(result)["duty"] == ("exempt", 0)
    result = estimate(XA, Parcel("XA", "clothing", 75_01, "EUR", quantity=2), RATES)
    assert charges(result)["duty"] == ("charged", 18_00)  # 12% of 150.02 = 18.0024


def test_thresholds_compare_in_their_own_currency():
    at = estimate(XA, Parcel("XA", "clothing", 16_304_35, "RUB"), RATES)  # 163.0435 EUR -> 163.04... above
    below = estimate(XA, Parcel("XA", "clothing", 15_000_00, "RUB"), RATES)  # exactly 150 EUR
    assert charges(at)["duty"][0] == "charged" and charges(below)["duty"] == ("exempt", 0)


def test_a_category_rate_of_zero_and_the_default_rate():
    assert charges(estimate(XA, Parcel("XA", "laptop", 500_00, "EUR"), RATES))["duty"] == ("charged", 0)
    assert charges(estimate(XA, Parcel("XA", "toys", 500_00, "EUR"), RATES))["duty"] == ("charged", 50_00)


def test_an_unknown_rate_is_not_guessed():
    result = estimate(XA, Parcel("XA", "books", 500_00, "EUR"), RATES)
    assert charges(result)["duty"] == ("unknown", None)
    assert not result.complete and "duty_rate_unknown" in codes(result)


def test_a_prohibited_item_gets_no_estimate_and_a_restricted_one_says_what_is_needed():
    drone = estimate(XA, Parcel("XA", "drone", 300_00, "EUR"), RATES)
    assert (drone.rule, drone.charges, drone.complete) == ("prohibited", [], False)
    phone = estimate(XA, Parcel("XA", "phone", 300_00, "EUR"), RATES)
    assert phone.rule == "restricted" and "item_restricted" in codes(phone)
    text = render(next(r for r in phone.reasons if r.code == "item_restricted"), "en", XA)
    assert text == "Lithium batteries: restricted. Only installed in equipment, up to 100 Wh."


@pytest.mark.parametrize("price,weight,duty", [
    (200_00, "31", ("exempt", 0)),        # at both limits
    (199_99, "5", ("exempt", 0)),
    (200_01, "5", ("charged", 15)),       # 15% of 0.01 EUR = 1.00 RUB * 15% = 0.15 RUB
    (300_00, "5", ("charged", 1_500_00)),  # 15% of 100 EUR = 10,000 RUB
    (150_00, "35", ("charged", 800_00)),   # value under, 4 kg over: 2 EUR/kg = 800 RUB
    (1000_00, "40", ("charged", 12_000_00)),  # 15% of 800 EUR beats 9 kg * 2 EUR
])
def test_flat_rate_on_the_excess(price, weight, duty):
    result = estimate(XB, Parcel("XB", "clothing", price, "EUR", weight_kg=Decimal(weight)), RATES)
    assert charges(result)["duty"] == duty
    assert "vat" not in charges(result) and "no_vat_on_parcels" in codes(result)
    assert result.currency == "RUB" and result.goods_minor == price * 100


def test_flat_rate_explained_in_every_language():
    result = estimate(XB, Parcel("XB", "clothing", 300_00, "EUR"), RATES)
    reason = next(r for r in result.reasons if r.code == "over_duty_threshold")
    assert render(reason, "ru", XB) == ("Пошлина взимается: стоимость 300.00 EUR выше беспошлинного порога "
                                        "200.00 EUR за посылку.")
    assert "每个包裹" in render(reason, "zh", XB) and "لكل طرد" in render(reason, "ar", XB)
    assert render(reason, "tr", XB).startswith("Customs duty applies")  # other languages read English


@pytest.mark.parametrize("price,duty,vat", [
    (4_990_00, ("exempt", 0), ("charged", 455_00)),        # 4,990 + 10 shipping = the limit: 9.1% of 5,000
    (4_990_01, ("charged", 500_00), ("charged", 715_00)),  # over: 10% duty on 5,000.01, 13% VAT on it + duty
])
def test_cross_border_e_commerce_limit(price, duty, vat):
    result = estimate(XC, Parcel("XC", "clothing", price, "CNY", shipping_minor=10_00), RATES)
    assert (charges(result)["duty"], charges(result)["vat"]) == (duty, vat)
    assert ("cbec_within_limit" if price == 4_990_00 else "cbec_over_limit") in codes(result)


def test_the_total_comes_in_the_destination_currency_and_bad_parcels_are_refused():
    result = estimate(XB, Parcel("XB", "clothing", 100_00, "USD"), RATES)
    assert (result.currency, result.goods_minor) == ("RUB", 9_200_00)
    for bad in (Parcel("XA", "spaceships", 1, "EUR"), Parcel("XA", "toys", 0, "EUR"),
                Parcel("XA", "toys", 100, "EUR", quantity=0), Parcel("XA", "toys", 100, "EUR", shipping_minor=-1)):
        with pytest.raises(InvalidParcel):
            estimate(XA, bad, RATES)


def test_an_ad_valorem_duty_with_a_minimum_per_kilogram():
    rules = ad_valorem_country()
    rules["duty"]["min_per_kg"] = {"value": "1", "currency": "EUR"}
    rules = parsed(rules)
    light = estimate(rules, Parcel("XA", "toys", 200_00, "EUR", weight_kg=Decimal("2")), RATES)
    heavy = estimate(rules, Parcel("XA", "toys", 200_00, "EUR", weight_kg=Decimal("25")), RATES)
    assert charges(light)["duty"] == ("charged", 20_00)  # 10% beats 2 kg * 1 EUR
    assert charges(heavy)["duty"] == ("charged", 25_00)  # 25 kg * 1 EUR beats 10%
    reason = next(r for r in heavy.reasons if r.code == "duty_minimum_per_kg")
    assert render(reason, "en", rules) == "The duty is at least 1.00 EUR per kg: 25 kg."


def test_low_value_parcels_pay_a_flat_duty_per_line():
    rules = ad_valorem_country()
    rules["duty"]["flat_per_line"] = {"source": "test-gazette", "as_of": "2026-07-01",
                                      "up_to": {"value": "150", "currency": "EUR"},
                                      "per_line": {"value": "3", "currency": "EUR"}}
    rules = parsed(rules)
    at = estimate(rules, Parcel("XA", "clothing", 50_00, "EUR", quantity=3, shipping_minor=20_00), RATES)
    above = estimate(rules, Parcel("XA", "clothing", 50_01, "EUR", quantity=3), RATES)
    assert charges(at)["duty"] == ("charged", 3_00)  # three units of one product: one line
    assert "flat_duty_per_line" in codes(at)
    assert charges(above)["duty"] == ("charged", 18_00)  # 12% of 150.03


def test_a_known_category_rate_counts_when_the_general_rate_is_unknown():
    rules = ad_valorem_country()
    rules["duty"] = {"status": "unknown", "note": rules["names"], "method": "ad_valorem",
                     "by_category": {"clothing": {"source": "test-gazette", "as_of": "2026-01-01",
                                                  "rate_percent": "12"}}}
    rules = parsed(rules)
    assert charges(estimate(rules, Parcel("XA", "clothing", 200_00, "EUR"), RATES))["duty"] == ("charged", 24_00)
    toys = estimate(rules, Parcel("XA", "toys", 200_00, "EUR"), RATES)
    assert charges(toys)["duty"] == ("unknown", None) and not toys.complete


def test_an_unconfirmed_item_rule_is_said_but_decides_nothing():
    rules = ad_valorem_country()
    for entry in rules["items"]:
        if entry["item"] == "drones":
            entry.update(status="unknown", note=rules["names"])
            del entry["source"], entry["as_of"]
    rules = parsed(rules)
    drone = estimate(rules, Parcel("XA", "drone", 300_00, "EUR"), RATES)
    assert drone.rule == "restricted"  # by the batteries, not by the unconfirmed drone rule
    assert "item_unconfirmed" in codes(drone) and drone.charges
