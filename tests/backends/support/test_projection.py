"""Rasa's events, as the broker delivers them, become transcripts, session counters, queued handoffs, and the
console's analytics."""

from datetime import date, timedelta

from sqlalchemy import select

from backends.db import run_transaction, session_scope
from backends.models import ChatSession, ConversationEvent, Handoff
from backends.support.analytics import analytics
from backends.support.projection import apply_event
from tests.backends.support.rasa_events import DAY, Conversation

def chats(sessions, sender):
    with session_scope(sessions) as session:
        return session.execute(select(ChatSession).where(ChatSession.conversation_id == sender)
                               .order_by(ChatSession.id)).scalars().all()


def test_a_conversation_becomes_a_transcript_with_the_bots_understanding(sessions):
    Conversation(sessions, "c-1").start().user("где мой заказ SR-204517", "track_order",
                                               entities=[("order_id", "SR-204517")]) \
        .slot("language", "ru").bot("Заказ SR-204517 в пути", "utter_order_status")
    with session_scope(sessions) as session:
        lines = session.execute(select(ConversationEvent).where(ConversationEvent.conversation_id == "c-1")
                                .order_by(ConversationEvent.id)).scalars().all()
        assert [line.kind for line in lines] == ["session_started", "user", "slot", "bot"]  # no listen/start noise
        user = lines[1]
        assert (user.intent, user.confidence, user.entities) == \
            ("track_order", 0.97, [{"entity": "order_id", "value": "SR-204517"}])
        assert lines[3].name == "utter_order_status"
    [chat] = chats(sessions, "c-1")
    assert (chat.channel, chat.language, chat.user_messages, chat.fallbacks, chat.handed_off) == \
        ("web", "ru", 1, 0, False)


def test_an_event_delivered_twice_is_kept_once(sessions):
    event = {"sender_id": "c-2", "event": "user", "text": "hi", "timestamp": DAY.timestamp(),
             "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}}
    assert run_transaction(sessions, lambda s: apply_event(s, "k-1", event))
    assert not run_transaction(sessions, lambda s: apply_event(s, "k-1", event))
    assert chats(sessions, "c-2")[0].user_messages == 1


def test_a_pause_the_desk_did_not_hear_of_queues_the_conversation_with_its_reason(sessions):
    Conversation(sessions, "c-3", channel="telegram").start().user("sdfgh", "nlu_fallback", 0.2) \
        .slot("language", "ar").slot("handoff_reason", "repeated_fallback").event("pause")
    with session_scope(sessions) as session:
        handoff = session.execute(select(Handoff).where(Handoff.conversation_id == "c-3")).scalar_one()
        assert (handoff.reason, handoff.channel, handoff.language, handoff.status) == \
            ("repeated_fallback", "telegram", "ar", "waiting")
    [chat] = chats(sessions, "c-3")
    assert chat.paused and chat.handed_off and chat.fallbacks == 1


def test_agent_messages_resume_and_a_new_session(sessions):
    conversation = Conversation(sessions, "c-4").start().user("a person please", "human_handoff").event("pause")
    conversation.bot("Hello, I'm Amina", agent="Amina").event("resume").start()
    first, second = chats(sessions, "c-4")
    assert first.handed_off and not first.paused and second.user_messages == 0
    with session_scope(sessions) as session:
        agent_line = session.execute(select(ConversationEvent).where(ConversationEvent.kind == "agent")).scalar_one()
        assert (agent_line.text, agent_line.agent) == ("Hello, I'm Amina", "Amina")


def test_malformed_events_are_skipped(sessions):
    for event in ({"event": "user"}, {"sender_id": "", "event": "user"}, {"sender_id": "x" * 300, "event": "bot"},
                  {"sender_id": "c-5", "event": "user_featurization"}):
        assert not run_transaction(sessions, lambda s: apply_event(s, f"bad-{id(event)}", event))


def test_analytics_count_what_happened(sessions):
    # Day 1: two conversations, one handed off; day 2: one contained conversation with a fallback and a rating.
    Conversation(sessions, "a").start().user("hi", "greet").user("where is my order", "track_order") \
        .slot("language", "en")
    Conversation(sessions, "b").start().user("operator", "human_handoff").slot("language", "ru") \
        .slot("handoff_reason", "buyer_request").event("pause")
    Conversation(sessions, "c", start=DAY + timedelta(days=1)).start().user("blah", "nlu_fallback", 0.1) \
        .user("tariffs to KZ", "ask_import_rules").slot("language", "zh") \
        .user("5 stars", "rate_chat", entities=[("csat_score", "5")])
    with session_scope(sessions) as session:
        figures = analytics(session, 3, date(2026, 11, 22))
    assert figures["days"] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert figures["conversations"] == [2, 1, 0]
    assert figures["containment"] == [0.5, 1.0, None]
    assert figures["handoff_rate"] == [0.5, 0.0, None]
    assert figures["fallback_rate"] == [0.0, round(1 / 3, 4), None]
    assert figures["handoff_reasons"] == {"buyer_request": 1}
    assert figures["intents"]["track_order"] == 1 and figures["intents"]["rate_chat"] == 1
    assert figures["languages"] == {"en": 1, "ru": 1, "zh": 1}
    assert figures["csat"] == {"average": 5.0, "responses": 1,
                               "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    assert figures["totals"] == {"conversations": 3, "handed_off": 1, "contained": 2, "user_messages": 6,
                                 "fallbacks": 1}
