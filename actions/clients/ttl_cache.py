"""A small thread-safe cache whose entries expire: for backend data that changes slowly (categories, a
country's import rules), read on many turns."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Tuple, TypeVar

T = TypeVar("T")


class TtlCache(Generic[T]):
    """Up to ``max_entries`` values, each kept ``seconds`` after it was loaded (0: nothing is kept).

    A failed load is not kept: the next call tries again. Two threads missing the same key at once may both
    load it (the later result is kept); nobody waits on another's load.
    """

    def __init__(self, seconds: float, max_entries: int = 512, clock: Callable[[], float] = time.monotonic):
        if seconds < 0 or max_entries < 1:
            raise ValueError("a cache keeps entries for 0 s or more, and at least one entry")
        self.seconds, self.max_entries, self._clock = seconds, max_entries, clock
        self._entries: "OrderedDict[Hashable, Tuple[float, T]]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        if self.seconds == 0:
            return load()
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1]
        value = load()
        with self._lock:
            self._entries[key] = (self._clock() + self.seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
