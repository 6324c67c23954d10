"""Per-turn cost, one conversation at a time: the embedded assistant against Rasa's stock ``rasa init`` bot,
in one run; prints each one's turn latencies and the ratio of the p50s.

    python -m scripts.bench_serial [--conversations 4]

Silk Road runs as the embedded default does (Rasa with the project's fixes, the action server, the
backends on SQLite, in-memory tracker and lock stores, the SQL event broker the console follows) and plays
its multi-turn conversations in en, zh, ru and ar through the REST channel, one buyer after another; the
stock bot plays its own English conversations. Each side gets a short warm-up first. The production
profile's serial figures come from ``python -m scripts.bench_scale_out --serial N``. Numbers depend on the
machine: run it with nothing else busy.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from scripts.load_test import percentile, run_load
from scripts.stock_bot import prepare_stock_bot, running_stock_bot

LANGUAGES = ("en", "zh", "ru", "ar")


def serial_latencies(url: str, scenarios: str, languages: Sequence[str], conversations: int) -> Dict[str, List[float]]:
    """Turn latencies (ms) per language, each language's conversations played by one buyer, one at a time."""
    from scripts.bench_scale_out import serial

    asyncio.run(run_load(url, buyers=1, conversations=1, scenarios=scenarios, languages=languages[:1],
                         sender_prefix=f"warm{uuid.uuid4().hex[:6]}"))
    report = serial(url, conversations, scenarios, languages)
    if report.error_count:
        raise SystemExit(f"{scenarios}: {report.error_count} turns failed: {report.errors}")
    return {language: report.by_language[language].latencies_ms for language in languages}


def silkroad_latencies(model: Path, workdir: Path, conversations: int) -> Dict[str, List[float]]:
    from tests.actions.backend_process import running_backends
    from tests.servers import running_assistant

    with running_backends(workdir) as backends:
        with running_assistant(model, env={"SILKROAD_BACKEND_URL": backends}) as url:
            return serial_latencies(url, "silkroad", LANGUAGES, conversations)


def stock_latencies(workdir: Path, conversations: int) -> Dict[str, List[float]]:
    from deploy.production import free_ports

    model = prepare_stock_bot(workdir / "stock")
    port, = free_ports(1)
    with running_stock_bot(model, port):
        return serial_latencies(f"http://127.0.0.1:{port}", "hello_world", ["en"], conversations * 2)


def table(runs: Dict[str, Dict[str, List[float]]]) -> List[str]:
    lines = [f"{'run':<22}{'turns':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"]
    for name, by_language in runs.items():
        rows = [(f"{name} {lang}", values) for lang, values in by_language.items()]
        rows.append((f"{name} all", [v for values in by_language.values() for v in values]))
        for label, values in rows:
            lines.append(f"{label:<22}{len(values):>6}{statistics.median(values):>9.1f}{percentile(values, 95):>9.1f}"
                         f"{max(values):>9.1f}")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="the Silk Road model (default: trained or found by train_model)")
    parser.add_argument("--conversations", type=int, default=4, help="conversations per language")
    parser.add_argument("--workdir", type=Path, help="logs, databases and the stock bot's model")
    args = parser.parse_args(argv)
    if args.model is None:
        from scripts.train_model import ensure_model
        args.model = ensure_model()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="silkroad-serial-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runs = {"silkroad": silkroad_latencies(args.model.resolve(), workdir, args.conversations),
            "stock": stock_latencies(workdir, args.conversations)}
    print("\n".join(table(runs)))
    ours = statistics.median([v for values in runs["silkroad"].values() for v in values])
    stock = statistics.median(runs["stock"]["en"])
    print(f"\nserial turn p50: Silk Road (embedded) {ours:.1f} ms, stock bot {stock:.1f} ms, ratio {ours / stock:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
