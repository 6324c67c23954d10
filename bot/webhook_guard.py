"""The gate in front of a messaging platform's webhook: configured, authentic, JSON."""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Tuple, Union

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


def admitted_body(request: Request, channel: str, configured: bool, authentic: Callable[[Request], bool],
                  proof: str) -> Tuple[bool, Union[Any, HTTPResponse]]:
    """(True, the parsed body) for a call to let in, else (False, the answer to give): 404 when the channel
    is off, 403 when ``authentic`` says no (nothing reaches the bot), 400 for a body that is not JSON."""
    if not configured:
        return False, response.json({"error": f"the {channel} channel is not configured"}, status=404)
    if not authentic(request):
        logger.warning("%s: call refused: missing or wrong %s", channel, proof)
        return False, response.json({"error": "forbidden"}, status=403)
    try:
        return True, json.loads(request.body or b"")
    except ValueError:
        return False, response.json({"error": "the body is not JSON"}, status=400)
