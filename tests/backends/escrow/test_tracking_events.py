"""A carrier's delivery event starts the buyer's protection period, once."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from backends.db import session_scope
from backends.models import Order, Shipment
from tests.backends.conftest import api_client, key_of
from tests.backends.escrow.orders_for_escrow import make_orders

CARRIER = {**key_of("carrier"), "X-Service-Id": "carrier", "X-Channel": "carrier"}
PAYMENTS = {**key_of("payments"), "Idempotency-Key": "pay-1"}


@pytest.fixture
def client(sessions, database_url):
    with api_client(sessions, database_url) as client:
        yield client


def shipped_order(sessions, tracking="LP00112233"):
    number, = make_orders(sessions, 1, status="paid")
    with session_scope(sessions) as session:
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        order.shipments.append(Shipment(carrier="Cainiao", tracking_number=tracking))
    return number


def event(code, at, place="Almaty", country="KZ"):
    return {"code": code, "place": place, "country": country, "occurred_at": at.isoformat()}


def test_delivery_starts_the_clock_and_a_resent_event_changes_nothing(client, sessions):
    number = shipped_order(sessions)
    client.post(f"/v1/escrow/{number}/fund", headers=PAYMENTS)
    accepted = datetime.now(timezone.utc) - timedelta(days=6)
    reply = client.post("/v1/shipments/lp00112233/events", json=event("accepted", accepted, "Shenzhen", "CN"),
                        headers=CARRIER).json()
    assert (reply["order_status"], reply["escrow_state"], reply["protection_until"]) == ("shipped", "held", None)
    delivered_at = datetime.now(timezone.utc) - timedelta(minutes=5)  # within the clock skew: its date counts
    first = client.post("/v1/shipments/LP00112233/events", json=event("delivered", delivered_at), headers=CARRIER)
    again = client.post("/v1/shipments/LP00112233/events", json=event("delivered", delivered_at), headers=CARRIER)
    assert first.status_code == again.status_code == 200
    assert (first.json()["new"], again.json()["new"]) == (True, False)
    assert first.json()["order_status"] == "delivered"
    until = datetime.fromisoformat(first.json()["protection_until"])
    assert until == delivered_at + timedelta(days=15) == datetime.fromisoformat(again.json()["protection_until"])
    with session_scope(sessions) as session:
        shipment = session.execute(select(Shipment).where(Shipment.tracking_number == "LP00112233")).scalar_one()
        assert [e.code for e in shipment.events] == ["accepted", "delivered"]
        assert [h.status for h in shipment.order.history] == ["paid", "shipped", "delivered"]


def test_a_delivery_of_an_unpaid_order_is_still_recorded(client, sessions):
    shipped_order(sessions, tracking="YT0000000000000001")
    reply = client.post("/v1/shipments/YT0000000000000001/events",
                        json=event("delivered", datetime.now(timezone.utc)), headers=CARRIER).json()
    assert (reply["order_status"], reply["escrow_state"]) == ("delivered", None)


@pytest.mark.parametrize("body,status", [
    (event("teleported", datetime.now(timezone.utc)), 422),
    (event("delivered", datetime.now(timezone.utc) + timedelta(hours=1)), 422),
    (event("delivered", datetime.now(timezone.utc), country="Kazakhstan"), 422),
    ({"code": "delivered"}, 422),
])
def test_bad_events_are_refused(client, sessions, body, status):
    shipped_order(sessions, tracking="SF1234567890123")
    assert client.post("/v1/shipments/SF1234567890123/events", json=body, headers=CARRIER).status_code == status


@pytest.mark.parametrize("caller", [
    {**key_of("assistant"), "X-Buyer-Id": "buyer-t"},  # a buyer cannot mark their parcel delivered
    {**key_of("payments"), "X-Service-Id": "payments"},
    {**key_of("scheduler")},
])
def test_only_the_carrier_reports_events_for_known_parcels(client, sessions, caller):
    number = shipped_order(sessions, tracking="RB123456789CN")
    body = event("delivered", datetime.now(timezone.utc))
    assert client.post("/v1/shipments/RB000000000CN/events", json=body, headers=CARRIER).status_code == 404
    refused = client.post("/v1/shipments/RB123456789CN/events", json=body, headers=caller)
    assert (refused.status_code, refused.json()["error"]) == (403, "caller_not_allowed")
    with session_scope(sessions) as session:
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        assert order.status == "paid" and order.shipments[0].events == []
