"""Request-scoped dependencies: the database session, the buyer."""

from __future__ import annotations

from typing import Iterator, Optional

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.api.callers import Caller, authenticated_caller
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


def buyer_by_external_id(session: Session, external_id: str) -> Optional[Buyer]:
    """The buyer the shop knows by this id, or None."""
    return session.execute(select(Buyer).where(Buyer.external_id == external_id)).scalar_one_or_none()


def verified_buyer(caller: Caller = Depends(authenticated_caller), session: Session = Depends(get_session)) -> Buyer:
    """The buyer the caller (the assistant or the shop) has verified; calls on a buyer's data must name one."""
    if not caller.buyer_id:
        raise Unauthorized("X-Buyer-Id is required for a buyer's data")
    buyer = buyer_by_external_id(session, caller.buyer_id)
    if buyer is None:
        raise Unauthorized("unknown buyer")
    return buyer
