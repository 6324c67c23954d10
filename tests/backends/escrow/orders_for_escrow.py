"""Buyers, sellers and orders made directly, for escrow tests that need many of them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import List

from sqlalchemy import select

from backends.db import session_scope
from backends.models import Buyer, Order, OrderStatusChange, Seller

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
_numbers = itertools.count(1)


class FakeClock:
    """The service's clock, moved by the test."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def make_orders(sessions, count: int, buyer_id: str = "buyer-t", seller_slug: str = "seller-t",
                total_minor: int = 10_000, currency: str = "CNY", status: str = "placed",
                at: datetime = START) -> List[str]:
    """``count`` orders of one buyer from one seller; returns their numbers."""
    with session_scope(sessions) as session:
        buyer = session.execute(select(Buyer).where(Buyer.external_id == buyer_id)).scalar_one_or_none()
        if buyer is None:
            buyer = Buyer(external_id=buyer_id, name=buyer_id, country="KZ", language="ru", currency="KZT")
        seller = session.execute(select(Seller).where(Seller.slug == seller_slug)).scalar_one_or_none()
        if seller is None:
            seller = Seller(slug=seller_slug, name=seller_slug, country="CN", city="Shenzhen", currency=currency,
                            rating=4.8)
        numbers = []
        for _ in range(count):
            number = f"SR-T{next(_numbers):07d}"
            order = Order(number=number, buyer=buyer, seller=seller, kind="b2c", status=status, currency=currency,
                          goods_minor=total_minor - 500, shipping_minor=500, total_minor=total_minor,
                          destination_country=buyer.country, placed_at=at)
            order.history.append(OrderStatusChange(status=status, at=at))
            session.add(order)
            numbers.append(number)
    return numbers
