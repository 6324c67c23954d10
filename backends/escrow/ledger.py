"""The double-entry ledger: every movement is a balanced entry; balances are sums.

Accounts are (kind, owner) pairs: ``buyer_funds`` and ``buyer_refunds`` are
owned by the buyer's external id, ``seller_payable`` by the seller's slug,
``escrow`` by the order number. A posting's amount is signed: what the account
gains. The buyer's funds go negative as the buyer pays.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Dict, Iterable, List, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backends.models import EscrowAccount, LedgerEntry, LedgerPosting, Order

Account = Tuple[str, str]  # (kind, owner)


class UnbalancedEntry(ValueError):
    pass


def accounts_of(order: Order) -> Dict[str, Account]:
    return {
        "buyer_funds": ("buyer_funds", order.buyer.external_id),
        "escrow": ("escrow", order.number),
        "seller_payable": ("seller_payable", order.seller.slug),
        "buyer_refunds": ("buyer_refunds", order.buyer.external_id),
    }


def post_entry(
    session: Session, escrow: EscrowAccount, kind: str, movements: Iterable[Tuple[Account, int]],
    memo: str, at: datetime,
) -> LedgerEntry:
    """Writes one entry; its postings must sum to zero and none may be zero."""
    postings = [(account, int(amount)) for account, amount in movements]
    if any(amount == 0 for _account, amount in postings) or sum(a for _account, a in postings) != 0:
        raise UnbalancedEntry(f"{kind} entry does not balance: {postings}")
    entry = LedgerEntry(escrow_id=escrow.id, kind=kind, memo=memo, created_at=at)
    entry.postings = [
        LedgerPosting(account_kind=kind_, account_owner=owner, currency=escrow.currency, amount_minor=amount)
        for (kind_, owner), amount in postings
    ]
    session.add(entry)
    session.flush()
    return entry


def transfer(session: Session, escrow: EscrowAccount, kind: str, source: Account, target: Account,
             amount: int, memo: str, at: datetime) -> LedgerEntry:
    return post_entry(session, escrow, kind, [(source, -amount), (target, amount)], memo, at)


def escrow_movements(session: Session, escrow_id: int) -> Dict[str, int]:
    """What each of the escrow's entries moved out of (or into) the escrow account."""
    rows = session.execute(
        select(LedgerEntry.kind, func.sum(LedgerPosting.amount_minor))
        .join(LedgerPosting, LedgerPosting.entry_id == LedgerEntry.id)
        .where(LedgerEntry.escrow_id == escrow_id, LedgerPosting.account_kind == "escrow")
        .group_by(LedgerEntry.kind)
    ).all()
    return {kind: int(total) for kind, total in rows}


def held_balance(session: Session, escrow_id: int) -> int:
    """The money the escrow account holds now: funded minus released minus refunded."""
    return sum(escrow_movements(session, escrow_id).values())


def balances(session: Session, currency: str = None) -> Dict[Tuple[str, str, str], int]:
    """Every account's balance: {(kind, owner, currency): amount}."""
    query = select(LedgerPosting.account_kind, LedgerPosting.account_owner, LedgerPosting.currency,
                   func.sum(LedgerPosting.amount_minor)).group_by(
        LedgerPosting.account_kind, LedgerPosting.account_owner, LedgerPosting.currency)
    if currency:
        query = query.where(LedgerPosting.currency == currency)
    return {(k, o, c): int(total) for k, o, c, total in session.execute(query)}


def unbalanced_entries(session: Session) -> List[int]:
    """Ids of entries whose postings do not sum to zero (there must be none)."""
    return list(session.execute(
        select(LedgerPosting.entry_id).group_by(LedgerPosting.entry_id, LedgerPosting.currency)
        .having(func.sum(LedgerPosting.amount_minor) != 0)
    ).scalars())


def totals_by_kind(session: Session) -> Dict[Tuple[str, str], int]:
    """{(account kind, currency): sum}: the whole ledger, for conservation checks."""
    totals: Dict[Tuple[str, str], int] = defaultdict(int)
    for (kind, _owner, currency), amount in balances(session).items():
        totals[(kind, currency)] += amount
    return dict(totals)
