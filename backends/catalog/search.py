"""Multilingual catalog search on the database's own full-text index.

A product is found by the pre-processed terms (``search_text``) of what it is:
its name in every language, its category's names and keywords in every
language, and its brand, so a query in any supported language finds the same
products; every query word must be among them. Descriptions are not indexed: a
phone "with earphones in the box" is not a pair of earphones, and on PostgreSQL
they made every document several kilobytes to read and rank.

SQLite: an FTS5 table ``product_search`` (rowid = product id; name, category
words, brand) ranked by bm25.

PostgreSQL: a category's words are matched once, at the category level
(``category_search_documents``), not in every product's document:
``product_search_documents`` (GIN index) holds a product's own words (name A,
brand C) less those its category already has, and a token for its category
(``#<category id>``). A query word that names a category selects that
category's products through the index on ``products.category_id``, without
reading a document of theirs; only products that match a word through their
own name are read and ranked. When every product of a category held the
category's words, a broad word such as "phone" had every phone's document read
and ranked, most of a search's time at 100,000 products. Ranking: in stock
first, then the products of the categories the query names best (a category
named by the word before one that has it as a keyword, and before products
elsewhere that only have it in their name), then ts_rank of the product's own
words. Within a category, a word of the category's does not tell apart the
products that also have it in their name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session, selectinload

from backends.catalog import search_text
from backends.models import Category, Product

# Column weights: a name match counts most, then category words, then brand.
WEIGHTS = (10.0, 4.0, 3.0)
MAX_LIMIT = 50
MAX_PREFERRED = 12
MAX_REQUIRED = 6  # phrases a product must have one of


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


def _category_texts(session: Session) -> Dict[int, Tuple[str, str]]:
    """Index text of each category's names, and of its keywords, in every language, by category id."""
    categories = session.execute(select(Category).options(selectinload(Category.texts))).scalars()
    return {
        category.id: (
            search_text.index_text(*(t.name for t in category.texts)),
            search_text.index_text(*(k for t in category.texts for k in t.keywords.splitlines())),
        )
        for category in categories
    }


def category_documents(session: Session) -> Dict[int, str]:
    """Index text of each category's names and keywords in every language, by category id."""
    return {
        category_id: f"{keywords} {names}".strip()
        for category_id, (names, keywords) in _category_texts(session).items()
    }


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def document_rows(session: Session, products: Iterable[Product]) -> List[dict]:
    """Search document rows of ``products`` (their texts loaded) for ``document_insert``."""
    keywords = category_documents(session)
    return [
        dict(id=p.id, category_id=p.category_id, name=search_text.index_text(*(t.name for t in p.texts)),
             keywords=keywords.get(p.category_id, ""), brand=search_text.index_text(p.brand))
        for p in products
    ]


