"""Starts the action server: Rasa SDK's app with the actions in actions/, answering only Rasa.

- Every call but ``GET /health`` must carry ``X-Silkroad-Action-Token`` equal to
  ``SILKROAD_ACTION_SERVER_TOKEN`` (compared in constant time) before any action runs: 403 otherwise. Rasa
  sends it (endpoints.yml).
- It listens on ``SILKROAD_ACTION_SERVER_HOST`` (127.0.0.1 by default), never on every interface unless told.
- No CORS: no web page has anything to ask the action server.
- The production profile refuses to start with a development secret.

    python -m actions.server [--port 5055] [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
from typing import List, Optional

from sanic import Sanic, response
from sanic.request import Request

from common.settings import InsecureSettings

TOKEN_HEADER = "X-Silkroad-Action-Token"
OPEN_PATHS = frozenset({"/health"})

logger = logging.getLogger("silkroad.actions")


def only_rasa(app: Sanic, token: str) -> None:
    """Refuses every call without the token (but the health check), before the SDK reads it."""
    expected = token.encode("utf-8")

    @app.middleware("request")
    async def check_token(request: Request):
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("action server: a call to %s without Rasa's token refused", request.path)
            return response.json({"error": "forbidden: only Rasa calls the action server"}, status=403)
        return None


def create_app(token: str, actions_package: str = "actions") -> Sanic:
    from rasa_sdk.endpoint import create_app as sdk_app

    app = sdk_app(actions_package, cors_origins=None)
    only_rasa(app, token)
    return app


def main(argv: Optional[List[str]] = None) -> int:
    options = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__.splitlines()[0])
    options.add_argument("--port", type=int, default=None)
    options.add_argument("--host", default=None)
    args = options.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    from actions.settings import action_settings

    try:
        settings = action_settings()
    except InsecureSettings as refusal:
        print(f"[silkroad] {refusal}", file=sys.stderr)
        return 2
    host, port = args.host or settings.action_server_host, args.port or settings.action_server_port
    app = create_app(settings.action_server_token.get_secret_value())
    logger.info("action server on http://%s:%d (only Rasa's calls are run)", host, port)
    app.run(host, port, workers=1, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
