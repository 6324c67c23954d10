"""A verified buyer's own orders and parcels (the assistant's and the shop's keys). Anyone else's order is not
found."""

from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.api.callers import allow
from backends.api.dependencies import get_session, verified_buyer
from backends.api.errors import NotFound
from backends.api.schemas import (
    BuyerProfile, ConvertedMoney, Money, OrderDetail, OrderLineOut, OrderSummary, ShipmentOut,
    StatusChangeOut, TrackingEventOut,
)
from backends.models import Buyer, Order, OrderLine, Product, Shipment
from backends.money import RateTable

router = APIRouter(prefix="/v1", tags=["orders"], dependencies=[allow("assistant", "shop")])

OPEN_STATUSES = ("placed", "paid", "shipped", "delivered", "refund_requested", "disputed")


def _title(product: Product, language: str) -> str:
    text = product.text_in(language)
    return text.name if text else product.sku


def _order_query():
    return select(Order).options(
        selectinload(Order.lines).selectinload(OrderLine.product).selectinload(Product.texts),
        selectinload(Order.lines).selectinload(OrderLine.product).selectinload(Product.category),
        selectinload(Order.history), selectinload(Order.seller),
        selectinload(Order.shipments).selectinload(Shipment.events),
    )


def _money(amount: int, currency: str) -> Money:
    return Money(amount_minor=amount, currency=currency)


def _summary_fields(order: Order, buyer: Buyer, language: str, rates: RateTable) -> dict:
    return dict(
        number=order.number, kind=order.kind, status=order.status, placed_at=order.placed_at,
        total=_money(order.total_minor, order.currency),
        buyer_total=ConvertedMoney(
            amount_minor=rates.convert(order.total_minor, order.currency, buyer.currency),
            currency=buyer.currency, rate_as_of=rates.as_of(order.currency, buyer.currency),
        ),
        destination_country=order.destination_country, seller=order.seller.name,
        titles=[_title(line.product, language) for line in order.lines],
        categories=list(dict.fromkeys(line.product.category.slug for line in order.lines)),
    )


def _shipment(shipment: Shipment) -> ShipmentOut:
    events = [TrackingEventOut(code=e.code, place=e.place, country=e.country, occurred_at=e.occurred_at)
              for e in shipment.events]
    return ShipmentOut(order_number=shipment.order.number, carrier=shipment.carrier,
                       tracking_number=shipment.tracking_number, eta=shipment.eta,
                       latest_event=events[-1] if events else None, events=events)


def _own_order(session: Session, buyer: Buyer, number: str) -> Order:
    order = session.execute(
        _order_query().where(Order.number == number.upper(), Order.buyer_id == buyer.id)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound(f"no order {number} for this buyer")
    return order


@router.get("/buyers/me", response_model=BuyerProfile, summary="The verified buyer")
def me(buyer: Buyer = Depends(verified_buyer)):
    return BuyerProfile(external_id=buyer.external_id, name=buyer.name, company=buyer.company,
                        country=buyer.country, language=buyer.language, currency=buyer.currency)


@router.get("/orders", response_model=List[OrderSummary], summary="The buyer's orders, newest first")
def list_orders(
    state: str = Query("open", regex="^(open|all)$", description="open: not completed, cancelled or closed"),
    language: Optional[str] = Query(None, min_length=2, max_length=8),
    buyer: Buyer = Depends(verified_buyer),
    session: Session = Depends(get_session),
):
    query = _order_query().where(Order.buyer_id == buyer.id).order_by(Order.placed_at.desc())
    if state == "open":
        query = query.where(Order.status.in_(OPEN_STATUSES))
    rates = RateTable.latest(session)
    return [OrderSummary(**_summary_fields(o, buyer, language or buyer.language, rates))
            for o in session.execute(query).scalars()]


@router.get("/orders/{number}", response_model=OrderDetail, summary="One of the buyer's orders")
def get_order(
    number: str,
    language: Optional[str] = Query(None, min_length=2, max_length=8),
    buyer: Buyer = Depends(verified_buyer),
    session: Session = Depends(get_session),
):
    order = _own_order(session, buyer, number)
    language = language or buyer.language
    return OrderDetail(
        **_summary_fields(order, buyer, language, RateTable.latest(session)),
        goods=_money(order.goods_minor, order.currency), shipping=_money(order.shipping_minor, order.currency),
        lines=[OrderLineOut(sku=line.product.sku, title=_title(line.product, language), quantity=line.quantity,
                            unit_price=_money(line.unit_price_minor, order.currency)) for line in order.lines],
        history=[StatusChangeOut(status=h.status, at=h.at) for h in order.history],
        shipments=[_shipment(s) for s in order.shipments],
    )


@router.get("/shipments/{tracking_number}", response_model=ShipmentOut, summary="One of the buyer's parcels")
def get_shipment(
    tracking_number: str, buyer: Buyer = Depends(verified_buyer), session: Session = Depends(get_session)
):
    shipment = session.execute(
        select(Shipment).join(Order).where(
            Shipment.tracking_number == tracking_number.upper(), Order.buyer_id == buyer.id
        ).options(selectinload(Shipment.events), selectinload(Shipment.order))
    ).scalar_one_or_none()
    if shipment is None:
        raise NotFound(f"no parcel {tracking_number} for this buyer")
    return _shipment(shipment)
