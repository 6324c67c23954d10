"""The console's sign-in throttle: wrong passwords are counted per client address and per account.

Five failures from one address within 15 minutes lock that address (whatever the username) for the rest of
those 15 minutes: guessing one agent's password is slow, and so is trying one password on many usernames.
An account locks only after fifty failures in the window, from however many addresses: a guess spread over
many machines is slowed too, while one stranger cannot lock an agent out of the console by typing wrong
passwords for them. Its memory is bounded (anyone on the internet can make it remember something): failures
older than the window are forgotten, and at most ``capacity`` accounts and as many addresses are kept, the
longest quiet forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque

FAILURES_ALLOWED = 5  # from one address
ACCOUNT_FAILURES_ALLOWED = 50  # for one account, from all addresses together
WINDOW_SECONDS = 900
CAPACITY = 10_000


class FailureLog:
    """Recent failures per key (an account or an address), the most recently failed key last."""

    def __init__(self, capacity: int, clock: Callable[[], float], allowed: int = FAILURES_ALLOWED):
        self.capacity, self.clock, self.allowed = capacity, clock, allowed
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
        return sum(1 for at in times if at > now - WINDOW_SECONDS) >= self.allowed

    def record(self, key: str) -> None:
        now = self.clock()
        self._expire(now)
        times = self._failures.pop(key, None) or deque(maxlen=self.allowed)
        times.append(now)
        self._failures[key] = times
        while len(self._failures) > self.capacity:
            self._failures.popitem(last=False)

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)


class SignInThrottle:
    def __init__(self, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic):
        self.accounts = FailureLog(capacity, clock, ACCOUNT_FAILURES_ALLOWED)
        self.addresses = FailureLog(capacity, clock, FAILURES_ALLOWED)
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
