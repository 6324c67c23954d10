"""What an agent sees beside a transcript: the buyer and their orders (the one the conversation is about
first), each with its shipment's latest tracking event and its escrow: state, money held, automatic release,
dispute case."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.escrow import ledger
from backends.identity import account_links
from backends.models import Buyer, EscrowAccount, Handoff, Order
from backends.money import format_major
from backends.timestamps import iso_or_none

RECENT_ORDERS = 5


def _money(amount_minor: int, currency: str) -> Dict[str, Any]:
    return {"amount_minor": int(amount_minor), "currency": currency,
            "display": f"{format_major(amount_minor, currency)} {currency}"}


def _shipment(order: Order) -> Optional[Dict[str, Any]]:
    if not order.shipments:
        return None
    shipment = order.shipments[-1]
    last = shipment.events[-1] if shipment.events else None
    return {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
            "last_event": {"code": last.code, "description": last.code.replace("_", " "),
                           "at": iso_or_none(last.occurred_at), "location": f"{last.place}, {last.country}"}
            if last else None}


def _escrow(session: Session, order: Order) -> Optional[Dict[str, Any]]:
    escrow = session.execute(select(EscrowAccount).where(EscrowAccount.order_id == order.id)).scalar_one_or_none()
    if escrow is None:
        return None
    held = sum(ledger.escrow_movements(session, escrow.id).values())
    return {"state": escrow.state, "held": _money(held, escrow.currency),
            "auto_release_at": iso_or_none(escrow.deadline),
            "dispute_case": escrow.dispute.case_number if escrow.dispute else None}


def order_view(session: Session, order: Order, in_conversation: bool) -> Dict[str, Any]:
    return {"number": order.number, "status": order.status, "placed_at": iso_or_none(order.placed_at),
            "total": _money(order.total_minor, order.currency), "in_conversation": in_conversation,
            "shipment": _shipment(order), "escrow": _escrow(session, order)}


def buyer_context(session: Session, handoff: Optional[Handoff], order_numbers: List[str]) -> Dict[str, Any]:
    """The buyer's orders if the conversation's buyer is verified (by a shop token or an account link); the
    orders the conversation named come first. An unverified chat shows no order: a sender id is not an
    identity."""
    buyer_id = handoff.buyer_id if handoff else None
    buyer = session.execute(select(Buyer).where(Buyer.external_id == buyer_id)).scalar_one_or_none() \
        if buyer_id else None
    if buyer is None and handoff is not None and handoff.channel in ("telegram", "whatsapp"):
        buyer = account_links.linked_buyer(session, handoff.channel, handoff.conversation_id)
    if buyer is None:
        return {"buyer_id": None, "verified": False, "orders": []}
    orders = list(session.execute(select(Order).where(Order.buyer_id == buyer.id)
                                  .order_by(Order.placed_at.desc())).scalars())
    named = [o for number in dict.fromkeys(order_numbers) for o in orders if o.number == number]
    rest = [o for o in orders if o not in named][:RECENT_ORDERS]
    return {"buyer_id": buyer.external_id, "verified": True, "name": buyer.name, "country": buyer.country,
            "orders": [order_view(session, o, True) for o in named] + [order_view(session, o, False) for o in rest]}
