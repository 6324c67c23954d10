"""How the console learns of conversations: from Rasa's event broker, never by polling trackers.

- ``sql:<SQLAlchemy URL>``: Rasa's SQL event broker (the embedded profile) writes every event as a row of its
  ``events`` table with an increasing id; the feed reads the rows after the last one it projected (one indexed
  query), projects them and moves its cursor in the same transaction: each event is projected once.
- ``amqp://...``: Rasa's pika event broker (production) publishes to a fanout exchange bound to durable
  queues; the feed consumes its queue, projects the messages that arrived together in one transaction and
  acknowledges them after it is committed (a message delivered again is recognized by its digest and
  skipped).

``SILKROAD_RASA_EVENTS`` names the source; the feed runs inside the backends process and wakes the console's
live updates (``ChangeSignal``)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import parse_qs, urlparse, urlunparse

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from backends.db import run_transaction
from backends.models import EventCursor
from backends.support.projection import apply_event

log = logging.getLogger(__name__)

BATCH = 500
AMQP_PREFETCH = 100  # RabbitMQ messages handed to the feed before it acknowledges; the largest batch
RABBITMQ_EXCHANGE = "rasa-exchange"  # the exchange Rasa's pika broker publishes to


class ChangeSignal:
    """A counter the console's live stream watches: bumped whenever queue or transcripts change."""

    def __init__(self) -> None:
        self.version = 0

    def bump(self) -> None:
        self.version += 1


def project_batch(session: Session, events: Sequence[Tuple[str, Dict[str, Any]]]) -> int:
    return sum(1 for key, event in events if apply_event(session, key, event))


class SqlBrokerFeed:
    """Follows the ``events`` table of Rasa's SQL event broker."""

    def __init__(self, url: str, sessions: sessionmaker, signal: ChangeSignal, poll_seconds: float = 0.3):
        self.url, self.sessions, self.signal, self.poll_seconds = url, sessions, signal, poll_seconds
        self.engine = sa.create_engine(url, future=True)  # Rasa's database: read as it is
        self.source = "sql:" + safe_url(url)

    def read(self, after: int) -> List[Tuple[int, Dict[str, Any]]]:
        """The broker's rows after ``after`` (none while Rasa has not created its table yet)."""
        query = sa.text("SELECT id, sender_id, data FROM events WHERE id > :after ORDER BY id LIMIT :limit")
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(query, {"after": after, "limit": BATCH}).all()
        except sa.exc.OperationalError as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                return []
            raise
        except sa.exc.ProgrammingError:  # PostgreSQL: the table does not exist yet
            return []
        batch = []
        for row_id, sender_id, data in rows:
            try:
                event = json.loads(data)
            except (TypeError, ValueError):
                log.warning("event %s of the SQL broker is not JSON; skipped", row_id)
                event = {}
            event.setdefault("sender_id", sender_id)
            batch.append((row_id, event))
        return batch

    def position(self, session: Session) -> int:
        cursor = session.get(EventCursor, self.source)
        return cursor.position if cursor else 0

    def step(self) -> int:
        """Projects the next batch; the number of rows read."""
        after = run_transaction(self.sessions, self.position)
        batch = self.read(after)
        if not batch:
            return 0

        def project(session: Session) -> int:
            if self.position(session) != after:  # another process moved the cursor meanwhile: read again
                return 0
            changed = project_batch(session, [(f"sql:{row_id}", event) for row_id, event in batch])
            cursor = session.get(EventCursor, self.source) or EventCursor(source=self.source)
            cursor.position = batch[-1][0]
            session.add(cursor)
            return changed

        if run_transaction(self.sessions, project):
            self.signal.bump()
        return len(batch)

    async def run(self) -> None:
        log.info("console events: following %s", self.source)
        while True:
            try:
                read = await asyncio.to_thread(self.step)
            except Exception:  # the broker's database or ours away: retry, do not die
                log.exception("console events: reading %s failed; retrying", self.source)
                read = 0
                await asyncio.sleep(2)
            if read < BATCH:
                await asyncio.sleep(self.poll_seconds)

    def close(self) -> None:
        self.engine.dispose()


