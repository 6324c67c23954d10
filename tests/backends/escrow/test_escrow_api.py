"""The escrow HTTP API: callers by their keys' kinds, scoping and clear 4xx answers, on SQLite and PostgreSQL."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from sqlalchemy import select

from backends.db import session_scope
from backends.models import Order, Shipment
from backends.models.base import utc_now
from tests.backends.conftest import api_client, key_of, sign_in_staff
from tests.backends.escrow.orders_for_escrow import make_orders

SKEW = timedelta(seconds=600)  # the settings' delivery_clock_skew_seconds


@pytest.fixture
def client(sessions, database_url):
    make_orders(sessions, 1, buyer_id="buyer-other", seller_slug="seller-other")
    with api_client(sessions, database_url) as client:
        yield client


def headers(kind=None, buyer=None, seller=None, key=None, channel=None):
    result = key_of(kind) if kind else {}
    if buyer:
        result["X-Buyer-Id"] = buyer
    if seller:
        result["X-Seller-Id"] = seller
    if key is not False:
        result["Idempotency-Key"] = key or uuid.uuid4().hex
    if channel:
        result["X-Channel"] = channel
    return result


BUYER = dict(kind="assistant", buyer="buyer-t", channel="whatsapp")
SELLER = dict(kind="seller_portal", seller="seller-t")
PAYMENTS = dict(kind="payments")
CARRIER = dict(kind="carrier")
SCHEDULER = dict(kind="scheduler")


def funded_order(client, sessions, protection_days=None):
    number, = make_orders(sessions, 1)
    body = {"protection_days": protection_days} if protection_days else {}
    assert client.post(f"/v1/escrow/{number}/fund", json=body, headers=headers(**PAYMENTS)).status_code == 200
    return number


def report_delivery(client, number, at):
    return client.post(f"/v1/escrow/{number}/delivery", json={"delivered_at": at.isoformat()},
                       headers=headers(**CARRIER))


def delivered_order(client, sessions, protection_days=None):
    """Funded and delivered now (a delivery report cannot be backdated: the clock moves instead, see
    ``advance_clock``)."""
    number = funded_order(client, sessions, protection_days)
    reply = report_delivery(client, number, datetime.now(timezone.utc))
    assert reply.status_code == 200, reply.json()
    return number


def advance_clock(client, **delta):
    """The app's escrow service lives ``delta`` in the future: protection periods run out as they would."""
    ahead = timedelta(**delta)
    client.app.state.escrow.clock = lambda: utc_now() + ahead


def escrow_of(client, number, caller=BUYER):
    return client.get(f"/v1/escrow/{number}", headers=headers(**caller, key=False)).json()


def auto_release(client):
    return client.post("/v1/escrow-jobs/auto-release", headers=headers(**SCHEDULER)).json()["released"]


def test_confirming_receipt_over_http_is_done_once(client, sessions):
    number = delivered_order(client, sessions)
    view = escrow_of(client, number)
    assert (view["state"], view["held"]) == ("held", {"amount_minor": 10_000, "currency": "CNY"})
    assert view["protection"]["can_extend"] is True
    first = client.post(f"/v1/escrow/{number}/release", headers=headers(**BUYER, key="confirm-1"))
    again = client.post(f"/v1/escrow/{number}/release", headers=headers(**BUYER, key="confirm-1"))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["released_to_seller"]["amount_minor"] == 10_000
    late = client.post(f"/v1/escrow/{number}/release", headers=headers(**BUYER))
    assert (late.status_code, late.json()["error"]) == (409, "already_released")
    assert "already been released" in late.json()["message"]


def test_every_post_needs_an_idempotency_key(client, sessions):
    number = delivered_order(client, sessions)
    reply = client.post(f"/v1/escrow/{number}/release", headers=headers(**BUYER, key=False))
    assert (reply.status_code, reply.json()["error"]) == (400, "idempotency_key_required")
    assert escrow_of(client, number)["state"] == "held"


