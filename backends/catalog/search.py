"""Multilingual catalog search on the database's own full-text index.

SQLite: an FTS5 table ``product_search`` (rowid = product id) ranked by bm25.
PostgreSQL: ``product_search_documents`` with a weighted tsvector and a GIN
index, ranked by ts_rank. Both hold the same pre-processed terms
(``search_text``) of what a product is: its name in every language, its
category's names and keywords in every language, and its brand, so a query in
any supported language finds the same products. Descriptions are not indexed:
a phone "with earphones in the box" is not a pair of earphones, and on
PostgreSQL they made every document several kilobytes to read and rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session, selectinload

from backends.catalog import search_text
from backends.models import Category, Product

# Column weights: a name match counts most, then category words, then brand.
WEIGHTS = (10.0, 4.0, 3.0)
MAX_LIMIT = 50


@dataclass(frozen=True)
class SearchFilters:
    category: Optional[str] = None
    color: Optional[str] = None
    min_usd_minor: Optional[int] = None
    max_usd_minor: Optional[int] = None
    in_stock: bool = False


@dataclass
class SearchPage:
    product_ids: List[int]
    total: int
    terms: List[str] = field(default_factory=list)


def category_documents(session: Session) -> Dict[int, str]:
    """Index text of each category's names and keywords in every language, by category id."""
    categories = session.execute(select(Category).options(selectinload(Category.texts))).scalars()
    return {
        category.id: search_text.index_text(
            *(k for t in category.texts for k in t.keywords.splitlines()), *(t.name for t in category.texts)
        )
        for category in categories
    }


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def reindex(session: Session, product_ids: Optional[Iterable[int]] = None) -> int:
    """(Re)builds the search documents of the given products, or of all."""
    query = select(Product).options(selectinload(Product.texts))
    if product_ids is not None:
        product_ids = list(product_ids)
        query = query.where(Product.id.in_(product_ids))
    products = session.execute(query).scalars().all()
    keywords = category_documents(session)
    rows = [
        dict(id=p.id, name=search_text.index_text(*(t.name for t in p.texts)),
             keywords=keywords.get(p.category_id, ""), brand=search_text.index_text(p.brand))
        for p in products
    ]
    ids = [row["id"] for row in rows]
    if is_postgres(session):
        session.execute(text("DELETE FROM product_search_documents WHERE product_id = ANY(:ids)"), {"ids": ids})
    else:
        session.execute(
            text("DELETE FROM product_search WHERE rowid IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"ids": ids or [-1]},
        )
    if rows:
        session.execute(document_insert(session), rows)
    return len(rows)


def document_insert(session: Session):
    """INSERT of search documents: rows of id, name, keywords, brand (index text)."""
    if is_postgres(session):
        return text(
            "INSERT INTO product_search_documents (product_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :keywords), 'B') || "
            "setweight(to_tsvector('simple', :brand), 'C'))"
        )
    return text(
        "INSERT INTO product_search (rowid, name, keywords, brand) VALUES (:id, :name, :keywords, :brand)"
    )


def _filter_sql(filters: SearchFilters, params: dict) -> str:
    clauses = []
    if filters.category:
        clauses.append("p.category_id = (SELECT id FROM categories WHERE slug = :category)")
        params["category"] = filters.category
    if filters.color:
        clauses.append("p.color = :color")
        params["color"] = filters.color
    if filters.min_usd_minor is not None:
        clauses.append("p.reference_usd_minor >= :min_usd")
        params["min_usd"] = filters.min_usd_minor
    if filters.max_usd_minor is not None:
        clauses.append("p.reference_usd_minor <= :max_usd")
        params["max_usd"] = filters.max_usd_minor
    if filters.in_stock:
        clauses.append("p.stock > 0")
    return "".join(f" AND {clause}" for clause in clauses)


def search(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10, offset: int = 0
) -> SearchPage:
    """Product ids best first (in stock before out of stock), and how many match."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    pairs = search_text.query_terms(query or "")
    params: dict = {"limit": limit, "offset": offset}
    where = _filter_sql(filters, params)
    prefix = ""
    if not pairs:
        base = f"FROM products p WHERE 1=1{where}"
        order = "ORDER BY p.stock > 0 DESC, p.reference_usd_minor, p.id"
    elif is_postgres(session):
        params["tsquery"] = search_text.tsquery(pairs)
        base = (
            "FROM product_search_documents d JOIN products p ON p.id = d.product_id "
            "WHERE d.document @@ to_tsquery('simple', :tsquery)" + where
        )
        order = "ORDER BY p.stock > 0 DESC, ts_rank(d.document, to_tsquery('simple', :tsquery), 1) DESC, p.id"
    else:
        params["match"] = search_text.fts5_query(pairs)
        # The full-text match runs first, materialized: otherwise SQLite may walk a
        # filter's index (colour) and test MATCH row by row, a hundred times slower.
        prefix = (
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(product_search, {}, {}, {}) AS rank "
            "FROM product_search WHERE product_search MATCH :match) ".format(*WEIGHTS)
        )
        base = "FROM hits JOIN products p ON p.id = hits.id WHERE 1=1" + where
        order = "ORDER BY p.stock > 0 DESC, hits.rank, p.id"
    # One pass gives the page and the total (a window count), not two full-text runs.
    rows = session.execute(
        text(f"{prefix}SELECT p.id, count(*) OVER () AS total {base} {order} LIMIT :limit OFFSET :offset"), params
    ).all()
    if rows:
        total = rows[0].total
    else:  # past the last page: the total still has to be told
        total = session.execute(text(f"{prefix}SELECT count(*) {base}"), params).scalar_one() if offset else 0
    return SearchPage([row.id for row in rows], total, [term for term, _ in pairs])
