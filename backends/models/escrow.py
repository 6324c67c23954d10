"""Escrow: the buyer's payment held per order, its double-entry ledger, refund
requests, disputes, idempotency records and the audit trail.

Balances are never stored: they are sums over ``ledger_postings``. The account
row keeps only the state machine and the protection clock; ``version`` makes
every update conditional on the version read (optimistic locking), on top of
the row lock taken on PostgreSQL.
"""

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import relationship

from backends.models.base import Base, UTCDateTime, utc_now

ESCROW_STATES = ("held", "refund_requested", "disputed", "released", "refunded", "resolved")
REFUND_STATES = ("pending", "approved", "rejected", "withdrawn")
DISPUTE_STATES = ("open", "resolved")
DISPUTE_OUTCOMES = ("buyer", "seller", "split")
LEDGER_ENTRY_KINDS = ("fund", "release", "refund")
# Ledger accounts: money from the buyer's payment method (goes negative as the
# buyer pays), held by the platform, owed to the seller, owed back to the buyer.
LEDGER_ACCOUNT_KINDS = ("buyer_funds", "escrow", "seller_payable", "buyer_refunds")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class EscrowAccount(Base):
    __tablename__ = "escrow_accounts"
    __table_args__ = (
        CheckConstraint(_in("state", ESCROW_STATES), name="state_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("protection_days > 0", name="protection_positive"),
    )

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id", ondelete="RESTRICT"), nullable=False, unique=True)
    currency = Column(String(3), nullable=False)
    amount_minor = Column(BigInteger, nullable=False)  # what the buyer paid into escrow
    state = Column(String(20), nullable=False, default="held")
    protection_days = Column(Integer, nullable=False)
    delivered_at = Column(UTCDateTime())  # the protection clock starts here
    deadline = Column(UTCDateTime(), index=True)  # automatic release; NULL while not running
    frozen_remaining_seconds = Column(BigInteger)  # what was left when a refund or dispute froze the clock
    extended_days = Column(Integer)  # the buyer's one extension
    created_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    version = Column(Integer, nullable=False)

    order = relationship("Order")
    refund_requests = relationship(
        "RefundRequest", back_populates="escrow", order_by="RefundRequest.id", cascade="all, delete-orphan")
    dispute = relationship("Dispute", back_populates="escrow", uselist=False, cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def pending_refund(self):
        return next((r for r in self.refund_requests if r.state == "pending"), None)


class RefundRequest(Base):
    __tablename__ = "refund_requests"
    __table_args__ = (
        CheckConstraint(_in("state", REFUND_STATES), name="state_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    id = Column(Integer, primary_key=True)
    escrow_id = Column(ForeignKey("escrow_accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    amount_minor = Column(BigInteger, nullable=False)
    reason = Column(String(40), nullable=False)
    description = Column(Text, nullable=False, default="")
    return_goods = Column(Boolean, nullable=False, default=False)
    state = Column(String(20), nullable=False, default="pending")
    requested_at = Column(UTCDateTime(), nullable=False)
    decided_at = Column(UTCDateTime())
    decided_by = Column(String(120))  # role:id
    decision_note = Column(Text)
    escrow = relationship("EscrowAccount", back_populates="refund_requests")


class Dispute(Base):
    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint(_in("state", DISPUTE_STATES), name="state_known"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', DISPUTE_OUTCOMES)}", name="outcome_known"),
    )

    id = Column(Integer, primary_key=True)
    escrow_id = Column(ForeignKey("escrow_accounts.id", ondelete="CASCADE"), nullable=False, unique=True)
    case_number = Column(String(24), nullable=False, unique=True)
    reason = Column(String(40), nullable=False)
    description = Column(Text, nullable=False)
    state = Column(String(20), nullable=False, default="open")
    opened_at = Column(UTCDateTime(), nullable=False)
    outcome = Column(String(10))
    buyer_amount_minor = Column(BigInteger)
    seller_amount_minor = Column(BigInteger)
    resolved_at = Column(UTCDateTime())
    resolved_by = Column(String(120))
    resolution_note = Column(Text)

    escrow = relationship("EscrowAccount", back_populates="dispute")
    evidence = relationship("DisputeEvidence", order_by="DisputeEvidence.id", cascade="all, delete-orphan")
    messages = relationship("DisputeMessage", order_by="DisputeMessage.id", cascade="all, delete-orphan")


class DisputeEvidence(Base):
    __tablename__ = "dispute_evidence"

    id = Column(Integer, primary_key=True)
    dispute_id = Column(ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False, index=True)
    reference = Column(String(500), nullable=False)  # a URL or a file id in the shop's storage
    description = Column(Text, nullable=False, default="")
    added_by = Column(String(120), nullable=False)  # role:id
    added_at = Column(UTCDateTime(), nullable=False)


class DisputeMessage(Base):
    __tablename__ = "dispute_messages"

    id = Column(Integer, primary_key=True)
    dispute_id = Column(ForeignKey("disputes.id", ondelete="CASCADE"), nullable=False, index=True)
    author_role = Column(String(10), nullable=False)
    author_id = Column(String(80), nullable=False)
    channel = Column(String(20), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False)


class LedgerEntry(Base):
    """One balanced movement of money. An escrow has at most one entry of each kind,
    so the database itself refuses a second funding, release or refund."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("escrow_id", "kind", name="uq_ledger_entries_escrow_kind"),
        CheckConstraint(_in("kind", LEDGER_ENTRY_KINDS), name="kind_known"),
    )

    id = Column(Integer, primary_key=True)
    escrow_id = Column(ForeignKey("escrow_accounts.id", ondelete="RESTRICT"), nullable=False)
    kind = Column(String(10), nullable=False)
    memo = Column(Text, nullable=False, default="")
    created_at = Column(UTCDateTime(), nullable=False)
    postings = relationship("LedgerPosting", back_populates="entry", cascade="all, delete-orphan")


class LedgerPosting(Base):
    """One side of an entry: a signed amount on an account (kind, owner)."""

    __tablename__ = "ledger_postings"
    __table_args__ = (
        CheckConstraint("amount_minor <> 0", name="amount_not_zero"),
        CheckConstraint(_in("account_kind", LEDGER_ACCOUNT_KINDS), name="account_kind_known"),
        Index("ix_ledger_postings_account", "account_kind", "account_owner"),
    )

    id = Column(Integer, primary_key=True)
    entry_id = Column(ForeignKey("ledger_entries.id", ondelete="RESTRICT"), nullable=False, index=True)
    account_kind = Column(String(20), nullable=False)
    account_owner = Column(String(80), nullable=False)  # buyer or seller id, or the order number
    currency = Column(String(3), nullable=False)
    amount_minor = Column(BigInteger, nullable=False)
    entry = relationship("LedgerEntry", back_populates="postings")


class IdempotencyRecord(Base):
    """The first outcome of a mutating request, returned again for the same key."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_records_scope_key"),)

    id = Column(Integer, primary_key=True)
    scope = Column(String(120), nullable=False)  # the caller: keys never collide across actors
    key = Column(String(200), nullable=False)
    fingerprint = Column(String(64), nullable=False)  # what was asked, to refuse a reused key
    operation = Column(String(40), nullable=False)
    outcome = Column(String(10), nullable=False)  # ok | refused
    response = Column(Text, nullable=False)  # JSON
    created_at = Column(UTCDateTime(), nullable=False)


class EscrowAuditEvent(Base):
    """Who did what to an escrow, when, through which channel, and what came of it."""

    __tablename__ = "escrow_audit_events"

    id = Column(Integer, primary_key=True)
    escrow_id = Column(ForeignKey("escrow_accounts.id", ondelete="CASCADE"), index=True)
    order_number = Column(String(20), nullable=False, index=True)
    action = Column(String(40), nullable=False)
    outcome = Column(String(10), nullable=False)  # ok | refused
    actor_role = Column(String(10), nullable=False)
    actor_id = Column(String(80), nullable=False)
    channel = Column(String(20), nullable=False)
    from_state = Column(String(20))
    to_state = Column(String(20))
    detail = Column(Text, nullable=False, default="{}")  # JSON
    idempotency_key = Column(String(200))
    at = Column(UTCDateTime(), nullable=False)
