"""A verified buyer's own orders and parcels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Dict, List, Optional

from actions.clients.http import BackendHttp
from actions.clients.money import Money


def _time(value: Optional[str]) -> Optional[datetime]:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class BuyerProfile:
    external_id: str
    name: str
    country: str
    language: str
    currency: str


@dataclass(frozen=True)
class TrackingEvent:
    code: str
    place: str
    country: str
    occurred_at: datetime


@dataclass(frozen=True)
class Shipment:
    carrier: str
    tracking_number: str
    eta: Optional[date]
    events: List[TrackingEvent]

    @property
    def latest(self) -> Optional[TrackingEvent]:
        return self.events[-1] if self.events else None


@dataclass(frozen=True)
class OrderSummary:
    number: str
    status: str
    kind: str
    placed_at: datetime
    total: Money
    buyer_total: Optional[Money]
    destination_country: str
    seller: str
    titles: List[str]
    categories: List[str]  # catalog category slugs


@dataclass(frozen=True)
class Order(OrderSummary):
    shipments: List[Shipment]


def _summary_fields(body: Dict[str, Any]) -> Dict[str, Any]:
    return dict(number=body["number"], status=body["status"], kind=body["kind"], placed_at=_time(body["placed_at"]),
                total=Money.parse(body["total"]), buyer_total=Money.parse(body.get("buyer_total")),
                destination_country=body["destination_country"], seller=body["seller"], titles=body["titles"],
                categories=body.get("categories") or [])


def _shipment(body: Dict[str, Any]) -> Shipment:
    return Shipment(carrier=body["carrier"], tracking_number=body["tracking_number"],
                    eta=date.fromisoformat(body["eta"]) if body.get("eta") else None,
                    events=[TrackingEvent(e["code"], e["place"], e["country"], _time(e["occurred_at"]))
                            for e in body["events"]])


class OrdersClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    @staticmethod
    def _as(buyer_id: str) -> Dict[str, str]:
        return {"X-Buyer-Id": buyer_id}

    def buyer(self, buyer_id: str) -> BuyerProfile:
        body = self.http.get("/v1/buyers/me", headers=self._as(buyer_id))
        return BuyerProfile(body["external_id"], body["name"], body["country"], body["language"], body["currency"])

    def orders(self, buyer_id: str, language: str, open_only: bool = True) -> List[OrderSummary]:
        body = self.http.get("/v1/orders", {"state": "open" if open_only else "all", "language": language},
                             headers=self._as(buyer_id))
        return [OrderSummary(**_summary_fields(item)) for item in body]

    def order(self, buyer_id: str, number: str, language: str) -> Order:
        body = self.http.get(f"/v1/orders/{number}", {"language": language}, headers=self._as(buyer_id))
        return Order(**_summary_fields(body), shipments=[_shipment(s) for s in body["shipments"]])

    def order_of_parcel(self, buyer_id: str, tracking_number: str) -> str:
        """The number of the buyer's order a parcel belongs to."""
        body = self.http.get(f"/v1/shipments/{tracking_number.strip().upper()}", headers=self._as(buyer_id))
        return body["order_number"]
