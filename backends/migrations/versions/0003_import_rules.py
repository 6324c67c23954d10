"""import rules: the reviewed country files and their item rules

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_rule_sets',
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('country', name=op.f('pk_import_rule_sets'))
    )
    op.create_table('import_item_rules',
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('item', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.String(length=12), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('source_id', sa.String(length=80), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['country'], ['import_rule_sets.country'], name=op.f('fk_import_item_rules_country_import_rule_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('country', 'item', name=op.f('pk_import_item_rules'))
    )
    op.create_index('ix_import_item_rules_item', 'import_item_rules', ['item', 'rule'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_import_item_rules_item', table_name='import_item_rules')
    op.drop_table('import_item_rules')
    op.drop_table('import_rule_sets')
