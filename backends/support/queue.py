"""The handoff queue: a conversation waits (oldest first), an agent takes it, replies, and hands it back to the
bot or closes it. One open handoff per conversation (a unique index); asking again returns the same one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backends.models import Handoff, SupportAgent

REASONS = ("buyer_request", "repeated_fallback", "form_trouble", "dispute_escalation", "backend_failure",
           "agent_initiated")
CHANNELS = ("web", "telegram", "whatsapp", "rest")
WAITING, ACTIVE, CLOSED = "waiting", "active", "closed"


class QueueRefusal(Exception):
    """The handoff is not in a state that allows this (taken by someone else, already closed, ...)."""


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    language: str
    reason: str
    buyer_id: Optional[str] = None
    order_number: Optional[str] = None

    def checked(self) -> "HandoffRequest":
        if not self.conversation_id or len(self.conversation_id) > 255:
            raise ValueError("conversation_id: 1 to 255 characters")
        if self.reason not in REASONS:
            raise ValueError(f"reason: one of {', '.join(REASONS)}")
        if self.channel not in CHANNELS:
            raise ValueError(f"channel: one of {', '.join(CHANNELS)}")
        return self


def open_handoff(session: Session, conversation_id: str) -> Optional[Handoff]:
    return session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id,
                                                 Handoff.status != CLOSED)).scalar_one_or_none()


def request_handoff(session: Session, request: HandoffRequest, now: datetime) -> Handoff:
    """Queues the conversation, or returns its open handoff (adding the buyer or order it lacked)."""
    request = request.checked()
    handoff = open_handoff(session, request.conversation_id)
    if handoff is None:
        handoff = Handoff(conversation_id=request.conversation_id, channel=request.channel,
                          language=request.language, reason=request.reason, buyer_id=request.buyer_id,
                          order_number=request.order_number, status=WAITING, requested_at=now)
        session.add(handoff)
    else:
        handoff.buyer_id = handoff.buyer_id or request.buyer_id
        handoff.order_number = handoff.order_number or request.order_number
    session.flush()
    return handoff


def queue_position(session: Session, handoff: Handoff) -> Optional[int]:
    """1 for the oldest waiting conversation; None once an agent has it."""
    if handoff.status != WAITING:
        return None
    ahead = session.execute(select(func.count()).select_from(Handoff).where(
        Handoff.status == WAITING, Handoff.requested_at < handoff.requested_at)).scalar_one()
    return ahead + 1


def waiting(session: Session) -> List[Handoff]:
    return list(session.execute(select(Handoff).where(Handoff.status == WAITING)
                                .order_by(Handoff.requested_at, Handoff.id)).scalars())


def active(session: Session) -> List[Handoff]:
    return list(session.execute(select(Handoff).where(Handoff.status == ACTIVE)
                                .order_by(Handoff.taken_at, Handoff.id)).scalars())


def take(session: Session, handoff: Handoff, agent: SupportAgent, now: datetime) -> Handoff:
    if handoff.status == ACTIVE and handoff.agent_id == agent.id:
        return handoff
    if handoff.status != WAITING:
        raise QueueRefusal("another agent has taken this conversation" if handoff.status == ACTIVE
                           else "this conversation is closed")
    handoff.status, handoff.agent_id, handoff.taken_at = ACTIVE, agent.id, now
    session.flush()
    return handoff


def must_be_mine(handoff: Optional[Handoff], agent: SupportAgent) -> Handoff:
    if handoff is None or handoff.status != ACTIVE or handoff.agent_id != agent.id:
        raise QueueRefusal("take the conversation over first")
    return handoff


def replied(handoff: Handoff, now: datetime) -> None:
    handoff.first_reply_at = handoff.first_reply_at or now


def finish(session: Session, handoff: Handoff, agent: SupportAgent, outcome: str, note: Optional[str],
           now: datetime) -> Handoff:
    """Hands the conversation back to the bot (``handed_back``) or ends it (``closed``)."""
    must_be_mine(handoff, agent)
    handoff.status, handoff.outcome, handoff.closed_at = CLOSED, outcome, now
    handoff.note = (note or "").strip() or None
    session.flush()
    return handoff
