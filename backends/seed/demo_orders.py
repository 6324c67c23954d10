"""Demo buyers with orders in every state, and shipments with tracking histories.

Deterministic (a fixed random seed) and idempotent: buyers and orders are
matched on their external id and order number; an order that exists is left
as it is. Times are UTC, laid out backwards from the first seeding, so a fresh
set-up always shows parcels on their way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.models import Buyer, Order, OrderLine, OrderStatusChange, Product, Shipment, TrackingEvent

# (external id, name, company, country, language, currency, city)
DEMO_BUYERS: Sequence[Tuple[str, str, Optional[str], str, str, str, str]] = (
    ("buyer-kz-aidana", "Aidana Nurlanovna", None, "KZ", "ru", "KZT", "Almaty"),
    ("buyer-ru-dmitry", "Dmitry Sokolov", None, "RU", "ru", "RUB", "Kazan"),
    ("buyer-uz-timur", "Timur Rakhimov", None, "UZ", "ru", "UZS", "Tashkent"),
    ("buyer-sa-noura", "Noura Al-Qahtani", None, "SA", "ar", "SAR", "Riyadh"),
    ("buyer-ae-omar", "Omar Haddad", None, "AE", "ar", "AED", "Dubai"),
    ("buyer-eg-mariam", "Mariam Adel", None, "EG", "ar", "EGP", "Cairo"),
    ("buyer-id-putri", "Putri Wulandari", None, "ID", "en", "IDR", "Jakarta"),
    ("buyer-my-hafiz", "Hafiz Rahman", None, "MY", "en", "MYR", "Kuala Lumpur"),
    ("buyer-cn-lihua", "Li Hua", None, "CN", "zh", "CNY", "Hangzhou"),
    ("buyer-kz-b2b-steppe", "Askar Bekov", "Steppe Retail LLP", "KZ", "ru", "KZT", "Astana"),
    ("buyer-ae-b2b-gulfmart", "Layla Mansour", "Gulf Mart Trading LLC", "AE", "ar", "AED", "Sharjah"),
)

# The path of each order state through the status history.
STATUS_PATHS: Dict[str, Sequence[str]] = {
    "placed": ("placed",),
    "paid": ("placed", "paid"),
    "shipped": ("placed", "paid", "shipped"),
    "delivered": ("placed", "paid", "shipped", "delivered"),
    "completed": ("placed", "paid", "shipped", "delivered", "completed"),
    "cancelled": ("placed", "cancelled"),
    "refund_requested": ("placed", "paid", "shipped", "delivered", "refund_requested"),
    "refunded": ("placed", "paid", "shipped", "delivered", "refund_requested", "refunded"),
    "disputed": ("placed", "paid", "shipped", "delivered", "disputed"),
    "dispute_resolved": ("placed", "paid", "shipped", "delivered", "disputed", "dispute_resolved"),
}

CARRIERS = (("Cainiao", "LP", 14), ("YunExpress", "YT", 16), ("China Post", "RB", 9), ("SF Express", "SF", 13))
HUBS = {"CN": "Shenzhen", "TR": "Istanbul", "AE": "Dubai", "MY": "Kuala Lumpur"}


@dataclass(frozen=True)
class DemoPlan:
    buyer: str
    status: str
    customs_hold: bool = False
    exception: bool = False


def demo_plans() -> List[DemoPlan]:
    """Every buyer gets orders in several states; together they cover all states."""
    states = list(STATUS_PATHS)
    plans = []
    for index, (external_id, *_rest) in enumerate(DEMO_BUYERS):
        for offset in range(4):
            plans.append(DemoPlan(external_id, states[(index * 3 + offset) % len(states)]))
        plans.append(DemoPlan(external_id, "shipped", customs_hold=True))
    plans.append(DemoPlan("buyer-ru-dmitry", "shipped", exception=True))
    return plans


def tracking_number(rng: random.Random, prefix: str, digits: int) -> str:
    number = "".join(rng.choice("0123456789") for _ in range(digits))
    return f"{prefix}{number}CN" if prefix == "RB" else f"{prefix}{number}"


def _events(rng, plan: DemoPlan, ship_from: str, buyer_country: str, city: str, shipped_at: datetime):
    steps = [("accepted", HUBS.get(ship_from, "Shenzhen"), ship_from, 0),
             ("export_customs", HUBS.get(ship_from, "Shenzhen"), ship_from, 1),
             ("in_transit", "International transit", ship_from, 2)]
    if plan.status == "shipped":
        if plan.customs_hold:
            steps.append(("import_customs", city, buyer_country, 5))
        if plan.exception:
            steps.append(("exception", city, buyer_country, 6))
    else:
        steps += [("import_customs", city, buyer_country, 5), ("out_for_delivery", city, buyer_country, 7),
                  ("delivered", city, buyer_country, 8)]
    return [(code, place, country, shipped_at + timedelta(days=day, hours=rng.randint(1, 20)))
            for code, place, country, day in steps]


def load_demo_orders(session: Session, now: Optional[datetime] = None, seed: int = 2026) -> int:
    """Creates the demo buyers and their orders; returns how many orders were created."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    buyers = {b.external_id: b for b in session.execute(select(Buyer)).scalars()}
    cities = {}
    for external_id, name, company, country, language, currency, city in DEMO_BUYERS:
        if external_id not in buyers:
            buyers[external_id] = Buyer(external_id=external_id, name=name, company=company, country=country,
                                        language=language, currency=currency)
            session.add(buyers[external_id])
        cities[external_id] = city
    session.flush()
    products = session.execute(
        select(Product).where(Product.stock > 0).order_by(Product.sku).options(selectinload(Product.seller))
    ).scalars().all()
    if not products:
        raise ValueError("load the catalog before the demo orders")
    existing = set(session.execute(select(Order.number)).scalars())
    created = 0
    for number_index, plan in enumerate(demo_plans()):
        number = f"SR-{204517 + number_index * 7919 % 700000:06d}"
        buyer = buyers[plan.buyer]
        product = rng.choice(products)
        quantity = rng.randint(20, 200) if buyer.company is not None else rng.randint(1, 2)
        # Draw everything for this order before deciding to skip it, so that
        # later orders come out the same whether or not earlier ones existed.
        carrier, prefix, digits = rng.choice(CARRIERS)
        tracking = tracking_number(rng, prefix, digits)
        placed_at = now - timedelta(days=rng.randint(12, 30), hours=rng.randint(0, 23))
        if number in existing:
            continue
        order = build_order(rng, number, plan, buyer, product, quantity, (carrier, tracking), placed_at,
                            cities[plan.buyer], now)
        session.add(order)
        created += 1
    session.flush()
    return created


