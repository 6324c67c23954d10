"""Starts the action server: Rasa SDK's app with the actions in actions/, answering only Rasa.

- Every call but ``GET /health`` must carry ``X-Silkroad-Action-Token`` equal to
  ``SILKROAD_ACTION_SERVER_TOKEN`` (compared in constant time) before any action runs: 403 otherwise. Rasa
  sends it (endpoints.yml).
- It listens on ``SILKROAD_ACTION_SERVER_HOST`` (127.0.0.1 by default), never on every interface unless told.
- No CORS: no web page has anything to ask the action server.
- Actions run on ``SILKROAD_ACTION_THREADS`` worker threads (actions/action_threads.py): a slow backend call
  holds one thread, not the server. A failing action answers 500 with its error, never the request's tracker.
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

from actions.action_threads import ThreadedActionExecutor
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


def create_app(token: str, actions_package: str = "actions", threads: int = 8) -> Sanic:
    """Rasa SDK's webhook (the same answers and errors) over a threaded executor, behind the token check."""
    from rasa_sdk import utils
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    executor = ThreadedActionExecutor(threads)
    executor.register_package(actions_package)
    app = Sanic("silkroad_actions", configure_logging=False)

    @app.get("/health")
    async def health(_: Request):
        return response.json({"status": "ok"})

    @app.post("/webhook")
    async def webhook(request: Request):
        action_call = request.json
        if not isinstance(action_call, dict):
            return response.json({"error": "Invalid body request"}, status=400)
        utils.check_version_compatibility(action_call.get("version"))
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as rejection:
            return response.json({"error": rejection.message, "action_name": rejection.action_name}, status=400)
        except ActionNotFoundException as missing:
            logger.error(missing)
            return response.json({"error": missing.message, "action_name": missing.action_name}, status=404)
        return response.json(result)

    @app.get("/actions")
    async def actions(_: Request):
        return response.json([{"name": name} for name in executor.actions])

    @app.exception(Exception)
    async def failed(request: Request, error: Exception):
        status = getattr(error, "status_code", 500)
        if status >= 500:
            logger.error("action call to %s failed", request.path, exc_info=error)
        else:
            logger.warning("action call to %s refused: %s", request.path, error)
        return response.json({"error": str(error)}, status=status)

    @app.after_server_stop
    async def stop_threads(*_: object) -> None:
        executor.shutdown()

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
    app = create_app(settings.action_server_token.get_secret_value(), threads=settings.action_threads)
    logger.info("action server on http://%s:%d with %d action threads (only Rasa's calls are run)", host, port,
                settings.action_threads)
    app.run(host, port, workers=1, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
