"""escrow: accounts, ledger, refunds, disputes, idempotency, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:30:43
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=120), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('operation', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('scope', 'key', name='uq_idempotency_records_scope_key')
    )
    op.create_table('escrow_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('protection_days', sa.Integer(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('frozen_remaining_seconds', sa.BigInteger(), nullable=True),
    sa.Column('extended_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('held', 'refund_requested', 'disputed', 'released', 'refunded', 'resolved')", name=op.f('ck_escrow_accounts_state_known')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_escrow_accounts_amount_positive')),
    sa.CheckConstraint('protection_days > 0', name=op.f('ck_escrow_accounts_protection_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_escrow_accounts_order_id_orders'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escrow_accounts')),
    sa.UniqueConstraint('order_id', name=op.f('uq_escrow_accounts_order_id'))
    )
    op.create_index(op.f('ix_escrow_accounts_deadline'), 'escrow_accounts', ['deadline'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('buyer_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('seller_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('buyer', 'seller', 'split')", name=op.f('ck_disputes_outcome_known')),
    sa.CheckConstraint("state IN ('open', 'resolved')", name=op.f('ck_disputes_state_known')),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrow_accounts.id'], name=op.f('fk_disputes_escrow_id_escrow_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes')),
    sa.UniqueConstraint('case_number', name=op.f('uq_disputes_case_number')),
    sa.UniqueConstraint('escrow_id', name=op.f('uq_disputes_escrow_id'))
    )
    op.create_table('escrow_audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=True),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('actor_role', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrow_accounts.id'], name=op.f('fk_escrow_audit_events_escrow_id_escrow_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escrow_audit_events'))
    )
    op.create_index(op.f('ix_escrow_audit_events_escrow_id'), 'escrow_audit_events', ['escrow_id'], unique=False)
    op.create_index(op.f('ix_escrow_audit_events_order_number'), 'escrow_audit_events', ['order_number'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('fund', 'release', 'refund')", name=op.f('ck_ledger_entries_kind_known')),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrow_accounts.id'], name=op.f('fk_ledger_entries_escrow_id_escrow_accounts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('escrow_id', 'kind', name='uq_ledger_entries_escrow_kind')
    )
    op.create_table('refund_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escrow_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('return_goods', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'approved', 'rejected', 'withdrawn')", name=op.f('ck_refund_requests_state_known')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_refund_requests_amount_positive')),
    sa.ForeignKeyConstraint(['escrow_id'], ['escrow_accounts.id'], name=op.f('fk_refund_requests_escrow_id_escrow_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_requests'))
    )
    op.create_index(op.f('ix_refund_requests_escrow_id'), 'refund_requests', ['escrow_id'], unique=False)

    op.create_table('dispute_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=120), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_dispute_evidence_dispute_id_disputes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_evidence'))
    )
    op.create_index(op.f('ix_dispute_evidence_dispute_id'), 'dispute_evidence', ['dispute_id'], unique=False)

    op.create_table('dispute_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_dispute_messages_dispute_id_disputes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_messages'))
    )
    op.create_index(op.f('ix_dispute_messages_dispute_id'), 'dispute_messages', ['dispute_id'], unique=False)

    op.create_table('ledger_postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_kind', sa.String(length=20), nullable=False),
    sa.Column('account_owner', sa.String(length=80), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("account_kind IN ('buyer_funds', 'escrow', 'seller_payable', 'buyer_refunds')", name=op.f('ck_ledger_postings_account_kind_known')),
    sa.CheckConstraint('amount_minor <> 0', name=op.f('ck_ledger_postings_amount_not_zero')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_ledger_postings_entry_id_ledger_entries'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_postings'))
    )
    op.create_index('ix_ledger_postings_account', 'ledger_postings', ['account_kind', 'account_owner'], unique=False)
    op.create_index(op.f('ix_ledger_postings_entry_id'), 'ledger_postings', ['entry_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_ledger_postings_entry_id'))
    op.drop_index('ix_ledger_postings_account')

    op.drop_table('ledger_postings')
    op.drop_index(op.f('ix_dispute_messages_dispute_id'))

    op.drop_table('dispute_messages')
    op.drop_index(op.f('ix_dispute_evidence_dispute_id'))

    op.drop_table('dispute_evidence')
    op.drop_index(op.f('ix_refund_requests_escrow_id'))

    op.drop_table('refund_requests')
    op.drop_table('ledger_entries')
    op.drop_index(op.f('ix_escrow_audit_events_order_number'))
    op.drop_index(op.f('ix_escrow_audit_events_escrow_id'))

    op.drop_table('escrow_audit_events')
    op.drop_table('disputes')
    op.drop_index(op.f('ix_escrow_accounts_deadline'))

    op.drop_table('escrow_accounts')
    op.drop_table('idempotency_records')
