"""Orders and parcels: a buyer sees only their own, on SQLite and PostgreSQL."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from backends.db import session_scope
from backends.models import Buyer, Order, Shipment
from backends.seed.demo_orders import DEMO_BUYERS, STATUS_PATHS, load_demo_orders
from tests.backends.conftest import api_client, key_of

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
KEY = key_of("assistant")


@pytest.fixture
def with_orders(loaded):
    with session_scope(loaded) as session:
        load_demo_orders(session, now=NOW)
    return loaded


@pytest.fixture
def client(with_orders, database_url):
    with api_client(with_orders, database_url) as client:
        yield client


def as_buyer(external_id):
    return {**KEY, "X-Buyer-Id": external_id}


def numbers_of(sessions, external_id):
    with session_scope(sessions) as session:
        return set(session.execute(
            select(Order.number).join(Buyer).where(Buyer.external_id == external_id)).scalars())


def test_demo_data_covers_every_state_six_countries_and_b2b(with_orders):
    with session_scope(with_orders) as session:
        assert set(session.execute(select(Order.status)).scalars()) == set(STATUS_PATHS)
        assert session.execute(select(func.count(func.distinct(Buyer.country)))).scalar_one() >= 6
        assert {"b2b", "b2c"} == set(session.execute(select(Order.kind)).scalars())


def test_seeding_again_creates_nothing(with_orders):
    with session_scope(with_orders) as session:
        before = session.execute(select(func.count(Order.id))).scalar_one()
        assert load_demo_orders(session, now=NOW) == 0
        assert session.execute(select(func.count(Order.id))).scalar_one() == before


def test_buyer_sees_only_their_open_orders(client, with_orders):
    mine = numbers_of(with_orders, "buyer-kz-aidana")
    listed = client.get("/v1/orders", headers=as_buyer("buyer-kz-aidana"), params={"state": "all"}).json()
    assert {o["number"] for o in listed} == mine
    open_orders = client.get("/v1/orders", headers=as_buyer("buyer-kz-aidana")).json()
    assert all(o["status"] not in ("completed", "cancelled", "refunded", "dispute_resolved") for o in open_orders)
    assert all(o["buyer_total"]["currency"] == "KZT" for o in listed)


def test_another_buyers_order_is_not_found(client, with_orders):
    theirs = sorted(numbers_of(with_orders, "buyer-sa-noura"))[0]
    reply = client.get(f"/v1/orders/{theirs}", headers=as_buyer("buyer-kz-aidana"))
    assert (reply.status_code, reply.json()["error"]) == (404, "not_found")
    assert client.get(f"/v1/orders/{theirs}", headers=as_buyer("buyer-sa-noura")).status_code == 200


def test_another_buyers_parcel_is_not_found(client, with_orders):
    with session_scope(with_orders) as session:
        tracking = session.execute(select(Shipment.tracking_number).join(Order).join(Buyer)
                                   .where(Buyer.external_id == "buyer-sa-noura")).scalars().first()
    assert client.get(f"/v1/shipments/{tracking}", headers=as_buyer("buyer-kz-aidana")).status_code == 404
    body = client.get(f"/v1/shipments/{tracking}", headers=as_buyer("buyer-sa-noura")).json()
    assert body["events"][0]["code"] == "accepted"


@pytest.mark.parametrize("headers", [KEY, as_buyer("buyer-nobody")])
def test_buyer_data_needs_a_known_buyer(client, headers):
    assert client.get("/v1/orders", headers=headers).status_code == 401


def test_order_detail_in_the_buyers_language_with_utc_times(client, with_orders):
    number = next(n for n in sorted(numbers_of(with_orders, "buyer-sa-noura")))
    body = client.get(f"/v1/orders/{number}", headers=as_buyer("buyer-sa-noura")).json()
    assert body["lines"][0]["title"] == body["titles"][0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in body["titles"][0])  # Arabic title
    assert body["total"]["amount_minor"] == body["goods"]["amount_minor"] + body["shipping"]["amount_minor"]
    times = [h["at"] for h in body["history"]] + [e["occurred_at"] for s in body["shipments"] for e in s["events"]]
    assert times and all(t.endswith("+00:00") for t in times)
    assert [h["at"] for h in body["history"]] == sorted(h["at"] for h in body["history"])


def test_customs_hold_and_exception_parcels_exist(with_orders):
    with session_scope(with_orders) as session:
        shipments = session.execute(select(Shipment)).scalars().all()
        last_codes = {s.events[-1].code for s in shipments}
    assert {"import_customs", "exception", "delivered", "in_transit"} <= last_codes


def test_demo_buyers_are_in_the_shops_countries():
    assert len({country for _id, _n, _c, country, *_ in DEMO_BUYERS}) >= 6