def reindex(session: Session, product_ids: Optional[Iterable[int]] = None) -> int:
    """(Re)builds the search documents of the given products, or of all (and, on PostgreSQL, of every category)."""
    query = select(Product).options(selectinload(Product.texts))
    if product_ids is not None:
        product_ids = list(product_ids)
        query = query.where(Product.id.in_(product_ids))
    rows = document_rows(session, session.execute(query).scalars().all())
    ids = [row["id"] for row in rows]
    if is_postgres(session):
        reindex_categories(session)
        session.execute(text("DELETE FROM product_search_documents WHERE product_id = ANY(:ids)"), {"ids": ids})
    else:
        session.execute(
            text("DELETE FROM product_search WHERE rowid IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"ids": ids or [-1]},
        )
    if rows:
        session.execute(document_insert(session), rows)
    return len(rows)


def reindex_categories(session: Session) -> int:
    """PostgreSQL: rebuilds every category's document (names weigh A, keywords B)."""
    rows = [dict(id=category_id, names=names, keywords=keywords)
            for category_id, (names, keywords) in _category_texts(session).items()]
    session.execute(text("DELETE FROM category_search_documents"))
    if rows:
        session.execute(text(
            "INSERT INTO category_search_documents (category_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :names), 'A') || setweight(to_tsvector('simple', :keywords), 'B'))"
        ), rows)
    return len(rows)


def document_insert(session: Session):
    """INSERT of search documents: rows of id, category_id, name, keywords (the category's index text), brand."""
    if is_postgres(session):
        # The product's own words less its category's (matched at the category level), and its category's token.
        return text(
            "INSERT INTO product_search_documents (product_id, document) VALUES (:id, "
            "ts_delete(setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :brand), 'C'), "
            "tsvector_to_array(to_tsvector('simple', :keywords))) "
            "|| array_to_tsvector(ARRAY['#' || CAST(:category_id AS text)]))"
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


def _category_tokens(category_ids: Iterable[int]) -> str:
    """A tsquery matching the documents of products of any of these categories."""
    return " | ".join(f"'#{int(category_id)}'" for category_id in category_ids)


def _postgres_matches(session: Session, pairs: List[Tuple[str, bool]], where: str, params: dict) -> str:
    """FROM-clause subquery of the matching products (id, stock, category_rank, own_rank), on PostgreSQL.

    A product matches when each query word is in its own words or in its category's words. Products of a
    category that has every word (``whole``) are taken from ``products`` by category, unread; the others
    can only match through their own words, which the GIN index finds. ``category_rank`` is how well the
    product's category matches the query (its names weigh more than its keywords), ``own_rank`` how well
    its own words match the words its category does not have.
    """
    words = [search_text.tsquery([pair]) for pair in pairs]
    params["any_word"] = " | ".join(words)
    checks = ", ".join(f"document @@ to_tsquery('simple', :word_{i})" for i in range(len(words)))
    for i, word in enumerate(words):
        params[f"word_{i}"] = word
    categories = session.execute(text(
        f"SELECT category_id, ts_rank(document, to_tsquery('simple', :any_word), 1) AS rank, {checks} "
        "FROM category_search_documents WHERE document @@ to_tsquery('simple', :any_word)"
    ), params).all()
    per_word = [[row[0] for row in categories if row[2 + i]] for i in range(len(words))]
    whole = sorted(set(per_word[0]).intersection(*per_word[1:]))
    params["rank_categories"] = [row[0] for row in categories]
    params["category_ranks"] = [float(row[1]) for row in categories]
    document_query = []
    for i, category_ids in enumerate(per_word):
        if category_ids:
            params[f"word_categories_{i}"] = _category_tokens(category_ids)
            document_query.append(f"(to_tsquery('simple', :word_{i}) || CAST(:word_categories_{i} AS tsquery))")
        else:
            document_query.append(f"to_tsquery('simple', :word_{i})")
    if whole:
        params["whole_categories"] = _category_tokens(whole)
        document_query.append("!! CAST(:whole_categories AS tsquery)")
    # OFFSET 0 keeps the product lookup a per-document index probe: the planner, misjudging how many
    # documents match, would otherwise read all of products for a hash join.
    named = (
        "SELECT p.id, p.stock, p.category_id, ts_rank(d.document, to_tsquery('simple', :any_word), 1) AS own_rank "
        "FROM product_search_documents d CROSS JOIN LATERAL (SELECT p.id, p.stock, p.category_id FROM products p "
        f"WHERE p.id = d.product_id{where} OFFSET 0) p WHERE d.document @@ ({' && '.join(document_query)})"
    )
    parts = [named]
    if whole:
        params["whole"] = whole
        parts.insert(0, f"SELECT p.id, p.stock, p.category_id, CAST(0 AS real) AS own_rank FROM products p "
                        f"WHERE p.category_id = ANY(:whole){where}")
    category_rank = (
        "coalesce((CAST(:category_ranks AS real[]))"
        "[array_position(CAST(:rank_categories AS integer[]), m.category_id)], 0)"
    )
    return (
        f"(SELECT m.id, m.stock, {category_rank} AS category_rank, m.own_rank "
        f"FROM ({' UNION ALL '.join(parts)}) m) hits"
    )


def preferred_terms(prefer: str) -> List[Tuple[str, bool]]:
    """The words of a buyer's sentence that can rank products ("wireless", "шумоподавлением", "降噪"): no
    numbers, no one-character words, at most MAX_PREFERRED."""
    pairs = [(term, prefix) for term, prefix in search_text.query_terms(prefer or "")
             if not term.isdigit() and len(term) >= (2 if search_text.is_han(term) else 3)]
    return pairs[:MAX_PREFERRED]


def _preferred_join(session: Session, prefer: str, params: dict) -> Tuple[str, str]:
    """(a join for the words' matches, the ORDER BY term): the more of the preferred words a product has, the
    earlier it comes."""
    pairs = preferred_terms(prefer)
    if not pairs:
        return "", ""
    postgres = is_postgres(session)
    for i, pair in enumerate(pairs):
        # a product's own words: its name (SQLite's rows also carry the category's keywords, PostgreSQL's
        # documents do not)
        params[f"prefer_{i}"] = (search_text.tsquery([pair]) if postgres
                                 else "name : " + search_text.fts5_query([pair]))
    if postgres:
        matched = " + ".join(f"CAST(pd.document @@ to_tsquery('simple', :prefer_{i}) AS integer)"
                             for i in range(len(pairs)))
        return ("LEFT JOIN product_search_documents pd ON pd.product_id = p.id ",
                f"coalesce({matched}, 0) DESC, ")
    matched = " + ".join(f"(p.id IN (SELECT rowid FROM product_search WHERE product_search MATCH :prefer_{i}))"
                         for i in range(len(pairs)))
    return "", f"({matched}) DESC, "


def _required_sql(session: Session, require: Sequence[str], params: dict) -> str:
    """A WHERE clause: a product's own words (its names) hold every word of at least one of the ``require``
    phrases ("air fryer", "noise-cancelling"); nothing when no phrase has a word to search by."""
    phrases = [terms for terms in (preferred_terms(phrase) for phrase in require[:MAX_REQUIRED]) if terms]
    if not phrases:
        return ""
    alternatives, postgres = [], is_postgres(session)
    for i, pairs in enumerate(phrases):
        if postgres:
            params[f"require_{i}"] = search_text.tsquery(pairs)
            alternatives.append("EXISTS (SELECT 1 FROM product_search_documents rd WHERE rd.product_id = p.id "
                                f"AND rd.document @@ to_tsquery('simple', :require_{i}))")
            continue
        matches = []
        for j, pair in enumerate(pairs):
            params[f"require_{i}_{j}"] = "name : " + search_text.fts5_query([pair])
            matches.append(f"p.id IN (SELECT rowid FROM product_search WHERE product_search MATCH :require_{i}_{j})")
        alternatives.append(f"({' AND '.join(matches)})")
    return f" AND ({' OR '.join(alternatives)})"


def search(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10, offset: int = 0,
    prefer: str = "", require: Sequence[str] = (),
) -> SearchPage:
    """Product ids best first (in stock before out of stock), and how many match. Without a query (a whole
    category, a colour, a budget), only the products whose names have one of the ``require`` phrases (when
    any is given), those that have more of the ``prefer`` words first, then the cheapest."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    pairs = search_text.query_terms(query or "")
    params: dict = {"limit": limit, "offset": offset}
    where = _filter_sql(filters, params)
    prefix = ""
    if not pairs:
        where += _required_sql(session, list(require), params)
        join, ranking = _preferred_join(session, prefer, params)
        base = f"FROM products p {join}WHERE 1=1{where}"
        order = f"ORDER BY p.stock > 0 DESC, {ranking}p.reference_usd_minor, p.id"
        column = "p.id"
    elif is_postgres(session):
        base = "FROM " + _postgres_matches(session, pairs, where, params)
        order = "ORDER BY hits.stock > 0 DESC, hits.category_rank DESC, hits.own_rank DESC, hits.id"
        column = "hits.id"
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
        column = "p.id"
    # One pass gives the page and the total (a window count), not two full-text runs.
    rows = session.execute(
        text(f"{prefix}SELECT {column} AS id, count(*) OVER () AS total {base} {order} LIMIT :limit OFFSET :offset"),
        params,
    ).all()
    if rows:
        total = rows[0].total
    else:  # past the last page: the total still has to be told
        total = session.execute(text(f"{prefix}SELECT count(*) {base}"), params).scalar_one() if offset else 0
    return SearchPage([row.id for row in rows], total, [term for term, _ in pairs])
