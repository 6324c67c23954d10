"""scripts/load_test.py against fake REST servers (no Rasa): percentiles, counting, spreading, ordering."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections import defaultdict
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import pytest
from aiohttp import web

from scripts.load_test import (
    HELLO_WORLD, SILKROAD, LoadReport, Scenario, Turn, main, percentile, run_load, scenario_set,
)


# ------------------------------------------------------------------------------------------- the fake Rasa


class FakeRasa:
    """Rasa's REST channel, faked: records every message and answers after ``delay`` seconds; 500 for
    senders starting with one of ``fail_prefixes``, ``[]`` for the texts in ``empty_texts``, an answer after
    ``slow_delay`` seconds for the texts in ``slow_texts``."""

    def __init__(self, delay: float = 0.005, fail_prefixes: Sequence[str] = (), empty_texts: Sequence[str] = (),
                 slow_texts: Sequence[str] = (), slow_delay: float = 2.0) -> None:
        self.delay, self.slow_delay = delay, slow_delay
        self.fail_prefixes, self.empty_texts, self.slow_texts = tuple(fail_prefixes), set(empty_texts), set(
            slow_texts)
        self.received: List[Tuple[str, str, dict]] = []  # (sender, text, metadata) in arrival order
        self.url = ""

    async def webhook(self, request: web.Request) -> web.Response:
        payload = await request.json()
        sender, text = payload["sender"], payload["message"]
        self.received.append((sender, text, payload.get("metadata")))
        await asyncio.sleep(self.slow_delay if text in self.slow_texts else self.delay)
        if sender.startswith(self.fail_prefixes):
            return web.Response(status=500, text="boom")
        if text in self.empty_texts:
            return web.json_response([])
        return web.json_response([{"recipient_id": sender, "text": f"echo: {text}"}])

    def by_sender(self) -> Dict[str, List[str]]:
        texts: Dict[str, List[str]] = defaultdict(list)
        for sender, text, _ in self.received:
            texts[sender].append(text)
        return dict(texts)


def bound_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(*fakes: FakeRasa) -> Iterator[None]:
    """The fakes on free ports of 127.0.0.1, in a thread of their own (so that asyncio.run() and the CLI can
    be tested as they are)."""
    loop = asyncio.new_event_loop()
    runners: List[web.AppRunner] = []
    started = threading.Event()

    async def start() -> None:
        for fake in fakes:
            app = web.Application()
            app.router.add_post("/webhooks/rest/webhook", fake.webhook)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            sock = bound_socket()
            await web.SockSite(runner, sock).start()
            fake.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
            runners.append(runner)

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10), "the fake servers did not start"
    try:
        yield
    finally:
        async def stop() -> None:
            for runner in runners:
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def closed_port_url() -> str:
    sock = bound_socket()
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def load(*args, **kwargs) -> LoadReport:
    return asyncio.run(run_load(*args, **kwargs))


def split_into_conversations(texts: List[str], scenarios: Sequence[Scenario],
                             cut_short: bool = False) -> Optional[List[str]]:
    """The scenario names ``texts`` is made of, played one after another in full, or None. ``cut_short``: the
    last one may have been stopped after any of its turns."""
    names, position = [], 0
    while position < len(texts):
        for scenario in scenarios:
            window = texts[position:position + len(scenario.turns)]
            if (len(window) == len(scenario.turns) or cut_short) and all(
                    text in turn.texts for text, turn in zip(window, scenario.turns)):
                names.append(scenario.name)
                position += len(window)
                break
        else:
            return None
    return names


# -------------------------------------------------------------------------------------------- percentiles


@pytest.mark.parametrize("p, expected", [(0, 15), (5, 15), (20, 15), (30, 20), (40, 20), (50, 35), (75, 40),
                                         (80, 40), (81, 50), (95, 50), (100, 50)])
def test_percentile_nearest_rank_of_five_values(p, expected):
    # rank = ceil(p/100 * 5): p30 -> 1.5 -> 2nd (20); p50 -> 2.5 -> 3rd (35); p80 -> 4.0 -> 4th (40).
    assert percentile([50, 15, 40, 20, 35], p) == expected


@pytest.mark.parametrize("p, expected", [(50, 10), (90, 18), (95, 19), (99, 20), (100, 20), (1, 1), (0, 1)])
def test_percentile_nearest_rank_of_twenty_values(p, expected):
    # 1..20: p50 -> rank 10; p90 -> 18; p95 -> 19 (exactly, no float error to rank 20); p99 -> ceil(19.8) = 20.
    assert percentile(range(20, 0, -1), p) == expected


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.5], 0) == 7.5
    assert percentile([7.5], 99) == 7.5
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)
    with pytest.raises(ValueError):
        percentile([1, 2], -1)


def test_percentile_with_a_thousand_values_and_a_tail():
    values = [10.0] * 990 + [1000.0] * 10
    assert percentile(values, 50) == 10.0
    assert percentile(values, 99) == 10.0  # rank 990
    assert percentile(values, 99.1) == 1000.0  # rank 991


# ------------------------------------------------------------------------------------------------ counting


CUSTOM = {
    "en": [Scenario("en_journey", [Turn("hi"), Turn("nothing here"), Turn("ok", expect_answer=False),
                                   Turn("bye")])],
    "ru": [Scenario("ru_journey", [Turn("привет"), Turn("пока")])],
}


def test_turns_errors_and_empty_answers_are_counted_exactly_per_language():
    # Buyers 0 and 2 speak English, 1 and 3 Russian; buyer 3's every message gets a 500.
    fake = FakeRasa(fail_prefixes=["t-3-"], empty_texts=["nothing here", "ok"])
    with serving(fake):
        report = load([fake.url], buyers=4, conversations=2, scenarios=CUSTOM, languages=["en", "ru"],
                      sender_prefix="t")

    en, ru = report.by_language["en"], report.by_language["ru"]
    assert (en.turns, en.error_count, en.empty, en.answered) == (2 * 2 * 4, 0, 2 * 2, 16)  # "ok" expects none
    assert (ru.turns, ru.errors, ru.empty, ru.answered) == (2 * 2 * 2, {"http_500": 4}, 0, 4)
    assert (report.turns, report.errors, report.empty, report.answered) == (24, {"http_500": 4}, 4, 20)
    assert len(report.latencies_ms) == 20 and len(en.latencies_ms) == 16 and len(ru.latencies_ms) == 4
    assert report.conversations == 8 and report.buyers == 4
    assert len(fake.received) == 24
    assert {meta["language"] for sender, _, meta in fake.received if sender.startswith("t-1-")} == {"ru"}
    assert report.p50_ms is not None and report.p50_ms <= report.p95_ms <= report.p99_ms <= report.max_ms
    assert report.throughput > 0

    table = report.format()
    assert "http_500 4" in table
    assert [line.split()[:4] for line in table.splitlines() if line.split()[:1] in (["en"], ["ru"], ["all"])] == [
        ["en", "16", "0", "4"], ["ru", "8", "4", "0"], ["all", "24", "4", "4"]]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["turns"] == 24 and data["errors_by_kind"] == {"http_500": 4} and data["empty"] == 4
    assert data["by_language"]["ru"]["errors"] == 4
    assert set(data["latency_ms"]) == {"p50", "p95", "p99", "max"}


def test_timeouts_and_connection_errors_are_counted_and_do_not_stop_the_run():
    fake = FakeRasa(slow_texts=["nothing here"], slow_delay=3.0)
    dead = closed_port_url()
    with serving(fake):
        report = load([fake.url, dead], buyers=2, conversations=1, scenarios=CUSTOM, languages=["en"],
                      timeout=0.3)

    assert report.by_url[fake.url].turns == 4 and report.by_url[fake.url].errors == {"timeout": 1}
    assert report.by_url[dead].turns == 4 and report.by_url[dead].errors == {"connection": 4}
    assert report.errors == {"timeout": 1, "connection": 4}
    assert report.answered == 3 and report.empty == 0
    assert [text for _, text, _ in fake.received] == ["hi", "nothing here", "ok", "bye"]


def test_an_invalid_answer_is_an_error():
    class NotAList(FakeRasa):
        async def webhook(self, request):
            await request.json()
            return web.json_response({"text": "not a list"})

    fake = NotAList()
    with serving(fake):
        report = load(fake.url, buyers=1, conversations=1, scenarios=CUSTOM, languages=["ru"])
    assert report.errors == {"invalid_answer": 2} and report.answered == 0
    assert report.p50_ms is None and "-" in report.format()


# ---------------------------------------------------------------------------------- spreading and ordering


def test_buyers_are_spread_round_robin_over_the_urls():
    first, second = FakeRasa(), FakeRasa()
    with serving(first, second):
        report = load([first.url, second.url], buyers=5, conversations=2, scenarios="hello_world",
                      languages=["en"], sender_prefix="spread")

    assert sorted(int(sender.split("-")[1]) for sender in first.by_sender()) == [0, 2, 4]
    assert sorted(int(sender.split("-")[1]) for sender in second.by_sender()) == [1, 3]
    assert report.by_url[first.url].turns == len(first.received)
    assert report.by_url[second.url].turns == len(second.received)
    assert report.turns == len(first.received) + len(second.received)
    assert report.errors == {} and report.empty == 0 and report.conversations == 10
    assert first.url in report.format() and second.url in report.format()


def test_each_buyer_has_its_own_sender_and_plays_whole_conversations_in_order():
    fake = FakeRasa(delay=0.001)
    with serving(fake):
        report = load(fake.url, buyers=8, conversations=3, languages=["en", "zh", "ru", "ar"], seed=7)
        again = load(fake.url, buyers=8, conversations=3, languages=["en", "zh", "ru", "ar"], seed=7)

    senders = list(fake.by_sender())
    assert len(senders) == 16 and len(set(senders)) == 16  # one sender per buyer, none reused by a second run
    languages = {sender: meta["language"] for sender, _, meta in fake.received}
    for sender, texts in fake.by_sender().items():
        index = int(sender.split("-")[1])
        assert languages[sender] == ["en", "zh", "ru", "ar"][index % 4]
        names = split_into_conversations(texts, SILKROAD[languages[sender]])
        assert names is not None and len(names) == 3, (sender, texts)
        # scenarios rotate: 3 conversations out of 2 scenarios are both played
        assert set(names) == {"shopping", "order_status"}
    for run in (report, again):
        assert run.errors == {} and run.empty == 0 and run.conversations == 24
        assert set(run.by_language) == {"en", "zh", "ru", "ar"}
        assert sum(stats.turns for stats in run.by_language.values()) == run.turns
    assert report.turns + again.turns == len(fake.received)


def test_the_seed_decides_the_phrasings():
    def texts(seed: int) -> List[List[str]]:
        fake = FakeRasa(delay=0)
        with serving(fake):
            load(fake.url, buyers=4, conversations=4, seed=seed)
        by_buyer = {int(sender.split("-")[1]): texts for sender, texts in fake.by_sender().items()}
        return [by_buyer[i] for i in sorted(by_buyer)]

    assert texts(1) == texts(1)
    assert texts(1) != texts(2)


def test_hello_world_plays_the_stock_bot_paths():
    fake = FakeRasa(delay=0)
    with serving(fake):
        report = load(fake.url, buyers=2, conversations=2, scenarios="hello_world", languages=["en"])
    for texts in fake.by_sender().values():
        assert split_into_conversations(texts, HELLO_WORLD["en"]) in (["sad_path", "happy_path"],
                                                                      ["happy_path", "sad_path"])
    assert report.turns == 2 * 7


def test_a_duration_run_stops_sending_and_counts_what_it_sent():
    fake = FakeRasa(delay=0.01)
    with serving(fake):
        report = load(fake.url, buyers=3, duration=0.3, scenarios="hello_world", languages=["en"])
    assert report.turns == len(fake.received) > 0
    assert report.errors == {}
    assert len(fake.by_sender()) == 3
    for texts in fake.by_sender().values():  # whole conversations in order, the last one maybe cut short
        assert split_into_conversations(texts, HELLO_WORLD["en"], cut_short=True), texts
    assert report.conversations <= report.turns // 3


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="no scenarios in zh"):
        load("http://127.0.0.1:1", buyers=1, scenarios="hello_world", languages=["zh"])
    with pytest.raises(ValueError, match="unknown scenario set"):
        scenario_set("nope")
    with pytest.raises(ValueError):
        load("http://127.0.0.1:1", buyers=0)


def test_every_silkroad_language_has_both_journeys():
    assert set(SILKROAD) == {"en", "zh", "ru", "ar"}
    for scenarios in SILKROAD.values():
        assert [s.name for s in scenarios] == ["shopping", "order_status"]
        assert [len(s.turns) for s in scenarios] == [5, 3]


# ----------------------------------------------------------------------------------------------------- CLI


def test_the_command_line_prints_the_table_and_json(capsys):
    fake = FakeRasa(delay=0, empty_texts=["yes"])
    with serving(fake):
        code = main(["--url", fake.url, "--scenarios", "hello_world", "--buyers", "2", "--conversations", "2",
                     "--json"])
    out = capsys.readouterr().out
    assert code == 0
    assert "throughput" in out and "p95 ms" in out
    data = json.loads(out[out.index("\n{") + 1:])
    assert data["turns"] == 14 and data["empty"] == 2 and data["buyers"] == 2
    assert data["by_language"]["en"]["turns"] == 14


def test_the_command_line_refuses_a_language_the_set_lacks(capsys):
    assert main(["--url", "http://127.0.0.1:1", "--scenarios", "hello_world", "--languages", "en,ru"]) == 2
    assert "no scenarios in ru" in capsys.readouterr().err
