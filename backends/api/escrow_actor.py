"""Who is calling the escrow API: exactly one of a buyer, a seller, a staff member or a service."""

from __future__ import annotations

from typing import Optional

from fastapi import Depends, Header
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.api.dependencies import get_session
from backends.api.errors import ApiError, Unauthorized
from backends.escrow.actors import CHANNELS, Actor
from backends.models import Buyer, Seller


def escrow_actor(
    x_buyer_id: Optional[str] = Header(None, description="the verified buyer"),
    x_seller_id: Optional[str] = Header(None, description="the seller's slug"),
    x_staff_id: Optional[str] = Header(None, description="the support agent"),
    x_service_id: Optional[str] = Header(None, description="a trusted service: payments, carrier, scheduler"),
    x_channel: str = Header("api", description=f"where the request came from: {', '.join(CHANNELS)}"),
    session: Session = Depends(get_session),
) -> Actor:
    given = {role: value for role, value in (("buyer", x_buyer_id), ("seller", x_seller_id),
                                             ("staff", x_staff_id), ("system", x_service_id)) if value}
    if len(given) != 1:
        raise Unauthorized("name exactly one caller: X-Buyer-Id, X-Seller-Id, X-Staff-Id or X-Service-Id")
    (role, identity), = given.items()
    if x_channel not in CHANNELS:
        raise ApiError(f"unknown X-Channel {x_channel!r}; one of: {', '.join(CHANNELS)}")
    known = {"buyer": (Buyer, Buyer.external_id), "seller": (Seller, Seller.slug)}.get(role)
    if known and session.execute(select(known[0].id).where(known[1] == identity)).first() is None:
        raise Unauthorized(f"unknown {role}")
    return Actor(role, identity[:80], x_channel)


def idempotency_key(
    idempotency_key: Optional[str] = Header(None, description="the same for retries of one request, new otherwise"),
) -> Optional[str]:
    return idempotency_key
