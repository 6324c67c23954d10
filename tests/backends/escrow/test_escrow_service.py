"""The escrow's rules: funding, the protection clock, refunds, disputes, keys, scoping, audit."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backends.db import session_scope
from backends.escrow import ledger
from backends.escrow.errors import (
    EscrowNotFound, IdempotencyKeyReused, InvalidRequest, NotAllowed, TransitionRefused,
)
from backends.escrow.service import release_overdue
from backends.models import LedgerEntry, Order
from tests.backends.escrow.conftest import BUYER, CARRIER, OTHER_BUYER, PAYMENTS, POLICY, SELLER, STAFF
from tests.backends.escrow.escrow_states import delivered, funded, in_state, key
from tests.backends.escrow.orders_for_escrow import make_orders

SKEW = timedelta(seconds=POLICY.delivery_clock_skew_seconds)


def order_status(sessions, number):
    with session_scope(sessions) as session:
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        return order.status, [h.status for h in order.history]


def balances_of(sessions, number):
    with session_scope(sessions) as session:
        return {kind: amount for (kind, _owner, _c), amount in ledger.balances(session).items()
                if _owner in (number, "buyer-t", "seller-t")}


def money(view, field):
    return view[field]["amount_minor"]


# ------------------------------------------------------------------ funding

def test_funding_holds_the_order_total_and_marks_it_paid(service, sessions):
    number, = make_orders(sessions, 1, total_minor=12_345, currency="CNY")
    view = service.fund(number, PAYMENTS, key())
    assert (view["state"], money(view, "held"), view["amount"]["currency"]) == ("held", 12_345, "CNY")
    assert view["protection"]["auto_release_at"] is None  # the clock starts at delivery
    assert order_status(sessions, number) == ("paid", ["placed", "paid"])
    assert balances_of(sessions, number) == {"buyer_funds": -12_345, "escrow": 12_345}


def test_an_order_is_funded_once(service, sessions):
    number = funded(service, sessions)
    with pytest.raises(TransitionRefused) as refused:
        service.fund(number, PAYMENTS, key())
    assert refused.value.code == "already_funded"
    assert balances_of(sessions, number)["escrow"] == 10_000


def test_a_cancelled_order_is_not_funded(service, sessions):
    number, = make_orders(sessions, 1, status="cancelled")
    with pytest.raises(TransitionRefused) as refused:
        service.fund(number, PAYMENTS, key())
    assert refused.value.code == "order_cancelled"


def test_a_buyer_cannot_fund_and_the_period_is_bounded(service, sessions):
    number, = make_orders(sessions, 1)
    with pytest.raises(NotAllowed):
        service.fund(number, BUYER, key())
    with pytest.raises(InvalidRequest):
        service.fund(number, PAYMENTS, key(), protection_days=0)
    view = service.fund(number, PAYMENTS, key(), protection_days=30)
    assert view["protection"]["days"] == 30


# --------------------------------------------------------- protection clock

def test_delivery_starts_the_clock_for_the_orders_own_period(service, sessions, clock):
    number, = make_orders(sessions, 1)
    service.fund(number, PAYMENTS, key(), protection_days=20)
    delivered_at = clock.now - timedelta(minutes=5)  # reported a little late: within the clock skew
    view = service.start_protection(number, CARRIER, key(), delivered_at)
    assert view["protection"]["auto_release_at"] == (delivered_at + timedelta(days=20)).isoformat()
    assert order_status(sessions, number)[0] == "delivered"
    with pytest.raises(TransitionRefused) as refused:
        service.start_protection(number, CARRIER, key(), clock.now)
    assert refused.value.code == "already_delivered"
    with pytest.raises(InvalidRequest):
        service.start_protection(funded(service, sessions), CARRIER, key(), clock.now + SKEW + timedelta(minutes=1))


def test_a_delivery_dated_further_back_than_the_skew_counts_from_the_report(service, sessions, clock):
    number = funded(service, sessions)
    delivered_at = clock.now - timedelta(days=30)
    view = service.start_protection(number, CARRIER, key(), delivered_at)
    assert view["protection"]["delivered_at"] == delivered_at.isoformat()  # the carrier's date is kept
    assert view["protection"]["auto_release_at"] == (clock.now - SKEW + timedelta(days=15)).isoformat()
    assert release_overdue(service) == 0


def test_receipt_cannot_be_confirmed_before_delivery(service, sessions):
    number = funded(service, sessions)
    with pytest.raises(TransitionRefused) as refused:
        service.release(number, BUYER, key())
    assert refused.value.code == "not_delivered"
    assert balances_of(sessions, number)["escrow"] == 10_000


def test_a_shipped_parcel_the_buyer_has_can_be_confirmed_and_counts_as_delivered(service, sessions):
    """The tracking lags ("still says shipped, I got it today"): the buyer's confirmation delivers and pays."""
    number = funded(service, sessions)
    with session_scope(sessions) as session:
        order = session.execute(select(Order).where(Order.number == number)).scalar_one()
        order.status = "shipped"
    assert service.view(number, BUYER)["buyer_actions"]["release"] is None
    view = service.release(number, BUYER, key())
    assert (view["state"], money(view, "released_to_seller")) == ("released", 10_000)
    assert view["protection"]["delivered_at"] is not None
    status, history = order_status(sessions, number)
    assert status == "completed" and history[-2:] == ["delivered", "completed"]


