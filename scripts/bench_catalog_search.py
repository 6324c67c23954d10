"""Catalog search latency at two catalog sizes: prints p50/p95/p99 per size.

    python -m scripts.bench_catalog_search                      # SQLite, 1k and 100k products
    python -m scripts.bench_catalog_search --sizes 1000 10000 --database-url postgresql://postgres@127.0.0.1/test
    python -m scripts.bench_catalog_search --sizes 100000 --compare --database-url postgresql://...

Each size gets a fresh database (a temporary SQLite file, or a fresh schema on
PostgreSQL) with the seed catalog grown to that many products, then runs the
same multilingual query mix, with and without filters, through the same
search function the API uses.

``--compare`` (PostgreSQL) also builds the previous index layout (every
product's document holding its category's words) in a table of its own and
runs the previous query form (ts_rank over every matching document) on it,
query by query in turn with the current one, and prints both; it fails if the
two forms disagree on how many products a query matches.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from backends.catalog import search_text
from backends.catalog.search import SearchFilters, SearchPage, _filter_sql, document_rows, search
from backends.db import make_engine, make_session_factory, session_scope
from backends.migrate import upgrade
from backends.models import Product
from backends.seed import large_catalog
from backends.seed.catalog_loader import load_all

QUERIES: List[Tuple[str, SearchFilters]] = [
    ("наушники", SearchFilters()),
    ("耳机", SearchFilters()),
    ("سماعات", SearchFilters()),
    ("earphones", SearchFilters()),
    ("телефон", SearchFilters(color="red", in_stock=True)),
    ("手机", SearchFilters(max_usd_minor=30000)),
    ("هاتف", SearchFilters(in_stock=True)),
    ("laptop 16gb", SearchFilters()),
    ("кроссовки", SearchFilters(color="white")),
    ("保温杯", SearchFilters()),
    ("ساعة ذكية", SearchFilters(min_usd_minor=2000, max_usd_minor=20000)),
    ("drone camera", SearchFilters(in_stock=True)),
    ("", SearchFilters(category="toys", in_stock=True)),
]


def percentile(values: List[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def database_for(size: int, base_url: str | None):
    if base_url is None:
        path = Path(tempfile.mkdtemp(prefix="silkroad-bench-")) / "catalog.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))

    def drop():
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}", drop


# The previous PostgreSQL layout and query form, for --compare: one document per product with its name (A),
# its category's names and keywords (B) and its brand (C), every matching document ranked.
PREVIOUS_TABLE = "previous_product_search_documents"
PREVIOUS_INSERT = sa.text(
    f"INSERT INTO {PREVIOUS_TABLE} (product_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :keywords), 'B') || "
    "setweight(to_tsvector('simple', :brand), 'C'))"
)


def create_previous_layout(session: Session) -> None:
    session.execute(sa.text(
        f"CREATE TABLE {PREVIOUS_TABLE} (product_id integer PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    ))
    session.execute(sa.text(f"CREATE INDEX ix_{PREVIOUS_TABLE}_document ON {PREVIOUS_TABLE} USING gin (document)"))
    products = session.query(Product).options(selectinload(Product.texts)).all()
    session.execute(PREVIOUS_INSERT, document_rows(session, products))


def previous_search(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10, offset: int = 0
) -> SearchPage:
    """The query form before category-level matching (PostgreSQL; queries with words only)."""
    pairs = search_text.query_terms(query or "")
    if not pairs:
        return search(session, query, filters, limit, offset)
    params: dict = {"limit": limit, "offset": offset, "tsquery": search_text.tsquery(pairs)}
    where = _filter_sql(filters, params)
    rows = session.execute(sa.text(
        f"SELECT p.id, count(*) OVER () AS total FROM {PREVIOUS_TABLE} d JOIN products p ON p.id = d.product_id "
        f"WHERE d.document @@ to_tsquery('simple', :tsquery){where} ORDER BY p.stock > 0 DESC, "
        "ts_rank(d.document, to_tsquery('simple', :tsquery), 1) DESC, p.id LIMIT :limit OFFSET :offset"
    ), params).all()
    return SearchPage([row.id for row in rows], rows[0].total if rows else 0, [term for term, _ in pairs])


def run(size: int, rounds: int, base_url: str | None, compare: bool = False) -> None:
    url, cleanup = database_for(size, base_url)
    try:
        upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        compare = compare and engine.dialect.name == "postgresql"
        started = time.perf_counter()
        with session_scope(sessions) as session:
            load_all(session)
            on_documents = None
            if compare:
                create_previous_layout(session)
                on_documents = lambda rows: session.execute(PREVIOUS_INSERT, rows)  # noqa: E731
            seeded = session.query(Product).count()
            if size > seeded:
                large_catalog.generate(session, size - seeded, on_documents=on_documents)
        if engine.dialect.name == "postgresql":
            # The settled state autovacuum brings a bulk-loaded table to, at once: statistics, the visibility map
            # (index-only scans), the GIN indexes' pending lists merged.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
        build = time.perf_counter() - started
        forms: Dict[str, Callable[..., SearchPage]] = {"current": search}
        if compare:
            forms = {"previous": previous_search, "current": search}
        latencies: Dict[str, List[float]] = {name: [] for name in forms}
        hits = {name: 0 for name in forms}
        with session_scope(sessions) as session:
            for query, filters in QUERIES:  # warm-up, and the forms must agree on what matches
                totals = {name: form(session, query, filters).total for name, form in forms.items()}
                if len(set(totals.values())) > 1:
                    raise SystemExit(f"{query!r} {filters}: the query forms match different numbers: {totals}")
            for round_ in range(rounds):
                for query, filters in QUERIES:
                    names = list(forms) if round_ % 2 == 0 else list(reversed(forms))  # each goes first in turn
                    for name in names:
                        began = time.perf_counter()
                        page = forms[name](session, query, filters, limit=10)
                        latencies[name].append((time.perf_counter() - began) * 1000)
                        hits[name] += page.total
        engine.dispose()
        for name, values in latencies.items():
            label = f"  {name:<8}" if compare else ""
            print(
                f"{engine.dialect.name:<10} {size:>8} products{label}  build {build:6.1f} s  "
                f"queries {len(values):>5}  p50 {statistics.median(values):7.2f} ms  "
                f"p95 {percentile(values, 0.95):7.2f} ms  p99 {percentile(values, 0.99):7.2f} ms  "
                f"mean hits {hits[name] / len(values):9.1f}",
                flush=True,
            )
    finally:
        cleanup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="catalog search latency percentiles")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=20, help="times the query mix runs per size")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--compare", action="store_true",
                        help="PostgreSQL: also time the previous index layout and query form, in turn with the current")
    args = parser.parse_args(argv)
    print(f"query mix: {len(QUERIES)} queries in en, zh, ru, ar, with and without filters; limit 10")
    if args.compare and not args.database_url:
        print("--compare: SQLite's query form is unchanged, only the current one is timed")
    for size in args.sizes:
        run(size, args.rounds, args.database_url, args.compare)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
