"""Escrow for the demo orders, made through the escrow service itself.

Each demo order's payment goes through the steps its status implies (held,
delivered, released, refund requested or refunded, disputed or resolved), at
the moments of its status history. Every step has a fixed idempotency key, so
seeding again replays stored results and moves no money, and an escrow that
has moved on since (a buyer confirmed receipt) is left as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, sessionmaker

from backends.db import session_scope
from backends.escrow.actors import Actor
from backends.escrow.errors import TransitionRefused
from backends.escrow.policy import ProtectionPolicy
from backends.escrow.service import EscrowService
from backends.models import EscrowAccount, Order

# Demo holds last 30 days after delivery, so a fresh set-up keeps delivered
# orders waiting for the buyer's confirmation for a while.
DEMO_PROTECTION_DAYS = 30
PAYMENTS = Actor("system", "payments", "seed")
CARRIER = Actor("system", "carrier", "seed")
SUPPORT = Actor("staff", "demo-support", "seed")
FUNDED_STATUSES = ("paid", "shipped", "delivered", "completed", "refund_requested", "refunded", "disputed",
                   "dispute_resolved")


class SeedClock:
    def __init__(self):
        self.now = None

    def __call__(self) -> datetime:
        return self.now


def _moments(order: Order) -> Dict[str, datetime]:
    return {change.status: change.at for change in order.history}


def escrow_plan(order: Order) -> List[Tuple[str, datetime]]:
    """The escrow steps ``order``'s status history implies, with their moments (history loaded)."""
    moments = _moments(order)
    steps = [("fund", moments.get("paid", order.placed_at))]
    if "delivered" in moments:
        steps.append(("deliver", moments["delivered"]))
    final = {"completed": "release", "refund_requested": "request_refund", "refunded": "refund",
             "disputed": "dispute", "dispute_resolved": "resolve"}.get(order.status)
    if final:
        steps.append((final, moments[order.status]))
    return steps


def _escrow_count(sessions: sessionmaker) -> int:
    with session_scope(sessions) as session:
        return session.execute(select(func.count(EscrowAccount.id))).scalar_one()


def load_demo_escrow(sessions: sessionmaker) -> int:
    """Creates the escrow of every paid demo order; returns how many were created."""
    before = _escrow_count(sessions)
    with session_scope(sessions) as session:
        orders = session.execute(
            select(Order).where(Order.status.in_(FUNDED_STATUSES)).order_by(Order.number)
            .options(selectinload(Order.history), selectinload(Order.buyer))).scalars().all()
        plans = [(order.number, order.buyer.external_id, escrow_plan(order)) for order in orders]
    clock = SeedClock()
    service = EscrowService(sessions, ProtectionPolicy(), clock)
    for number, buyer_id, steps in plans:
        apply_escrow_steps(service, clock, number, buyer_id, steps)
    return _escrow_count(sessions) - before


def apply_escrow_steps(service: EscrowService, clock: "SeedClock", number: str, buyer_id: str,
                       steps: List[Tuple[str, datetime]]) -> None:
    """Takes ``number``'s escrow through ``steps`` at their moments, each with a fixed idempotency key; stops
    where the escrow has moved on."""
    buyer = Actor("buyer", buyer_id, "seed")
    for step, at in steps:
        clock.now = at
        key = f"seed:{number}:{step}"
        calls = {
            "fund": lambda: service.fund(number, PAYMENTS, key, DEMO_PROTECTION_DAYS),
            "deliver": lambda: service.start_protection(number, CARRIER, key, at),
            "release": lambda: service.release(number, buyer, key),
            "request_refund": lambda: service.request_refund(
                number, buyer, key, "damaged", description="the case arrived cracked"),
            "refund": lambda: _refund(service, number, buyer, key),
            "dispute": lambda: service.open_dispute(
                number, buyer, key, "not_as_described", "the colour differs from the photos"),
            "resolve": lambda: _resolve(service, number, buyer, key),
        }
        try:
            calls[step]()
        except TransitionRefused:
            return  # the escrow has moved on since it was seeded


def _refund(service: EscrowService, number: str, buyer: Actor, key: str) -> dict:
    service.request_refund(number, buyer, key + ":request", "wrong_item", description="sent the wrong size")
    return service.approve_refund(number, SUPPORT, key + ":approve", "wrong size confirmed by the seller")


def _resolve(service: EscrowService, number: str, buyer: Actor, key: str) -> dict:
    service.open_dispute(number, buyer, key + ":open", "not_received", "the parcel never arrived")
    return service.resolve_dispute(number, SUPPORT, key + ":resolve", "buyer", "carrier confirmed the loss")
