"""The console learns of conversations from Rasa's event brokers, written by Rasa's own broker classes: the SQL
broker's table (followed by row id, each event projected once, across restarts) and RabbitMQ (the pika
broker's fanout exchange, a durable queue, a message delivered twice kept once)."""

import asyncio
import json
import time
import uuid

import aio_pika
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.brokers.sql import SQLEventBroker
from sqlalchemy import func, select

from backends.db import session_scope
from backends.models import ConversationEvent, EventCursor
from backends.support.event_feed import RABBITMQ_EXCHANGE, ChangeSignal, RabbitMqFeed, SqlBrokerFeed, feed_for

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"


def rasa_events(sender, n=3):
    now = time.time()
    return [{"sender_id": sender, "event": "user", "text": f"message {i}", "timestamp": now + i,
             "input_channel": "rest", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}}
            for i in range(n)]


def projected(sessions, sender):
    with session_scope(sessions) as session:
        return session.execute(select(func.count()).select_from(ConversationEvent)
                               .where(ConversationEvent.conversation_id == sender)).scalar_one()


def test_the_sql_broker_is_followed_by_row_id_once_across_restarts(sessions, tmp_path):
    url = f"sqlite:///{tmp_path / 'rasa_events.db'}"
    signal = ChangeSignal()
    feed = SqlBrokerFeed(url, sessions, signal)
    assert feed.step() == 0  # Rasa has not created its table yet: nothing, no error
    broker = SQLEventBroker(db=str(tmp_path / "rasa_events.db"))
    for event in rasa_events("c-sql"):
        broker.publish(event)
    assert feed.step() == 3 and projected(sessions, "c-sql") == 3 and signal.version == 1
    assert feed.step() == 0
    restarted = SqlBrokerFeed(url, sessions, ChangeSignal())
    assert restarted.step() == 0 and projected(sessions, "c-sql") == 3
    broker.publish(rasa_events("c-sql-2", 1)[0])
    assert restarted.step() == 1 and projected(sessions, "c-sql-2") == 1
    with session_scope(sessions) as session:
        assert session.get(EventCursor, feed.source).position == 4
    feed.close(), restarted.close()


def test_a_row_that_is_not_json_is_skipped_not_fatal(sessions, tmp_path):
    broker = SQLEventBroker(db=str(tmp_path / "rasa_events.db"))
    with broker.session_scope() as session:
        session.add(broker.SQLBrokerEvent(sender_id="c-bad", data="{not json"))
        session.commit()
    broker.publish(rasa_events("c-after")[0])
    feed = SqlBrokerFeed(f"sqlite:///{tmp_path / 'rasa_events.db'}", sessions, ChangeSignal())
    assert feed.step() == 2 and projected(sessions, "c-after") == 1
    feed.close()


def test_rabbitmq_events_published_by_rasas_pika_broker_reach_the_console(sessions):
    queue_name = f"console-test-{uuid.uuid4().hex[:8]}"
    exchange_name = f"exchange-test-{uuid.uuid4().hex[:8]}"  # not Rasa's default: nobody else publishes here
    feed = RabbitMqFeed(f"{RABBITMQ}?queue={queue_name}&exchange={exchange_name}", sessions, ChangeSignal())
    assert feed.queue_name == queue_name and feed.exchange_name == exchange_name and "guest:***@" in feed.source
    assert RabbitMqFeed(f"{RABBITMQ}?queue=q", sessions, ChangeSignal()).exchange_name == RABBITMQ_EXCHANGE

    async def scenario():
        consuming = asyncio.create_task(feed.run())
        try:
            await _wait_for_queue(queue_name)
            broker = PikaEventBroker(host="127.0.0.1", username="guest", password="guest", queues=[queue_name],
                                     exchange_name=exchange_name)
            await broker.connect()
            for event in rasa_events("c-amqp"):
                broker.publish(event)
            await asyncio.sleep(0.5)
            await broker.close()
            await _publish_raw(json.dumps(rasa_events("c-amqp-dup", 1)[0]).encode(), exchange_name, times=2)
            for _ in range(100):
                if projected(sessions, "c-amqp") == 3 and projected(sessions, "c-amqp-dup") == 1:
                    break
                await asyncio.sleep(0.1)
        finally:
            consuming.cancel()
            await _delete_queue(queue_name, exchange_name)

    asyncio.run(scenario())
    assert projected(sessions, "c-amqp") == 3
    assert projected(sessions, "c-amqp-dup") == 1  # the same message twice: kept once


async def _wait_for_queue(name):
    connection = await aio_pika.connect_robust(RABBITMQ)
    async with connection:
        channel = await connection.channel()
        for _ in range(100):
            try:
                await channel.declare_queue(name, passive=True)
                return
            except aio_pika.exceptions.ChannelClosed:
                channel = await connection.channel()
                await asyncio.sleep(0.1)
    raise AssertionError("the feed never declared its queue")


async def _publish_raw(body, exchange_name, times):
    connection = await aio_pika.connect_robust(RABBITMQ)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.FANOUT)
        for _ in range(times):
            await exchange.publish(aio_pika.Message(body), "")


async def _delete_queue(name, exchange_name):
    connection = await aio_pika.connect_robust(RABBITMQ)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)
        await channel.exchange_delete(exchange_name)


def test_the_source_setting_is_checked(sessions):
    assert feed_for("", sessions, ChangeSignal()) is None
    assert isinstance(feed_for("sql:sqlite://", sessions, ChangeSignal()), SqlBrokerFeed)
    try:
        feed_for("kafka://x", sessions, ChangeSignal())
    except ValueError as error:
        assert "amqp://" in str(error)
    else:
        raise AssertionError("an unknown source was accepted")


def test_messages_that_arrived_together_are_projected_in_one_transaction(sessions, monkeypatch):
    from backends.support import event_feed

    transactions = []

    def counting(factory, work):
        transactions.append(1)
        return event_feed.run_transaction.__wrapped__(factory, work)

    counting.__wrapped__ = event_feed.run_transaction
    monkeypatch.setattr(event_feed, "run_transaction", counting)
    feed = RabbitMqFeed(f"{RABBITMQ}?queue=q", sessions, ChangeSignal())
    bodies = [json.dumps(event).encode() for event in rasa_events("c-batch", 5)]
    quiet = json.dumps({"sender_id": "c-batch", "event": "action", "name": "action_listen",
                        "timestamp": time.time()}).encode()
    changed = feed.project_messages([*bodies, b"{not json", quiet, bodies[0]])
    assert changed == 5 and transactions == [1]
    assert projected(sessions, "c-batch") == 5  # the repeated message kept once, the quiet one not shown
    assert feed.project_messages([b"[1, 2]", b"nope"]) == 0 and transactions == [1]  # nothing to write: no transaction


def test_events_the_console_does_not_show_are_dropped_before_any_query(sessions):
    from backends.support.projection import apply_event, says_something

    class NoDatabase:
        def execute(self, *_args, **_kwargs):
            raise AssertionError("asked the database")

    for event in ({"event": "action", "name": "action_listen"}, {"event": "slot", "name": "requested_slot"},
                  {"event": "user_featurization"}, {"event": "active_loop", "name": "refund_form"}):
        assert not says_something(event)
        assert apply_event(NoDatabase(), "k", {"sender_id": "c-quiet", **event}) is False
    for event in ({"event": "user"}, {"event": "bot"}, {"event": "slot", "name": "language"},
                  {"event": "action", "name": "action_search_products"}, {"event": "pause"}, {"event": "restart"}):
        assert says_something(event)
