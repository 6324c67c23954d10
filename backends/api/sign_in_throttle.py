"""The console's sign-in throttle: wrong passwords are counted per account and per client address.

Five failures within 15 minutes lock that account, or that address, for the rest of those 15 minutes: guessing
one agent's password is slow, and so is trying one password on many usernames from one address. Its memory is
bounded (anyone on the internet can make it remember something): failures older than the window are forgotten,
and at most ``capacity`` accounts and as many addresses are kept, the longest quiet forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque

FAILURES_ALLOWED = 5
WINDOW_SECONDS = 900
CAPACITY = 10_000


class FailureLog:
    """Recent failures per key (an account or an address), the most recently failed key last."""

    def __init__(self, capacity: int, clock: Callable[[], float]):
        self.capacity, self.clock = capacity, clock
        self._failures: "OrderedDict[str, Deque[float]]" = OrderedDict()

    def __len__(self) -> int:
        return len(self._failures)

    def _expire(self, now: float) -> None:
        """Forgets the keys whose last failure left the window (they come first: the order is by last failure)."""
        while self._failures:
            key, times = next(iter(self._failures.items()))
            if times[-1] > now - WINDOW_SECONDS:
                return
            del self._failures[key]

    def locked(self, key: str) -> bool:
        now = self.clock()
        self._expire(now)
        times = self._failures.get(key, ())
        return sum(1 for at in times if at > now - WINDOW_SECONDS) >= FAILURES_ALLOWED

    def record(self, key: str) -> None:
        now = self.clock()
        self._expire(now)
        times = self._failures.pop(key, None) or deque(maxlen=FAILURES_ALLOWED)
        times.append(now)
        self._failures[key] = times
        while len(self._failures) > self.capacity:
            self._failures.popitem(last=False)

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)


class SignInThrottle:
    def __init__(self, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic):
        self.accounts = FailureLog(capacity, clock)
        self.addresses = FailureLog(capacity, clock)
        self._lock = threading.Lock()  # sign-ins are answered on several threads

    def locked(self, username: str, address: str) -> bool:
        with self._lock:
            return self.accounts.locked(username) or self.addresses.locked(address)

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            self.accounts.record(username)
            self.addresses.record(address)

    def succeeded(self, username: str) -> None:
        """The account's failures are forgotten; the address's stay (signing in to one's own account must not
        clear the way for guessing at others')."""
        with self._lock:
            self.accounts.forget(username)
