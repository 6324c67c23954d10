"""Rasa's conversation events, as the event broker delivers them, turned into what the console shows and
counts: transcript lines (a user message with the bot's understanding, bot and agent messages, slots set,
pauses and resumes), one row per Rasa session with its counters, and a queued handoff for a conversation
the bot paused when the support desk could not be told directly."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.models import ChatSession, ConversationEvent
from backends.support import queue

CHANNEL_NAMES = {"socketio": "web", "telegram": "telegram", "whatsapp": "whatsapp", "rest": "rest"}
LANGUAGES = ("en", "zh", "ru", "ar")
# Slots that say nothing to an agent.
QUIET_SLOTS = {"session_started_metadata", "requested_slot"}
QUIET_ACTIONS = {"action_listen", "action_session_start"}
SURVEY_INTENT, SURVEY_ENTITY = "rate_chat", "csat_score"


def moment_of(event: Dict[str, Any]) -> datetime:
    try:
        return datetime.fromtimestamp(float(event["timestamp"]), tz=timezone.utc)
    except (KeyError, TypeError, ValueError):
        return datetime.now(timezone.utc)


def current_session(session: Session, conversation_id: str) -> Optional[ChatSession]:
    return session.execute(select(ChatSession).where(ChatSession.conversation_id == conversation_id)
                           .order_by(ChatSession.started_at.desc(), ChatSession.id.desc()).limit(1)
                           ).scalar_one_or_none()


def _new_session(session: Session, conversation_id: str, at: datetime,
                 previous: Optional[ChatSession]) -> ChatSession:
    chat = ChatSession(conversation_id=conversation_id, started_at=at, last_event_at=at,
                       channel=previous.channel if previous else None,
                       language=previous.language if previous else None,
                       user_messages=0, fallbacks=0, handed_off=False, paused=False)
    session.add(chat)
    session.flush()
    return chat


def csat_score(parse_data: Dict[str, Any]) -> Optional[int]:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == SURVEY_ENTITY:
            try:
                score = int(str(entity.get("value")).strip())
            except ValueError:
                return None
            return score if 1 <= score <= 5 else None
    return None


def says_something(event: Dict[str, Any]) -> bool:
    """Whether the console shows or counts this event (many of a turn's events, such as ``action_listen``, it
    does not): decided before the database is asked anything."""
    kind = event.get("event")
    if kind == "slot":
        return event.get("name") not in QUIET_SLOTS
    if kind == "action":
        return event.get("name") not in QUIET_ACTIONS
    return kind in ("user", "bot", "pause", "resume", "session_started", "restart")


def apply_event(session: Session, source_key: str, event: Dict[str, Any]) -> bool:
    """Projects one Rasa event; False if it was seen before or says nothing to the console."""
    conversation_id, kind = event.get("sender_id"), event.get("event")
    if not isinstance(conversation_id, str) or not conversation_id or len(conversation_id) > 255:
        return False
    if not says_something(event):
        return False
    if session.execute(select(ConversationEvent.id).where(ConversationEvent.source_key == source_key)).first():
        return False
    at = moment_of(event)
    chat = current_session(session, conversation_id)
    if kind in ("session_started", "restart"):
        chat = _new_session(session, conversation_id, at, chat)
    line = ConversationEvent(source_key=source_key, conversation_id=conversation_id, at=at)
    if kind == "user":
        chat = chat or _new_session(session, conversation_id, at, None)
        parse_data = event.get("parse_data") or {}
        intent = (parse_data.get("intent") or {})
        line.kind, line.text = "user", event.get("text")
        line.intent, line.confidence = intent.get("name"), intent.get("confidence")
        line.entities = [{"entity": e.get("entity"), "value": e.get("value")}
                         for e in parse_data.get("entities") or [] if e.get("entity")]
        chat.user_messages += 1
        chat.fallbacks += 1 if line.intent == "nlu_fallback" else 0
        chat.channel = CHANNEL_NAMES.get(event.get("input_channel") or "", chat.channel)
        if line.intent == SURVEY_INTENT:
            chat.csat = csat_score(parse_data) or chat.csat
    elif kind == "bot":
        metadata = event.get("metadata") or {}
        line.kind = "agent" if metadata.get("agent") else "bot"
        line.text, line.agent, line.name = event.get("text"), metadata.get("agent"), metadata.get("utter_action")
        line.value = {key: value for key, value in (event.get("data") or {}).items() if value} or None
    elif kind == "slot":
        line.kind, line.name, line.value = "slot", event.get("name"), event.get("value")
        if chat is not None and line.name == "language" and line.value in LANGUAGES:
            chat.language = line.value
    elif kind == "action":
        line.kind, line.name = "action", event.get("name")
    elif kind in ("pause", "resume", "session_started"):
        line.kind = kind
    else:
        return False
    if chat is None:
        chat = _new_session(session, conversation_id, at, None)
    line.chat_session_id = chat.id
    chat.last_event_at = max(chat.last_event_at, at)
    if kind == "pause":
        chat.paused = chat.handed_off = True
        _queue_if_unknown(session, chat, at)
    elif kind == "resume":
        chat.paused = False
    session.add(line)
    session.flush()
    return True


def _queue_if_unknown(session: Session, chat: ChatSession, at: datetime) -> None:
    """The bot paused the conversation: it is in the queue even if the bot could not reach the desk."""
    if queue.open_handoff(session, chat.conversation_id) is not None:
        return
    reason = session.execute(
        select(ConversationEvent.value).where(ConversationEvent.conversation_id == chat.conversation_id,
                                              ConversationEvent.kind == "slot",
                                              ConversationEvent.name == "handoff_reason")
        .order_by(ConversationEvent.id.desc()).limit(1)).scalar_one_or_none()
    queue.request_handoff(session, queue.HandoffRequest(
        conversation_id=chat.conversation_id, channel=chat.channel or "rest", language=chat.language or "en",
        reason=reason if reason in queue.REASONS else "buyer_request"), at)
