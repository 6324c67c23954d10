"""account links: one-time codes and linked messaging-app accounts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 18:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.id'], name=op.f('fk_account_link_codes_buyer_id_buyers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link_codes')),
    sa.UniqueConstraint('code_sha256', name=op.f('uq_account_link_codes_code_sha256'))
    )
    op.create_index(op.f('ix_account_link_codes_buyer_id'), 'account_link_codes', ['buyer_id'], unique=False)
    op.create_table('account_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('channel_user_id', sa.String(length=120), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.id'], name=op.f('fk_account_links_buyer_id_buyers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
    sa.UniqueConstraint('channel', 'channel_user_id', name='uq_account_links_channel_user')
    )
    op.create_index(op.f('ix_account_links_buyer_id'), 'account_links', ['buyer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_links_buyer_id'), table_name='account_links')
    op.drop_table('account_links')
    op.drop_index(op.f('ix_account_link_codes_buyer_id'), table_name='account_link_codes')
    op.drop_table('account_link_codes')