def test_a_reused_key_is_refused(client, sessions):
    number = delivered_order(client, sessions)
    assert client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged", "amount_minor": 100},
                       headers=headers(**BUYER, key="r-1")).status_code == 200
    reply = client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged", "amount_minor": 200},
                        headers=headers(**BUYER, key="r-1"))
    assert (reply.status_code, reply.json()["error"]) == (422, "idempotency_key_reused")


@pytest.mark.parametrize("caller,action,status", [
    (dict(kind="assistant", buyer="buyer-other"), "release", 404),   # someone else's order is not found
    (dict(kind="seller_portal", seller="seller-other"), "refund-request/approve", 404),
    (dict(kind="assistant", buyer="buyer-nobody"), "release", 401),  # unknown buyer
    (dict(kind="shop"), "release", 401),                             # a buyer's key naming no buyer
    (dict(kind="seller_portal"), "refund-request/approve", 401),     # a seller's key naming no seller
    (dict(), "release", 401),                                        # no key
])
def test_callers_see_only_their_own_orders(client, sessions, caller, action, status):
    number = delivered_order(client, sessions)
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    assert client.get(f"/v1/escrow/{number}", headers=headers(**caller, key=False)).status_code == status
    assert client.post(f"/v1/escrow/{number}/{action}", json={}, headers=headers(**caller)).status_code == status
    assert escrow_of(client, number)["state"] == "refund_requested"


@pytest.mark.parametrize("extra", [
    {"X-Staff-Id": "agent-1"},       # staff act through a console session only
    {"X-Seller-Id": "seller-t"},     # the assistant acts for buyers, never for a seller
    {"X-Service-Id": "payments"},    # nor as a service
    {"X-Channel": "console"},        # nor from a channel that is not its own
    {"X-Channel": "fax"},
])
def test_a_buyers_key_cannot_pass_for_anyone_else(client, sessions, extra):
    number = delivered_order(client, sessions)
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    forged = {**headers(**BUYER), **extra}
    reply = client.post(f"/v1/escrow/{number}/refund-request/approve", json={}, headers=forged)
    assert (reply.status_code, reply.json()["error"]) == (403, "caller_not_allowed")
    assert escrow_of(client, number)["state"] == "refund_requested"
    if "X-Staff-Id" in extra:
        assert "console session" in reply.json()["message"]


def test_services_act_as_themselves_on_their_own_channel(client, sessions):
    number = delivered_order(client, sessions)
    trail = client.get(f"/console/api/orders/{number}/escrow/audit")
    assert trail.status_code == 401  # staff read it through a console session
    sign_in_staff(client, sessions)
    actors = [(e["action"], e["actor_role"], e["actor_id"], e["channel"])
              for e in client.get(f"/console/api/orders/{number}/escrow/audit").json()]
    assert actors == [("fund", "system", "payments", "payments"), ("start_protection", "system", "carrier", "carrier")]
    posing = client.post(f"/v1/escrow/{number}/release", headers={**headers(**CARRIER), "X-Service-Id": "payments"})
    assert (posing.status_code, posing.json()["error"]) == (403, "caller_not_allowed")


def test_roles_are_enforced(client, sessions):
    number = delivered_order(client, sessions)
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    reply = client.post(f"/v1/escrow/{number}/refund-request/approve", json={}, headers=headers(**BUYER))
    assert (reply.status_code, reply.json()["error"]) == (403, "forbidden")
    assert client.get(f"/v1/escrow/{number}/audit", headers=headers(**PAYMENTS, key=False)).status_code == 404
    assert client.post(f"/v1/escrow/{number}/dispute/resolve", json={"outcome": "buyer", "note": "x"},
                       headers=headers(**SELLER)).status_code == 404  # staff resolve in the console
    for kind in ("assistant", "carrier", "payments"):
        refused = client.post("/v1/escrow-jobs/auto-release", headers=headers(kind))
        assert (refused.status_code, refused.json()["error"]) == (403, "caller_not_allowed")
    funded = funded_order(client, sessions)
    for caller in (BUYER, SELLER, PAYMENTS):  # only the carrier reports a delivery
        reply = client.post(f"/v1/escrow/{funded}/delivery", json={"delivered_at": utc_now().isoformat()},
                            headers=headers(**caller))
        assert reply.status_code == 403
    other, = make_orders(sessions, 1)
    for caller in (BUYER, SELLER, CARRIER):  # only the payments service funds
        assert client.post(f"/v1/escrow/{other}/fund", json={}, headers=headers(**caller)).status_code == 403