def test_confirmation_pays_the_seller_and_completes_the_order(service, sessions):
    number = delivered(service, sessions)
    view = service.release(number, BUYER, key())
    assert (view["state"], money(view, "held"), money(view, "released_to_seller")) == ("released", 0, 10_000)
    assert view["protection"]["auto_release_at"] is None
    assert order_status(sessions, number)[0] == "completed"
    assert balances_of(sessions, number) == {"buyer_funds": -10_000, "escrow": 0, "seller_payable": 10_000}


def test_overdue_holds_are_released_once_and_others_wait(service, sessions, clock):
    due = delivered(service, sessions)
    clock.advance(days=5)
    later = delivered(service, sessions)
    assert release_overdue(service) == 0
    clock.advance(days=10)  # the first is exactly at its deadline, the second has 5 days left
    assert release_overdue(service) == 1
    assert release_overdue(service) == 0
    assert service.view(due, STAFF)["state"] == "released"
    assert service.view(later, STAFF)["state"] == "held"
    trail = service.audit_trail(due, STAFF)[-1]
    assert (trail["action"], trail["actor_role"], trail["channel"]) == ("auto_release", "system", "job")


def test_the_buyer_may_extend_once_and_the_job_honours_it(service, sessions, clock):
    number = delivered(service, sessions)
    view = service.extend_protection(number, BUYER, key(), 7)
    assert view["protection"]["extended_days"] == 7 and not view["protection"]["can_extend"]
    with pytest.raises(TransitionRefused) as refused:
        service.extend_protection(number, BUYER, key(), 3)
    assert refused.value.code == "already_extended"
    clock.advance(days=15)
    assert release_overdue(service) == 0
    clock.advance(days=7)
    assert release_overdue(service) == 1


@pytest.mark.parametrize("days", [0, POLICY.extension_days + 1])
def test_an_extension_has_bounds(service, sessions, days):
    with pytest.raises(InvalidRequest):
        service.extend_protection(delivered(service, sessions), BUYER, key(), days)


def test_no_extension_before_delivery_or_after_the_period(service, sessions, clock):
    with pytest.raises(TransitionRefused) as refused:
        service.extend_protection(funded(service, sessions), BUYER, key())
    assert refused.value.code == "protection_not_started"
    number = delivered(service, sessions)
    clock.advance(days=15, seconds=1)
    with pytest.raises(TransitionRefused) as refused:
        service.extend_protection(number, BUYER, key())
    assert refused.value.code == "protection_over"


# -------------------------------------------------------------------- refunds

def test_a_refund_request_freezes_the_clock(service, sessions, clock):
    number = delivered(service, sessions)
    clock.advance(days=4)
    view = service.request_refund(number, BUYER, key(), "damaged", description="cracked", return_goods=True)
    assert view["state"] == "refund_requested"
    assert view["refund_requests"][0]["amount"]["amount_minor"] == 10_000  # no amount: all of it
    assert view["refund_requests"][0]["return_goods"] is True
    assert view["protection"]["auto_release_at"] is None
    assert view["protection"]["frozen_remaining_seconds"] == 11 * 86400
    clock.advance(days=30)
    assert release_overdue(service) == 0
    assert order_status(sessions, number)[0] == "refund_requested"


