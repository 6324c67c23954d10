"""Fresh orders for the conversation test set: each conversation that needs an order gets a new one of its
buyer, in the state it asks for, made the way the demo orders are seeded (backends/seed: the order, its
status history, shipment and tracking events, and its escrow taken through the escrow service), so that
what one conversation does (a dispute opened, a payment released) never changes another's."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from backends.db import make_engine, make_session_factory, run_transaction
from backends.escrow.policy import ProtectionPolicy
from backends.escrow.service import EscrowService
from backends.models import Buyer, Category, Order, Product
from backends.money import RateTable
from backends.seed.demo_escrow import SeedClock, apply_escrow_steps, escrow_plan
from backends.seed.demo_orders import CARRIERS, DEMO_BUYERS, DemoPlan, tracking_number, build_order

# The states a conversation may ask for, as the demo plans spell them.
STATES = {"paid": DemoPlan("", "paid"), "shipped": DemoPlan("", "shipped"),
          "customs_hold": DemoPlan("", "shipped", customs_hold=True), "delivered": DemoPlan("", "delivered")}
FIRST_NUMBER = 900000
PART_OF = 1.5  # a partial refund asks back at most two thirds of the payment
CITIES = {external_id: city for external_id, *_rest, city in DEMO_BUYERS}


@dataclass(frozen=True)
class FreshOrder:
    number: str
    tracking: Optional[str]
    currency: str
    total_minor: int


class OrderFactory:
    """Makes orders in the backends' database (the one the running backends serve)."""

    def __init__(self, database_url: str, seed: int = 19):
        self.engine = make_engine(database_url)
        self.sessions = make_session_factory(self.engine)
        self.seed = seed
        self.rng = random.Random(seed)

    def make(self, buyer_id: str, state: str, category: Optional[str] = None, key: Optional[str] = None,
             part_of: Optional[Tuple[int, str]] = None) -> FreshOrder:
        """A new order of the buyer in ``state``; with ``key`` (a conversation's id), the same product, carrier and
        dates whichever other conversations are played before it; with ``part_of`` (minor units, currency: the
        part of the payment the buyer will ask back), a product that costs well more than it, where there is one
        (a partial refund of a payment smaller than the part asked for is no test of the assistant)."""
        if state not in STATES:
            raise ValueError(f"order state {state!r}: one of {', '.join(STATES)}")
        plan = DemoPlan(buyer_id, STATES[state].status, customs_hold=STATES[state].customs_hold)
        now = datetime.now(timezone.utc)

        def write(session) -> Tuple[FreshOrder, list]:
            rng = random.Random(f"{self.seed}:{key}") if key else self.rng  # a retried transaction chooses again
            buyer = session.execute(select(Buyer).where(Buyer.external_id == buyer_id)).scalar_one_or_none()
            if buyer is None:
                raise ValueError(f"no buyer {buyer_id!r}: one of the demo buyers")
            products = select(Product).where(Product.stock > 0).order_by(Product.sku) \
                .options(selectinload(Product.seller))
            if category is not None:
                products = products.join(Category).where(Category.slug == category)
            choices = session.execute(products).scalars().all()
            if not choices:
                raise ValueError(f"no product in stock in category {category!r}")
            if part_of is not None:
                rates = RateTable.latest(session)
                dear = [product for product in choices
                        if rates.convert(product.price_minor, product.currency, part_of[1]) >= PART_OF * part_of[0]]
                choices = dear or choices
            highest = session.execute(select(func.max(Order.number)).where(Order.number >= f"SR-{FIRST_NUMBER}")
                                      ).scalar_one_or_none()
            number = f"SR-{int(highest[3:]) + 1 if highest else FIRST_NUMBER:06d}"
            carrier, prefix, digits = rng.choice(CARRIERS)
            tracking = tracking_number(random.Random(f"{self.seed}:{number}"), prefix, digits)  # unique as the order
            # the conversation's order is the buyer's latest, as a buyer's order in question usually is (its
            # goods named, "the lamp I ordered", mean the newest lamp order, not one an earlier conversation made)
            latest = session.execute(select(func.max(Order.placed_at)).where(Order.buyer_id == buyer.id)
                                     ).scalar_one_or_none()
            placed_at = now - timedelta(days=rng.randint(12, 20))
            if latest is not None:
                latest = latest if latest.tzinfo else latest.replace(tzinfo=timezone.utc)
                placed_at = max(placed_at, latest + timedelta(minutes=1))
            order = build_order(rng, number, plan, buyer, rng.choice(choices),
                                rng.randint(20, 200) if buyer.company else 1, (carrier, tracking),
                                placed_at, CITIES.get(buyer_id, "Almaty"), now)
            session.add(order)
            session.flush()
            return (FreshOrder(number, tracking if order.shipments else None, order.currency, order.total_minor),
                    escrow_plan(order))

        made, steps = run_transaction(self.sessions, write)
        clock = SeedClock()
        apply_escrow_steps(EscrowService(self.sessions, ProtectionPolicy(), clock), clock, made.number, buyer_id, steps)
        return made

    def close(self) -> None:
        self.engine.dispose()
