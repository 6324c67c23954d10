"""Where a turn's time goes: one turn of each journey, with the time of every part of it printed.

    python -m scripts.profile_turn [--model models/<model>.tar.gz] [--repeat 5] [--language en]

Rasa runs with this project's fixes to its code (bot/rasa_patches.py, as bot/server.py runs it;
``--unpatched`` without them). Everything runs in this one process except the backends (their own server on a
seeded SQLite database, as in the embedded run): Rasa's agent loaded from the model (in-memory tracker store,
the SQL event broker on a SQLite file), and the actions run by Rasa SDK's executor, reached through the same
``RemoteAction`` code path with the request and the answer encoded to JSON and back as over HTTP (only the
socket is missing). The buyer is verified (a signed sender proof, as the REST channel's gate would add), so
the order journeys run their real actions.

Each journey is a new conversation: a greeting, then the journey's question; the question's turn is the one
measured, ``--repeat`` times (new conversations each time), after one warm-up round. Printed per journey:
the turn's wall time (p50) and the p50 time of each part, largest first:

- ``nlu:<component>`` and ``policy:<policy>``: the model graph's nodes (the rest of the graph as ``graph:``);
- ``action call:<name> build`` (the tracker's state and the domain as a dict), ``encode``/``decode`` (JSON
  both ways; each request's size is printed with the turn), ``run`` (the action itself) and ``validate``
  (Rasa's check of the answer's schema); ``backend:<METHOD> <path>``: the backend calls the actions made;
- ``tracker store`` (retrieve and save), ``event broker`` (publish).

Each part is its own time: a part that runs inside another (a backend call inside an action's ``run``, the
event broker inside the tracker store's save) is taken out of the outer one, so the parts and ``other`` (the
rest of the turn: Rasa's processor, the NLG, the lock) add up to the turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

JOURNEYS: Dict[str, Dict[str, str]] = {
    "en": {"search": "I'm looking for headphones", "import_rules": "what are the import duties in Kazakhstan",
           "track": "where is my order?", "confirm_receipt": "I received my order",
           "refund": "I want a refund", "dispute": "I want to open a dispute",
           "handoff": "I want to talk to a human"},
    "ru": {"search": "ищу наушники", "import_rules": "какая пошлина на ввоз в Казахстан",
           "track": "где мой заказ?", "confirm_receipt": "я получил заказ", "refund": "хочу вернуть деньги",
           "dispute": "хочу открыть спор", "handoff": "позовите оператора"},
    "zh": {"search": "我想买耳机", "import_rules": "寄到哈萨克斯坦要交多少关税", "track": "我的订单到哪了",
           "confirm_receipt": "我已经收到货了", "refund": "我要退款", "dispute": "我要发起纠纷",
           "handoff": "我要找人工客服"},
    "ar": {"search": "أبحث عن سماعات", "import_rules": "ما هي رسوم الاستيراد في كازاخستان",
           "track": "أين طلبي؟", "confirm_receipt": "استلمت طلبي", "refund": "أريد استرداد المبلغ",
           "dispute": "أريد فتح نزاع", "handoff": "أريد التحدث مع موظف"},
}
GREETING = {"en": "hello", "ru": "привет", "zh": "你好", "ar": "مرحبا"}
BUYER = "buyer-kz-aidana"  # a demo buyer (backends/seed) with orders in several states
_ID_IN_PATH = re.compile(r"/(SR-[\w-]+|[0-9a-f-]{8,}|\d+)(?=/|$)")


class Clock:
    """The parts of the current turn: label -> seconds of the part's own time (a part timed inside another is
    taken out of the outer one's), summed when a part runs more than once a turn. One turn at a time."""

    def __init__(self) -> None:
        self.parts: Dict[str, float] = defaultdict(float)
        self._inner: List[float] = []  # per open part: the time of the parts timed inside it
        self.request_bytes: List[int] = []  # the size of each action call's request

    def clear(self) -> None:
        self.parts.clear()
        self.request_bytes.clear()

    @contextmanager
    def timing(self, label: str) -> Iterator[None]:
        self._inner.append(0.0)
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.parts[label] += elapsed - self._inner.pop()
            if self._inner:
                self._inner[-1] += elapsed


CLOCK = Clock()


def _timed_sync(owner: Any, name: str, label: Callable[..., str]) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        with CLOCK.timing(label(*args, **kwargs)):
            return original(*args, **kwargs)

    setattr(owner, name, timed)


