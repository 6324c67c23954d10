"""Made-up countries with round figures, for exact estimator cases (XA, XB, XC are not real codes in use)."""

from copy import deepcopy

from backends.import_rules.schema import ITEM_CLASSES, CountryRules

SOURCE = "test-gazette"


def text(en):
    return {"en": en, "zh": f"{en}（中文）", "ru": f"{en} (рус.)", "ar": f"{en} (عربي)"}


def sourced(**figure):
    return {"source": SOURCE, "as_of": "2026-01-01", **figure}


def base(country, currency):
    return {
        "country": country, "names": text(f"Testland {country}"), "currency": currency,
        "reviewed_on": "2026-11-29",
        "sources": [{"id": SOURCE, "title": "Test gazette", "publisher": "Tests", "url": "https://example.org/g"}],
        "duty_free_threshold": sourced(status="none"),
        "tax_free_threshold": sourced(status="none"),
        "vat": sourced(label="VAT", rate_percent="20"),
        "duty": sourced(method="ad_valorem", default_rate_percent="10"),
        "items": [sourced(item=item, rule="allowed", requirement=text("No special papers.")) for item in ITEM_CLASSES],
    }


def item_rule(rules, item, rule, requirement):
    for entry in rules["items"]:
        if entry["item"] == item:
            entry.update(rule=rule, requirement=text(requirement))


def ad_valorem_country():
    """XA: duty-free up to 150 EUR of goods per parcel; VAT 20% from the first cent; fees."""
    rules = base("XA", "EUR")
    rules["duty_free_threshold"] = sourced(amount={"value": "150", "currency": "EUR"}, per="parcel")
    rules["duty"]["by_category"] = {"clothing": sourced(rate_percent="12"), "laptop": sourced(rate_percent="0"),
                                    "books": {"status": "unknown", "note": text("Tariff line not confirmed.")}}
    rules["fees"] = [
        sourced(id="handling", label=text("Handling fee"), kind="fixed", amount={"value": "2", "currency": "EUR"},
                applies="always"),
        sourced(id="levy", label=text("Import levy"), kind="percent", rate_percent="1"),
    ]
    item_rule(rules, "drones", "prohibited", "Drones may not be imported by individuals.")
    item_rule(rules, "lithium_batteries", "restricted", "Only installed in equipment, up to 100 Wh.")
    return rules


def flat_rate_country():
    """XB: EAEU-like: 200 EUR and 31 kg per parcel free; 15% of the excess, at least 2 EUR per extra kg."""
    rules = base("XB", "RUB")
    rules["duty_free_threshold"] = sourced(amount={"value": "200", "currency": "EUR"}, per="parcel",
                                           max_weight_kg="31")
    rules["tax_free_threshold"] = deepcopy(rules["duty_free_threshold"])
    rules["vat"] = sourced(status="none", label="VAT")
    rules["duty"] = sourced(method="flat_on_excess", flat_rate_percent="15",
                            min_per_kg={"value": "2", "currency": "EUR"})
    return rules


def cbec_country():
    """XC: China-like: within 5,000 per order no duty and VAT at 70% of 13%; above, general rules."""
    rules = base("XC", "CNY")
    rules["vat"] = sourced(label="VAT", rate_percent="13")
    rules["duty"] = sourced(method="cbec_retail", default_rate_percent="10", tax_discount_percent="70")
    rules["special_regimes"] = [sourced(
        id="cbec_retail", name=text("Cross-border e-commerce retail import"), summary=text("Within limits."),
        limits=[sourced(applies_to="regime:cbec_retail", amount={"value": "5000", "currency": "CNY"},
                        per="transaction"),
                sourced(applies_to="regime:cbec_retail", amount={"value": "26000", "currency": "CNY"},
                        per="year")])]
    return rules


def parsed(rules) -> CountryRules:
    return CountryRules.parse_obj(rules)
