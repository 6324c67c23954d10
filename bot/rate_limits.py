"""How many messages a sender may send: at most ``limit`` per window of ``seconds``, per channel and sender.

A message over the limit is not processed; the first one over it in a window is answered with a notice
(bot/message_gate.py), the rest in silence (answering each would let a flood make the bot flood back).
Counted in this process (bounded memory: the least recently seen senders are forgotten first) or, with several
Rasa processes, in Redis, so that a load balancer spreading a sender's messages does not multiply the limit.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Tuple, Union

logger = logging.getLogger(__name__)

MAX_TRACKED_SENDERS = 100_000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    first_refusal: bool = False  # the first message over the limit in this window: tell the sender once


ALLOWED = Verdict(True)


def _verdict(count: int, limit: int) -> Verdict:
    if count <= limit:
        return ALLOWED
    return Verdict(False, first_refusal=count == limit + 1)


class LocalRateLimit:
    """Fixed windows counted in this process."""

    def __init__(self, limit: int, seconds: int, max_senders: int = MAX_TRACKED_SENDERS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.seconds, self.max_senders, self.clock = limit, seconds, max_senders, clock
        self._counts: "OrderedDict[str, Tuple[int, int]]" = OrderedDict()  # sender -> (window, count)

    def check(self, sender: str) -> Verdict:
        window = int(self.clock() // self.seconds)
        seen_window, count = self._counts.pop(sender, (window, 0))
        count = count + 1 if seen_window == window else 1
        self._counts[sender] = (window, count)
        while len(self._counts) > self.max_senders:
            self._counts.popitem(last=False)
        return _verdict(count, self.limit)

    def __len__(self) -> int:
        return len(self._counts)


class RedisRateLimit:
    """Fixed windows counted in Redis (INCR, then EXPIRE), shared by every Rasa process. Redis away: the
    message is let through (a buyer is never refused because of the counter)."""

    def __init__(self, redis_url: str, prefix: str, limit: int, seconds: int,
                 clock: Callable[[], float] = time.time) -> None:
        import redis

        self.red = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix, self.limit, self.seconds, self.clock = prefix, limit, seconds, clock

    def check(self, sender: str) -> Verdict:
        window = int(self.clock() // self.seconds)
        key = f"{self.prefix}{sender}:{window}"
        try:
            with self.red.pipeline() as pipe:
                count, _ = pipe.incr(key).expire(key, self.seconds * 2).execute()
        except Exception as error:  # noqa: BLE001 - any Redis failure: let the message through
            logger.warning("rate limit: Redis unavailable (%s); message let through", error)
            return ALLOWED
        return _verdict(int(count), self.limit)


RateLimit = Union[LocalRateLimit, RedisRateLimit]


def rate_limit_for(channel: str, limit: int, seconds: int, redis_url: str = "", instance: str = "silkroad") -> RateLimit:
    if redis_url:
        return RedisRateLimit(redis_url, f"{instance}:rate:{channel}:", limit, seconds)
    return LocalRateLimit(limit, seconds)
