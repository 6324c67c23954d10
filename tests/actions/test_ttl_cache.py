"""actions/clients/ttl_cache.py: entries expire, failures are not kept, the oldest entry goes first."""

import threading

import pytest

from actions.clients.ttl_cache import TtlCache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def counting(value):
    calls = []

    def load():
        calls.append(1)
        return value
    return load, calls


def test_an_entry_lives_its_seconds_and_is_loaded_again_after():
    clock = Clock()
    cache = TtlCache(60, clock=clock)
    load, calls = counting("rules")
    assert cache.get("KZ", load) == "rules" and cache.get("KZ", load) == "rules"
    clock.now += 59.9
    assert cache.get("KZ", load) == "rules" and len(calls) == 1
    clock.now += 0.2
    assert cache.get("KZ", load) == "rules" and len(calls) == 2


def test_a_failed_load_is_not_kept():
    cache = TtlCache(60, clock=Clock())

    def fails():
        raise ConnectionError("backend down")
    with pytest.raises(ConnectionError):
        cache.get("KZ", fails)
    assert cache.get("KZ", lambda: "rules") == "rules"


def test_the_least_recently_used_entry_goes_when_full():
    cache = TtlCache(60, max_entries=2, clock=Clock())
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # used again: b is now the oldest
    cache.get("c", lambda: 3)
    assert cache.get("a", lambda: "reloaded") == 1
    assert cache.get("b", lambda: "reloaded") == "reloaded"


def test_zero_seconds_keeps_nothing_and_bad_sizes_are_refused():
    load, calls = counting(1)
    cache = TtlCache(0)
    cache.get("k", load)
    cache.get("k", load)
    assert len(calls) == 2
    for seconds, entries in ((-1, 10), (10, 0)):
        with pytest.raises(ValueError):
            TtlCache(seconds, max_entries=entries)


def test_threads_share_one_cache():
    cache = TtlCache(60)
    load, calls = counting("rules")
    cache.get("KZ", load)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("KZ", load))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["rules"] * 8 and len(calls) == 1
