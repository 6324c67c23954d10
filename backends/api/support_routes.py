"""The support desk's API for the assistant (its key only): put a conversation in the handoff queue and learn its
place."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Request
from pydantic import Field

from backends.api.callers import allow
from backends.api.errors import ApiError
from backends.api.request_body import RequestBody
from backends.db import run_transaction
from backends.models.base import utc_now
from backends.support import queue

router = APIRouter(prefix="/v1/support", tags=["support"], dependencies=[allow("assistant")])


class HandoffIn(RequestBody):
    conversation_id: str = Field(..., min_length=1, max_length=255)
    channel: str = Field(..., description="web, telegram, whatsapp or rest")
    language: str = Field(..., min_length=2, max_length=8)
    reason: str = Field(..., description=", ".join(queue.REASONS))
    buyer_id: Optional[str] = Field(None, max_length=64, description="the verified buyer, if any")
    order_number: Optional[str] = Field(None, max_length=40)


@router.post("/handoffs", summary="Queue a conversation for a person (again: the same place)")
def request_handoff(body: HandoffIn, request: Request):
    hours = request.app.state.support_hours
    now = utc_now()

    def work(session):
        handoff = queue.request_handoff(session, queue.HandoffRequest(**body.dict()), now)  # checks it
        return handoff.id, queue.queue_position(session, handoff)

    try:
        handoff_id, position = run_transaction(request.app.state.session_factory, work)
    except ValueError as error:
        raise ApiError(str(error)) from error
    request.app.state.changes.bump()
    opens_at = hours.next_opening(now)
    return {"id": handoff_id, "queue_position": position or 1, "team_at_work": opens_at is None,
            "opens_at": opens_at.isoformat() if opens_at else None, "support_hours": str(hours)}