def _timed_async(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        with CLOCK.timing(label):
            return await original(*args, **kwargs)

    setattr(owner, name, timed)


def _node_label(node: Any, *_: Any, **__: Any) -> str:
    name = re.sub(r"\d+$", "", node._node_name.replace("run_", "", 1))
    kind = "policy" if "Policy" in name else "nlu" if node._node_name.startswith("run_") else "graph"
    return f"{kind}:{name}"


def instrument(executor: Any) -> None:
    """Times every part of a turn (see the module's docstring) and routes action calls to ``executor``."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.engine.graph import GraphNode

    from actions.clients.http import BackendHttp
    from bot import rasa_patches

    _timed_sync(GraphNode, "__call__", _node_label)
    _timed_sync(BackendHttp, "_call", lambda _self, method, path, *a, **k:
                f"backend:{method} {_ID_IN_PATH.sub('/{id}', path)}")
    _timed_sync(RemoteAction, "_action_call_format", lambda action, *a, **k: f"action call:{action.name()} build")
    _timed_sync(RemoteAction, "_validate_action_result",
                lambda action, *a, **k: f"action call:{action.name()} validate")
    _timed_sync(SQLEventBroker, "publish", lambda *a, **k: "event broker")
    _timed_sync(rasa_patches, "publish_in_one_transaction", lambda *a, **k: "event broker")
    for method in ("retrieve", "save"):
        _timed_async(InMemoryTrackerStore, method, "tracker store")

    original_run = RemoteAction.run

    async def run(action: RemoteAction, output_channel, nlg, tracker, domain):
        endpoint = action.action_endpoint

        class InProcess:
            kwargs = endpoint.kwargs

            @staticmethod
            async def request(json: Dict[str, Any], **_: Any) -> Dict[str, Any]:
                name = action.name()
                with CLOCK.timing(f"action call:{name} encode"):
                    body = _encoded(json)
                CLOCK.request_bytes.append(len(body))
                with CLOCK.timing(f"action call:{name} decode"):
                    call = _decoded(body)
                with CLOCK.timing(f"action call:{name} run"):
                    answer = await executor.run(call)
                with CLOCK.timing(f"action call:{name} encode"):
                    answer_body = _encoded(answer)
                with CLOCK.timing(f"action call:{name} decode"):
                    return _decoded(answer_body)

        action.action_endpoint = InProcess()
        try:
            return await original_run(action, output_channel, nlg, tracker, domain)
        finally:
            action.action_endpoint = endpoint

    RemoteAction.run = run


def _encoded(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


def _decoded(body: bytes) -> Any:
    return json.loads(body)


async def one_turn(agent: Any, sender: str, text: str, proof_secret: str) -> float:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from common import sender_proof

    metadata = {sender_proof.METADATA_KEY: sender_proof.sign(proof_secret, "rest", sender, buyer_id=BUYER)}
    start = time.perf_counter()
    await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest",
                                           metadata=metadata))
    return time.perf_counter() - start


async def profile(model: Path, workdir: Path, languages: List[str], repeat: int,
                  patched: bool = True) -> Tuple[Dict[Tuple[str, str], List[Dict]], Dict[Tuple[str, str], List[int]]]:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa_sdk.executor import ActionExecutor

    from actions.settings import action_settings
    from bot.settings import rasa_settings

    if patched:
        from bot import rasa_patches

        rasa_patches.apply()
    executor = ActionExecutor()
    executor.register_package("actions")
    instrument(executor)
    endpoints_file = workdir / "endpoints.yml"
    endpoints_file.write_text("action_endpoint:\n  url: http://127.0.0.1:9/webhook\n  enable_selective_domain: true\n"
                              f"event_broker:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'events.db'}\n")
    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)))
    secret = rasa_settings().sender_proof_secret.get_secret_value()
    assert action_settings().sender_proof_secret.get_secret_value() == secret
    results: Dict[Tuple[str, str], List[Dict]] = defaultdict(list)
    sizes: Dict[Tuple[str, str], List[int]] = {}
    for round_number in range(repeat + 1):  # round 0 warms up
        for language in languages:
            for journey, text in JOURNEYS[language].items():
                sender = f"profile-{uuid.uuid4().hex[:12]}"
                await one_turn(agent, sender, GREETING[language], secret)
                CLOCK.clear()
                seconds = await one_turn(agent, sender, text, secret)
                if round_number:
                    results[(language, journey)].append({"turn": seconds, **CLOCK.parts})
                    sizes[(language, journey)] = list(CLOCK.request_bytes)
    return results, sizes


def report(results: Dict[Tuple[str, str], List[Dict]], sizes: Dict[Tuple[str, str], List[int]], top: int) -> str:
    lines = []
    for (language, journey), turns in results.items():
        labels = {label for turn in turns for label in turn if label != "turn"}
        p50 = {label: statistics.median(turn.get(label, 0.0) for turn in turns) for label in labels}
        wall = statistics.median(turn["turn"] for turn in turns)
        p50["other"] = statistics.median(turn["turn"] - sum(v for k, v in turn.items() if k != "turn")
                                         for turn in turns)
        requests = ", ".join(f"{size / 1024:.0f}" for size in sizes[(language, journey)])
        lines.append(f"\n{language} {journey}: turn p50 {wall * 1000:.1f} ms ({len(turns)} turns; action "
                     f"requests of {requests or 'no'} KB)")
        for label, value in sorted(p50.items(), key=lambda item: -item[1])[:top]:
            lines.append(f"  {value * 1000:8.1f} ms  {100 * value / wall:5.1f}%  {label}")
    return "\n".join(lines)


def main(argv: List[str] = None) -> int:
    options = argparse.ArgumentParser(prog="python -m scripts.profile_turn", description=__doc__.splitlines()[0])
    options.add_argument("--model", help="default: the model of the current training data (trained if needed)")
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--language", action="append", choices=sorted(JOURNEYS),
                         help="repeatable (default: en)")
    options.add_argument("--top", type=int, default=14, help="parts printed per journey")
    options.add_argument("--unpatched", action="store_true",
                         help="Rasa without this project's fixes (bot/rasa_patches.py), to see what they save")
    args = options.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import logging

    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.ERROR)
    configure_structlog(logging.ERROR)
    from scripts.train_model import ensure_model
    from tests.actions.backend_process import running_backends

    model = Path(args.model) if args.model else ensure_model()
    with tempfile.TemporaryDirectory(prefix="silkroad-profile-") as directory:
        workdir = Path(directory)
        with running_backends(workdir) as backend_url:
            os.environ["SILKROAD_BACKEND_URL"] = backend_url
            results, sizes = asyncio.run(profile(model, workdir, args.language or ["en"], args.repeat,
                                                 patched=not args.unpatched))
    print(report(results, sizes, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
