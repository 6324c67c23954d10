"""Plain JSON-able pictures of an escrow, a dispute and the audit trail.

What the API returns, and what an idempotency record keeps as the first result.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.escrow import ledger, protection_clock
from backends.escrow.state_machine import refusal
from backends.escrow.policy import ProtectionPolicy
from backends.models import Dispute, EscrowAccount, EscrowAuditEvent, RefundRequest
from backends.timestamps import iso_or_none


def _money(amount: Optional[int], currency: str) -> Optional[Dict[str, Any]]:
    return None if amount is None else {"amount_minor": int(amount), "currency": currency}


def _due(start: Optional[datetime], days: int, pending: bool) -> Optional[str]:
    """When an answer is promised by the shop's policy, while one is awaited."""
    return iso_or_none(start + timedelta(days=days)) if pending and start is not None else None


def refund_view(request: RefundRequest, currency: str, policy: ProtectionPolicy) -> Dict[str, Any]:
    return {
        "id": request.id, "amount": _money(request.amount_minor, currency), "reason": request.reason,
        "description": request.description, "return_goods": request.return_goods, "state": request.state,
        "requested_at": iso_or_none(request.requested_at), "decided_at": iso_or_none(request.decided_at),
        "decided_by": request.decided_by, "decision_note": request.decision_note,
        "answer_due_at": _due(request.requested_at, policy.refund_answer_days,
                              request.state == "pending"),
    }


def dispute_summary(dispute: Dispute, currency: str, policy: ProtectionPolicy) -> Dict[str, Any]:
    return {
        "case_number": dispute.case_number, "state": dispute.state, "reason": dispute.reason,
        "opened_at": iso_or_none(dispute.opened_at), "outcome": dispute.outcome,
        "buyer_amount": _money(dispute.buyer_amount_minor, currency),
        "seller_amount": _money(dispute.seller_amount_minor, currency),
        "resolved_at": iso_or_none(dispute.resolved_at),
        "answer_due_at": _due(dispute.opened_at, policy.dispute_answer_days, dispute.state == "open"),
    }


def dispute_view(dispute: Dispute, policy: ProtectionPolicy) -> Dict[str, Any]:
    currency = dispute.escrow.currency
    return {
        **dispute_summary(dispute, currency, policy),
        "order_number": dispute.escrow.order.number, "description": dispute.description,
        "resolved_by": dispute.resolved_by, "resolution_note": dispute.resolution_note,
        "evidence": [{"reference": e.reference, "description": e.description, "added_by": e.added_by,
                      "added_at": iso_or_none(e.added_at)} for e in dispute.evidence],
        "messages": [{"author_role": m.author_role, "author_id": m.author_id, "channel": m.channel,
                      "body": m.body, "created_at": iso_or_none(m.created_at)} for m in dispute.messages],
    }


def buyer_actions(escrow: EscrowAccount) -> Dict[str, Optional[str]]:
    """What the buyer may do now: each action with the reason code it would be refused with, or None."""
    return {action: refusal(action, escrow.state, escrow.delivered_at, escrow.order.status)
            for action in ("release", "request_refund", "open_dispute")}


def escrow_view(session: Session, escrow: EscrowAccount, now: datetime, policy: ProtectionPolicy) -> Dict[str, Any]:
    moved = ledger.escrow_movements(session, escrow.id)
    currency = escrow.currency
    return {
        "order_number": escrow.order.number,
        "order_status": escrow.order.status,
        "state": escrow.state,
        "amount": _money(escrow.amount_minor, currency),
        "held": _money(sum(moved.values()), currency),
        "released_to_seller": _money(-moved.get("release", 0), currency),
        "refunded_to_buyer": _money(-moved.get("refund", 0), currency),
        "protection": {
            "days": escrow.protection_days,
            "delivered_at": iso_or_none(escrow.delivered_at),
            "auto_release_at": iso_or_none(escrow.deadline),
            "frozen_remaining_seconds": escrow.frozen_remaining_seconds,
            "extended_days": escrow.extended_days,
            "can_extend": protection_clock.can_extend(escrow, now),
        },
        "refund_requests": [refund_view(r, currency, policy) for r in escrow.refund_requests],
        "dispute": dispute_summary(escrow.dispute, currency, policy) if escrow.dispute else None,
        "buyer_actions": buyer_actions(escrow),
        "updated_at": iso_or_none(escrow.updated_at),
    }


def audit_view(session: Session, order_number: str) -> List[Dict[str, Any]]:
    events = session.execute(
        select(EscrowAuditEvent).where(EscrowAuditEvent.order_number == order_number)
        .order_by(EscrowAuditEvent.id)
    ).scalars()
    return [{"action": e.action, "outcome": e.outcome, "actor_role": e.actor_role, "actor_id": e.actor_id,
             "channel": e.channel, "from_state": e.from_state, "to_state": e.to_state,
             "detail": json.loads(e.detail), "idempotency_key": e.idempotency_key, "at": iso_or_none(e.at)}
            for e in events]
