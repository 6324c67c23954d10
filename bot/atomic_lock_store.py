"""A Redis lock store that is safe across Rasa processes.

Rasa serialises the handling of one conversation with a ticket lock: each message takes a ticket and
waits until it is the lowest ticket still held. Rasa 3.6's ``RedisLockStore`` keeps the lock as one JSON
value and changes it with read-modify-write (get, change in Python, set): two workers issuing a ticket at
the same moment both read the same lock and both write ticket N (both are then served at once, and their
events interleave in the tracker); a worker finishing its ticket can delete the lock a moment after another
issued a new one into it.

Here every change is one Lua script, which Redis runs atomically:

- ``{prefix}lock:{conversation}:tickets`` (hash): ticket number → expiry (Redis server time, ms);
- ``{prefix}lock:{conversation}:next`` (string): the last ticket number issued (INCR).

A ticket is served when it is the lowest live one. A holder (waiting or served) renews its ticket every
``heartbeat`` seconds, so the ticket of a process that died (kill -9) expires after ``ticket_ttl`` seconds
instead of Rasa's 60, while a live message that takes long keeps its turn up to ``lock_lifetime``.

endpoints.yml::

    lock_store:
      type: bot.atomic_lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      db: 0
      key_prefix: silkroad
      ticket_ttl: 10
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Optional, Text

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_TICKET_TTL = 10.0
DEFAULT_SOCKET_TIMEOUT = 5.0
# A waiting message looks again after 50 ms, then less often, but at least every 250 ms: the turn passes
# soon after the message before it is answered.
LONGEST_POLL = 0.25

# Drops expired tickets of KEYS[1]; shared by the scripts below (Redis 7: TIME is allowed in scripts).
_PURGE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  if tonumber(entries[i + 1]) <= now then redis.call('HDEL', KEYS[1], entries[i]) end
end
"""

# KEYS: tickets, next. ARGV: ttl ms. Returns the new ticket number.
_ISSUE = _PURGE + """
local ticket = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ticket, now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[1]))
return ticket
"""

# KEYS: tickets, next. ARGV: ticket, ttl ms. Returns {alive, lowest live ticket or -1, live count}; renews
# the ticket (and the keys' expiry) when it is alive.
_CHECK = _PURGE + """
local ttl = tonumber(ARGV[2])
local alive = 0
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  alive = 1
  redis.call('HSET', KEYS[1], ARGV[1], now + ttl)
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
local lowest = -1
local numbers = redis.call('HKEYS', KEYS[1])
for _, number in ipairs(numbers) do
  local n = tonumber(number)
  if lowest == -1 or n < lowest then lowest = n end
end
return {alive, lowest, #numbers}
"""

# KEYS: tickets, next. ARGV: ticket. Removes the ticket; the keys go when no ticket is left, so that a
# later ticket is numbered from 1 again without racing a ticket issued meanwhile.
_RELEASE = _PURGE + """
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
return redis.call('HLEN', KEYS[1])
"""


