"""Who acts on an escrow through the API: the key's kind decides (backends/api/callers.py). The assistant and
the shop act for the buyer they name, the seller portal for its seller, a service for itself. Staff act through
the console (backends/api/console_escrow_routes.py)."""

from __future__ import annotations

from typing import Optional

from fastapi import Depends, Header
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.api.callers import IDENTITY_HEADERS, Caller, authenticated_caller
from backends.api.dependencies import get_session
from backends.api.errors import Unauthorized
from backends.escrow.actors import Actor
from backends.models import Buyer, Seller

# The escrow role and the record that must exist, for each kind of caller that acts for someone.
NAMED_PARTIES = {"buyer": ("buyer", Buyer, Buyer.external_id), "seller": ("seller", Seller, Seller.slug)}


def escrow_actor(caller: Caller = Depends(authenticated_caller), session: Session = Depends(get_session)) -> Actor:
    if caller.acts_for == "service":
        return Actor("system", caller.kind, caller.channel)
    role, model, column = NAMED_PARTIES[caller.acts_for]
    identity = caller.buyer_id if role == "buyer" else caller.seller_id
    if not identity:
        raise Unauthorized(f"a {caller.kind} key acts for a {role}: send {IDENTITY_HEADERS[caller.acts_for]}")
    if session.execute(select(model.id).where(column == identity)).first() is None:
        raise Unauthorized(f"unknown {role}")
    return Actor(role, identity[:80], caller.channel)


def idempotency_key(
    idempotency_key: Optional[str] = Header(None, description="the same for retries of one request, new otherwise"),
) -> Optional[str]:
    return idempotency_key
