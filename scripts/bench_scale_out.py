"""Scale-out benchmark: the same load against the production profile with one Rasa worker, with two, and
against Rasa's stock hello-world bot (``rasa init``'s project), in one run; prints each report and the ratios.

    python -m scripts.bench_scale_out --buyers 16 --conversations 3
    python -m scripts.bench_scale_out --serial 8 --skip-two   # and one buyer at a time first: per-turn cost
    python -m scripts.bench_scale_out --serial 8 --skip-two --rounds 3   # alternated three times: medians

The Silk Road runs play multi-turn conversations in en, zh, ru and ar (search, import rules, order
questions: custom actions, PostgreSQL tracker store, the atomic Redis lock store, RabbitMQ events) through
the load balancer; the stock bot answers its own English conversations with no action server and the
in-memory stores. Every deployment is started once (a throw-away instance: its schemas, Redis keys and
RabbitMQ queue are removed at the end), warmed up, and the loads are then played against each in turn,
``--rounds`` times. Numbers depend on the machine: run it on the machine the
figures are for, with nothing else busy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from deploy.production import ProductionStack, forget, free_ports
from deploy.profile import ProductionSettings
from deploy.throwaway import DeploymentSecrets
from scripts.load_test import LoadReport, run_load
from scripts.stock_bot import prepare_stock_bot, running_stock_bot

LANGUAGES = ("en", "zh", "ru", "ar")


def warm_up(target: "Target") -> None:
    """A few conversations first: the first turns of a fresh process load lazily (graphs, pools, caches)."""
    asyncio.run(run_load(target.url, buyers=2, conversations=2, scenarios=target.scenarios,
                         languages=target.languages, sender_prefix=f"warm{uuid.uuid4().hex[:6]}",
                         rest_token=target.rest_token))


def load(url: str, args: argparse.Namespace, scenarios: str, languages,
         rest_token: Optional[str] = None) -> Dict[str, LoadReport]:
    """The concurrent run ("concurrent") and, with ``--serial N``, first N conversations one at a time
    ("serial"): the per-turn cost without queueing."""
    reports: Dict[str, LoadReport] = {}
    if args.serial:
        reports["serial"] = serial(url, args.serial, scenarios, languages, timeout=args.timeout, seed=args.seed,
                                   rest_token=rest_token)
    reports["concurrent"] = asyncio.run(run_load(
        url, buyers=args.buyers, conversations=args.conversations, duration=args.duration, scenarios=scenarios,
        languages=languages, timeout=args.timeout, seed=args.seed, sender_prefix=f"bench{uuid.uuid4().hex[:6]}",
        rest_token=rest_token))
    return reports


def serial(url: str, conversations: int, scenarios: str, languages, timeout: float = 60.0, seed: int = 0,
           rest_token: Optional[str] = None) -> LoadReport:
    """``conversations`` in each language, one buyer at a time, as one report (per language in
    ``by_language``)."""
    merged = LoadReport(buyers=1, scenarios=scenarios, urls=[url])
    for language in languages:
        report = asyncio.run(run_load(
            url, buyers=1, conversations=conversations, scenarios=scenarios, languages=[language],
            timeout=timeout, seed=seed, sender_prefix=f"serial{uuid.uuid4().hex[:6]}", rest_token=rest_token))
        merged.turns += report.turns
        merged.answered += report.answered
        merged.empty += report.empty
        merged.conversations += report.conversations
        merged.wall_time_s += report.wall_time_s
        merged.latencies_ms += report.latencies_ms
        for kind, count in report.errors.items():
            merged.errors[kind] = merged.errors.get(kind, 0) + count
        merged.by_language.update(report.by_language)
    return merged


@dataclass
class Target:
    """A running deployment the load is played against."""

    name: str
    title: str
    url: str
    scenarios: str
    languages: Sequence[str]
    rest_token: Optional[str] = None


@contextmanager
def silkroad_deployment(workers: int, model: Path, workdir: Path, languages: Sequence[str]) -> Iterator[Target]:
    rasa_port, rasa_api_port, action_port, backend_port, *ports = free_ports(4 + 2 * workers)
    settings = ProductionSettings(
        instance=f"bench{workers}_{uuid.uuid4().hex[:8]}", rasa_workers=workers, action_workers=workers,
        rasa_port=rasa_port, rasa_api_port=rasa_api_port, action_port=action_port, backend_port=backend_port,
        worker_ports=ports[:workers], action_worker_ports=ports[workers:])
    secrets = DeploymentSecrets.random()
    # a benchmark's buyers may send faster than a person types: the per-sender limit is not what is measured
    stack = ProductionStack(settings, model, workdir / f"workers-{workers}",
                            environment={"SILKROAD_SUPPORT_HOURS": "Mon-Sun 00:00-24:00",
                                         "SILKROAD_RATE_LIMIT_MESSAGES": "100000", **secrets.environment()})
    try:
        with stack:
            yield Target(f"silkroad-{workers}", f"Silk Road, production profile, {workers} Rasa worker(s)",
                         settings.rasa_url, "silkroad", languages, secrets.rest_token)
    finally:
        forget(settings)


@contextmanager
def stock_deployment(workdir: Path) -> Iterator[Target]:
    model = prepare_stock_bot(workdir / "stock")
    port, = free_ports(1)
    with running_stock_bot(model, port):
        yield Target("stock", "Rasa's stock hello-world bot (rasa init), one process",
                     f"http://127.0.0.1:{port}", "hello_world", ["en"])


def ratio(numerator: Optional[float], denominator: Optional[float]) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


RATIO_PAIRS = [("two workers / one worker", "silkroad-2", "silkroad-1"),
             ("one worker / stock bot", "silkroad-1", "stock"),
             ("two workers / stock bot", "silkroad-2", "stock"),
               ("serial: one worker / stock", "silkroad-1 serial", "stock serial")]


def ratios(reports: Dict[str, LoadReport]) -> List[str]:
    pairs = RATIO_PAIRS
    lines = [f"{'ratio':<26}{'turns/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>12}"]
    for name, a, b in pairs:
        if a not in reports or b not in reports:
            continue
        first, second = reports[a], reports[b]
        lines.append(f"{name:<26}{ratio(first.throughput, second.throughput):>9}"
                     f"{ratio(first.p50_ms, second.p50_ms):>8}{ratio(first.p95_ms, second.p95_ms):>8}"
                     f"{ratio(first.p99_ms, second.p99_ms):>8}{first.error_count:>6} /{second.error_count:>4}")
    return lines


def median_ratios(rounds: List[Dict[str, LoadReport]]) -> List[str]:
    """Per ratio, each round's throughput and p50 ratios and their medians (the loads alternated, so a
    passing disturbance of the machine moves one round, not the comparison)."""
    lines = [f"{'median of ' + str(len(rounds)) + ' rounds':<26}{'turns/s':>9}{'p50':>8}   per round (turns/s, p50)"]
    for name, a, b in RATIO_PAIRS:
        pairs = [(reports[a], reports[b]) for reports in rounds if a in reports and b in reports]
        throughput = [first.throughput / second.throughput for first, second in pairs
                      if first.throughput and second.throughput]
        p50 = [first.p50_ms / second.p50_ms for first, second in pairs if first.p50_ms and second.p50_ms]
        if not throughput and not p50:
            continue
        each = ", ".join(f"{ratio(first.throughput, second.throughput)}/{ratio(first.p50_ms, second.p50_ms)}"
                         for first, second in pairs)
        lines.append(f"{name:<26}{_median(throughput):>9}{_median(p50):>8}   {each}")
    return lines


def _median(values: List[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="the Silk Road model (default: trained or found by train_model)")
    parser.add_argument("--buyers", type=int, default=16, help="concurrent buyers")
    parser.add_argument("--conversations", type=int, default=3, help="conversations per buyer")
    parser.add_argument("--duration", type=float, help="seconds (instead of, or as well as, --conversations)")
    parser.add_argument("--languages", default=",".join(LANGUAGES), type=lambda value: value.split(","))
    parser.add_argument("--timeout", type=float, default=60.0, help="per turn, seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-stock", action="store_true", help="do not run the stock bot")
    parser.add_argument("--skip-two", action="store_true", help="do not run the two-worker deployment")
    parser.add_argument("--serial", type=int, default=0, metavar="N",
                        help="first play N conversations one at a time (one buyer) on each deployment")
    parser.add_argument("--rounds", type=int, default=1, metavar="N",
                        help="play the loads N times, alternating the deployments (which stay up), and print "
                             "the median ratios")
    parser.add_argument("--workdir", type=Path, help="logs and the stock bot's model (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write every report and the ratios to this file")
    args = parser.parse_args(argv)
    if args.model is None:
        from scripts.train_model import ensure_model
        args.model = ensure_model()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="silkroad-bench-"))
    rounds: List[Dict[str, LoadReport]] = []
    with ExitStack() as deployments:
        targets = [deployments.enter_context(silkroad_deployment(workers, args.model.resolve(), workdir,
                                                                 args.languages))
                   for workers in ((1,) if args.skip_two else (1, 2))]
        if not args.skip_stock:
            targets.append(deployments.enter_context(stock_deployment(workdir)))
        for target in targets:
            warm_up(target)
        for number in range(1, args.rounds + 1):
            reports: Dict[str, LoadReport] = {}
            for target in targets:
                print(f"== round {number}/{args.rounds}: {target.title} ==", flush=True)
                for phase, report in load(target.url, args, target.scenarios, target.languages,
                                          target.rest_token).items():
                    key = target.name if phase == "concurrent" else f"{target.name} {phase}"
                    reports[key] = report
                    print(f"-- {phase} --\n{report.format()}\n", flush=True)
            print("\n".join(ratios(reports)) + "\n", flush=True)
            rounds.append(reports)
    if args.rounds > 1:
        print("\n".join(median_ratios(rounds)))
    if args.json:
        args.json.write_text(json.dumps({"rounds": [{"reports": {name: report.to_dict()
                                                                 for name, report in reports.items()},
                                                     "ratios": ratios(reports)} for reports in rounds],
                                         "median_ratios": median_ratios(rounds)}, indent=2))
    return 0 if all(report.answered for reports in rounds for report in reports.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
