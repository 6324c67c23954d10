"""Import rules and landed-cost estimates, with texts already in the buyer's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from actions.clients.http import BackendHttp
from actions.clients.money import Money


@dataclass(frozen=True)
class LandedCost:
    country: str
    rule: str  # allowed | restricted | prohibited
    complete: bool
    taxes: Money
    total: Money
    buyer_total: Money
    explanations: List[str]

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "LandedCost":
        return cls(country=body["country"], rule=body["rule"], complete=body["complete"],
                   taxes=Money.parse(body["taxes"]), total=Money.parse(body["total"]),
                   buyer_total=Money.parse(body["buyer_total"]),
                   explanations=[e["text"] for e in body["explanations"]])


@dataclass(frozen=True)
class Figure:
    """A sourced figure as the backend gives it: known, none (no such threshold or charge) or unknown."""

    status: str
    source: Optional[str]  # the publisher, for the buyer to see
    as_of: Optional[str]

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "Figure":
        source = body.get("source") or {}
        return cls(body["status"], source.get("publisher"), body.get("as_of"))


@dataclass(frozen=True)
class Threshold(Figure):
    amount: Optional[Money] = None
    per: str = "parcel"


@dataclass(frozen=True)
class ItemRule:
    item: str
    name: str
    rule: str  # prohibited | restricted | allowed
    requirement: str
    confirmed: bool


@dataclass(frozen=True)
class CountrySummary:
    country: str
    country_name: str
    currency: str
    duty_free: Threshold
    vat: Figure
    vat_label: str
    vat_rate_percent: Optional[str]

    @staticmethod
    def fields(body: Dict[str, Any]) -> Dict[str, Any]:
        threshold = body["duty_free_threshold"]
        return dict(country=body["country"], country_name=body["name"], currency=body["currency"],
                    duty_free=Threshold(**Figure.parse(threshold).__dict__, amount=Money.parse(threshold.get("amount")),
                                        per=threshold["per"]),
                    vat=Figure.parse(body["vat"]), vat_label=body["vat"]["label"],
                    vat_rate_percent=body["vat"].get("rate_percent"))


@dataclass(frozen=True)
class CategoryRules(CountrySummary):
    category_name: str = ""
    duty_rate: Optional[Figure] = None
    duty_rate_percent: Optional[str] = None
    items: List[ItemRule] = field(default_factory=list)

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "CategoryRules":
        return cls(**cls.fields(body), category_name=body["category_name"],
                   duty_rate=Figure.parse(body["duty_rate"]), duty_rate_percent=body["duty_rate"].get("rate_percent"),
                   items=[ItemRule(i["item"], i["name"], i["rule"], i["requirement"], i["status"] == "known")
                          for i in body["items"]])


class ImportRulesClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def country(self, country: str, language: str) -> Dict[str, Any]:
        return self.http.get_slow_changing(f"/v1/import-rules/countries/{country}", {"language": language})

    def summary(self, country: str, language: str) -> CountrySummary:
        return CountrySummary(**CountrySummary.fields(self.country(country, language)))

    def for_category(self, country: str, category: str, language: str) -> CategoryRules:
        return CategoryRules.parse(self.http.get_slow_changing(
            f"/v1/import-rules/countries/{country}/categories/{category}", {"language": language}))

    def landed_cost(self, country: str, category: str, unit_price: Money, quantity: int = 1,
                    shipping_minor: int = 0, buyer_currency: Optional[str] = None,
                    language: str = "en") -> LandedCost:
        params = {"country": country, "category": category, "unit_price_minor": unit_price.amount_minor,
                  "currency": unit_price.currency, "quantity": quantity, "shipping_minor": shipping_minor,
                  "language": language}
        if buyer_currency:
            params["buyer_currency"] = buyer_currency
        return LandedCost.parse(self.http.get("/v1/import-rules/landed-cost", params))

    def landed_costs(self, country: str, parcels: Sequence[Tuple[str, Money]], buyer_currency: Optional[str] = None,
                     language: str = "en") -> List[Optional[LandedCost]]:
        """One item of each (category, unit price) to ``country``, in one call: an estimate each, in the same
        order, or None for a parcel the backend could not estimate."""
        if not parcels:
            return []
        body: Dict[str, Any] = {"country": country, "language": language, "parcels": [
            {"category": category, "unit_price_minor": price.amount_minor, "currency": price.currency}
            for category, price in parcels]}
        if buyer_currency:
            body["buyer_currency"] = buyer_currency
        answer = self.http.post("/v1/import-rules/landed-costs", body)  # a read: safe to repeat
        return [None if "error" in estimate else LandedCost.parse(estimate) for estimate in answer["estimates"]]
