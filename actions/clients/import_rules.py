"""Import rules and landed-cost estimates, with explanations already in the buyer's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

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


class ImportRulesClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def country(self, country: str, language: str) -> Dict[str, Any]:
        return self.http.get(f"/v1/import-rules/countries/{country}", {"language": language})

    def landed_cost(self, country: str, category: str, unit_price: Money, quantity: int = 1,
                    shipping_minor: int = 0, buyer_currency: Optional[str] = None,
                    language: str = "en") -> LandedCost:
        params = {"country": country, "category": category, "unit_price_minor": unit_price.amount_minor,
                  "currency": unit_price.currency, "quantity": quantity, "shipping_minor": shipping_minor,
                  "language": language}
        if buyer_currency:
            params["buyer_currency"] = buyer_currency
        return LandedCost.parse(self.http.get("/v1/import-rules/landed-cost", params))
