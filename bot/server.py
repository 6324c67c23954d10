"""Starts the Rasa server (the channels and Rasa's HTTP API) from the Rasa settings (bot/settings.py):

- Rasa's HTTP API answers only calls with ``SILKROAD_RASA_API_TOKEN`` (``?token=``); the channels, socket.io and
  the health check (``GET /``) need none;
- CORS names the shop's origins (``SILKROAD_SHOP_ORIGINS``), never ``*``;
- Rasa sends ``SILKROAD_ACTION_SERVER_TOKEN`` to the action server (endpoints.yml's ``X-Silkroad-Action-Token``
  header reads it from the environment);
- a request body is at most 1 MB (Sanic's limit; the channels keep theirs much lower);
- Rasa's own code runs with this project's fixes (bot/rasa_patches.py).

No secret is on the command line (another user of the machine could read it there); the production profile
refuses to start with a development secret.

    python -m bot.server --model models/<model>.tar.gz [--port 5005] [--interface 127.0.0.1]
                         [--endpoints endpoints.yml] [--credentials credentials.yml]
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from common.settings import InsecureSettings

ACTION_TOKEN_VARIABLE = "SILKROAD_ACTION_SERVER_TOKEN"
MAX_REQUEST_BYTES = 1024 * 1024


def rasa_arguments(args: argparse.Namespace, api_token: str, origins: List[str]) -> List[str]:
    """``rasa run``'s arguments for these options and settings."""
    # --auth-token=<token>: a token may begin with "-", which argparse would otherwise take for an option
    arguments = ["run", "--model", str(args.model), "--endpoints", str(args.endpoints), "--credentials",
                 str(args.credentials), "--enable-api", f"--auth-token={api_token}", "--port", str(args.port),
                 "--interface", args.interface]
    return arguments + (["--cors", *origins] if origins else [])


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(prog="python -m bot.server", description=__doc__.splitlines()[0])
    options.add_argument("--model", required=True)
    options.add_argument("--port", type=int, default=5005)
    options.add_argument("--interface", default="127.0.0.1")
    options.add_argument("--endpoints", default="endpoints.yml")
    options.add_argument("--credentials", default="credentials.yml")
    return options


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    from bot.settings import rasa_settings

    try:
        settings = rasa_settings()
    except InsecureSettings as refusal:
        print(f"[silkroad] {refusal}", file=sys.stderr)
        return 2
    os.environ[ACTION_TOKEN_VARIABLE] = settings.action_server_token.get_secret_value()
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES))
    sys.argv = ["rasa", *rasa_arguments(args, settings.rasa_api_token.get_secret_value(), settings.origins)]
    from rasa.__main__ import main as rasa_main

    from bot import rasa_patches

    rasa_patches.apply()
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