class AtomicRedisLockStore(LockStore):
    """Ticket locks in Redis, each change one atomic script; tickets kept alive by their holder."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, *, host: Text = "127.0.0.1",
                 port: int = 6379, db: int = 0, password: Optional[Text] = None, key_prefix: Text = "",
                 ticket_ttl: float = DEFAULT_TICKET_TTL, socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
                 client: Optional[redis.Redis] = None) -> None:
        settings: Dict[Text, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        if endpoint_config is not None and endpoint_config.url:
            host = endpoint_config.url
        port = int(settings.get("port", port))
        db = int(settings.get("db", db))
        password = settings.get("password", password)
        key_prefix = str(settings.get("key_prefix", key_prefix) or "")
        ticket_ttl = float(settings.get("ticket_ttl", ticket_ttl))
        socket_timeout = float(settings.get("socket_timeout", socket_timeout))
        if ticket_ttl <= 0:
            raise ValueError("ticket_ttl must be positive")
        if key_prefix and not key_prefix.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"key_prefix {key_prefix!r}: letters, digits, '-' and '_' only")
        self.red = client or redis.Redis(host=host, port=port, db=db, password=password,
                                         socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout)
        self.key_prefix = f"{key_prefix}:lock:" if key_prefix else "lock:"
        self.ticket_ttl = ticket_ttl
        self.heartbeat = ticket_ttl / 3
        self._issue = self.red.register_script(_ISSUE)
        self._check = self.red.register_script(_CHECK)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    # -- keys and scripts -------------------------------------------------------------------------------

    def _keys(self, conversation_id: Text) -> list:
        base = self.key_prefix + conversation_id
        return [base + ":tickets", base + ":next"]

    @property
    def _ttl_ms(self) -> int:
        return max(1, int(self.ticket_ttl * 1000))

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=self._keys(conversation_id), args=[self._ttl_ms]))
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket for conversation '{conversation_id}': {error}") from error

    def check_ticket(self, conversation_id: Text, ticket: int) -> tuple:
        """(alive, served, live tickets): renews the ticket if it is alive."""
        alive, lowest, count = self._check(keys=self._keys(conversation_id), args=[ticket, self._ttl_ms])
        return bool(alive), bool(alive) and int(lowest) == ticket, int(count)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._release(keys=self._keys(conversation_id), args=[ticket_number])

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self.finish_serving(conversation_id, ticket_number)
        except redis.RedisError as error:  # the ticket then expires by itself after ticket_ttl
            logger.warning("Could not release ticket %s of '%s': %s", ticket_number, conversation_id, error)

    # -- Rasa's LockStore interface ----------------------------------------------------------------------

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        tickets_key, _ = self._keys(conversation_id)
        entries = self.red.hgetall(tickets_key)
        now_ms = time.time() * 1000
        tickets = [Ticket(int(number), float(expiry) / 1000) for number, expiry in entries.items()
                   if float(expiry) > now_ms]
        if not tickets:
            return None
        return TicketLock(conversation_id, deque(sorted(tickets, key=lambda ticket: ticket.number)))

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        lock = self.get_lock(conversation_id)
        return bool(lock and len(lock.tickets) > 1)

    def delete_lock(self, conversation_id: Text) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(*self._keys(conversation_id))))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore changes locks only through its atomic scripts")

    def update_lock(self, conversation_id: Text) -> None:
        """Expired tickets are dropped by every script; nothing to save."""

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 0.05) -> AsyncIterator[TicketLock]:
        """Waits for this message's turn in the conversation, holds it, and gives it up at exit.

        The ticket is renewed while waiting and while held, up to ``lock_lifetime`` seconds from its issue
        (Rasa's limit for one message), so a stuck handler cannot hold the conversation for ever.
        """
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        deadline = time.monotonic() + lock_lifetime
        keeper: Optional[asyncio.Task] = None
        try:
            await self._wait_for_turn(conversation_id, ticket, wait_time_in_seconds, deadline)
            keeper = asyncio.get_running_loop().create_task(self._keep_alive(conversation_id, ticket, deadline))
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + self.ticket_ttl)]))
        finally:
            if keeper is not None:
                keeper.cancel()
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, ticket: int, poll: float, deadline: float) -> None:
        delay = min(poll, self.heartbeat, LONGEST_POLL)
        while True:
            try:
                alive, served, waiting = self.check_ticket(conversation_id, ticket)
            except redis.RedisError as error:
                raise LockError(f"Lock store unavailable for conversation '{conversation_id}': {error}") from error
            if served:
                return
            if not alive:
                raise LockError(f"Ticket {ticket} of conversation '{conversation_id}' expired while waiting.")
            if time.monotonic() > deadline:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}' "
                                f"({waiting} ticket(s) ahead or held).")
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, self.heartbeat, LONGEST_POLL)

    async def _keep_alive(self, conversation_id: Text, ticket: int, deadline: float) -> None:
        while time.monotonic() < deadline:
            await asyncio.sleep(self.heartbeat)
            try:
                alive, _, _ = self.check_ticket(conversation_id, ticket)
            except redis.RedisError as error:
                logger.warning("Could not renew ticket %s of '%s': %s", ticket, conversation_id, error)
                continue
            if not alive:
                logger.error("Ticket %s of '%s' expired while held", ticket, conversation_id)
                return
