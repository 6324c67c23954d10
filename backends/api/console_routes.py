"""The support console: a web app for staff (sign-in required) and its JSON API.

Pages: ``/console/login``, ``/console``; files: ``/console/static/...``. API (session cookie): the queue,
a conversation's transcript with the bot's understanding and the buyer's orders, take over / reply / hand
back / close, canned replies, analytics, and a live stream (Server-Sent Events) of changes. Agents' replies
and hand-backs go to the buyer through Rasa (backends/support/rasa_conversations.py).

Every write must come from the console's own pages (backends/api/same_origin.py); sign-in is throttled per
account and per client address (backends/api/sign_in_throttle.py); the pages and answers carry the console's
security headers (backends/api/security_headers.py). What staff do to an escrow is in
backends/api/console_escrow_routes.py."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.api.dependencies import get_session
from backends.api.errors import ApiError, Conflict, NotFound, Unauthorized, Unavailable
from backends.api.forwarded import client_address, client_used_https
from backends.api.request_body import RequestBody
from backends.api.same_origin import same_origin_writes
from backends.db import run_transaction, session_scope
from backends.models import ChatSession, ConversationEvent, Handoff, SupportAgent
from backends.models.base import utc_now
from backends.settings import ROOT
from backends.support import queue, staff
from backends.support.analytics import analytics
from backends.support.buyer_context import buyer_context
from backends.support.canned_replies import canned_replies
from backends.support.projection import current_session
from backends.support.rasa_conversations import CLOSED, HANDED_BACK, SURVEY, RasaUnavailable
from backends.timestamps import iso_or_none

COOKIE = "silkroad_console"
WEB = ROOT / "web"
PAGES = {"login": WEB / "console" / "login.html", "console": WEB / "console" / "console.html"}
STATIC_FILES = {
    "console.js": (WEB / "static" / "console.js", "application/javascript"),
    "login.js": (WEB / "static" / "login.js", "application/javascript"),
    "console.css": (WEB / "static" / "console.css", "text/css"),
    "chart.js": (WEB / "node_modules" / "chart.js" / "dist" / "chart.umd.js", "application/javascript"),
}
TRANSCRIPT_LIMIT = 500
RECENT_CONVERSATIONS = 20
MAX_REPLY = 4000

router = APIRouter(prefix="/console", tags=["support console"], include_in_schema=False,
                   dependencies=[Depends(same_origin_writes)])


class LoginIn(RequestBody):
    username: str = Field(..., max_length=60)
    password: str = Field(..., max_length=200)


class ReplyIn(RequestBody):
    text: str = Field(..., max_length=MAX_REPLY)


class NoteIn(RequestBody):
    note: str = Field("", max_length=2000)


class TooManyAttempts(ApiError):
    status_code = 429
    code = "too_many_attempts"


def signed_in_agent(request: Request, session: Session = Depends(get_session)) -> SupportAgent:
    agent = staff.agent_of_session(session, request.cookies.get(COOKIE))
    if agent is None:
        raise Unauthorized("sign in to the console")
    return agent


def agent_view(agent: SupportAgent) -> Dict[str, Any]:
    return {"id": agent.id, "username": agent.username, "display_name": agent.display_name,
            "languages": [code for code in agent.languages.split(",") if code]}


def last_message(session: Session, conversation_id: str) -> Optional[Dict[str, Any]]:
    event = session.execute(select(ConversationEvent).where(
        ConversationEvent.conversation_id == conversation_id,
        ConversationEvent.kind.in_(("user", "bot", "agent"))).order_by(ConversationEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    return {"text": event.text, "at": iso_or_none(event.at), "kind": event.kind} if event else None


def handoff_item(session: Session, handoff: Handoff, agent: SupportAgent, now: datetime) -> Dict[str, Any]:
    owner = session.get(SupportAgent, handoff.agent_id) if handoff.agent_id else None
    waited_until = handoff.taken_at or now
    return {"handoff_id": handoff.id, "conversation_id": handoff.conversation_id, "status": handoff.status,
            "channel": handoff.channel, "language": handoff.language, "reason": handoff.reason,
            "buyer_id": handoff.buyer_id, "order_number": handoff.order_number,
            "requested_at": iso_or_none(handoff.requested_at),
            "waiting_seconds": int((waited_until - handoff.requested_at).total_seconds()),
            "agent": {"id": owner.id, "display_name": owner.display_name} if owner else None,
            "mine": owner is not None and owner.id == agent.id, "note": handoff.note,
            "queue_position": queue.queue_position(session, handoff),
            "last_message": last_message(session, handoff.conversation_id)}


def bot_item(session: Session, chat: ChatSession) -> Dict[str, Any]:
    return {"handoff_id": None, "conversation_id": chat.conversation_id, "status": "bot",
            "channel": chat.channel or "rest", "language": chat.language or "en", "reason": None,
            "buyer_id": None, "order_number": None, "requested_at": None, "waiting_seconds": None,
            "agent": None, "mine": False, "queue_position": None,
            "last_message": last_message(session, chat.conversation_id)}


# Pages and files.

@router.get("/login")
def login_page():
    return FileResponse(PAGES["login"], media_type="text/html", headers={"Cache-Control": "no-store"})


@router.get("")
def console_page(request: Request, session: Session = Depends(get_session)):
    if staff.agent_of_session(session, request.cookies.get(COOKIE)) is None:
        return RedirectResponse("/console/login", status_code=303)
    return FileResponse(PAGES["console"], media_type="text/html", headers={"Cache-Control": "no-store"})


@router.get("/static/{name}")
def console_static(name: str):
    if name not in STATIC_FILES:
        raise NotFound("no such file")
    path, media_type = STATIC_FILES[name]
    if not path.exists():
        raise NotFound(f"{name} is not installed: run scripts/setup.sh")
    return FileResponse(path, media_type=media_type)


# Signing in and out.

@router.post("/api/login")
def login(body: LoginIn, request: Request):
    username, address = body.username.strip().lower(), client_address(request)
    throttle = request.app.state.login_throttle
    if throttle.locked(username, address):
        raise TooManyAttempts("too many wrong passwords: try again in 15 minutes")

    def work(session: Session):
        agent = staff.authenticate(session, username, body.password)
        return (agent_view(agent), staff.open_session(session, agent)) if agent else (None, None)

    agent, token = run_transaction(request.app.state.session_factory, work)
    if agent is None:
        throttle.failed(username, address)
        raise Unauthorized("wrong username or password")
    throttle.succeeded(username)
    response = Response(json.dumps({"agent": agent}), media_type="application/json")
    response.set_cookie(COOKIE, token, max_age=int(staff.SESSION_LIFETIME.total_seconds()), path="/console",
                        httponly=True, samesite="strict", secure=client_used_https(request))
    return response


@router.post("/api/logout", status_code=204)
def logout(request: Request):
    run_transaction(request.app.state.session_factory,
                    lambda session: staff.close_session(session, request.cookies.get(COOKIE)))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/api/me")
def me(agent: SupportAgent = Depends(signed_in_agent)):
    return {"agent": agent_view(agent)}


# The queue and conversations.

@router.get("/api/queue")
def queue_view(request: Request, agent: SupportAgent = Depends(signed_in_agent),
               session: Session = Depends(get_session)):
    now = utc_now()
    hours = request.app.state.support_hours
    waiting, active = queue.waiting(session), queue.active(session)
    handed = {h.conversation_id for h in waiting + active}
    recent: List[Dict[str, Any]] = []
    seen = set(handed)
    chats = session.execute(select(ChatSession).where(ChatSession.user_messages > 0)
                            .order_by(ChatSession.last_event_at.desc()).limit(RECENT_CONVERSATIONS * 3)).scalars()
    for chat in chats:
        if chat.conversation_id not in seen and len(recent) < RECENT_CONVERSATIONS:
            seen.add(chat.conversation_id)
            recent.append(bot_item(session, chat))
    return {"team_at_work": hours.at_work(now), "support_hours": str(hours),
            "waiting": [handoff_item(session, h, agent, now) for h in waiting],
            "active": [handoff_item(session, h, agent, now) for h in active], "recent": recent}


def event_view(event: ConversationEvent) -> Dict[str, Any]:
    return {"id": event.id, "at": iso_or_none(event.at), "kind": event.kind, "text": event.text, "intent": event.intent,
            "confidence": event.confidence, "entities": event.entities or [], "name": event.name,
            "value": event.value, "agent": event.agent}


def notes_of(session: Session, conversation_id: str) -> List[Dict[str, Any]]:
    """Agents' hand-back and closing notes, as transcript lines."""
    rows = session.execute(select(Handoff, SupportAgent).join(SupportAgent, SupportAgent.id == Handoff.agent_id)
                           .where(Handoff.conversation_id == conversation_id, Handoff.note.isnot(None))).all()
    return [{"id": -handoff.id, "at": iso_or_none(handoff.closed_at), "kind": "note",
             "text": f"{handoff.outcome.replace('_', ' ')}: {handoff.note}", "intent": None, "confidence": None,
             "entities": [], "name": handoff.outcome, "value": None, "agent": owner.display_name}
            for handoff, owner in rows]


