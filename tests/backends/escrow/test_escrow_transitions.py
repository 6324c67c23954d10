"""Every action from every state: allowed ones move the escrow, the rest are refused with a reason."""

import pytest
from sqlalchemy import func, select

from backends.db import session_scope
from backends.escrow.errors import NotAllowed, TransitionRefused
from backends.escrow.state_machine import TRANSITIONS
from backends.models import LedgerEntry
from backends.models.escrow import ESCROW_STATES
from tests.backends.escrow.conftest import BUYER, SELLER, STAFF
from tests.backends.escrow.escrow_states import in_state, key

CALLS = {
    "release": lambda s, n: s.release(n, BUYER, key()),
    "extend_protection": lambda s, n: s.extend_protection(n, BUYER, key(), 5),
    "request_refund": lambda s, n: s.request_refund(n, BUYER, key(), "damaged", 1_000),
    "approve_refund": lambda s, n: s.approve_refund(n, SELLER, key(), "sorry"),
    "reject_refund": lambda s, n: s.reject_refund(n, SELLER, key(), "no damage on the photos"),
    "withdraw_refund": lambda s, n: s.withdraw_refund(n, BUYER, key()),
    "open_dispute": lambda s, n: s.open_dispute(n, BUYER, key(), "damaged", "the box was crushed"),
    "add_dispute_message": lambda s, n: s.add_dispute_message(n, BUYER, key(), "any news?"),
    "add_dispute_evidence": lambda s, n: s.add_dispute_evidence(n, BUYER, key(), "https://img.example/1.jpg"),
    "resolve_dispute": lambda s, n: s.resolve_dispute(n, STAFF, key(), "buyer", "seller did not answer"),
}
EXPECTED_REFUSALS = {
    "released": "already_released", "refunded": "already_refunded", "resolved": "dispute_resolved",
    "disputed": "under_dispute", "refund_requested": "refund_pending",
}


def entries(sessions):
    with session_scope(sessions) as session:
        return session.execute(select(func.count(LedgerEntry.id))).scalar_one()


@pytest.mark.parametrize("state", ESCROW_STATES)
@pytest.mark.parametrize("action", sorted(CALLS))
def test_action_from_state(service, sessions, state, action):
    number = in_state(service, sessions, state)
    transition = TRANSITIONS[action]
    before_entries = entries(sessions)
    if state in transition.sources:
        view = CALLS[action](service, number)
        assert view["state"] == (transition.target or state)
        assert view["held"]["amount_minor"] + view["released_to_seller"]["amount_minor"] \
            + view["refunded_to_buyer"]["amount_minor"] == view["amount"]["amount_minor"]
        return
    with pytest.raises(TransitionRefused) as refused:
        CALLS[action](service, number)
    expected = EXPECTED_REFUSALS.get(state)
    if action in ("add_dispute_message", "add_dispute_evidence", "resolve_dispute") \
            and state in ("held", "refund_requested"):
        expected = "no_dispute"
    elif "_refund" in action and state == "held":
        expected = "no_refund_request"
    assert refused.value.code == expected
    assert refused.value.message
    assert service.view(number, STAFF)["state"] == state
    assert entries(sessions) == before_entries
    last = service.audit_trail(number, STAFF)[-1]
    assert (last["action"], last["outcome"], last["detail"]["refused"]) == (action, "refused", expected)


@pytest.mark.parametrize("action,actor", [
    ("release", SELLER), ("release", STAFF), ("approve_refund", BUYER), ("reject_refund", BUYER),
    ("resolve_dispute", BUYER), ("resolve_dispute", SELLER), ("withdraw_refund", SELLER),
])
def test_roles_that_may_not_act(service, sessions, action, actor):
    number = in_state(service, sessions, "held")
    method = getattr(service, action)
    args = {"reject_refund": ("why",), "resolve_dispute": ("buyer", "note")}.get(action, ())
    with pytest.raises(NotAllowed):
        method(number, actor, key(), *args)
