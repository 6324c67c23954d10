"""Request-scoped dependencies: the database session, the API key, the buyer."""

from __future__ import annotations

import hmac
from typing import Iterator, Optional

from fastapi import Depends, Header, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.api.errors import Unauthorized
from backends.db import session_scope
from backends.models import Buyer


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, for reads: committed on success, rolled back on error.

    FastAPI runs the code after ``yield`` once the answer has been sent, so a write made
    here would commit after the caller has its answer: writes use ``run_transaction``.
    """
    with session_scope(request.app.state.session_factory) as session:
        yield session


def require_api_key(request: Request, x_api_key: Optional[str] = Header(None)) -> None:
    """Every call but /health carries one of the configured keys."""
    if not x_api_key or not any(
        hmac.compare_digest(x_api_key.encode(), key.encode()) for key in request.app.state.settings.api_keys
    ):
        raise Unauthorized("missing or invalid X-Api-Key")


def buyer_by_external_id(session: Session, external_id: str) -> Optional[Buyer]:
    """The buyer the shop knows by this id, or None."""
    return session.execute(select(Buyer).where(Buyer.external_id == external_id)).scalar_one_or_none()


def verified_buyer(
    x_buyer_id: Optional[str] = Header(None), session: Session = Depends(get_session)
) -> Buyer:
    """The buyer the caller has verified; calls on a buyer's data must name one."""
    if not x_buyer_id:
        raise Unauthorized("X-Buyer-Id is required for a buyer's data")
    buyer = buyer_by_external_id(session, x_buyer_id)
    if buyer is None:
        raise Unauthorized("unknown buyer")
    return buyer
