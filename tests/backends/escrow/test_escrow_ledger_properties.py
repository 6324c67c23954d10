"""Random sequences of escrow operations keep the ledger's invariants after every step.

A reference model predicts which actions the state machine allows; after each
step the ledger must balance, the money of every order must be exactly where
its state says, nothing may be paid twice, and replaying a request with its
key must change nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Dict, List, Optional

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from backends.db import session_scope
from backends.escrow import ledger
from backends.escrow.actors import Actor
from backends.escrow.errors import TransitionRefused
from backends.escrow.service import EscrowService, release_overdue
from backends.escrow.state_machine import TERMINAL_STATES
from backends.models import LedgerEntry, LedgerPosting
from tests.backends.escrow.conftest import CARRIER, PAYMENTS, POLICY, STAFF
from tests.backends.escrow.orders_for_escrow import FakeClock, make_orders

# Thousands of operations per database: examples x steps.
RUNS = {"sqlite": (150, 50), "postgresql": (100, 50)}


@dataclass
class Expected:
    amount: int
    state: Optional[str] = None  # None: not funded yet
    delivered: bool = False
    extended: bool = False


class EscrowLedgerMachine(RuleBasedStateMachine):
    sessions = None
    steps = 0

    def __init__(self):
        super().__init__()
        self.clock = FakeClock()
        self.service = EscrowService(self.sessions, POLICY, self.clock)
        tag = uuid.uuid4().hex[:10]
        self.buyer = Actor("buyer", f"buyer-{tag}", "web")
        self.seller = Actor("seller", f"seller-{tag}", "api")
        self.numbers: List[str] = []
        self.expected: Dict[str, Expected] = {}
        self.last_success = None

    @initialize(totals=st.lists(st.integers(1, 10**12), min_size=1, max_size=4),
                currency=st.sampled_from(["CNY", "TRY", "VND"]))
    def open_orders(self, totals, currency):
        self.currency = currency
        for total in totals:
            number, = make_orders(self.sessions, 1, buyer_id=self.buyer.id, seller_slug=self.seller.id,
                                  total_minor=total, currency=currency, at=self.clock.now)
            self.numbers.append(number)
            self.expected[number] = Expected(total)

    # ------------------------------------------------------------ operations

    def _act(self, allowed: bool, call, on_success, tolerated=()):
        """Runs ``call``; it must succeed exactly when the model allows it."""
        type(self).steps += 1
        key = uuid.uuid4().hex
        try:
            result = call(key)
        except TransitionRefused as refusal:
            assert not allowed or refusal.code in tolerated, f"refused unexpectedly: {refusal.code}"
            return
        assert allowed, f"accepted unexpectedly: {result['state']}"
        on_success()
        self.last_success = (call, key, result)

    def _order(self, index):
        number = self.numbers[index % len(self.numbers)]
        return number, self.expected[number]

    @rule(index=st.integers(0, 3))
    def fund(self, index):
        number, e = self._order(index)
        self._act(e.state is None, lambda k: self.service.fund(number, PAYMENTS, k),
                  lambda: setattr(e, "state", "held"))

    @rule(index=st.integers(0, 3), hours_ago=st.integers(0, 48))
    def deliver(self, index, hours_ago):
        number, e = self._order(index)
        allowed = e.state in ("held", "refund_requested", "disputed") and not e.delivered
        at = self.clock.now - timedelta(hours=hours_ago)
        self._act(allowed, lambda k: self.service.start_protection(number, CARRIER, k, at),
                  lambda: setattr(e, "delivered", True))

    @rule(index=st.integers(0, 3))
    def confirm_receipt(self, index):
        number, e = self._order(index)
        self._act(e.state == "held" and e.delivered, lambda k: self.service.release(number, self.buyer, k),
                  lambda: setattr(e, "state", "released"))

    @rule(index=st.integers(0, 3), days=st.integers(1, POLICY.extension_days))
    def extend(self, index, days):
        number, e = self._order(index)
        self._act(e.state == "held" and e.delivered and not e.extended,
                  lambda k: self.service.extend_protection(number, self.buyer, k, days),
                  lambda: setattr(e, "extended", True), tolerated=("protection_over",))

    @rule(index=st.integers(0, 3), share=st.floats(0.0001, 1.0))
    def request_refund(self, index, share):
        number, e = self._order(index)
        amount = max(1, int(e.amount * share))
        self._act(e.state == "held",
                  lambda k: self.service.request_refund(number, self.buyer, k, "damaged", amount),
                  lambda: setattr(e, "state", "refund_requested"))

    @rule(index=st.integers(0, 3), decision=st.sampled_from(["approve", "reject", "withdraw"]))
    def decide_refund(self, index, decision):
        number, e = self._order(index)
        calls = {"approve": lambda k: self.service.approve_refund(number, self.seller, k),
                 "reject": lambda k: self.service.reject_refund(number, self.seller, k, "no"),
                 "withdraw": lambda k: self.service.withdraw_refund(number, self.buyer, k)}
        self._act(e.state == "refund_requested", calls[decision],
                  lambda: setattr(e, "state", "refunded" if decision == "approve" else "held"))

    @rule(index=st.integers(0, 3))
    def open_dispute(self, index):
        number, e = self._order(index)
        self._act(e.state in ("held", "refund_requested"),
                  lambda k: self.service.open_dispute(number, self.buyer, k, "damaged", "broken on arrival"),
                  lambda: setattr(e, "state", "disputed"))

    @rule(index=st.integers(0, 3))
    def message(self, index):
        number, e = self._order(index)
        self._act(e.state == "disputed",
                  lambda k: self.service.add_dispute_message(number, self.seller, k, "we disagree"), lambda: None)

    @rule(index=st.integers(0, 3), outcome=st.sampled_from(["buyer", "seller", "split"]),
          share=st.floats(0.0, 1.0))
    def resolve(self, index, outcome, share):
        number, e = self._order(index)
        split = min(max(1, int(e.amount * share)), e.amount - 1)
        if outcome == "split" and e.amount < 2:
            outcome = "buyer"
        self._act(e.state == "disputed",
                  lambda k: self.service.resolve_dispute(number, STAFF, k, outcome, "decided",
                                                         split if outcome == "split" else None),
                  lambda: setattr(e, "state", "resolved"))

    @rule(hours=st.integers(1, 24 * 20))
    def time_passes(self, hours):
        self.clock.advance(hours=hours)

    @rule()
    def auto_release(self):
        type(self).steps += 1
        due = [n for n in self.numbers if self.expected[n].state == "held" and self._deadline_passed(n)]
        released = release_overdue(self.service)
        mine = [n for n in due if self.service.view(n, STAFF)["state"] == "released"]
        assert sorted(mine) == sorted(due)
        assert released >= len(due)
        for number in due:
            self.expected[number].state = "released"

    @rule()
    def replay_the_last_success(self):
        if self.last_success is None:
            return
        type(self).steps += 1
        call, key, first = self.last_success
        before = self._posting_count()
        assert call(key) == first
        assert self._posting_count() == before

    # ------------------------------------------------------------ invariants

    def _deadline_passed(self, number) -> bool:
        deadline = self.service.view(number, STAFF)["protection"]["auto_release_at"]
        return deadline is not None and deadline <= self.clock.now.isoformat()

    def _posting_count(self) -> int:
        with session_scope(self.sessions) as session:
            return session.execute(select(func.count(LedgerPosting.id))).scalar_one()

    @invariant()
    def the_ledger_balances_and_money_is_where_the_state_says(self):
        with session_scope(self.sessions) as session:
            assert ledger.unbalanced_entries(session) == []
            assert all(total == 0 for total in
                       session.execute(select(func.sum(LedgerPosting.amount_minor))
                                       .group_by(LedgerPosting.currency)).scalars())
            accounts = ledger.balances(session, self.currency)
            kinds = session.execute(
                select(LedgerEntry.kind, func.count()).group_by(LedgerEntry.escrow_id, LedgerEntry.kind)
                .having(func.count() > 1)).all()
            assert kinds == []
        funded = released = refunded = 0
        for number in self.numbers:
            e = self.expected[number]
            if e.state is None:
                assert accounts.get(("escrow", number, self.currency), 0) == 0
                continue
            view = self.service.view(number, STAFF)
            held, to_seller, to_buyer = (view[f]["amount_minor"]
                                         for f in ("held", "released_to_seller", "refunded_to_buyer"))
            assert view["state"] == e.state
            assert min(held, to_seller, to_buyer) >= 0
            assert held + to_seller + to_buyer == e.amount
            assert held == (0 if e.state in TERMINAL_STATES else e.amount)
            assert accounts[("escrow", number, self.currency)] == held
            running = view["protection"]["auto_release_at"] is not None
            assert running == (e.state == "held" and e.delivered)
            funded, released, refunded = funded + e.amount, released + to_seller, refunded + to_buyer
        assert accounts.get(("buyer_funds", self.buyer.id, self.currency), 0) == -funded
        assert accounts.get(("seller_payable", self.seller.id, self.currency), 0) == released
        assert accounts.get(("buyer_refunds", self.buyer.id, self.currency), 0) == refunded


def test_random_operations_keep_the_ledger_invariants(sessions, database_url):
    examples, steps = RUNS["postgresql" if database_url.startswith("postgresql") else "sqlite"]
    EscrowLedgerMachine.sessions = sessions
    EscrowLedgerMachine.steps = 0
    run_state_machine_as_test(EscrowLedgerMachine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, database=None,
        suppress_health_check=list(HealthCheck)))
    print(f"{EscrowLedgerMachine.steps} escrow operations checked")
    assert EscrowLedgerMachine.steps >= 1000