def order_numbers_in(handoff: Optional[Handoff], events: List[ConversationEvent]) -> List[str]:
    numbers = [handoff.order_number] if handoff and handoff.order_number else []
    for event in reversed(events):
        if event.kind == "slot" and event.name == "order_number" and isinstance(event.value, str):
            numbers.append(event.value)
        for entity in event.entities or []:
            if entity.get("entity") == "order_id" and isinstance(entity.get("value"), str):
                numbers.append(entity["value"].upper())
    return numbers


def latest_handoff(session: Session, conversation_id: str) -> Optional[Handoff]:
    return session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)
                           .order_by(Handoff.id.desc()).limit(1)).scalar_one_or_none()


@router.get("/api/conversations/{conversation_id}")
def conversation(conversation_id: str, agent: SupportAgent = Depends(signed_in_agent),
                 session: Session = Depends(get_session)):
    events = list(session.execute(select(ConversationEvent).where(
        ConversationEvent.conversation_id == conversation_id).order_by(ConversationEvent.id.desc())
        .limit(TRANSCRIPT_LIMIT)).scalars())[::-1]
    handoff = latest_handoff(session, conversation_id)
    chat = current_session(session, conversation_id)
    if not events and handoff is None:
        raise NotFound("no such conversation")
    lines = sorted([event_view(e) for e in events] + notes_of(session, conversation_id),
                   key=lambda line: (line["at"] or "", line["id"] if line["id"] > 0 else 0))
    return {"conversation_id": conversation_id,
            "channel": (handoff.channel if handoff else None) or (chat.channel if chat else None) or "rest",
            "language": (chat.language if chat else None) or (handoff.language if handoff else "en"),
            "paused": bool(chat.paused) if chat else False,
            "handoff": handoff_item(session, handoff, agent, utc_now()) if handoff else None,
            "events": lines, "context": buyer_context(session, handoff, order_numbers_in(handoff, events))}


