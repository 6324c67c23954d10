"""The gate in front of a messaging platform's webhook: configured, authentic, JSON, not seen before."""

from __future__ import annotations

import hmac
import json
import logging
from collections import OrderedDict
from typing import Any, Callable, Dict, Optional, Tuple, Union

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

REMEMBERED_IDS = 10_000
# A platform redelivers for at most a day (Telegram: 24 h; WhatsApp: retries for hours).
REMEMBERED_SECONDS = 24 * 3600


def channel_blueprint(name: str, gate: Any, is_on: Callable[[], bool]) -> Blueprint:
    """A channel's blueprint: its gate bound to the Rasa app when the server starts (bind_gate_on_start), and
    ``GET /`` saying whether the channel is on."""
    blueprint = Blueprint(name, __name__)
    bind_gate_on_start(blueprint, gate)

    @blueprint.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok" if is_on() else "off"})

    return blueprint


def bind_gate_on_start(blueprint: Blueprint, gate: Any) -> None:
    """The gate reads its notices from the domain of the model the Rasa app serves."""
    @blueprint.listener("before_server_start")
    async def bind_gate(app: Any, _loop: Any) -> None:
        gate.bind(app)


def as_dict(value: Any) -> Dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: platform payloads are read without trusting their
    shape (a field of the wrong type is as good as absent)."""
    return value if isinstance(value, dict) else {}


def same_secret(given: Optional[str], expected: Optional[str]) -> bool:
    """Whether a caller's secret (token, signature) equals the configured one, in constant time; never when
    nothing is configured."""
    return bool(expected) and hmac.compare_digest((given or "").encode(), expected.encode())


def admitted_body(request: Request, channel: str, configured: bool, authentic: Callable[[Request], bool],
                  proof: str) -> Tuple[bool, Union[Any, HTTPResponse]]:
    """(True, the parsed body) for a call to let in, else (False, the answer to give): 404 when the channel
    is off, 403 when ``authentic`` says no (nothing reaches the bot), 413 for a body over
    ``SILKROAD_MAX_REQUEST_BYTES``, 400 for a body that is not JSON."""
    if not configured:
        return False, response.json({"error": f"the {channel} channel is not configured"}, status=404)
    if not authentic(request):
        logger.warning("%s: call refused: missing or wrong %s", channel, proof)
        return False, response.json({"error": "forbidden"}, status=403)
    body = request.body or b""
    if len(body) > max_body_bytes():
        return False, response.json({"error": f"the body is over {max_body_bytes()} bytes"}, status=413)
    try:
        return True, json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return False, response.json({"error": "the body is not JSON"}, status=400)


def max_body_bytes() -> int:
    from bot.settings import rasa_settings

    return rasa_settings().max_request_bytes


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
    """Where a channel remembers delivered ids: in Redis when ``SILKROAD_CHANNEL_REDIS_URL`` is set (the
    production profile sets it, with ``SILKROAD_INSTANCE`` naming the keys), else in this process."""
    from bot.settings import rasa_settings

    settings = rasa_settings()
    if not settings.channel_redis_url:
        return RecentIds()
    return SharedRecentIds(settings.channel_redis_url, f"{settings.instance}:seen:{channel}:")
