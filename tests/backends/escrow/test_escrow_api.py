"""The escrow HTTP API: callers, keys, scoping and clear 4xx answers, on SQLite and PostgreSQL."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.backends.conftest import API_KEY, api_client
from tests.backends.escrow.orders_for_escrow import make_orders


@pytest.fixture
def client(sessions, database_url):
    make_orders(sessions, 1, buyer_id="buyer-other", seller_slug="seller-other")
    with api_client(sessions, database_url) as client:
        yield client


def headers(role=None, who=None, key=None, channel=None):
    result = {"X-Api-Key": API_KEY}
    if role:
        result[{"buyer": "X-Buyer-Id", "seller": "X-Seller-Id", "staff": "X-Staff-Id",
                "system": "X-Service-Id"}[role]] = who
    if key is not False:
        result["Idempotency-Key"] = key or uuid.uuid4().hex
    if channel:
        result["X-Channel"] = channel
    return result


BUYER = dict(role="buyer", who="buyer-t", channel="whatsapp")
SELLER = dict(role="seller", who="seller-t")
STAFF = dict(role="staff", who="agent-3", channel="console")
PAYMENTS = dict(role="system", who="payments", channel="payments")
CARRIER = dict(role="system", who="carrier", channel="carrier")


def delivered_order(client, sessions, days_ago=1, protection_days=None):
    number, = make_orders(sessions, 1)
    body = {"protection_days": protection_days} if protection_days else {}
    assert client.post(f"/v1/escrow/{number}/fund", json=body, headers=headers(**PAYMENTS)).status_code == 200
    at = (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat()
    reply = client.post(f"/v1/escrow/{number}/delivery", json={"delivered_at": at}, headers=headers(**CARRIER))
    assert reply.status_code == 200, reply.json()
    return number


def test_confirming_receipt_over_http_is_done_once(client, sessions):
    number = delivered_order(client, sessions)
    view = client.get(f"/v1/escrow/{number}", headers=headers(**BUYER, key=False)).json()
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
    assert client.get(f"/v1/escrow/{number}", headers=headers(**BUYER, key=False)).json()["state"] == "held"


def test_a_reused_key_is_refused(client, sessions):
    number = delivered_order(client, sessions)
    assert client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged", "amount_minor": 100},
                       headers=headers(**BUYER, key="r-1")).status_code == 200
    reply = client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged", "amount_minor": 200},
                        headers=headers(**BUYER, key="r-1"))
    assert (reply.status_code, reply.json()["error"]) == (422, "idempotency_key_reused")


@pytest.mark.parametrize("caller,action,status", [
    (dict(role="buyer", who="buyer-other"), "release", 404),   # someone else's order is not found
    (dict(role="seller", who="seller-other"), "refund-request/approve", 404),
    (dict(role="buyer", who="buyer-nobody"), "release", 401),  # unknown buyer
    (dict(), "release", 401),                                   # nobody named
])
def test_callers_see_only_their_own_orders(client, sessions, caller, action, status):
    number = delivered_order(client, sessions)
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    assert client.get(f"/v1/escrow/{number}", headers=headers(**caller, key=False)).status_code == status
    assert client.post(f"/v1/escrow/{number}/{action}", json={}, headers=headers(**caller)).status_code == status
    assert client.get(f"/v1/escrow/{number}", headers=headers(**BUYER, key=False)).json()["state"] == \
        "refund_requested"


def test_two_callers_at_once_and_unknown_channels_are_refused(client, sessions):
    number = delivered_order(client, sessions)
    both = {**headers(**BUYER), "X-Staff-Id": "agent-1"}
    assert client.get(f"/v1/escrow/{number}", headers=both).status_code == 401
    reply = client.get(f"/v1/escrow/{number}", headers=headers(**dict(BUYER, channel="fax"), key=False))
    assert (reply.status_code, reply.json()["error"]) == (400, "bad_request")
    assert client.get(f"/v1/escrow/{number}", headers={"X-Buyer-Id": "buyer-t"}).status_code == 401  # no API key


def test_roles_are_enforced(client, sessions):
    number = delivered_order(client, sessions)
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    reply = client.post(f"/v1/escrow/{number}/refund-request/approve", json={}, headers=headers(**BUYER))
    assert (reply.status_code, reply.json()["error"]) == (403, "forbidden")
    assert client.get(f"/v1/escrow/{number}/audit", headers=headers(**BUYER, key=False)).status_code == 403
    assert client.post("/v1/escrow-jobs/auto-release", headers=headers(**BUYER)).status_code == 403


@pytest.mark.parametrize("body", [
    {"reason": "damaged", "amount_minor": -1}, {"reason": "damaged", "amount_minor": 10_001},
    {"reason": "bored"}, {}, {"reason": "damaged", "amount_minor": "lots"},
])
def test_bad_refund_requests_get_a_clear_422_and_change_nothing(client, sessions, body):
    number = delivered_order(client, sessions)
    reply = client.post(f"/v1/escrow/{number}/refund-request", json=body, headers=headers(**BUYER))
    assert reply.status_code == 422 and reply.json()["message"]
    assert client.get(f"/v1/escrow/{number}", headers=headers(**BUYER, key=False)).json()["state"] == "held"


def test_a_refund_rejected_then_disputed_and_split_by_staff(client, sessions):
    number = delivered_order(client, sessions)
    post = lambda path, body, who: client.post(f"/v1/escrow/{number}{path}", json=body, headers=headers(**who))  # noqa: E731
    assert post("/refund-request", {"reason": "damaged", "return_goods": True}, BUYER).status_code == 200
    assert post("/refund-request/reject", {"note": ""}, SELLER).status_code == 422  # a rejection says why
    assert post("/refund-request/reject", {"note": "no photos"}, SELLER).json()["state"] == "held"
    view = post("/dispute", {"reason": "damaged", "description": "cracked screen",
                             "evidence": [{"reference": "https://img.example/a.jpg"}]}, BUYER).json()
    case = view["dispute"]["case_number"]
    assert post("/dispute/messages", {"body": "packed well"}, SELLER).status_code == 200
    assert post("/dispute/evidence", {"reference": "https://img.example/pack.jpg"}, SELLER).status_code == 200
    assert post("/release", {}, BUYER).json()["error"] == "under_dispute"
    view = post("/dispute/resolve", {"outcome": "split", "note": "both partly right", "buyer_amount_minor": 4_000},
                STAFF).json()
    assert (view["state"], view["refunded_to_buyer"]["amount_minor"], view["released_to_seller"]["amount_minor"]) \
        == ("resolved", 4_000, 6_000)
    case_view = client.get(f"/v1/disputes/{case}", headers=headers(**BUYER, key=False)).json()
    assert [m["author_role"] for m in case_view["messages"]] == ["seller"]
    assert len(case_view["evidence"]) == 2 and case_view["outcome"] == "split"
    trail = client.get(f"/v1/escrow/{number}/audit", headers=headers(**STAFF, key=False)).json()
    assert [e["action"] for e in trail][-1] == "resolve_dispute"
    assert {(e["actor_role"], e["channel"]) for e in trail} >= {("buyer", "whatsapp"), ("staff", "console"),
                                                                ("seller", "api"), ("system", "carrier")}


def test_the_scheduler_releases_overdue_holds_once(client, sessions):
    overdue = delivered_order(client, sessions, days_ago=3, protection_days=2)
    waiting = delivered_order(client, sessions, days_ago=1, protection_days=2)
    scheduler = headers(role="system", who="scheduler", channel="job")
    assert client.post("/v1/escrow-jobs/auto-release", headers=scheduler).json() == {"released": 1}
    assert client.post("/v1/escrow-jobs/auto-release", headers=scheduler).json() == {"released": 0}
    state = lambda n: client.get(f"/v1/escrow/{n}", headers=headers(**STAFF, key=False)).json()["state"]  # noqa: E731
    assert (state(overdue), state(waiting)) == ("released", "held")


def test_the_buyer_is_told_by_when_an_answer_is_due(client, sessions, monkeypatch):
    monkeypatch.setenv("SILKROAD_REFUND_ANSWER_DAYS", "4")
    monkeypatch.setenv("SILKROAD_DISPUTE_ANSWER_DAYS", "1")
    number = delivered_order(client, sessions)
    post = lambda path, body, who: client.post(f"/v1/escrow/{number}{path}", json=body, headers=headers(**who))  # noqa: E731
    request = post("/refund-request", {"reason": "damaged"}, BUYER).json()["refund_requests"][0]
    asked = datetime.fromisoformat(request["requested_at"])
    assert datetime.fromisoformat(request["answer_due_at"]) == asked + timedelta(days=4)
    rejected = post("/refund-request/reject", {"note": "no photos"}, SELLER).json()["refund_requests"][0]
    assert rejected["answer_due_at"] is None  # answered: nothing is due any more
    dispute = post("/dispute", {"reason": "damaged", "description": "cracked screen"}, BUYER).json()["dispute"]
    opened = datetime.fromisoformat(dispute["opened_at"])
    assert datetime.fromisoformat(dispute["answer_due_at"]) == opened + timedelta(days=1)
    resolved = post("/dispute/resolve", {"outcome": "buyer", "note": "refund"}, STAFF).json()["dispute"]
    assert resolved["answer_due_at"] is None


def test_the_view_says_what_the_buyer_may_do_now(client, sessions):
    number = delivered_order(client, sessions)
    view = lambda: client.get(f"/v1/escrow/{number}", headers=headers(**BUYER, key=False)).json()  # noqa: E731
    assert view()["buyer_actions"] == {"release": None, "request_refund": None, "open_dispute": None}
    client.post(f"/v1/escrow/{number}/refund-request", json={"reason": "damaged"}, headers=headers(**BUYER))
    assert view()["buyer_actions"] == {"release": "refund_pending", "request_refund": "refund_pending",
                                       "open_dispute": None}
    undelivered, = make_orders(sessions, 1)
    client.post(f"/v1/escrow/{undelivered}/fund", json={}, headers=headers(**PAYMENTS))
    actions = client.get(f"/v1/escrow/{undelivered}", headers=headers(**BUYER, key=False)).json()["buyer_actions"]
    assert actions == {"release": "not_delivered", "request_refund": None, "open_dispute": None}