def _changed(request: Request) -> None:
    request.app.state.changes.bump()


@router.post("/api/conversations/{conversation_id}/take")
def take(conversation_id: str, request: Request, agent: SupportAgent = Depends(signed_in_agent)):
    """Takes a waiting conversation, or takes one over from the bot: the handoff is recorded first (so that
    the pause, when the event feed reads it, finds it), then Rasa pauses the conversation; if Rasa cannot,
    the handoff is withdrawn and the bot keeps the conversation."""
    sessions, now = request.app.state.session_factory, utc_now()
    with session_scope(sessions) as session:
        chat = current_session(session, conversation_id)

    def work(session: Session):
        handoff = queue.open_handoff(session, conversation_id)
        from_the_bot = handoff is None
        if from_the_bot:
            if chat is None:
                raise NotFound("no such conversation")
            handoff = queue.request_handoff(session, queue.HandoffRequest(
                conversation_id, chat.channel or "rest", chat.language or "en", "agent_initiated"), now)
        return from_the_bot, handoff.id, handoff_item(session, queue.take(session, handoff, agent, now), agent, now)

    try:
        from_the_bot, handoff_id, item = run_transaction(sessions, work)
    except queue.QueueRefusal as refusal:
        raise Conflict(str(refusal)) from refusal
    if from_the_bot:
        try:
            request.app.state.rasa.pause(conversation_id)
        except RasaUnavailable as error:
            run_transaction(sessions, lambda session: session.delete(session.get(Handoff, handoff_id)))
            raise Unavailable(str(error), "rasa_unavailable") from error
    _changed(request)
    return item


