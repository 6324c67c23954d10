"""Response bodies. Money: integer minor units with an ISO 4217 code."""

from __future__ import annotations

from datetime import date, datetime
from typing import List, Optional

from pydantic import BaseModel, Field


class Money(BaseModel):
    amount_minor: int = Field(..., description="integer amount in the currency's minor units")
    currency: str = Field(..., description="ISO 4217 code")


class ConvertedMoney(Money):
    rate_as_of: date = Field(..., description="date of the exchange rates used")


class ProductSummary(BaseModel):
    sku: str
    title: str
    title_language: str
    category: str
    brand: str
    color: Optional[str]
    size: Optional[str]
    price: Money = Field(..., description="the seller's price")
    buyer_price: Optional[ConvertedMoney] = Field(None, description="the price in the requested currency")
    in_stock: bool
    stock: int
    seller: str
    ship_from: str
    hs_chapter: int
    image_url: str


class ProductDetail(ProductSummary):
    description: str


class SearchResults(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    results: List[ProductSummary]


class Category(BaseModel):
    slug: str
    name: str
    hs_chapter: int


class Rate(BaseModel):
    currency: str
    units_per_usd: str
    as_of: date
    source: str


class Conversion(BaseModel):
    source: Money
    result: ConvertedMoney


class BuyerProfile(BaseModel):
    external_id: str
    name: str
    company: Optional[str]
    country: str
    language: str
    currency: str


class TrackingEventOut(BaseModel):
    code: str
    place: str
    country: str
    occurred_at: datetime


class ShipmentOut(BaseModel):
    order_number: str
    carrier: str
    tracking_number: str
    eta: Optional[date]
    latest_event: Optional[TrackingEventOut]
    events: List[TrackingEventOut]


class OrderLineOut(BaseModel):
    sku: str
    title: str
    quantity: int
    unit_price: Money


class StatusChangeOut(BaseModel):
    status: str
    at: datetime


class OrderSummary(BaseModel):
    number: str
    kind: str
    status: str
    placed_at: datetime
    total: Money
    buyer_total: Optional[ConvertedMoney]
    destination_country: str
    seller: str
    titles: List[str]
    categories: List[str] = Field(description="the catalog categories (slugs) of the order's products, in line order")


class OrderDetail(OrderSummary):
    goods: Money
    shipping: Money
    lines: List[OrderLineOut]
    history: List[StatusChangeOut]
    shipments: List[ShipmentOut]