def build_order(rng: random.Random, number: str, plan: DemoPlan, buyer: Buyer, product: Product, quantity: int,
                shipping: Tuple[str, str], placed_at: datetime, city: str, now: datetime) -> Order:
    """A demo order of ``quantity`` x ``product`` in ``plan``'s state, with its status history and, once
    shipped, its shipment (``shipping``: carrier and tracking number) and tracking events."""
    carrier, tracking = shipping
    b2b = buyer.company is not None
    goods = product.price_minor * quantity
    shipping_minor = max(1500, goods // 20) if not b2b else goods // 50
    order = Order(number=number, buyer=buyer, seller=product.seller, kind="b2b" if b2b else "b2c",
                  status=plan.status, currency=product.currency, goods_minor=goods, shipping_minor=shipping_minor,
                  total_minor=goods + shipping_minor, destination_country=buyer.country, placed_at=placed_at)
    order.lines.append(OrderLine(product=product, quantity=quantity, unit_price_minor=product.price_minor))
    path = STATUS_PATHS[plan.status]
    shipped_at = placed_at + timedelta(days=2)
    events = []
    if "shipped" in path:
        events = _events(rng, plan, product.ship_from, buyer.country, city, shipped_at)
        shipment = Shipment(carrier=carrier, tracking_number=tracking,
                            eta=(shipped_at + timedelta(days=10)).date())
        shipment.events = [TrackingEvent(code=c, place=p, country=k, occurred_at=t) for c, p, k, t in events]
        order.shipments.append(shipment)
    delivered_at = next((t for c, _p, _k, t in events if c == "delivered"), shipped_at + timedelta(days=8))
    moments = {"placed": placed_at, "paid": placed_at + timedelta(hours=1), "shipped": shipped_at,
               "cancelled": placed_at + timedelta(hours=5), "delivered": delivered_at}
    for step, status in enumerate(path):
        at = moments.get(status, delivered_at + timedelta(days=step - 3))
        order.history.append(OrderStatusChange(status=status, at=min(at, now)))
    return order