def my_handoff(request: Request, conversation_id: str, agent: SupportAgent) -> Handoff:
    with session_scope(request.app.state.session_factory) as session:
        try:
            return queue.must_be_mine(queue.open_handoff(session, conversation_id), agent)
        except queue.QueueRefusal as refusal:
            raise Conflict(str(refusal)) from refusal


@router.post("/api/conversations/{conversation_id}/reply")
def reply(conversation_id: str, body: ReplyIn, request: Request, agent: SupportAgent = Depends(signed_in_agent)):
    text = body.text.strip()
    if not text:
        raise ApiError("the reply is empty")
    handoff = my_handoff(request, conversation_id, agent)
    try:
        request.app.state.rasa.send_agent_text(conversation_id, text, agent.display_name)
    except RasaUnavailable as error:
        raise Unavailable(f"not delivered: {error}", "rasa_unavailable") from error
    now = utc_now()

    def work(session: Session) -> None:
        queue.replied(session.get(Handoff, handoff.id), now)

    run_transaction(request.app.state.session_factory, work)
    _changed(request)
    return {"id": None, "at": now.isoformat(), "kind": "agent", "text": text, "intent": None, "confidence": None,
            "entities": [], "name": None, "value": None, "agent": agent.display_name}


def _finish(request: Request, conversation_id: str, agent: SupportAgent, outcome: str, note: str,
            responses: List[str]) -> Dict[str, Any]:
    handoff = my_handoff(request, conversation_id, agent)
    if outcome == "handed_back" and not note.strip():
        raise ApiError("a hand-back needs a note for the record")
    try:
        request.app.state.rasa.resume(conversation_id, responses)
    except RasaUnavailable as error:
        raise Unavailable(f"the bot was not resumed: {error}", "rasa_unavailable") from error
    now = utc_now()

    def work(session: Session):
        finished = queue.finish(session, session.get(Handoff, handoff.id), agent, outcome, note, now)
        return handoff_item(session, finished, agent, now)

    item = run_transaction(request.app.state.session_factory, work)
    _changed(request)
    return item


@router.post("/api/conversations/{conversation_id}/hand-back")
def hand_back(conversation_id: str, body: NoteIn, request: Request, agent: SupportAgent = Depends(signed_in_agent)):
    """The bot answers again (it tells the buyer so, in their language); the note stays in the record."""
    return _finish(request, conversation_id, agent, "handed_back", body.note, [HANDED_BACK])


@router.post("/api/conversations/{conversation_id}/close")
def close(conversation_id: str, body: NoteIn, request: Request, agent: SupportAgent = Depends(signed_in_agent)):
    """The conversation is finished: the buyer is thanked and asked the satisfaction survey."""
    return _finish(request, conversation_id, agent, "closed", body.note, [CLOSED, SURVEY])


@router.get("/api/canned-replies")
def canned(language: str = Query("en", max_length=8), agent: SupportAgent = Depends(signed_in_agent),
           session: Session = Depends(get_session)):
    return [{"id": r.id, "language": r.language, "title": r.title, "text": r.text}
            for r in canned_replies(session, language)]


@router.get("/api/analytics")
def analytics_view(days: int = Query(14, ge=1, le=90), agent: SupportAgent = Depends(signed_in_agent),
                   session: Session = Depends(get_session)):
    return analytics(session, days, utc_now().date())


@router.get("/api/stream")
async def stream(request: Request):
    """``event: change`` whenever the queue or a transcript changed; a comment every 15 s keeps it open."""
    with session_scope(request.app.state.session_factory) as session:
        if staff.agent_of_session(session, request.cookies.get(COOKIE)) is None:
            raise Unauthorized("sign in to the console")
    changes = request.app.state.changes

    async def events():
        seen, quiet = None, 0.0
        while not await request.is_disconnected():
            if changes.version != seen:
                seen, quiet = changes.version, 0.0
                yield f"event: change\ndata: {json.dumps({'version': seen})}\n\n"
            elif quiet >= 15:
                quiet = 0.0
                yield ": keep-alive\n\n"
            await asyncio.sleep(0.25)
            quiet += 0.25

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