def test_a_full_refund_returns_everything(service, sessions):
    number = delivered(service, sessions)
    service.request_refund(number, BUYER, key(), "not_received")
    view = service.approve_refund(number, SELLER, key())
    assert (view["state"], money(view, "refunded_to_buyer"), money(view, "released_to_seller")) == \
        ("refunded", 10_000, 0)
    assert order_status(sessions, number)[0] == "refunded"
    assert balances_of(sessions, number) == {"buyer_funds": -10_000, "escrow": 0, "buyer_refunds": 10_000}


def test_a_partial_refund_pays_the_rest_to_the_seller(service, sessions):
    number = delivered(service, sessions)
    service.request_refund(number, BUYER, key(), "missing_parts", 2_500)
    view = service.approve_refund(number, STAFF, key(), "one cable missing")
    assert (money(view, "refunded_to_buyer"), money(view, "released_to_seller"), money(view, "held")) == \
        (2_500, 7_500, 0)
    assert view["refund_requests"][0]["decided_by"] == "staff:agent-7"


def test_a_refund_may_not_exceed_what_is_held(service, sessions):
    number = delivered(service, sessions)
    with pytest.raises(InvalidRequest):
        service.request_refund(number, BUYER, key(), "damaged", 10_001)
    for bad in (0, -5, 2.5, True):
        with pytest.raises(InvalidRequest):
            service.request_refund(number, BUYER, key(), "damaged", bad)
    with pytest.raises(InvalidRequest):
        service.request_refund(number, BUYER, key(), "because")
    assert service.view(number, BUYER)["state"] == "held"


def test_a_rejected_refund_runs_the_clock_again_with_what_was_left(service, sessions, clock):
    number = delivered(service, sessions)
    clock.advance(days=5)
    service.request_refund(number, BUYER, key(), "damaged")
    clock.advance(days=2)
    with pytest.raises(InvalidRequest):
        service.reject_refund(number, SELLER, key(), "  ")  # a rejection says why
    view = service.reject_refund(number, SELLER, key(), "the photos show no damage")
    assert view["state"] == "held"
    assert view["protection"]["auto_release_at"] == (clock.now + timedelta(days=10)).isoformat()
    assert order_status(sessions, number)[0] == "delivered"


def test_a_withdrawn_refund_late_in_the_period_gets_the_grace_days(service, sessions, clock):
    number = delivered(service, sessions)
    clock.advance(days=14, hours=23)
    service.request_refund(number, BUYER, key(), "changed_mind")
    view = service.withdraw_refund(number, BUYER, key())
    assert view["refund_requests"][0]["state"] == "withdrawn"
    assert view["protection"]["auto_release_at"] == (clock.now + timedelta(days=POLICY.resume_grace_days)).isoformat()


def test_a_refund_before_shipping_leaves_the_order_paid(service, sessions):
    number = funded(service, sessions)
    service.request_refund(number, BUYER, key(), "changed_mind")
    view = service.withdraw_refund(number, BUYER, key())
    assert view["protection"]["auto_release_at"] is None
    assert order_status(sessions, number)[0] == "paid"


def test_delivery_during_a_refund_request_waits_for_it(service, sessions, clock):
    number = funded(service, sessions)
    service.request_refund(number, BUYER, key(), "not_received")
    view = service.start_protection(number, CARRIER, key(), clock.now)
    assert view["protection"]["auto_release_at"] is None
    assert view["protection"]["frozen_remaining_seconds"] == 15 * 86400
    assert order_status(sessions, number)[0] == "refund_requested"
    view = service.reject_refund(number, SELLER, key(), "tracking shows it delivered")
    assert view["protection"]["auto_release_at"] == (clock.now + timedelta(days=15)).isoformat()
    assert order_status(sessions, number)[0] == "delivered"


# ------------------------------------------------------------------- disputes

