"""The console's charts, computed from the projected Rasa events (one Rasa session = one conversation):
conversations per day, containment (finished without a person), handoff rate and reasons, fallback rate
(messages the bot did not understand), intents, languages, and the satisfaction survey. Days are UTC."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backends.models import ChatSession, ConversationEvent, Handoff

MAX_DAYS = 90
TOP_INTENTS = 15


def _ratio(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def analytics(session: Session, days: int, today: date) -> Dict[str, Any]:
    days = max(1, min(int(days), MAX_DAYS))
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time(0), tzinfo=timezone.utc)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=timezone.utc)
    chats = session.execute(select(ChatSession).where(ChatSession.started_at >= start, ChatSession.started_at < end,
                                                      ChatSession.user_messages > 0)).scalars().all()
    day_list: List[date] = [first + timedelta(days=n) for n in range(days)]
    per_day: Dict[date, List[ChatSession]] = {day: [] for day in day_list}
    for chat in chats:
        per_day[chat.started_at.date()].append(chat)

    def series(kind: str) -> List[Optional[float]]:
        out: List[Optional[float]] = []
        for day in day_list:
            group = per_day[day]
            handed = sum(1 for c in group if c.handed_off)
            if kind == "containment":
                out.append(_ratio(len(group) - handed, len(group)))
            elif kind == "handoff_rate":
                out.append(_ratio(handed, len(group)))
            else:
                out.append(_ratio(sum(c.fallbacks for c in group), sum(c.user_messages for c in group)))
        return out

    reasons = dict(session.execute(select(Handoff.reason, func.count()).where(
        Handoff.requested_at >= start, Handoff.requested_at < end).group_by(Handoff.reason)).all())
    intents = session.execute(select(ConversationEvent.intent, func.count()).where(
        ConversationEvent.kind == "user", ConversationEvent.intent.isnot(None),
        ConversationEvent.at >= start, ConversationEvent.at < end)
        .group_by(ConversationEvent.intent).order_by(func.count().desc()).limit(TOP_INTENTS)).all()
    scores = [c.csat for c in chats if c.csat]
    handed_off = sum(1 for c in chats if c.handed_off)
    return {
        "days": [day.isoformat() for day in day_list],
        "conversations": [len(per_day[day]) for day in day_list],
        "containment": series("containment"),
        "handoff_rate": series("handoff_rate"),
        "fallback_rate": series("fallback_rate"),
        "handoff_reasons": reasons,
        "intents": {intent: count for intent, count in intents},
        "languages": dict(Counter(c.language or "unknown" for c in chats)),
        "csat": {"average": round(sum(scores) / len(scores), 2) if scores else None, "responses": len(scores),
                 "distribution": {str(n): scores.count(n) for n in range(1, 6)}},
        "totals": {"conversations": len(chats), "handed_off": handed_off, "contained": len(chats) - handed_off,
                   "user_messages": sum(c.user_messages for c in chats),
                   "fallbacks": sum(c.fallbacks for c in chats)},
    }
