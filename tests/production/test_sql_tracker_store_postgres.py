"""The production profile's tracker store (bot/sql_tracker_store.py) on the machine's PostgreSQL, in a schema of
its own as the profile runs it: the same rows and published events as Rasa's ``SQLTrackerStore``, and a save
that reads the stored events' number only."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered

from bot.sql_tracker_store import SingleReadSQLTrackerStore
from tests.test_sql_tracker_store import DOMAIN, Collecting, play, rows, selects

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def schema(monkeypatch):
    name = f"test_tracker_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(ADMIN_URL, future=True)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{name}"'))
    monkeypatch.setenv("POSTGRESQL_SCHEMA", name)
    yield name
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


def store(kind, broker):
    return kind(domain=DOMAIN, dialect="postgresql", host="127.0.0.1", port=5432, db="test",
                username="postgres", event_broker=broker)


def test_the_same_rows_and_events_as_rasas_store_on_postgresql(schema):
    rasas_broker, our_broker = Collecting(), Collecting()
    rasas, ours = store(SQLTrackerStore, rasas_broker), store(SingleReadSQLTrackerStore, our_broker)
    try:
        play(rasas, "buyer-rasa")
        play(ours, "buyer-ours")
        strip = lambda found: [row[1:] for row in found]  # noqa: E731 - the sender differs on purpose
        assert strip(rows(ours, "buyer-ours")) == strip(rows(rasas, "buyer-rasa"))
        assert len(rows(ours, "buyer-ours")) == 15
        assert [{**event, "sender_id": None} for event in our_broker.published] == \
               [{**event, "sender_id": None} for event in rasas_broker.published]
        tracker = asyncio.run(ours.retrieve("buyer-ours"))
        tracker.update(BotUttered("again", timestamp=10.0))
        statements = selects(ours)
        asyncio.run(ours.save(tracker))
        # reads of the events table (Rasa's check that the schema exists is the other select)
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "events" in s]
        assert len(reads) == 1 and "count(" in reads[0]
        assert rows(ours, "buyer-ours")[-1][5]["text"] == "again"
        with ours.engine.connect() as connection:  # the rows are in the profile's schema, not in public
            assert connection.execute(sqlalchemy.text("SELECT current_schema()")).scalar() == schema
    finally:
        rasas.engine.dispose()
        ours.engine.dispose()
