"""The auto-release job: ``python -m backends.escrow.auto_release [--every SECONDS] [DATABASE_URL]``.

Releases every held payment whose protection period is over. Run it from a
scheduler, or with ``--every`` as a long-running process; several may run at
once (each hold is released exactly once).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from backends.db import make_engine, make_session_factory
from backends.escrow.service import EscrowService, release_overdue
from backends.settings import load_settings

log = logging.getLogger("silkroad.auto_release")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", nargs="?", help="defaults to SILKROAD_DATABASE_URL")
    parser.add_argument("--every", type=float, default=0, help="run again every SECONDS (0: once)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[silkroad] %(message)s")
    settings = load_settings()
    engine = make_engine(args.database_url or settings.database_url, **settings.engine_options())
    service = EscrowService(make_session_factory(engine), settings.protection_policy)
    try:
        while True:
            try:
                released = release_overdue(service)
                if released or not args.every:
                    log.info("auto-release: %d overdue hold(s) released", released)
            except Exception:  # the database may be away for a moment: try again next round
                if not args.every:
                    raise
                log.exception("auto-release pass failed; next try in %.0f s", args.every)
            if not args.every:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
