"""The gate in front of a messaging platform's webhook: configured, authentic, JSON, not seen before."""

from __future__ import annotations

import hmac
import json
import logging
from collections import OrderedDict
from typing import Any, Callable, Optional, Tuple, Union

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

REMEMBERED_IDS = 10_000


def same_secret(given: Optional[str], expected: Optional[str]) -> bool:
    """Whether a caller's secret (token, signature) equals the configured one, in constant time; never when
    nothing is configured."""
    return bool(expected) and hmac.compare_digest((given or "").encode(), expected.encode())


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


class RecentIds:
    """The last ``size`` ids seen (in this process), to drop what a platform delivers twice."""

    def __init__(self, size: int = REMEMBERED_IDS) -> None:
        self.size = size
        self._ids: "OrderedDict[str, None]" = OrderedDict()

    def first_time(self, message_id: Optional[str]) -> bool:
        if not message_id:
            return True
        if message_id in self._ids:
            return False
        self._ids[message_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True