def test_a_dispute_has_a_case_evidence_and_messages_from_both_sides(service, sessions, clock):
    number = delivered(service, sessions)
    view = service.open_dispute(number, BUYER, key(), "counterfeit", "the logo is misspelt",
                                [{"reference": "https://img.example/logo.jpg", "description": "logo"}])
    case = view["dispute"]["case_number"]
    assert case.startswith("DS-") and view["state"] == "disputed"
    service.add_dispute_message(number, SELLER, key(), "it is an original product")
    service.add_dispute_evidence(number, SELLER, key(), "https://img.example/invoice.pdf", "brand invoice")
    service.add_dispute_message(number, STAFF, key(), "we are looking into it")
    detail = service.dispute(case, BUYER)
    assert [m["author_role"] for m in detail["messages"]] == ["seller", "staff"]
    assert [e["added_by"] for e in detail["evidence"]] == ["buyer:buyer-t", "seller:seller-t"]
    assert detail["description"] == "the logo is misspelt"
    with pytest.raises(EscrowNotFound):
        service.dispute(case, OTHER_BUYER)


def test_a_dispute_stops_the_automatic_release(service, sessions, clock):
    number = delivered(service, sessions)
    service.open_dispute(number, BUYER, key(), "damaged", "the box was crushed")
    clock.advance(days=60)
    assert release_overdue(service) == 0
    assert service.view(number, BUYER)["state"] == "disputed"
    assert order_status(sessions, number)[0] == "disputed"


def test_escalating_a_pending_refund_closes_the_request(service, sessions):
    number = delivered(service, sessions)
    service.request_refund(number, BUYER, key(), "damaged")
    view = service.open_dispute(number, BUYER, key(), "refund_refused", "the seller does not answer")
    assert view["refund_requests"][0]["state"] == "withdrawn"
    assert view["refund_requests"][0]["decision_note"].startswith("escalated to dispute DS-")


@pytest.mark.parametrize("outcome,buyer_amount,to_buyer,to_seller", [
    ("buyer", None, 10_000, 0), ("seller", None, 0, 10_000), ("split", 3_000, 3_000, 7_000),
])
def test_staff_resolve_a_dispute(service, sessions, outcome, buyer_amount, to_buyer, to_seller):
    number = in_state(service, sessions, "disputed")
    view = service.resolve_dispute(number, STAFF, key(), outcome, "decided on the evidence", buyer_amount)
    assert (view["state"], money(view, "refunded_to_buyer"), money(view, "released_to_seller")) == \
        ("resolved", to_buyer, to_seller)
    assert view["dispute"]["outcome"] == outcome
    assert order_status(sessions, number)[0] == "dispute_resolved"


@pytest.mark.parametrize("outcome,buyer_amount", [
    ("split", None), ("split", 10_000), ("buyer", 500), ("split", 0), ("nobody", None)])
def test_a_resolution_must_add_up(service, sessions, outcome, buyer_amount):
    number = in_state(service, sessions, "disputed")
    with pytest.raises(InvalidRequest):
        service.resolve_dispute(number, STAFF, key(), outcome, "note", buyer_amount)
    assert service.view(number, STAFF)["state"] == "disputed"


def test_a_dispute_needs_a_reason_and_a_description(service, sessions):
    number = delivered(service, sessions)
    with pytest.raises(InvalidRequest):
        service.open_dispute(number, BUYER, key(), "angry", "x")
    with pytest.raises(InvalidRequest):
        service.open_dispute(number, BUYER, key(), "damaged", "   ")
    with pytest.raises(InvalidRequest):
        service.open_dispute(number, BUYER, key(), "damaged", "broken", [{"description": "no reference"}])


# ---------------------------------------------------------------- idempotency

def test_a_repeated_request_returns_the_first_result_and_moves_nothing(service, sessions):
    number = delivered(service, sessions)
    first = service.release(number, BUYER, "release-1")
    again = service.release(number, BUYER, "release-1")
    assert again == first
    with session_scope(sessions) as session:
        releases = session.execute(select(func.count(LedgerEntry.id)).where(LedgerEntry.kind == "release"))
        assert releases.scalar_one() == 1


