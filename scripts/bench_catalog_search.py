"""Catalog search latency at two catalog sizes: prints p50/p95/p99 per size.

    python -m scripts.bench_catalog_search                      # SQLite, 1k and 100k products
    python -m scripts.bench_catalog_search --sizes 1000 10000 --database-url postgresql://postgres@127.0.0.1/test

Each size gets a fresh database (a temporary SQLite file, or a fresh schema on
PostgreSQL) with the seed catalog grown to that many products, then runs the
same multilingual query mix, with and without filters, through the same
search function the API uses.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import List, Tuple

import sqlalchemy as sa

from backends.catalog.search import SearchFilters, search
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


def run(size: int, rounds: int, base_url: str | None) -> None:
    url, cleanup = database_for(size, base_url)
    try:
        upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        with session_scope(sessions) as session:
            load_all(session)
            seeded = session.query(Product).count()
            if size > seeded:
                large_catalog.generate(session, size - seeded)
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(sa.text("ANALYZE"))
        build = time.perf_counter() - started
        latencies: List[float] = []
        hits = 0
        with session_scope(sessions) as session:
            for query, filters in QUERIES:  # warm-up
                search(session, query, filters)
            for _ in range(rounds):
                for query, filters in QUERIES:
                    began = time.perf_counter()
                    page = search(session, query, filters, limit=10)
                    latencies.append((time.perf_counter() - began) * 1000)
                    hits += page.total
        engine.dispose()
        print(
            f"{engine.dialect.name:<10} {size:>8} products  build {build:6.1f} s  "
            f"queries {len(latencies):>5}  p50 {statistics.median(latencies):7.2f} ms  "
            f"p95 {percentile(latencies, 0.95):7.2f} ms  p99 {percentile(latencies, 0.99):7.2f} ms  "
            f"mean hits {hits / len(latencies):9.1f}",
            flush=True,
        )
    finally:
        cleanup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="catalog search latency percentiles")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=20, help="times the query mix runs per size")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    print(f"query mix: {len(QUERIES)} queries in en, zh, ru, ar, with and without filters; limit 10")
    for size in args.sizes:
        run(size, args.rounds, args.database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
