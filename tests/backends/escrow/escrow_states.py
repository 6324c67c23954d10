"""Drives a fresh order's escrow into any state through the service itself."""

from __future__ import annotations

import uuid

from tests.backends.escrow.conftest import BUYER, CARRIER, PAYMENTS, SELLER, STAFF
from tests.backends.escrow.orders_for_escrow import make_orders


def key() -> str:
    return uuid.uuid4().hex


def funded(service, sessions, **order) -> str:
    number, = make_orders(sessions, 1, **order)
    service.fund(number, PAYMENTS, key())
    return number


def delivered(service, sessions, **order) -> str:
    number = funded(service, sessions, **order)
    service.start_protection(number, CARRIER, key(), service.clock())
    return number


def in_state(service, sessions, state: str) -> str:
    """An order whose escrow is in ``state`` (held: delivered, clock running)."""
    number = delivered(service, sessions)
    if state in ("refund_requested", "refunded"):
        service.request_refund(number, BUYER, key(), "damaged", 4_000)
    if state == "refunded":
        service.approve_refund(number, SELLER, key())
    if state in ("disputed", "resolved"):
        service.open_dispute(number, BUYER, key(), "not_as_described", "the colour is wrong")
    if state == "resolved":
        service.resolve_dispute(number, STAFF, key(), "seller", "the photos match the listing")
    if state == "released":
        service.release(number, BUYER, key())
    assert service.view(number, STAFF)["state"] == state
    return number
