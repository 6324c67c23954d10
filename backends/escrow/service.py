"""The escrow service: every action on a buyer's payment, exactly once.

Each mutating action runs in one transaction that
1. finds the order as the actor may see it (a buyer or seller only their own),
2. locks the order's row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
   transaction took the database's write lock when it began, see backends.db),
3. returns the stored outcome if the actor's idempotency key was seen before,
4. checks the state machine and the protection clock, then changes the escrow,
   writes balanced ledger entries, the order's status, an audit event and the
   idempotency record, and commits.
A collision with a concurrent transaction starts it again from step 1, so the
second of two racing releases finds the first one's result and is refused, or,
with the same key, gets the first one's answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backends.db import run_transaction, session_scope
from backends.escrow import idempotency, ledger, protection_clock
from backends.escrow.actors import AUTO_RELEASE_JOB, Actor
from backends.escrow.errors import EscrowNotFound, InvalidRequest, NotAllowed, TransitionRefused
from backends.escrow.policy import ProtectionPolicy
from backends.escrow.state_machine import FROZEN_STATES, check_delivered, check_role, check_transition
from backends.escrow.views import audit_view, dispute_view, escrow_view
from backends.models import (
    Dispute, DisputeEvidence, DisputeMessage, EscrowAccount, EscrowAuditEvent, Order, OrderStatusChange,
    RefundRequest,
)
from backends.models.base import utc_now

REFUND_REASONS = ("not_received", "not_as_described", "damaged", "wrong_item", "missing_parts",
                  "changed_mind", "other")
DISPUTE_REASONS = ("not_received", "not_as_described", "damaged", "wrong_item", "missing_parts",
                   "counterfeit", "refund_refused", "other")
# The order's status after each escrow state (held keeps the shipping status).
ORDER_STATUS_OF = {"released": "completed", "refunded": "refunded", "refund_requested": "refund_requested",
                   "disputed": "disputed", "resolved": "dispute_resolved"}
MAX_TEXT = 4000


@dataclass
class _Outcome:
    ok: bool
    body: Dict[str, Any]
    replayed: bool = False


@dataclass
class Change:
    """What an action did: the ledger and the order see it after the escrow does."""

    escrow: EscrowAccount
    detail: Dict[str, Any]


def _text(value: str, what: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidRequest(f"{what} is required")
    if len(value) > limit:
        raise InvalidRequest(f"{what} is longer than {limit} characters")
    return value


def _choice(value: str, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise InvalidRequest(f"unknown {what} {value!r}; one of: {', '.join(choices)}")
    return value


def _amount(value: Optional[int], what: str) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidRequest(f"{what} must be a positive whole number of minor units")
    return value


class EscrowService:
    def __init__(self, session_factory: sessionmaker, policy: Optional[ProtectionPolicy] = None,
                 clock: Callable[[], datetime] = utc_now):
        self.sessions = session_factory
        self.policy = policy or ProtectionPolicy()
        self.clock = clock

    # ------------------------------------------------------------------ reads

    def view(self, order_number: str, actor: Actor) -> Dict[str, Any]:
        with session_scope(self.sessions) as session:
            order = self._visible_order(session, order_number, actor)
            return escrow_view(session, self._escrow_of(session, order), self.clock(), self.policy)

    def dispute(self, case_number: str, actor: Actor) -> Dict[str, Any]:
        with session_scope(self.sessions) as session:
            dispute = session.execute(
                select(Dispute).where(Dispute.case_number == case_number.upper())).scalar_one_or_none()
            if dispute is None or not self._may_see(dispute.escrow.order, actor):
                raise EscrowNotFound(f"no dispute {case_number}")
            return dispute_view(dispute, self.policy)

    def audit_trail(self, order_number: str, actor: Actor) -> List[Dict[str, Any]]:
        if actor.role not in ("staff", "system"):
            raise NotAllowed("the audit trail is for support staff")
        with session_scope(self.sessions) as session:
            self._visible_order(session, order_number, actor)
            return audit_view(session, order_number.upper())

    def overdue(self, limit: int = 500) -> List[tuple]:
        """(order number, deadline) of held escrows whose protection period is over."""
        with session_scope(self.sessions) as session:
            return session.execute(
                select(Order.number, EscrowAccount.deadline).join(EscrowAccount, EscrowAccount.order_id == Order.id)
                .where(EscrowAccount.state == "held", EscrowAccount.deadline <= self.clock())
                .order_by(EscrowAccount.deadline).limit(limit)
            ).all()

    # -------------------------------------------------------------- mutations

    def fund(self, order_number: str, actor: Actor, key: str, protection_days: Optional[int] = None):
        """Holds the order's total: the buyer's payment enters escrow."""
        if protection_days is not None and not 1 <= protection_days <= self.policy.max_protection_days:
            raise InvalidRequest(f"protection_days must be 1 to {self.policy.max_protection_days}")

        def apply(session, order, escrow, now):
            if escrow is not None:
                raise TransitionRefused("the payment for this order is already held", "already_funded")
            if order.status == "cancelled":
                raise TransitionRefused("the order was cancelled", "order_cancelled")
            if order.total_minor <= 0:
                raise TransitionRefused("the order has nothing to pay", "nothing_to_hold")
            escrow = EscrowAccount(order=order, currency=order.currency, amount_minor=order.total_minor,
                                   state="held", created_at=now, updated_at=now,
                                   protection_days=protection_days or self.policy.protection_days)
            session.add(escrow)
            session.flush()
            accounts = ledger.accounts_of(order)
            ledger.transfer(session, escrow, "fund", accounts["buyer_funds"], accounts["escrow"],
                            escrow.amount_minor, f"payment for {order.number}", now)
            if order.status == "placed":
                self._order_status(order, "paid", now, "payment held in escrow")
            return Change(escrow, {"amount_minor": escrow.amount_minor, "currency": escrow.currency})

        return self._mutate("fund", order_number, actor, key, {"protection_days": protection_days}, apply)

    def start_protection(self, order_number: str, actor: Actor, key: str, delivered_at: datetime):
        """The parcel was delivered: the protection clock starts."""
        if delivered_at.tzinfo is None:
            raise InvalidRequest("delivered_at must carry a time zone")

        def apply(session, order, escrow, now):
            protection_clock.start(escrow, delivered_at, now, self.policy)
            if order.status in ("paid", "shipped"):
                self._order_status(order, "delivered", delivered_at, "delivered")
            return Change(escrow, {"delivered_at": delivered_at.isoformat()})

        return self._mutate("start_protection", order_number, actor, key,
                            {"delivered_at": delivered_at.isoformat()}, apply)

    def release(self, order_number: str, actor: Actor, key: str):
        """The buyer confirms receipt (of a delivered parcel, or a shipped one they have): the held money is paid
        to the seller."""

        def apply(session, order, escrow, now):
            check_delivered(escrow.delivered_at, order.status)
            if escrow.delivered_at is None:  # in the buyer's hands before the tracking says so: delivered now
                escrow.delivered_at = now
                self._order_status(order, "delivered", now, "delivered: the buyer confirmed receipt")
            return self._pay_out(session, order, escrow, now, to_buyer=0, memo="buyer confirmed receipt")

        return self._mutate("release", order_number, actor, key, {}, apply)

    def auto_release(self, order_number: str, deadline: datetime) -> Optional[Dict[str, Any]]:
        """Releases an escrow whose protection period is over; None if another runner did.

        The key names the deadline, so the release of one period happens once,
        and a period the buyer extended is a new one.
        """

        def apply(session, order, escrow, now):
            if escrow.deadline is None or escrow.deadline != deadline or escrow.deadline > now:
                raise TransitionRefused("the protection period is not over", "not_due")
            return self._pay_out(session, order, escrow, now, to_buyer=0,
                                 memo="protection period over: released automatically")

        key = f"auto-release:{order_number}:{deadline.isoformat()}"
        outcome = self._run("auto_release", order_number, AUTO_RELEASE_JOB, key, {}, apply)
        return None if outcome.replayed or not outcome.ok else outcome.body

    def extend_protection(self, order_number: str, actor: Actor, key: str, days: Optional[int] = None):
        days = self.policy.extension_days if days is None else days

        def apply(session, order, escrow, now):
            protection_clock.check_extension(escrow, days, now, self.policy)
            protection_clock.extend(escrow, days)
            return Change(escrow, {"days": days, "auto_release_at": escrow.deadline.isoformat()})

        return self._mutate("extend_protection", order_number, actor, key, {"days": days}, apply)

    def request_refund(self, order_number: str, actor: Actor, key: str, reason: str,
                       amount_minor: Optional[int] = None, description: str = "", return_goods: bool = False):
        """The buyer asks for all (no amount) or part of the money back; the clock freezes."""
        reason = _choice(reason, REFUND_REASONS, "refund reason")
        amount_minor = _amount(amount_minor, "amount_minor")
        description = _text(description, "description", required=False)

        def apply(session, order, escrow, now):
            held = ledger.held_balance(session, escrow.id)
            amount = held if amount_minor is None else amount_minor
            if amount > held:
                raise InvalidRequest(f"the refund ({amount}) is more than the {held} {escrow.currency} held")
            protection_clock.freeze(escrow, now)
            escrow.refund_requests.append(RefundRequest(
                amount_minor=amount, reason=reason, description=description, return_goods=bool(return_goods),
                state="pending", requested_at=now))
            escrow.state = "refund_requested"
            return Change(escrow, {"amount_minor": amount, "reason": reason, "return_goods": bool(return_goods)})

        return self._mutate("request_refund", order_number, actor, key,
                            {"reason": reason, "amount_minor": amount_minor, "description": description,
                             "return_goods": bool(return_goods)}, apply)

    def approve_refund(self, order_number: str, actor: Actor, key: str, note: str = ""):
        """The seller (or staff) accepts: the amount goes back to the buyer, any rest to the seller."""
        note = _text(note, "note", required=False)

        def apply(session, order, escrow, now):
            request = escrow.pending_refund
            self._decide(request, "approved", actor, note, now)
            return self._pay_out(session, order, escrow, now, to_buyer=request.amount_minor,
                                 memo=f"refund request {request.id} approved", final_state="refunded")

        return self._mutate("approve_refund", order_number, actor, key, {"note": note}, apply)

    def reject_refund(self, order_number: str, actor: Actor, key: str, note: str):
        """The seller (or staff) declines, saying why: the money stays held and the clock runs again."""
        note = _text(note, "a reason for the rejection")
        return self._mutate("reject_refund", order_number, actor, key, {"note": note},
                            lambda session, order, escrow, now: self._close_refund(
                                order, escrow, "rejected", actor, note, now))

    def withdraw_refund(self, order_number: str, actor: Actor, key: str):
        return self._mutate("withdraw_refund", order_number, actor, key, {},
                            lambda session, order, escrow, now: self._close_refund(
                                order, escrow, "withdrawn", actor, "withdrawn by the buyer", now))

    def open_dispute(self, order_number: str, actor: Actor, key: str, reason: str, description: str,
                     evidence: Sequence[Dict[str, str]] = ()):
        """The buyer escalates: a case is opened for support staff and the clock freezes."""
        reason = _choice(reason, DISPUTE_REASONS, "dispute reason")
        description = _text(description, "a description of the problem")
        evidence = [self._evidence_item(item) for item in evidence]

        def apply(session, order, escrow, now):
            pending = escrow.pending_refund
            protection_clock.freeze(escrow, now)
            dispute = Dispute(case_number=f"DS-{now:%y%m%d}-{escrow.id:06d}", reason=reason,
                              description=description, state="open", opened_at=now)
            dispute.evidence = [DisputeEvidence(reference=ref, description=text, added_by=actor.key, added_at=now)
                                for ref, text in evidence]
            escrow.dispute = dispute
            if pending is not None:
                self._decide(pending, "withdrawn", actor, f"escalated to dispute {dispute.case_number}", now)
            escrow.state = "disputed"
            return Change(escrow, {"case_number": dispute.case_number, "reason": reason})

        return self._mutate("open_dispute", order_number, actor, key,
                            {"reason": reason, "description": description, "evidence": evidence}, apply)

    def add_dispute_message(self, order_number: str, actor: Actor, key: str, body: str):
        body = _text(body, "the message")

        def apply(session, order, escrow, now):
            escrow.dispute.messages.append(DisputeMessage(
                author_role=actor.role, author_id=actor.id, channel=actor.channel, body=body, created_at=now))
            escrow.updated_at = now
            return Change(escrow, {"case_number": escrow.dispute.case_number})

        return self._mutate("add_dispute_message", order_number, actor, key, {"body": body}, apply)

    def add_dispute_evidence(self, order_number: str, actor: Actor, key: str, reference: str,
                             description: str = ""):
        reference, description = self._evidence_item({"reference": reference, "description": description})

        def apply(session, order, escrow, now):
            escrow.dispute.evidence.append(DisputeEvidence(
                reference=reference, description=description, added_by=actor.key, added_at=now))
            escrow.updated_at = now
            return Change(escrow, {"case_number": escrow.dispute.case_number, "reference": reference})

        return self._mutate("add_dispute_evidence", order_number, actor, key,
                            {"reference": reference, "description": description}, apply)

    def resolve_dispute(self, order_number: str, actor: Actor, key: str, outcome: str, note: str,
                        buyer_amount_minor: Optional[int] = None):
        """Support staff decide: everything to the buyer, everything to the seller, or a split."""
        outcome = _choice(outcome, ("buyer", "seller", "split"), "outcome")
        note = _text(note, "a resolution note")
        buyer_amount_minor = _amount(buyer_amount_minor, "buyer_amount_minor")
        if (outcome == "split") != (buyer_amount_minor is not None):
            raise InvalidRequest("buyer_amount_minor is given for a split, and only for a split")

        def apply(session, order, escrow, now):
            held = ledger.held_balance(session, escrow.id)
            to_buyer = {"buyer": held, "seller": 0}.get(outcome, buyer_amount_minor)
            if outcome == "split" and not 0 < to_buyer < held:
                raise InvalidRequest(f"a split gives the buyer more than 0 and less than the {held} held")
            dispute = escrow.dispute
            dispute.state, dispute.outcome, dispute.resolution_note = "resolved", outcome, note
            dispute.buyer_amount_minor, dispute.seller_amount_minor = to_buyer, held - to_buyer
            dispute.resolved_at, dispute.resolved_by = now, actor.key
            return self._pay_out(session, order, escrow, now, to_buyer=to_buyer,
                                 memo=f"dispute {dispute.case_number} resolved for {outcome}",
                                 final_state="resolved")

        return self._mutate("resolve_dispute", order_number, actor, key,
                            {"outcome": outcome, "note": note, "buyer_amount_minor": buyer_amount_minor}, apply)

    # --------------------------------------------------------------- the core

    def _mutate(self, action: str, order_number: str, actor: Actor, key: str, params: Dict[str, Any],
                apply: Callable) -> Dict[str, Any]:
        outcome = self._run(action, order_number, actor, key, params, apply)
        if not outcome.ok:
            raise TransitionRefused(outcome.body["message"], outcome.body["error"])
        return outcome.body

    def _run(self, action, order_number, actor, key, params, apply) -> _Outcome:
        transition = check_role(action, actor)
        idempotency.check_key(key)
        order_number = (order_number or "").strip().upper()
        fingerprint = idempotency.fingerprint(action, order_number, params)

        def work(session: Session) -> _Outcome:
            now = self.clock()
            order = self._visible_order(session, order_number, actor, lock=True)
            record = idempotency.find(session, actor.key, key, fingerprint)
            if record is not None:
                return _Outcome(record.outcome == "ok", idempotency.stored_response(record), replayed=True)
            escrow = self._escrow_of(session, order, required=False)
            before = escrow.state if escrow is not None else None
            try:
                if action != "fund":
                    if escrow is None:
                        raise TransitionRefused(f"no payment is held for order {order.number}", "not_funded")
                    check_transition(action, escrow.state)
                change: Change = apply(session, order, escrow, now)
            except TransitionRefused as refusal:
                if session.new or session.dirty or session.deleted:
                    raise RuntimeError(f"{action} refused after changing the escrow") from refusal
                outcome = _Outcome(False, {"error": refusal.code, "message": refusal.message})
                self._audit(session, order, escrow, action, actor, key, before, before,
                            {**params, "refused": refusal.code}, now, ok=False)
            else:
                escrow = change.escrow
                if transition.target is not None:
                    escrow.state = transition.target
                if escrow.state in ORDER_STATUS_OF:
                    self._order_status(order, ORDER_STATUS_OF[escrow.state], now, action.replace("_", " "))
                elif escrow.state == "held" and before in FROZEN_STATES:
                    self._order_status(order, self._shipping_status(order, escrow), now, action.replace("_", " "))
                escrow.updated_at = now
                session.flush()
                outcome = _Outcome(True, escrow_view(session, escrow, now, self.policy))
                self._audit(session, order, escrow, action, actor, key, before, escrow.state,
                            {**params, **change.detail}, now, ok=True)
            idempotency.remember(session, actor.key, key, fingerprint, action, outcome.ok, outcome.body, now)
            return outcome

        return run_transaction(self.sessions, work)

    def _pay_out(self, session, order, escrow, now, to_buyer: int, memo: str, final_state: str = None) -> Change:
        """Empties the escrow: ``to_buyer`` back to the buyer, the rest to the seller."""
        held = ledger.held_balance(session, escrow.id)
        accounts = ledger.accounts_of(order)
        if to_buyer:
            ledger.transfer(session, escrow, "refund", accounts["escrow"], accounts["buyer_refunds"],
                            to_buyer, memo, now)
        if held - to_buyer:
            ledger.transfer(session, escrow, "release", accounts["escrow"], accounts["seller_payable"],
                            held - to_buyer, memo, now)
        protection_clock.stop(escrow)
        if final_state:
            escrow.state = final_state
        return Change(escrow, {"to_buyer_minor": to_buyer, "to_seller_minor": held - to_buyer})

    def _close_refund(self, order, escrow, state: str, actor: Actor, note: str, now) -> Change:
        request = escrow.pending_refund
        self._decide(request, state, actor, note, now)
        protection_clock.resume(escrow, now, self.policy)
        return Change(escrow, {"refund_request": request.id, "note": note})

    @staticmethod
    def _decide(request: RefundRequest, state: str, actor: Actor, note: str, now) -> None:
        request.state, request.decided_at, request.decided_by, request.decision_note = state, now, actor.key, note

    @staticmethod
    def _evidence_item(item: Dict[str, str]) -> tuple:
        if not isinstance(item, dict):
            raise InvalidRequest("evidence items are objects with a reference and a description")
        return (_text(item.get("reference", ""), "an evidence reference", limit=500),
                _text(item.get("description", ""), "an evidence description", required=False))

    @staticmethod
    def _may_see(order: Order, actor: Actor) -> bool:
        if actor.role == "buyer":
            return order.buyer.external_id == actor.id
        if actor.role == "seller":
            return order.seller.slug == actor.id
        return True

    def _visible_order(self, session: Session, number: str, actor: Actor, lock: bool = False) -> Order:
        query = select(Order).where(Order.number == (number or "").strip().upper())
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        order = session.execute(query).scalar_one_or_none()
        if order is None or not self._may_see(order, actor):
            raise EscrowNotFound(f"no order {number} for this {actor.role}")
        return order

    @staticmethod
    def _escrow_of(session: Session, order: Order, required: bool = True) -> Optional[EscrowAccount]:
        escrow = session.execute(
            select(EscrowAccount).where(EscrowAccount.order_id == order.id)
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if escrow is None and required:
            raise EscrowNotFound(f"no payment is held for order {order.number}")
        return escrow

    @staticmethod
    def _order_status(order: Order, status: str, at: datetime, note: str) -> None:
        if order.status != status:
            order.status = status
            order.history.append(OrderStatusChange(status=status, at=at, note=note))

    @staticmethod
    def _shipping_status(order: Order, escrow: EscrowAccount) -> str:
        """Where the parcel is, for an order whose refund request no longer blocks it."""
        if escrow.delivered_at is not None:
            return "delivered"
        changes = sorted(order.history, key=lambda change: (change.at, change.id or 0))
        shipping = [c.status for c in changes if c.status in ("paid", "shipped")]
        return shipping[-1] if shipping else "paid"

    @staticmethod
    def _audit(session, order, escrow, action, actor: Actor, key, before, after, detail, now, ok: bool) -> None:
        session.add(EscrowAuditEvent(
            escrow_id=escrow.id if escrow is not None else None, order_number=order.number, action=action,
            outcome="ok" if ok else "refused", actor_role=actor.role, actor_id=actor.id, channel=actor.channel,
            from_state=before, to_state=after, detail=json.dumps(detail, sort_keys=True, default=str),
            idempotency_key=key, at=now))


def release_overdue(service: EscrowService, limit: int = 500) -> int:
    """One pass of the auto-release job: how many escrows this runner released.

    Runners may overlap: each escrow is locked and keyed by its deadline, so a
    second runner finds the first one's result and releases nothing.
    """
    return sum(service.auto_release(number, deadline) is not None for number, deadline in service.overdue(limit))
