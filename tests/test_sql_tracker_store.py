"""bot/sql_tracker_store.py: a turn saved by the single-read store leaves the same rows as Rasa's
``SQLTrackerStore`` and publishes the same events in the same order, with one read of the stored events'
number instead of the whole tracker; the tracker read back is the same. SQLite here; the production suite
runs the same comparison on PostgreSQL (tests/production/test_sql_tracker_store_postgres.py)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest
import sqlalchemy
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.sql_tracker_store import SingleReadSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, search_product]
slots:
  language: {type: text, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: hi}]
""")


class Collecting(EventBroker):
    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def conversation(sender: str) -> List[List[Any]]:
    """Three turns of one conversation, the second session starting in the third, as lists of new events."""
    return [
        [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.1),
         ActionExecuted("action_listen", timestamp=1.2),
         UserUttered("привет", {"name": "greet", "confidence": 0.9}, timestamp=2.0),
         SlotSet("language", "ru", timestamp=2.1), BotUttered("hi", timestamp=2.2),
         ActionExecuted("action_listen", timestamp=2.3)],
        [UserUttered("ищу наушники", {"name": "search_product", "confidence": 0.8}, timestamp=3.0),
         ActionExecuted("utter_greet", timestamp=3.1), ActionExecuted("action_listen", timestamp=3.2)],
        [ActionExecuted("action_session_start", timestamp=9.0), SessionStarted(timestamp=9.1),
         SlotSet("language", "ru", timestamp=9.2), ActionExecuted("action_listen", timestamp=9.3),
         UserUttered("hello", {"name": "greet", "confidence": 0.7}, timestamp=9.4)],
    ]


def play(store: SQLTrackerStore, sender: str) -> None:
    """Each turn as Rasa plays it: the tracker retrieved, the turn's events added, the tracker saved."""
    for turn in conversation(sender):
        tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
        for event in turn:
            tracker.update(event)
        asyncio.run(store.save(tracker))


def rows(store: SQLTrackerStore, sender: str) -> List[tuple]:
    with store.session_scope() as session:
        found = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender) \
            .order_by(store.SQLEvent.id).all()
        return [(row.sender_id, row.type_name, row.timestamp, row.intent_name, row.action_name,
                 json.loads(row.data)) for row in found]


def selects(store: SQLTrackerStore) -> List[str]:
    statements: List[str] = []
    sqlalchemy.event.listen(store.engine, "before_cursor_execute",
                            lambda _c, _cursor, statement, *_: statements.append(statement))
    return statements


@pytest.fixture
def stores(tmp_path):
    made = []

    def make(kind, name):
        broker = Collecting()
        store = kind(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / f"{name}.db"), event_broker=broker)
        made.append(store)
        return store, broker
    yield make
    for store in made:
        store.engine.dispose()


def test_the_same_rows_and_the_same_published_events_as_rasas_store(stores):
    rasas, rasas_broker = stores(SQLTrackerStore, "rasa")
    ours, our_broker = stores(SingleReadSQLTrackerStore, "ours")
    play(rasas, "buyer-1")
    play(ours, "buyer-1")
    assert rows(ours, "buyer-1") == rows(rasas, "buyer-1")
    assert len(rows(ours, "buyer-1")) == 15
    assert our_broker.published == rasas_broker.published
    assert [event["event"] for event in our_broker.published][:3] == ["action", "session_started", "action"]
    assert {event["sender_id"] for event in our_broker.published} == {"buyer-1"}
    retrieved = asyncio.run(ours.retrieve("buyer-1"))
    assert retrieved.current_state() == asyncio.run(rasas.retrieve("buyer-1")).current_state()
    assert [event.type_name for event in retrieved.events] == ["session_started", "slot", "action", "user"]


def test_a_save_reads_the_stored_events_number_only(stores):
    ours, _ = stores(SingleReadSQLTrackerStore, "ours")
    rasas, _ = stores(SQLTrackerStore, "rasa")
    for store in (ours, rasas):
        play(store, "buyer-2")
    tracker = asyncio.run(ours.retrieve("buyer-2"))
    tracker.update(BotUttered("again", timestamp=10.0))
    ours_statements, rasas_statements = selects(ours), selects(rasas)
    asyncio.run(ours.save(tracker))
    asyncio.run(rasas.save(tracker.copy()))
    our_selects = [s for s in ours_statements if s.lstrip().upper().startswith("SELECT")]
    rasas_selects = [s for s in rasas_statements if s.lstrip().upper().startswith("SELECT")]
    assert len(our_selects) == 1 and "count(" in our_selects[0]
    assert len(rasas_selects) == 2  # Rasa reads the tracker back for the broker, then counts
    assert rows(ours, "buyer-2") == rows(rasas, "buyer-2")


def test_nothing_new_publishes_and_writes_nothing(stores):
    ours, broker = stores(SingleReadSQLTrackerStore, "ours")
    play(ours, "buyer-3")
    published, stored = len(broker.published), len(rows(ours, "buyer-3"))
    asyncio.run(ours.save(asyncio.run(ours.retrieve("buyer-3"))))
    assert len(broker.published) == published and len(rows(ours, "buyer-3")) == stored


def test_without_a_broker_the_turn_is_still_stored(tmp_path):
    store = SingleReadSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "plain.db"))
    play(store, "buyer-4")
    assert len(rows(store, "buyer-4")) == 15
    store.engine.dispose()


def test_rasa_loads_it_from_endpoints(tmp_path):
    from rasa.core.tracker_store import create_tracker_store
    from rasa.utils.endpoints import read_endpoint_config

    path = tmp_path / "endpoints.yml"
    path.write_text(f"tracker_store:\n  type: bot.sql_tracker_store.SingleReadSQLTrackerStore\n"
                    f"  dialect: sqlite\n  db: {tmp_path / 'loaded.db'}\n")
    store = create_tracker_store(read_endpoint_config(str(path), "tracker_store"), DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    assert type(inner) is SingleReadSQLTrackerStore
    play(inner, "buyer-5")
    assert len(rows(inner, "buyer-5")) == 15
    inner.engine.dispose()
