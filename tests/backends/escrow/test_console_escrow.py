"""Staff act on an escrow only through a console session: read it and its audit trail, read a dispute and
write in it, resolve it, decide a refund request; each write once per Idempotency-Key, recorded as the agent."""

import pytest

from tests.backends.conftest import api_client, sign_in_staff
from tests.backends.escrow.orders_for_escrow import make_orders
from tests.backends.escrow.test_escrow_api import BUYER, delivered_order, escrow_of, poster

WRITES = ["/console/api/disputes/DS-1/messages", "/console/api/orders/SR-1/dispute/resolve",
          "/console/api/orders/SR-1/refund-request/approve", "/console/api/orders/SR-1/refund-request/reject"]
READS = ["/console/api/orders/SR-1/escrow", "/console/api/orders/SR-1/escrow/audit", "/console/api/disputes/DS-1"]


@pytest.fixture
def client(sessions, database_url):
    with api_client(sessions, database_url) as client:
        yield client


def staff_post(client, path, body, key="k-1"):
    return client.post(path, json=body, headers={"Idempotency-Key": key} if key else {})


def disputed_order(client, sessions):
    number = delivered_order(client, sessions)
    view = poster(client, number)("/dispute", {"reason": "damaged", "description": "cracked screen"}, BUYER).json()
    return number, view["dispute"]["case_number"]


def test_without_a_console_session_staff_can_do_nothing(client, sessions):
    make_orders(sessions, 1)
    for path in READS:
        assert client.get(path).status_code == 401, path
    for path in WRITES:
        assert staff_post(client, path, {"body": "x", "outcome": "buyer", "note": "x"}).status_code == 401, path


def test_staff_read_and_write_in_a_dispute_and_resolve_it_as_themselves(client, sessions):
    number, case = disputed_order(client, sessions)
    sign_in_staff(client, sessions, "amina")
    assert client.get(f"/console/api/disputes/{case}").json()["description"] == "cracked screen"
    messages = f"/console/api/disputes/{case}/messages"
    assert staff_post(client, messages, {"body": "Please send a photo."}, key=None).status_code == 400
    first = staff_post(client, messages, {"body": "Please send a photo."}, key="m-1")
    again = staff_post(client, messages, {"body": "Please send a photo."}, key="m-1")  # a retried click
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    written = client.get(f"/console/api/disputes/{case}").json()["messages"]
    assert [(m["author_role"], m["author_id"], m["channel"]) for m in written] == [("staff", "amina", "console")]
    resolution = {"outcome": "buyer", "note": "refund in full"}
    resolved = staff_post(client, f"/console/api/orders/{number}/dispute/resolve", resolution)
    assert resolved.json()["state"] == "resolved" and resolved.json()["refunded_to_buyer"]["amount_minor"] == 10_000
    assert client.get(f"/console/api/orders/{number}/escrow").json()["state"] == "resolved"
    trail = client.get(f"/console/api/orders/{number}/escrow/audit").json()
    assert [(e["action"], e["actor_id"], e["channel"]) for e in trail if e["actor_role"] == "staff"] == [
        ("add_dispute_message", "amina", "console"), ("resolve_dispute", "amina", "console")]


@pytest.mark.parametrize("decision,body,state,refunded", [("approve", {}, "refunded", 10_000),
                                                           ("reject", {"note": "no photos"}, "held", 0)])
def test_staff_decide_a_pending_refund_request(client, sessions, decision, body, state, refunded):
    number = delivered_order(client, sessions)
    poster(client, number)("/refund-request", {"reason": "damaged"}, BUYER)
    sign_in_staff(client, sessions)
    answer = staff_post(client, f"/console/api/orders/{number}/refund-request/{decision}", body)
    assert answer.status_code == 200, answer.text
    view = escrow_of(client, number)
    assert (view["state"], view["refunded_to_buyer"]["amount_minor"]) == (state, refunded)
    assert view["refund_requests"][0]["decided_by"] == "staff:agent-3"


def test_unknown_orders_and_cases_are_not_found(client, sessions):
    sign_in_staff(client, sessions)
    for path in READS:
        assert client.get(path).status_code == 404, path
    assert staff_post(client, WRITES[0], {"body": "x"}).status_code == 404
