"""The demo orders' escrow: made by the service, consistent with each order's status, seeded once."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from backends.db import session_scope
from backends.escrow import ledger
from backends.models import EscrowAccount, LedgerPosting, Order
from backends.seed.demo_escrow import DEMO_PROTECTION_DAYS, FUNDED_STATUSES, load_demo_escrow
from backends.seed.demo_orders import load_demo_orders

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
ESCROW_STATE_OF_STATUS = {
    "paid": "held", "shipped": "held", "delivered": "held", "completed": "released",
    "refund_requested": "refund_requested", "refunded": "refunded", "disputed": "disputed",
    "dispute_resolved": "resolved",
}


@pytest.fixture
def seeded(loaded):
    with session_scope(loaded) as session:
        load_demo_orders(session, now=NOW)
    created = load_demo_escrow(loaded)
    return loaded, created


def test_every_paid_demo_order_has_its_escrow_in_the_matching_state(seeded):
    sessions, created = seeded
    with session_scope(sessions) as session:
        rows = session.execute(select(Order.status, EscrowAccount.state, EscrowAccount.deadline,
                                      EscrowAccount.delivered_at, EscrowAccount.protection_days)
                               .join(EscrowAccount, EscrowAccount.order_id == Order.id)).all()
        unfunded = session.execute(select(func.count(Order.id)).where(Order.status.notin_(FUNDED_STATUSES)))
        assert created == len(rows) == session.execute(
            select(func.count(Order.id)).where(Order.status.in_(FUNDED_STATUSES))).scalar_one()
        assert unfunded.scalar_one() > 0
        assert ledger.unbalanced_entries(session) == []
    assert {status for status, *_ in rows} == set(FUNDED_STATUSES)
    for status, state, deadline, delivered_at, days in rows:
        assert state == ESCROW_STATE_OF_STATUS[status]
        assert days == DEMO_PROTECTION_DAYS
        assert (deadline is not None) == (status == "delivered")
        if deadline is not None:
            assert deadline > NOW and deadline - delivered_at == timedelta(days=DEMO_PROTECTION_DAYS)


def test_seeding_again_moves_no_money(seeded):
    sessions, _ = seeded
    with session_scope(sessions) as session:
        before = session.execute(select(func.count(LedgerPosting.id))).scalar_one()
    assert load_demo_escrow(sessions) == 0
    with session_scope(sessions) as session:
        assert session.execute(select(func.count(LedgerPosting.id))).scalar_one() == before