@pytest.mark.parametrize("body", [
    {"reason": "damaged", "amount_minor": -1}, {"reason": "damaged", "amount_minor": 10_001},
    {"reason": "bored"}, {}, {"reason": "damaged", "amount_minor": "lots"},
])
def test_bad_refund_requests_get_a_clear_422_and_change_nothing(client, sessions, body):
    number = delivered_order(client, sessions)
    reply = client.post(f"/v1/escrow/{number}/refund-request", json=body, headers=headers(**BUYER))
    assert reply.status_code == 422 and reply.json()["message"]
    assert escrow_of(client, number)["state"] == "held"


def poster(client, number):
    """``post(path, body, caller)`` on the order's escrow."""
    return lambda path, body, who: client.post(f"/v1/escrow/{number}{path}", json=body, headers=headers(**who))


def test_a_refund_rejected_then_disputed_and_split_by_staff(client, sessions):
    number = delivered_order(client, sessions)
    post = poster(client, number)
    assert post("/refund-request", {"reason": "damaged", "return_goods": True}, BUYER).status_code == 200
    assert post("/refund-request/reject", {"note": ""}, SELLER).status_code == 422  # a rejection says why
    assert post("/refund-request/reject", {"note": "no photos"}, SELLER).json()["state"] == "held"
    view = post("/dispute", {"reason": "damaged", "description": "cracked screen",
                             "evidence": [{"reference": "https://img.example/a.jpg"}]}, BUYER).json()
    case = view["dispute"]["case_number"]
    assert post("/dispute/messages", {"body": "packed well"}, SELLER).status_code == 200
    assert post("/dispute/evidence", {"reference": "https://img.example/pack.jpg"}, SELLER).status_code == 200
    assert post("/release", {}, BUYER).json()["error"] == "under_dispute"
    sign_in_staff(client, sessions)
    view = client.post(f"/console/api/orders/{number}/dispute/resolve", headers={"Idempotency-Key": "resolve-1"},
                       json={"outcome": "split", "note": "both partly right", "buyer_amount_minor": 4_000}).json()
    assert (view["state"], view["refunded_to_buyer"]["amount_minor"], view["released_to_seller"]["amount_minor"]) \
        == ("resolved", 4_000, 6_000)
    case_view = client.get(f"/v1/disputes/{case}", headers=headers(**BUYER, key=False)).json()
    assert [m["author_role"] for m in case_view["messages"]] == ["seller"]
    assert len(case_view["evidence"]) == 2 and case_view["outcome"] == "split"
    assert client.get(f"/v1/disputes/{case}", headers=headers(**CARRIER, key=False)).status_code == 403
    trail = client.get(f"/console/api/orders/{number}/escrow/audit").json()
    assert [e["action"] for e in trail][-1] == "resolve_dispute"
    assert {(e["actor_role"], e["channel"]) for e in trail} >= {("buyer", "whatsapp"), ("staff", "console"),
                                                                ("seller", "api"), ("system", "carrier")}


def test_the_scheduler_releases_overdue_holds_once(client, sessions):
    overdue = delivered_order(client, sessions, protection_days=2)
    waiting = delivered_order(client, sessions, protection_days=5)
    assert auto_release(client) == 0
    advance_clock(client, days=3)
    assert auto_release(client) == 1
    assert auto_release(client) == 0
    assert (escrow_of(client, overdue)["state"], escrow_of(client, waiting)["state"]) == ("released", "held")


def report_by_tracking_event(client, sessions, number, at):
    with session_scope(sessions) as session:
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        order.shipments.append(Shipment(carrier="Cainiao", tracking_number=f"LP{number[-7:]}"))
    event = {"code": "delivered", "place": "Almaty", "country": "KZ", "occurred_at": at.isoformat()}
    return client.post(f"/v1/shipments/LP{number[-7:]}/events", json=event, headers=headers(**CARRIER, key=False))