def test_a_repeated_refused_request_is_refused_the_same_way(service, sessions):
    number = funded(service, sessions)
    for _ in range(2):
        with pytest.raises(TransitionRefused) as refused:
            service.release(number, BUYER, "too-early")
        assert refused.value.code == "not_delivered"
    trail = [e for e in service.audit_trail(number, STAFF) if e["action"] == "release"]
    assert len(trail) == 1  # the replay did nothing


def test_a_key_reused_for_another_request_is_refused(service, sessions):
    number = delivered(service, sessions)
    service.request_refund(number, BUYER, "k-1", "damaged", 1_000)
    with pytest.raises(IdempotencyKeyReused):
        service.request_refund(number, BUYER, "k-1", "damaged", 2_000)
    other = delivered(service, sessions)
    with pytest.raises(IdempotencyKeyReused):
        service.release(other, BUYER, "k-1")


def test_keys_belong_to_their_caller(service, sessions):
    mine = delivered(service, sessions)
    theirs = delivered(service, sessions, buyer_id="buyer-other")
    service.release(mine, BUYER, "same-key")
    view = service.release(theirs, OTHER_BUYER, "same-key")
    assert view["order_number"] == theirs and view["state"] == "released"


@pytest.mark.parametrize("bad", ["", None, "x" * 201, "has space", "ключ"])
def test_mutations_need_a_valid_key(service, sessions, bad):
    number = delivered(service, sessions)
    with pytest.raises(InvalidRequest):
        service.release(number, BUYER, bad)


# ------------------------------------------------------------ scoping, audit

def test_nobody_acts_on_another_buyers_order(service, sessions):
    number = delivered(service, sessions)
    for call in (lambda: service.release(number, OTHER_BUYER, key()),
                 lambda: service.request_refund(number, OTHER_BUYER, key(), "damaged"),
                 lambda: service.open_dispute(number, OTHER_BUYER, key(), "damaged", "broken"),
                 lambda: service.view(number, OTHER_BUYER)):
        with pytest.raises(EscrowNotFound):
            call()
    from backends.escrow.actors import Actor
    with pytest.raises(EscrowNotFound):
        service.approve_refund(in_state(service, sessions, "refund_requested"), Actor("seller", "someone-else"),
                               key())
    assert service.view(number, BUYER)["state"] == "held"


def test_the_audit_trail_says_who_did_what_when_and_where(service, sessions, clock):
    number = delivered(service, sessions)
    clock.advance(hours=2)
    service.request_refund(number, BUYER, "rq-1", "damaged", 1_000)
    with pytest.raises(TransitionRefused):
        service.release(number, BUYER, "rl-1")
    trail = service.audit_trail(number, STAFF)
    assert [(e["action"], e["outcome"]) for e in trail] == [
        ("fund", "ok"), ("start_protection", "ok"), ("request_refund", "ok"), ("release", "refused")]
    refund = trail[2]
    assert (refund["actor_role"], refund["actor_id"], refund["channel"], refund["idempotency_key"]) == \
        ("buyer", "buyer-t", "telegram", "rq-1")
    assert (refund["from_state"], refund["to_state"], refund["at"]) == \
        ("held", "refund_requested", clock.now.isoformat())
    with pytest.raises(NotAllowed):
        service.audit_trail(number, BUYER)


def test_unknown_orders_are_not_found(service):
    with pytest.raises(EscrowNotFound):
        service.release("SR-000000", BUYER, key())
    with pytest.raises(EscrowNotFound):
        service.view("SR-000000", STAFF)


def test_nothing_happens_to_an_unpaid_order(service, sessions):
    number, = make_orders(sessions, 1)
    with pytest.raises(TransitionRefused) as refused:
        service.request_refund(number, BUYER, key(), "changed_mind")
    assert refused.value.code == "not_funded"
    with pytest.raises(EscrowNotFound):
        service.view(number, BUYER)


def test_the_job_command_releases_overdue_holds(service, sessions, database_url, capsys):
    from backends.escrow.auto_release import main

    number = delivered(service, sessions)  # delivered on the test clock's day, weeks before today
    assert main([database_url]) == 0
    assert service.view(number, STAFF)["state"] == "released"
    assert main([database_url]) == 0
    trail = [e for e in service.audit_trail(number, STAFF) if e["action"] == "auto_release"]
    assert len(trail) == 1
