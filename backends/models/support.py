"""The support desk: staff, their sign-in sessions, the handoff queue, canned replies, and the console's
projection of Rasa's conversation events (transcripts and analytics)."""

from sqlalchemy import (
    JSON, Boolean, Column, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text,
)

from backends.models.base import Base, UTCDateTime


class SupportAgent(Base):
    """A person of the support team who signs in to the console."""

    __tablename__ = "support_agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(60), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(255), nullable=False)
    languages = Column(String(60), nullable=False, default="")  # comma-separated codes the agent writes
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime(), nullable=False)


class StaffSession(Base):
    """A signed-in console (only the token's hash is kept)."""

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_sha256 = Column(String(64), nullable=False, unique=True)
    agent_id = Column(ForeignKey("support_agents.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(UTCDateTime(), nullable=False)
    expires_at = Column(UTCDateTime(), nullable=False)


class Handoff(Base):
    """A conversation handed to a person: waiting in the queue, taken by an agent, then handed back or closed.
    A conversation has at most one open handoff."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("uq_handoffs_open_conversation", "conversation_id", unique=True,
              sqlite_where=text("status != 'closed'"), postgresql_where=text("status != 'closed'")),
        Index("ix_handoffs_status_requested", "status", "requested_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    language = Column(String(8), nullable=False)
    reason = Column(String(40), nullable=False)
    buyer_id = Column(String(64))  # the shop's id of the verified buyer, if any
    order_number = Column(String(40))
    status = Column(String(12), nullable=False)  # waiting | active | closed
    requested_at = Column(UTCDateTime(), nullable=False)
    agent_id = Column(ForeignKey("support_agents.id"), index=True)
    taken_at = Column(UTCDateTime())
    first_reply_at = Column(UTCDateTime())
    closed_at = Column(UTCDateTime())
    outcome = Column(String(20))  # handed_back | closed
    note = Column(Text)


class CannedReply(Base):
    """A ready answer an agent can pick, per language."""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("language", "title", name="uq_canned_replies_language_title"),)

    id = Column(Integer, primary_key=True)
    language = Column(String(8), nullable=False, index=True)
    title = Column(String(80), nullable=False)
    text = Column(Text, nullable=False)


class ChatSession(Base):
    """One Rasa session of a conversation (a new one after an hour of silence), with what analytics count."""

    __tablename__ = "chat_sessions"
    __table_args__ = (Index("ix_chat_sessions_conversation_started", "conversation_id", "started_at"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    started_at = Column(UTCDateTime(), nullable=False, index=True)
    last_event_at = Column(UTCDateTime(), nullable=False)
    channel = Column(String(20))
    language = Column(String(8))
    user_messages = Column(Integer, nullable=False, default=0)
    fallbacks = Column(Integer, nullable=False, default=0)
    handed_off = Column(Boolean, nullable=False, default=False)
    paused = Column(Boolean, nullable=False, default=False)
    csat = Column(Integer)


class ConversationEvent(Base):
    """One Rasa event as the console shows it. ``source_key`` names where it came from (the SQL broker's row
    id, or a digest of a RabbitMQ message), so that an event delivered twice is kept once."""

    __tablename__ = "conversation_events"
    __table_args__ = (Index("ix_conversation_events_conversation_id_id", "conversation_id", "id"),)

    id = Column(Integer, primary_key=True)
    source_key = Column(String(80), nullable=False, unique=True)
    conversation_id = Column(String(255), nullable=False)
    chat_session_id = Column(ForeignKey("chat_sessions.id", ondelete="CASCADE"), index=True)
    at = Column(UTCDateTime(), nullable=False)
    kind = Column(String(20), nullable=False)
    text = Column(Text)
    intent = Column(String(80))
    confidence = Column(Float)
    entities = Column(JSON)
    name = Column(String(120))
    value = Column(JSON)
    agent = Column(String(120))


class EventCursor(Base):
    """How far the console has read an event source (the SQL broker's last row id)."""

    __tablename__ = "event_cursors"

    source = Column(String(200), primary_key=True)
    position = Column(Integer, nullable=False)
