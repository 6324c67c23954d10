"""Real concurrent connections: racing releases, a release racing a refund, the same
request sent many times at once, and auto-release runners that overlap.

Every thread has its own connection and starts at a barrier, so the requests
meet in the database. On PostgreSQL the order row is locked (SELECT ... FOR
UPDATE); on SQLite the single writer and the escrow's version column decide.
"""

import threading
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select

from backends.db import make_engine, make_session_factory, session_scope
from backends.escrow.errors import TransitionRefused
from backends.escrow.service import EscrowService, release_overdue
from backends.models import EscrowAccount, EscrowAuditEvent, LedgerEntry, Order
from tests.backends.escrow.conftest import BUYER, POLICY, SELLER
from tests.backends.escrow.escrow_states import delivered, key

THREADS = 16
ROUNDS = 10


@pytest.fixture
def pooled(engine, database_url):
    """A session factory whose pool has a connection for every thread."""
    sized = {"pool_size": THREADS + 2, "max_overflow": 0} if database_url.startswith("postgresql") else {}
    engine = make_engine(database_url, **sized)  # SQLite opens a connection per checkout
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def concurrent_service(pooled, clock):
    return EscrowService(pooled, POLICY, clock)


def race(calls):
    """Starts every call at once, each on its own thread; returns (outcome, detail) per call."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = ("ok", call())
        except TransitionRefused as refusal:
            results[index] = ("refused", refusal.code)
        except Exception as error:  # noqa: BLE001 - any other error fails the test below
            results[index] = ("error", repr(error))

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def ledger_kinds(sessions, number):
    with session_scope(sessions) as session:
        return Counter(session.execute(
            select(LedgerEntry.kind).join(EscrowAccount, EscrowAccount.id == LedgerEntry.escrow_id)
            .join(Order, Order.id == EscrowAccount.order_id).where(Order.number == number)).scalars())


def test_many_releases_at_once_pay_the_seller_once(concurrent_service, pooled):
    for _ in range(ROUNDS):
        number = delivered(concurrent_service, pooled)
        results = race([lambda: concurrent_service.release(number, BUYER, key()) for _ in range(THREADS)])
        outcomes = Counter(outcome for outcome, _ in results)
        assert outcomes == {"ok": 1, "refused": THREADS - 1}, results
        assert {detail for outcome, detail in results if outcome == "refused"} == {"already_released"}
        assert ledger_kinds(pooled, number) == {"fund": 1, "release": 1}


def test_a_release_racing_a_refund_has_one_winner(concurrent_service, pooled):
    winners = Counter()
    for round_ in range(ROUNDS * 2):
        number = delivered(concurrent_service, pooled)
        calls = [lambda: concurrent_service.release(number, BUYER, key()) for _ in range(THREADS // 2)]
        calls += [lambda: concurrent_service.request_refund(number, BUYER, key(), "damaged")
                  for _ in range(THREADS // 2)]
        results = race(calls)
        assert [r for r in results if r[0] == "error"] == []
        won = [r[1]["state"] for r in results if r[0] == "ok"]
        assert len(won) == 1, results
        winners[won[0]] += 1
        refused = {detail for outcome, detail in results if outcome == "refused"}
        assert refused <= {"already_released", "refund_pending"}
        kinds = ledger_kinds(pooled, number)
        assert kinds == ({"fund": 1, "release": 1} if won[0] == "released" else {"fund": 1})
    print(f"winners over {ROUNDS * 2} races: {dict(winners)}")


def test_the_same_request_sent_at_once_is_done_once(concurrent_service, pooled):
    for _ in range(ROUNDS):
        number = delivered(concurrent_service, pooled)
        same_key = uuid.uuid4().hex
        results = race([lambda: concurrent_service.release(number, BUYER, same_key) for _ in range(THREADS)])
        assert all(outcome == "ok" for outcome, _ in results), results
        assert all(detail == results[0][1] for _, detail in results)  # everybody got the first result
        assert ledger_kinds(pooled, number) == {"fund": 1, "release": 1}
        with session_scope(pooled) as session:
            assert session.execute(select(func.count(EscrowAuditEvent.id)).where(
                EscrowAuditEvent.order_number == number, EscrowAuditEvent.action == "release")).scalar_one() == 1


def test_overlapping_auto_release_runners_release_each_hold_once(concurrent_service, pooled, clock):
    numbers = [delivered(concurrent_service, pooled) for _ in range(60)]
    clock.advance(days=POLICY.protection_days, seconds=1)
    runners = 4
    for _ in range(3):  # overlapping passes, then more passes over what is already released
        results = race([lambda: release_overdue(concurrent_service) for _ in range(runners)])
        assert all(outcome == "ok" for outcome, _ in results), results
        if _ == 0:
            assert sum(count for _, count in results) == len(numbers)
            print(f"released per runner: {[count for _, count in results]}")
        else:
            assert sum(count for _, count in results) == 0
    for number in numbers:
        assert ledger_kinds(pooled, number) == {"fund": 1, "release": 1}
        assert concurrent_service.view(number, BUYER)["state"] == "released"


def test_the_buyer_confirming_while_the_job_releases_pays_once(concurrent_service, pooled, clock):
    for _ in range(ROUNDS):
        number = delivered(concurrent_service, pooled)
        clock.advance(days=POLICY.protection_days, seconds=1)
        calls = [lambda: concurrent_service.release(number, BUYER, key()) for _ in range(THREADS // 2)]
        calls += [lambda: release_overdue(concurrent_service) for _ in range(THREADS // 2)]
        results = race(calls)
        assert [r for r in results if r[0] == "error"] == []
        buyer_wins = sum(1 for outcome, detail in results if outcome == "ok" and isinstance(detail, dict))
        job_wins = sum(detail for outcome, detail in results if outcome == "ok" and isinstance(detail, int))
        assert buyer_wins + job_wins == 1, results
        assert ledger_kinds(pooled, number) == {"fund": 1, "release": 1}


@pytest.mark.parametrize("rival", ["open_dispute", "withdraw_refund"])
def test_approving_a_refund_racing_the_buyer_has_one_winner(concurrent_service, pooled, rival):
    rivals = {
        "open_dispute": lambda number: concurrent_service.open_dispute(number, BUYER, key(), "damaged", "broken"),
        "withdraw_refund": lambda number: concurrent_service.withdraw_refund(number, BUYER, key()),
    }
    for _ in range(ROUNDS):
        number = delivered(concurrent_service, pooled)
        concurrent_service.request_refund(number, BUYER, key(), "damaged", 3_000)
        calls = [lambda: concurrent_service.approve_refund(number, SELLER, key()) for _ in range(THREADS // 2)]
        calls += [lambda: rivals[rival](number) for _ in range(THREADS // 2)]
        results = race(calls)
        assert [r for r in results if r[0] == "error"] == []
        won = {detail["state"] for outcome, detail in results if outcome == "ok"}
        assert len([r for r in results if r[0] == "ok"]) == 1, results
        kinds = ledger_kinds(pooled, number)
        assert kinds == ({"fund": 1, "refund": 1, "release": 1} if won == {"refunded"} else {"fund": 1})