class RabbitMqFeed:
    """Consumes the queue Rasa's pika event broker publishes to (``amqp://...?queue=rasa_events``)."""

    def __init__(self, url: str, sessions: sessionmaker, signal: ChangeSignal):
        parsed = urlparse(url)
        query = parse_qs(parsed.query)
        self.queue_name = (query.get("queue") or ["rasa_events"])[0]
        # Rasa's pika broker's exchange_name (endpoints.yml); Rasa's default unless the URL names another
        self.exchange_name = (query.get("exchange") or [RABBITMQ_EXCHANGE])[0]
        self.url = urlunparse(parsed._replace(query=""))
        self.sessions, self.signal = sessions, signal
        self.source = "amqp:" + safe_url(self.url) + "/" + self.queue_name

    @staticmethod
    def key_of(body: bytes) -> str:
        return "amqp:" + hashlib.sha256(body).hexdigest()[:40]

    def decode(self, body: bytes) -> Optional[Dict[str, Any]]:
        try:
            event = json.loads(body)
        except ValueError:
            log.warning("console events: a message of %s is not JSON; dropped", self.source)
            return None
        return event if isinstance(event, dict) else None

    def project_messages(self, bodies: Sequence[bytes]) -> int:
        """Projects the messages' events in one transaction; the number that changed what the console shows."""
        events = [(self.key_of(body), event) for body in bodies for event in [self.decode(body)] if event is not None]
        if not events:
            return 0
        return run_transaction(self.sessions, lambda session: project_batch(session, events))

    async def run(self) -> None:
        """Consumes the queue. What has arrived while a batch was being projected is projected together, in one
        transaction (a turn publishes ten or more events at once), and acknowledged after the commit."""
        import aio_pika

        log.info("console events: consuming %s", self.source)
        while True:
            inbox: asyncio.Queue = asyncio.Queue()
            try:
                connection = await aio_pika.connect_robust(self.url, timeout=10)
                async with connection:
                    channel = await connection.channel()
                    await channel.set_qos(prefetch_count=AMQP_PREFETCH)
                    exchange = await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.FANOUT)
                    queue = await channel.declare_queue(self.queue_name, durable=True)
                    await queue.bind(exchange, "")
                    await queue.consume(inbox.put)
                    while True:
                        messages = [await inbox.get()]
                        while not inbox.empty() and len(messages) < AMQP_PREFETCH:
                            messages.append(inbox.get_nowait())
                        if await asyncio.to_thread(self.project_messages, [message.body for message in messages]):
                            self.signal.bump()
                        for message in messages:
                            await message.ack()
            except asyncio.CancelledError:
                raise
            except Exception:  # RabbitMQ or our database away: reconnect, the broker keeps the messages
                log.exception("console events: consuming %s failed; reconnecting", self.source)
                await asyncio.sleep(2)

    def close(self) -> None:
        pass


def safe_url(url: str) -> str:
    """The URL without its password, for logs and the cursor's name."""
    parsed = urlparse(url)
    if parsed.password:
        parsed = parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@"))
    return urlunparse(parsed)


def feed_for(source: str, sessions: sessionmaker, signal: ChangeSignal) -> Optional[Any]:
    """The feed ``SILKROAD_RASA_EVENTS`` names, or None when it is empty (no console events)."""
    source = source.strip()
    if not source:
        return None
    if source.startswith("sql:"):
        return SqlBrokerFeed(source[len("sql:"):], sessions, signal)
    if source.startswith(("amqp://", "amqps://")):
        return RabbitMqFeed(source, sessions, signal)
    raise ValueError("SILKROAD_RASA_EVENTS: 'sql:<database URL>' or "
                     "'amqp://user:password@host/vhost?queue=name[&exchange=name]'")