REPORTS = {"escrow_delivery": lambda client, sessions, number, at: report_delivery(client, number, at),
           "tracking_event": report_by_tracking_event}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_a_delivery_backdated_by_the_carrier_does_not_pay_the_seller_at_once(client, sessions, report):
    """A carrier (or whoever holds its key) reports a delivery 30 days ago: the buyer's 15 days would be over
    already and the next auto-release would pay the seller. The period starts at the report, less the skew."""
    number = funded_order(client, sessions)
    backdated = utc_now() - timedelta(days=30)
    reported = utc_now()
    reply = REPORTS[report](client, sessions, number, backdated)
    assert reply.status_code == 200, reply.text
    assert auto_release(client) == 0
    view = escrow_of(client, number)
    assert view["state"] == "held" and view["released_to_seller"]["amount_minor"] == 0
    protection = view["protection"]
    assert datetime.fromisoformat(protection["delivered_at"]) == backdated  # the carrier's date is kept
    assert reported - SKEW + timedelta(days=15) <= datetime.fromisoformat(protection["auto_release_at"]) \
        <= utc_now() - SKEW + timedelta(days=15)
    advance_clock(client, days=15)
    assert auto_release(client) == 1  # the buyer had their whole period


def test_a_delivery_dated_within_the_clock_skew_keeps_its_date(client, sessions):
    number = funded_order(client, sessions)
    delivered_at = utc_now() - timedelta(minutes=5)  # a scan reported a few minutes late
    assert report_delivery(client, number, delivered_at).status_code == 200
    protection = escrow_of(client, number)["protection"]
    assert datetime.fromisoformat(protection["delivered_at"]) == delivered_at
    assert datetime.fromisoformat(protection["auto_release_at"]) == delivered_at + timedelta(days=15)


def test_the_buyer_is_told_by_when_an_answer_is_due(sessions, database_url):
    with api_client(sessions, database_url, refund_answer_days=4, dispute_answer_days=1) as client:
        number = delivered_order(client, sessions)
        post = poster(client, number)
        request = post("/refund-request", {"reason": "damaged"}, BUYER).json()["refund_requests"][0]
        asked = datetime.fromisoformat(request["requested_at"])
        assert datetime.fromisoformat(request["answer_due_at"]) == asked + timedelta(days=4)
        rejected = post("/refund-request/reject", {"note": "no photos"}, SELLER).json()["refund_requests"][0]
        assert rejected["answer_due_at"] is None  # answered: nothing is due any more
        dispute = post("/dispute", {"reason": "damaged", "description": "cracked screen"}, BUYER).json()["dispute"]
        opened = datetime.fromisoformat(dispute["opened_at"])
        assert datetime.fromisoformat(dispute["answer_due_at"]) == opened + timedelta(days=1)
        sign_in_staff(client, sessions)
        resolved = client.post(f"/console/api/orders/{number}/dispute/resolve", headers={"Idempotency-Key": "r-1"},
                               json={"outcome": "buyer", "note": "refund"}).json()["dispute"]
        assert resolved["answer_due_at"] is None


def test_the_view_says_what_the_buyer_may_do_now(client, sessions):
    number = delivered_order(client, sessions)
    assert escrow_of(client, number)["buyer_actions"] == {"release": None, "request_refund": None,
                                                          "open_dispute": None}
    assert escrow_of(client, number)["order_status"] == "delivered"  # goods a refund may send back
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    assert escrow_of(client, number)["buyer_actions"] == {"release": "refund_pending",
                                                          "request_refund": "refund_pending", "open_dispute": None}
    undelivered = funded_order(client, sessions)
    assert escrow_of(client, undelivered)["buyer_actions"] == {"release": "not_delivered", "request_refund": None,
                                                               "open_dispute": None}
    assert escrow_of(client, undelivered)["order_status"] == "paid"  # none on their way
