"""Load generator: concurrent buyers playing multi-turn conversations through Rasa's REST channel.

    python -m scripts.load_test --url http://127.0.0.1:5005 --buyers 20 --conversations 3
    python -m scripts.load_test --url http://127.0.0.1:5005 --url http://127.0.0.1:5006 --buyers 40 --duration 60
    python -m scripts.load_test --url http://127.0.0.1:5006 --scenarios hello_world --buyers 5 --conversations 2

Each buyer has its own sender id (``<prefix>-<buyer>-<uuid>``, unique per run), a language (the
``--languages`` given round-robin: buyer 0 the first, buyer 1 the second, ...) and a URL (the ``--url``s,
round-robin the same way). It plays one scenario of its language after another, always waiting for the
bot's answer before sending the next message, until it has played ``--conversations`` of them or
``--duration`` seconds have passed (no new message is sent after that; the ones in flight still count).

A turn is one ``POST {url}/webhooks/rest/webhook`` with ``{"sender", "message", "metadata": {"language"}}``
(and ``Authorization: Bearer <--rest-token>`` when the REST channel needs one, as in the production profile);
its latency runs from sending the request until the whole JSON answer is read. A turn is an error when the
status is not 200 (``http_<status>``), the connection fails (``connection``), no answer comes within the
per-request timeout (``timeout``) or the answer is not a JSON list (``invalid_answer``). An answered turn
whose list is empty while the scenario expects an answer counts as ``empty`` (not as an error). Latency
percentiles are over the answered turns (status 200 with a JSON list, empty or not), by the nearest-rank
method (:func:`percentile`).

Scenario sets: ``silkroad`` (the Silk Road Assistant, en/zh/ru/ar) and ``hello_world`` (the stock
``rasa init`` bot, English only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import aiohttp

REST_PATH = "/webhooks/rest/webhook"
DEFAULT_LANGUAGES: Tuple[str, ...] = ("en", "zh", "ru", "ar")


# --------------------------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Turn:
    """One message of a scenario: ``texts`` are interchangeable phrasings, one is picked per conversation."""

    texts: Tuple[str, ...]
    expect_answer: bool = True

    def __init__(self, *texts: str, expect_answer: bool = True) -> None:
        if not texts:
            raise ValueError("a turn needs at least one text")
        object.__setattr__(self, "texts", tuple(texts))
        object.__setattr__(self, "expect_answer", expect_answer)


@dataclass(frozen=True)
class Scenario:
    name: str
    turns: Tuple[Turn, ...]

    def __init__(self, name: str, turns: Iterable[Turn]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "turns", tuple(turns))
        if not self.turns:
            raise ValueError(f"scenario {name!r} has no turns")


ScenarioSet = Mapping[str, Sequence[Scenario]]


def _silkroad(greet: Turn, search: Turn, import_rules: Turn, thank: Turn, goodbye: Turn,
              where_is_my_order: Turn) -> List[Scenario]:
    return [
        Scenario("shopping", [greet, search, import_rules, thank, goodbye]),
        # An unverified buyer is told to sign in: still a real multi-turn journey.
        Scenario("order_status", [greet, where_is_my_order, thank]),
    ]


# Phrasings close to data/nlu/<lang>/nlu.yml (greet, search_product, ask_import_rules, thank, goodbye,
# track_order).
SILKROAD: Dict[str, List[Scenario]] = {
    "en": _silkroad(
        greet=Turn("hi", "hello", "hi there", "good morning"),
        search=Turn("I'm looking for headphones", "i want to buy headphones", "show me wireless earbuds",
                    "do you have a smartwatch?"),
        import_rules=Turn("what are the import duties in Kazakhstan", "what is the customs duty in Kazakhstan",
                          "how much customs duty will i pay in kazakhstan",
                          "is there import tax on laptops to Pakistan"),
        thank=Turn("thanks", "thank you so much", "thanks a lot"),
        goodbye=Turn("bye", "goodbye", "see you later"),
        where_is_my_order=Turn("where is my order?", "where is my parcel?", "when will my order arrive"),
    ),
    "zh": _silkroad(
        greet=Turn("你好", "您好", "在吗"),
        search=Turn("我想买耳机", "帮我找一款蓝牙耳机", "有没有智能手表"),
        import_rules=Turn("寄到哈萨克斯坦要交多少关税", "哈萨克斯坦进口免税额度是多少", "寄到俄罗斯要交关税吗"),
        thank=Turn("谢谢", "谢谢你", "非常感谢"),
        goodbye=Turn("再见", "拜拜", "好的再见"),
        where_is_my_order=Turn("我的订单到哪了", "我的包裹到哪了", "包裹怎么还没到"),
    ),
    "ru": _silkroad(
        greet=Turn("привет", "здравствуйте", "добрый день"),
        search=Turn("ищу наушники", "хочу купить наушники", "нужны наушники беспроводные"),
        import_rules=Turn("какая пошлина на ввоз в Казахстан", "какая пошлина в казахстане",
                          "сколько беспошлинный лимит в России"),
        thank=Turn("спасибо", "спасибо за помощь", "большое спасибо"),
        goodbye=Turn("до свидания", "пока", "всего доброго"),
        where_is_my_order=Turn("где мой заказ?", "где моя посылка", "что с моим заказом"),
    ),
    "ar": _silkroad(
        greet=Turn("مرحبا", "السلام عليكم", "اهلا"),
        search=Turn("أبحث عن سماعات", "ابي اشتري سماعات", "عايز سماعات بلوتوث"),
        import_rules=Turn("كم الجمارك على الطلبات في السعودية", "كم حد الاعفاء الجمركي في الامارات",
                          "هل فيه ضريبة على الطلبات من الصين؟"),
        thank=Turn("شكرا", "شكراً جزيلاً", "مشكور"),
        goodbye=Turn("مع السلامة", "الى اللقاء", "في امان الله"),
        where_is_my_order=Turn("وين طلبي", "متى يوصل الطلب", "فين الاوردر بتاعي"),
    ),
}

# Rasa's stock ``rasa init`` bot (rasa/cli/initial_project): its sad and happy paths.
HELLO_WORLD: Dict[str, List[Scenario]] = {
    "en": [
        Scenario("sad_path", [Turn("hi"), Turn("I am sad"), Turn("yes"), Turn("bye")]),
        Scenario("happy_path", [Turn("hello"), Turn("great"), Turn("goodbye")]),
    ],
}

SCENARIO_SETS: Dict[str, Dict[str, List[Scenario]]] = {"silkroad": SILKROAD, "hello_world": HELLO_WORLD}


def scenario_set(scenarios: Union[str, ScenarioSet]) -> ScenarioSet:
    """A scenario set by name (``silkroad``, ``hello_world``), or the given {language: scenarios} as is."""
    if isinstance(scenarios, str):
        try:
            return SCENARIO_SETS[scenarios]
        except KeyError:
            raise ValueError(f"unknown scenario set {scenarios!r} (known: {', '.join(SCENARIO_SETS)})") from None
    return scenarios


# ----------------------------------------------------------------------------------------------- statistics


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile (0 <= p <= 100) by the nearest-rank method.

    Sort the n values; the result is the value of rank ``ceil(p / 100 * n)`` (1-based), rank 1 for p = 0.
    It is always one of the values: for [15, 20, 35, 40, 50], p30 is 20, p40 is 20, p50 is 35, p100 is 50.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, not {p}")
    # round() first: a fractional p must not become rank k + 1 through a float error (k.000000000001).
    rank = max(1, math.ceil(round(p * len(ordered) / 100, 9)))
    return ordered[rank - 1]


@dataclass
class TurnStats:
    """Counts and latencies of a group of turns (all of them, or one language's)."""

    turns: int = 0
    answered: int = 0
    empty: int = 0
    errors: Dict[str, int] = field(default_factory=dict)
    latencies_ms: List[float] = field(default_factory=list, repr=False)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def latency_ms(self, p: float) -> Optional[float]:
        return percentile(self.latencies_ms, p) if self.latencies_ms else None

    @property
    def p50_ms(self) -> Optional[float]:
        return self.latency_ms(50)

    @property
    def p95_ms(self) -> Optional[float]:
        return self.latency_ms(95)

    @property
    def p99_ms(self) -> Optional[float]:
        return self.latency_ms(99)

    @property
    def max_ms(self) -> Optional[float]:
        return max(self.latencies_ms) if self.latencies_ms else None

    def add(self, outcome: "TurnOutcome") -> None:
        self.turns += 1
        if outcome.error:
            self.errors[outcome.error] = self.errors.get(outcome.error, 0) + 1
            return
        self.answered += 1
        self.latencies_ms.append(outcome.latency_ms)
        if outcome.empty:
            self.empty += 1

    def summary(self, wall_time_s: float) -> Dict[str, Any]:
        return {
            "turns": self.turns,
            "answered": self.answered,
            "errors": self.error_count,
            "errors_by_kind": dict(sorted(self.errors.items())),
            "empty": self.empty,
            "throughput_turns_per_s": self.turns / wall_time_s if wall_time_s > 0 else None,
            "latency_ms": {"p50": self.p50_ms, "p95": self.p95_ms, "p99": self.p99_ms, "max": self.max_ms},
        }


@dataclass
class LoadReport(TurnStats):
    """What a run measured: the totals (inherited from :class:`TurnStats`), per language and per URL."""

    wall_time_s: float = 0.0
    buyers: int = 0
    conversations: int = 0  # conversations played to their end
    scenarios: str = ""
    urls: List[str] = field(default_factory=list)
    by_language: Dict[str, TurnStats] = field(default_factory=dict)
    by_url: Dict[str, TurnStats] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        """Turns per second of wall time."""
        return self.turns / self.wall_time_s if self.wall_time_s > 0 else 0.0

    def to_dict(self) -> Dict[str, Any]:
        return {
            **self.summary(self.wall_time_s),
            "wall_time_s": self.wall_time_s,
            "buyers": self.buyers,
            "conversations": self.conversations,
            "scenarios": self.scenarios,
            "urls": list(self.urls),
            "by_language": {lang: stats.summary(self.wall_time_s) for lang, stats in self.by_language.items()},
            "by_url": {url: stats.summary(self.wall_time_s) for url, stats in self.by_url.items()},
        }

    def format(self) -> str:
        """The report as a text table."""

        def ms(value: Optional[float]) -> str:
            return "-" if value is None else f"{value:.1f}"

        header = ("", "turns", "errors", "empty", "turns/s", "p50 ms", "p95 ms", "p99 ms", "max ms")

        def row(name: str, stats: TurnStats) -> Tuple[str, ...]:
            rate = stats.turns / self.wall_time_s if self.wall_time_s > 0 else 0.0
            return (name, str(stats.turns), str(stats.error_count), str(stats.empty), f"{rate:.2f}",
                    ms(stats.p50_ms), ms(stats.p95_ms), ms(stats.p99_ms), ms(stats.max_ms))

        sections = [[row(lang, stats) for lang, stats in self.by_language.items()], [row("all", self)]]
        if len(self.by_url) > 1:
            sections.append([row(url, stats) for url, stats in self.by_url.items()])
        widths = [max(len(r[i]) for r in [header] + [r for rows in sections for r in rows])
                  for i in range(len(header))]

        def line(cells: Tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                             for i, cell in enumerate(cells))

        rule = "-" * len(line(header))
        body = [line(header)]
        for rows in sections:
            body += [rule] + [line(r) for r in rows]
        errors = ", ".join(f"{kind} {count}" for kind, count in sorted(self.errors.items())) or "none"
        return "\n".join([
            f"load test: {self.buyers} buyers on {len(self.urls)} URL(s), scenarios {self.scenarios}, "
            f"{self.conversations} conversations completed",
            f"turns {self.turns}, errors {self.error_count}, empty answers {self.empty}, "
            f"wall time {self.wall_time_s:.2f} s, throughput {self.throughput:.2f} turns/s",
            f"errors by kind: {errors}",
            "",
            *body,
        ])


# ------------------------------------------------------------------------------------------------- running


@dataclass(frozen=True)
class TurnOutcome:
    latency_ms: float
    error: Optional[str] = None  # http_<status>, connection, timeout, invalid_answer, client_error, ...
    empty: bool = False


@dataclass
class Buyer:
    index: int
    sender: str
    language: str
    url: str


def sender_id(prefix: str, index: int) -> str:
    """A sender id unique per run: ``<prefix>-<buyer index>-<random uuid>``."""
    return f"{prefix}-{index}-{uuid.uuid4().hex}"


async def send_turn(session: aiohttp.ClientSession, url: str, sender: str, text: str,
                    metadata: Mapping[str, Any], timeout: float, expect_answer: bool = True,
                    rest_token: Optional[str] = None) -> TurnOutcome:
    """One message to the REST channel; never raises (an exception is an error outcome)."""
    payload = {"sender": sender, "message": text, "metadata": dict(metadata)}
    headers = {"Authorization": f"Bearer {rest_token}"} if rest_token else {}
    started = time.perf_counter()

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000.0

    try:
        async with session.post(url.rstrip("/") + REST_PATH, json=payload, headers=headers,
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.read()
            latency = elapsed()
            if response.status != 200:
                return TurnOutcome(latency, error=f"http_{response.status}")
    except asyncio.TimeoutError:  # aiohttp's ServerTimeoutError is one too
        return TurnOutcome(elapsed(), error="timeout")
    except aiohttp.ClientConnectionError:
        return TurnOutcome(elapsed(), error="connection")
    except aiohttp.ClientError:
        return TurnOutcome(elapsed(), error="client_error")
    except Exception as exc:  # noqa: BLE001 - errors never crash the run
        return TurnOutcome(elapsed(), error=f"exception_{type(exc).__name__}")
    try:
        messages = json.loads(body)
    except ValueError:
        return TurnOutcome(latency, error="invalid_answer")
    if not isinstance(messages, list):
        return TurnOutcome(latency, error="invalid_answer")
    return TurnOutcome(latency, empty=expect_answer and not messages)


class _Run:
    def __init__(self, scenarios: ScenarioSet, conversations: Optional[int], deadline: Optional[float],
                 timeout: float, seed: int, think_time: float, rest_token: Optional[str] = None) -> None:
        self.rest_token = rest_token
        self.scenarios = scenarios
        self.conversations = conversations
        self.deadline = deadline
        self.timeout = timeout
        self.seed = seed
        self.think_time = think_time
        self.report = LoadReport()

    def over(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline

    def record(self, buyer: Buyer, outcome: TurnOutcome) -> None:
        self.report.add(outcome)
        self.report.by_language.setdefault(buyer.language, TurnStats()).add(outcome)
        self.report.by_url.setdefault(buyer.url, TurnStats()).add(outcome)

    async def play(self, session: aiohttp.ClientSession, buyer: Buyer) -> None:
        rng = random.Random(f"{self.seed}-{buyer.index}")
        scenarios = self.scenarios[buyer.language]
        next_scenario = rng.randrange(len(scenarios))
        metadata = {"language": buyer.language}
        played = 0
        while (self.conversations is None or played < self.conversations) and not self.over():
            scenario = scenarios[next_scenario]
            next_scenario = (next_scenario + 1) % len(scenarios)
            finished = True
            for turn in scenario.turns:
                if self.over():
                    finished = False
                    break
                text = rng.choice(turn.texts)
                outcome = await send_turn(session, buyer.url, buyer.sender, text, metadata, self.timeout,
                                          turn.expect_answer, self.rest_token)
                self.record(buyer, outcome)
                if self.think_time > 0:
                    await asyncio.sleep(self.think_time)
            if finished:
                played += 1
                self.report.conversations += 1


async def run_load(urls: Union[str, Sequence[str]], buyers: int, conversations: Optional[int] = None,
                   duration: Optional[float] = None, scenarios: Union[str, ScenarioSet] = "silkroad",
                   languages: Sequence[str] = DEFAULT_LANGUAGES, timeout: float = 30.0, seed: int = 0,
                   sender_prefix: str = "load", think_time: float = 0.0,
                   rest_token: Optional[str] = None) -> LoadReport:
    """Play conversations with ``buyers`` concurrent buyers and measure every turn.

    ``urls``: Rasa server(s), buyers spread round-robin; ``conversations`` per buyer and/or ``duration`` in
    seconds (whichever ends first; one conversation per buyer when neither is given); ``scenarios``: a set's
    name or {language: [Scenario, ...]}; ``languages``: given to the buyers round-robin; ``timeout``: per
    request, seconds; ``seed``: which phrasing and which first scenario each buyer picks; ``think_time``:
    seconds a buyer waits after each answer; ``rest_token``: the REST channel's token, if it needs one.
    """
    urls = [urls] if isinstance(urls, str) else list(urls)
    if not urls:
        raise ValueError("no URL")
    if buyers < 1:
        raise ValueError("buyers must be at least 1")
    if conversations is None and duration is None:
        conversations = 1
    if conversations is not None and conversations < 1:
        raise ValueError("conversations must be at least 1")
    if duration is not None and duration <= 0:
        raise ValueError("duration must be positive")
    languages = list(languages)
    if not languages:
        raise ValueError("no language")
    name = scenarios if isinstance(scenarios, str) else "custom"
    chosen = scenario_set(scenarios)
    missing = [lang for lang in languages if not chosen.get(lang)]
    if missing:
        raise ValueError(f"scenario set {name!r} has no scenarios in {', '.join(missing)} "
                         f"(it has {', '.join(chosen)})")

    team = [Buyer(i, sender_id(sender_prefix, i), languages[i % len(languages)], urls[i % len(urls)])
            for i in range(buyers)]
    started = time.perf_counter()
    run = _Run(chosen, conversations, started + duration if duration is not None else None, timeout, seed,
               think_time, rest_token)
    for lang in languages:
        run.report.by_language.setdefault(lang, TurnStats())
    for url in urls:
        run.report.by_url.setdefault(url, TurnStats())
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(run.play(session, buyer) for buyer in team))
    report = run.report
    report.wall_time_s = time.perf_counter() - started
    report.buyers = buyers
    report.scenarios = name
    report.urls = urls
    return report


# ----------------------------------------------------------------------------------------------------- CLI


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.load_test", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", action="append", required=True,
                        help="Rasa server URL, e.g. http://127.0.0.1:5005; several: buyers spread round-robin")
    parser.add_argument("--buyers", type=int, default=10, help="concurrent buyers (default 10)")
    until = parser.add_mutually_exclusive_group()
    until.add_argument("--conversations", type=int, help="conversations per buyer (default 1)")
    until.add_argument("--duration", type=float, help="run for this many seconds")
    parser.add_argument("--scenarios", choices=sorted(SCENARIO_SETS), default="silkroad")
    parser.add_argument("--languages", default=None,
                        help="comma-separated, given to the buyers round-robin (default: all of the set's)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds (default 30)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--think-time", type=float, default=0.0, help="seconds a buyer waits after each answer")
    parser.add_argument("--sender-prefix", default="load")
    parser.add_argument("--rest-token", default=os.environ.get("SILKROAD_REST_CHANNEL_TOKEN"),
                        help="the REST channel's token (default: SILKROAD_REST_CHANNEL_TOKEN)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON too")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.languages:
        languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    else:
        languages = [lang for lang in DEFAULT_LANGUAGES if lang in SCENARIO_SETS[args.scenarios]]
    try:
        report = asyncio.run(run_load(args.url, args.buyers, conversations=args.conversations,
                                      duration=args.duration, scenarios=args.scenarios, languages=languages,
                                      timeout=args.timeout, seed=args.seed, sender_prefix=args.sender_prefix,
                                      think_time=args.think_time, rest_token=args.rest_token))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.format())
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
