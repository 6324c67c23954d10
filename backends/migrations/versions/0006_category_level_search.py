"""category-level catalog search on PostgreSQL

A category's names and keywords move out of every product's document into one
document per category (``category_search_documents``); a product's document
keeps its own words (name A, brand C) less its category's, plus the token
``#<category id>``. The same products match a query; a word that names a
category selects that category's products by ``products.category_id`` instead
of having each of their documents read (backends/catalog/search.py), from
``ix_products_category_search`` (category, id, and what filters and ranking
test).

SQLite (FTS5) is unchanged: nothing to do there.

The upgrade rewrites the existing documents in SQL: a category's document is
taken from its products' category words (weight B: the next reindex, run by
``python -m backends.seed``, weighs its names A). The downgrade puts the
category words back into each product's document: the same products match;
a reseed on the older code rebuilds them exactly.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlalchemy.dialects.postgresql


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "category_search_documents",
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
    )
    op.execute(
        "INSERT INTO category_search_documents (category_id, document) "
        "SELECT DISTINCT ON (p.category_id) p.category_id, ts_filter(d.document, '{b}') "
        "FROM product_search_documents d JOIN products p ON p.id = d.product_id ORDER BY p.category_id, p.id"
    )
    # A category's products, their order and what filters test, read from the index alone (an index-only scan
    # once autovacuum has marked the table's pages all-visible): a query word that names a category costs a
    # walk over this index instead of a read of every product row of the category.
    op.create_index(
        "ix_products_category_search", "products", ["category_id", "id"],
        postgresql_include=["stock", "reference_usd_minor", "color"],
    )
    _rewrite_documents(
        "ts_delete(ts_filter(d.document, '{a,c}'), tsvector_to_array(c.document)) "
        "|| array_to_tsvector(ARRAY['#' || CAST(p.category_id AS text)])"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _rewrite_documents("ts_filter(d.document, '{a,c}') || setweight(coalesce(c.document, ''), 'B')")
    op.drop_index("ix_products_category_search", table_name="products")
    op.drop_table("category_search_documents")


def _rewrite_documents(document_sql: str) -> None:
    """Replaces every product's search document by ``document_sql`` (of d: the document, p: the product, c: its
    category's document), into a compact table with its GIN index built afresh (an UPDATE of every row would
    leave the table twice its size and maintain the index row by row)."""
    op.execute(
        f"CREATE TEMPORARY TABLE rewritten_search_documents AS SELECT d.product_id, {document_sql} AS document "
        "FROM product_search_documents d JOIN products p ON p.id = d.product_id "
        "LEFT JOIN category_search_documents c ON c.category_id = p.category_id"
    )
    op.drop_index("ix_product_search_documents_document", table_name="product_search_documents")
    op.execute("TRUNCATE product_search_documents")
    op.execute("INSERT INTO product_search_documents (product_id, document) "
               "SELECT product_id, document FROM rewritten_search_documents")
    op.execute("DROP TABLE rewritten_search_documents")
    op.create_index(
        "ix_product_search_documents_document", "product_search_documents", ["document"], postgresql_using="gin",
    )
