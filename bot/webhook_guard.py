"""The gate in front of a messaging platform's webhook: configured, authentic, JSON, not seen before."""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections import OrderedDict
from typing import Any, Callable, Optional, Tuple, Union

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

REMEMBERED_IDS = 10_000
# A platform redelivers for at most a day (Telegram: 24 h; WhatsApp: retries for hours).
REMEMBERED_SECONDS = 24 * 3600


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


class SharedRecentIds:
    """Ids seen by any of the deployment's Rasa processes, in Redis (``SET NX`` with a day's expiry): a
    redelivery that the load balancer sends to another process is still dropped. Redis away: the message is
    let through (answering twice is better than never)."""

    def __init__(self, redis_url: str, prefix: str, seconds: int = REMEMBERED_SECONDS) -> None:
        import redis

        self.red = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.seconds = seconds

    def first_time(self, message_id: Optional[str]) -> bool:
        if not message_id:
            return True
        try:
            return bool(self.red.set(self.prefix + message_id, 1, nx=True, ex=self.seconds))
        except Exception as error:  # noqa: BLE001 - any Redis failure: let the message through
            logger.warning("seen ids: Redis unavailable (%s); %s let through", error, message_id)
            return True


def recent_ids(channel: str) -> Union[RecentIds, SharedRecentIds]:
    """Where a channel remembers delivered ids: in Redis when ``SILKROAD_SEEN_IDS_REDIS_URL`` is set (the
    production profile sets it, with ``SILKROAD_INSTANCE`` naming the keys), else in this process."""
    redis_url = os.environ.get("SILKROAD_SEEN_IDS_REDIS_URL", "").strip()
    if not redis_url:
        return RecentIds()
    instance = os.environ.get("SILKROAD_INSTANCE", "").strip() or "silkroad"
    return SharedRecentIds(redis_url, f"{instance}:seen:{channel}:")
