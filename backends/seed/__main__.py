"""Migrate the marketplace database and load the seed data, idempotently.

    python -m backends.seed [DATABASE_URL]
"""

from __future__ import annotations

import sys

from backends.db import make_engine, make_session_factory, session_scope
from backends.migrate import upgrade
from backends.import_rules.loader import load_import_rules
from backends.seed.catalog_loader import load_all
from backends.seed.demo_escrow import load_demo_escrow
from backends.seed.demo_orders import load_demo_orders
from backends.settings import load_settings
from backends.support.canned_replies import load_canned_replies


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    url = argv[0] if argv else load_settings().database_url
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        with session_scope(sessions) as session:
            report = load_all(session)
            orders = load_demo_orders(session)
            countries = load_import_rules(session)
            replies = load_canned_replies(session)
        escrows = load_demo_escrow(sessions)
    finally:
        engine.dispose()
    print(
        f"[silkroad] marketplace seeded: {report.products} products in {report.categories} categories, "
        f"{report.sellers} sellers, {report.rates} rates, {orders} new demo orders, {escrows} new escrow holds, "
        f"import rules of {countries} countries (re)loaded, {replies} new canned replies",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
