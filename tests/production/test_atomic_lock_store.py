"""The production profile's lock store against the machine's Redis: tickets issued from several processes at
once are distinct, holders never overlap, a dead holder's ticket expires quickly, a live one's does not."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.atomic_lock_store import AtomicRedisLockStore

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture
def prefix():
    prefix = f"test{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def store(prefix: str, ttl: float = 10.0) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host=REDIS_HOST, port=REDIS_PORT, key_prefix=prefix, ticket_ttl=ttl)


def _issue_many(prefix: str, conversation: str, count: int, start, results) -> None:
    lock_store = store(prefix)
    start.wait()
    results.put([lock_store.issue_ticket(conversation) for _ in range(count)])


def test_tickets_issued_from_several_processes_at_once_are_distinct(prefix):
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_issue_many, args=(prefix, "c1", 200, start, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    tickets = [ticket for _ in workers for ticket in results.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(tickets) == list(range(1, 801))


def test_the_stock_redis_lock_store_hands_out_one_ticket_twice(prefix):
    """Why the profile has its own lock store: Rasa's reads the lock, adds a ticket in Python and writes it
    back, so two workers that read at the same moment both issue the same ticket (both are served)."""
    both_read = threading.Barrier(2)

    class Worker(RedisLockStore):
        def get_lock(self, conversation_id):
            lock = super().get_lock(conversation_id)
            both_read.wait(timeout=10)  # the other worker reads before this one writes
            return lock

    tickets = []
    threads = [threading.Thread(target=lambda: tickets.append(
        Worker(host=REDIS_HOST, port=REDIS_PORT, db=0, key_prefix=prefix).issue_ticket("c1"))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert tickets[0] == tickets[1]


def _hold_in_turn(prefix: str, conversation: str, name: str, rounds: int, start) -> None:
    lock_store = store(prefix)
    journal = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)

    async def play() -> None:
        for round_ in range(rounds):
            async with lock_store.lock(conversation):
                journal.rpush(f"{prefix}:journal", f"start {name} {round_}")
                await asyncio.sleep(0.01)
                journal.rpush(f"{prefix}:journal", f"end {name} {round_}")

    start.wait()
    asyncio.run(play())


def test_holders_in_several_processes_never_overlap(prefix):
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_hold_in_turn, args=(prefix, "c1", name, 25, start)) for name in "ABC"]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    journal = [entry.decode() for entry in redis.Redis(host=REDIS_HOST, port=REDIS_PORT).lrange(
        f"{prefix}:journal", 0, -1)]
    assert len(journal) == 150
    for start_entry, end_entry in zip(journal[::2], journal[1::2]):
        assert start_entry.startswith("start ") and end_entry == "end " + start_entry[len("start "):]
    # the lock is gone once nobody holds it
    assert not list(redis.Redis(host=REDIS_HOST, port=REDIS_PORT).scan_iter(f"{prefix}:lock:*"))


def test_a_dead_holders_ticket_expires_after_the_ticket_ttl(prefix):
    dead = store(prefix, ttl=1.0)
    dead.issue_ticket("c1")  # a process that took its turn and was killed: nobody renews this ticket
    alive = store(prefix, ttl=1.0)

    async def take() -> float:
        began = time.monotonic()
        async with alive.lock("c1", lock_lifetime=30):
            return time.monotonic() - began

    waited = asyncio.run(take())
    assert 0.5 < waited < 10


def test_a_live_holder_keeps_its_turn_beyond_the_ticket_ttl(prefix):
    events = []

    async def holder(lock_store) -> None:
        async with lock_store.lock("c1"):
            events.append("holder in")
            await asyncio.sleep(1.5)  # three ticket lifetimes: the heartbeat renews it
            events.append("holder out")

    async def waiter(lock_store) -> None:
        await asyncio.sleep(0.1)
        async with lock_store.lock("c1"):
            events.append("waiter in")

    async def both() -> None:
        await asyncio.gather(holder(store(prefix, ttl=0.5)), waiter(store(prefix, ttl=0.5)))

    asyncio.run(both())
    assert events == ["holder in", "holder out", "waiter in"]


def test_waiting_longer_than_the_lock_lifetime_fails(prefix):
    async def scenario() -> None:
        first = store(prefix)
        async with first.lock("c1"):
            with pytest.raises(LockError):
                async with store(prefix).lock("c1", lock_lifetime=0.5):
                    pass

    asyncio.run(scenario())
    assert store(prefix).get_lock("c1") is None


def test_rasa_builds_it_from_the_endpoint_configuration(prefix):
    lock_store = LockStore.create(EndpointConfig(url=REDIS_HOST, type="bot.atomic_lock_store.AtomicRedisLockStore",
                                                 port=REDIS_PORT, db=0, key_prefix=prefix, ticket_ttl=4))
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.ticket_ttl == 4 and lock_store.key_prefix == f"{prefix}:lock:"
    assert lock_store.issue_ticket("c9") == 1
    assert lock_store.is_someone_waiting("c9") is False
    assert lock_store.issue_ticket("c9") == 2
    assert lock_store.is_someone_waiting("c9") is True
    assert [ticket.number for ticket in lock_store.get_lock("c9").tickets] == [1, 2]


def test_malformed_settings_are_refused():
    with pytest.raises(ValueError):
        AtomicRedisLockStore(host=REDIS_HOST, key_prefix="bad prefix!")
    with pytest.raises(ValueError):
        AtomicRedisLockStore(host=REDIS_HOST, ticket_ttl=0)


def test_redis_away_is_a_lock_error_not_a_hang():
    lock_store = AtomicRedisLockStore(host=REDIS_HOST, port=1, socket_timeout=1)
    with pytest.raises(LockError):
        lock_store.issue_ticket("c1")
