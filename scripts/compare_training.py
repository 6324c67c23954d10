"""Training configurations side by side: how long each trains from scratch, and what it costs in accuracy.

    python -m scripts.compare_training nlu                  # every NLU candidate; a table at the end
    python -m scripts.compare_training nlu --only today --only diet-light
    python -m scripts.compare_training core                 # dialogue candidates (with config.yml's NLU)

NLU candidates differ in config.yml's pipeline only. Each is trained alone (``rasa train nlu``) with an empty
cache, so its time is a training from scratch, then evaluated on the held-out split (tests/nlu_split: intent
macro-F1 and entity F1 per language, bot/nlu_evaluation.py).

Dialogue candidates differ in config.yml's policies only. Each trains a whole model with the NLU of config.yml
taken from a cache shared by the candidates (trained once, by the first), and runs the test stories
(tests/stories) with ``rasa test core``: the prediction errors are counted. Times are each component's own,
read from Rasa's training log.

Runs one candidate after another (2 cores: two trainings at once would slow each other). Nothing here asserts
a time: it prints what it measured.
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import yaml

ROOT = Path(__file__).resolve().parent.parent
Config = Dict[str, object]
_COMPONENT_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*(Starting to train|Finished training) component '(\w+)'")


@dataclass(frozen=True)
class Candidate:
    name: str
    what: str
    edit: Callable[[Config], Config]


# The intent and entity models a candidate swaps in; everything else (language, tokens, n-grams, synonyms,
# fallbacks) is config.yml's.
MODELS = ("DIETClassifier", "LinearIntentClassifier", "CRFEntityExtractor", "LogisticRegressionClassifier",
          "LexicalSyntacticFeaturizer")
# DIET as config.yml had it until 2026-12-06 (with the LexicalSyntacticFeaturizer that fed it).
DIET_UNTIL_NOW: Dict[str, object] = {
    "name": "DIETClassifier", "epochs": 40, "number_of_transformer_layers": 1, "transformer_size": 128,
    "drop_rate": 0.35, "batch_size": [64, 256], "constrain_similarities": True, "random_seed": 42}
LINEAR = {"name": "bot.linear_intent_classifier.LinearIntentClassifier", "C": 1.0}
CRF = {"name": "CRFEntityExtractor"}


def _short(name: object) -> str:
    return str(name).rsplit(".", 1)[-1]


def _with_models(config: Config, models: List[Dict[str, object]]) -> Config:
    """``config`` with its intent and entity models replaced by ``models`` (a DIET gets its lexical features)."""
    config = copy.deepcopy(config)
    kept = [c for c in config["pipeline"] if _short(c["name"]) not in MODELS]  # type: ignore[union-attr]
    at = next(i for i, c in enumerate(kept) if c["name"] == "EntitySynonymMapper")
    front = kept[:at]
    if any(m["name"] == "DIETClassifier" for m in models):
        after_regex = next(i for i, c in enumerate(front)
                           if _short(c["name"]) in ("RegexFeaturizer", "EntityValueFeaturizer")) + 1
        front.insert(after_regex, {"name": "LexicalSyntacticFeaturizer"})
    config["pipeline"] = front + [copy.deepcopy(m) for m in models] + kept[at:]
    return config


def _diet(**changes: object) -> Dict[str, object]:
    return {**DIET_UNTIL_NOW, **changes}


TED_UNTIL_NOW: Dict[str, object] = {"name": "TEDPolicy", "max_history": 5, "epochs": 40,
                                    "constrain_similarities": True, "random_seed": 42}


def _with_ted(config: Config, **changes: object) -> Config:
    """``config``'s policies with TEDPolicy as configured until 2026-12-06 (and ``changes``)."""
    config = _without_policy(config, "TEDPolicy")
    config["policies"].append({**TED_UNTIL_NOW, **changes})  # type: ignore[union-attr]
    return config


def _memoization(config: Config, max_history: int) -> Config:
    config = copy.deepcopy(config)
    for policy in config["policies"]:  # type: ignore[union-attr]
        if policy["name"] == "MemoizationPolicy":
            policy["max_history"] = max_history
    return config


def _without_policy(config: Config, name: str) -> Config:
    config = copy.deepcopy(config)
    config["policies"] = [p for p in config["policies"] if p["name"] != name]  # type: ignore[union-attr]
    return config


NLU_CANDIDATES: Sequence[Candidate] = (
    Candidate("diet-40", "DIET as configured until 2026-12-06 (40 epochs, one transformer layer)",
              lambda c: _with_models(c, [_diet()])),
    Candidate("diet-20", "the same DIET, 20 epochs", lambda c: _with_models(c, [_diet(epochs=20)])),
    Candidate("diet-light-20", "DIET without its transformer layer, 20 epochs",
              lambda c: _with_models(c, [_diet(epochs=20, number_of_transformer_layers=0)])),
    Candidate("diet-intents+crf", "DIET for intents only (no transformer, 20 epochs), CRFEntityExtractor",
              lambda c: _with_models(c, [_diet(epochs=20, number_of_transformer_layers=0,
                                               entity_recognition=False), CRF])),
    Candidate("linear+crf", "config.yml: bot.linear_intent_classifier (a linear SVM), CRFEntityExtractor",
              lambda c: _with_models(c, [LINEAR, CRF])),
    Candidate("linear+diet-entities", "bot.linear_intent_classifier, DIET for entities only (no transformer, "
              "20 epochs)", lambda c: _with_models(c, [LINEAR, _diet(epochs=20, number_of_transformer_layers=0,
                                                                      intent_classification=False)])),
    Candidate("logreg+crf", "Rasa's LogisticRegressionClassifier, CRFEntityExtractor",
              lambda c: _with_models(c, [{"name": "LogisticRegressionClassifier", "max_iter": 200}, CRF])),
)

CORE_CANDIDATES: Sequence[Candidate] = (
    Candidate("ted-40", "RulePolicy, MemoizationPolicy (5 turns) and TEDPolicy (40 epochs) as until 2026-12-06",
              lambda c: _with_ted(c)),
    Candidate("ted-20", "the same, TED 20 epochs", lambda c: _with_ted(c, epochs=20)),
    Candidate("memoization-3", "no TEDPolicy; memoization of the last 3 turns",
              lambda c: _memoization(_without_policy(c, "TEDPolicy"), 3)),
    Candidate("rules+memoization", "no TEDPolicy: rules and memoization only",
              lambda c: _without_policy(c, "TEDPolicy")),
)


def base_config() -> Config:
    return yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))


def component_seconds(log: str) -> Dict[str, float]:
    """Each component's training time from Rasa's log (components of one name added up)."""
    started: Dict[str, datetime] = {}
    seconds: Dict[str, float] = {}
    for line in log.splitlines():
        match = _COMPONENT_LINE.match(line)
        if not match:
            continue
        stamp, what, name = datetime.fromisoformat(match.group(1)), match.group(2), match.group(3)
        if what.startswith("Starting"):
            started[name] = stamp
        elif name in started:
            seconds[name] = seconds.get(name, 0.0) + (stamp - started.pop(name)).total_seconds()
    return seconds


def _rasa(args: List[str], workdir: Path, cache: Path, log_name: str) -> "tuple[float, str]":
    """``python -m rasa <args>`` from the project's root; the wall-clock seconds and its log."""
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2", "TF_DETERMINISTIC_OPS": "1", "PYTHONHASHSEED": "0"}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    elapsed = time.monotonic() - started
    log = result.stdout + result.stderr
    (workdir / log_name).write_text(log, encoding="utf-8")
    if result.returncode != 0:
        raise SystemExit(f"rasa {args[0]} failed (log: {workdir / log_name}):\n{log[-3000:]}")
    return elapsed, log


def run_nlu_candidate(candidate: Candidate, workdir: Path) -> Dict[str, object]:
    from rasa.core.agent import Agent

    from bot.language_detection import SUPPORTED_LANGUAGES
    from bot.nlu_evaluation import evaluate

    here = workdir / candidate.name
    here.mkdir(parents=True)
    config = here / "config.yml"
    config.write_text(yaml.safe_dump(candidate.edit(base_config()), sort_keys=False), encoding="utf-8")
    elapsed, log = _rasa(["train", "nlu", "--config", str(config), "--nlu", str(ROOT / "data"),
                          "--out", str(here), "--fixed-model-name", "nlu"], here, here / "cache", "train.log")
    reports = evaluate(Agent.load(str(here / "nlu.tar.gz")), SUPPORTED_LANGUAGES)
    return {"seconds": elapsed, "components": component_seconds(log), "reports": reports}


def _prediction_errors(out: Path, log: str) -> int:
    failed = out / "failed_test_stories.yml"
    if not failed.exists():
        return 0
    stories = yaml.safe_load(failed.read_text(encoding="utf-8")) or {}
    return len(stories.get("stories") or [])


def run_core_candidate(candidate: Candidate, workdir: Path, shared_cache: Path) -> Dict[str, object]:
    here = workdir / candidate.name
    here.mkdir(parents=True)
    config = here / "config.yml"
    config.write_text(yaml.safe_dump(candidate.edit(base_config()), sort_keys=False), encoding="utf-8")
    elapsed, log = _rasa(["train", "--config", str(config), "--domain", str(ROOT / "domain"),
                          "--data", str(ROOT / "data"), "--out", str(here), "--fixed-model-name", "model"],
                         here, shared_cache, "train.log")
    out = here / "results"
    test_args = ["test", "core", "--model", str(here / "model.tar.gz"), "--stories", str(ROOT / "tests" / "stories"),
                 "--out", str(out), "--no-plot"]
    _, test_log = _rasa(test_args, here, shared_cache, "test.log")
    seconds = component_seconds(log)
    policies = {name: s for name, s in seconds.items() if name.endswith("Policy")}
    return {"seconds": elapsed, "components": policies, "errors": _prediction_errors(out, test_log)}


def nlu_table(results: Dict[str, Dict[str, object]]) -> str:
    from bot.language_detection import SUPPORTED_LANGUAGES

    header = ["candidate", "train s"] + [f"{lang} F1 / ent" for lang in SUPPORTED_LANGUAGES]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for name, result in results.items():
        reports = result["reports"]
        cells = [name, f"{result['seconds']:.0f}"] + [
            f"{reports[lang].macro_f1:.3f} / {reports[lang].entity_f1:.3f}" for lang in SUPPORTED_LANGUAGES]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def core_table(results: Dict[str, Dict[str, object]]) -> str:
    rows = ["| candidate | train s (whole run) | policies s | test-story prediction errors |",
            "| --- | --- | --- | --- |"]
    for name, result in results.items():
        policies = ", ".join(f"{p} {s:.0f}" for p, s in sorted(result["components"].items())) or "cached"
        rows.append(f"| {name} | {result['seconds']:.0f} | {policies} | {result['errors']} |")
    return "\n".join(rows)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("nlu", "core"))
    parser.add_argument("--only", action="append", help="only these candidates (by name)")
    parser.add_argument("--keep", help="keep models and logs in this directory (default: a temporary one)")
    args = parser.parse_args(argv)
    candidates = NLU_CANDIDATES if args.part == "nlu" else CORE_CANDIDATES
    chosen = [c for c in candidates if not args.only or c.name in args.only]
    unknown = set(args.only or ()) - {c.name for c in candidates}
    if unknown:
        parser.error(f"no such candidate: {', '.join(sorted(unknown))} "
                     f"(there are: {', '.join(c.name for c in candidates)})")
    logging.getLogger().setLevel(logging.WARNING)
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="silkroad-compare-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: Dict[str, Dict[str, object]] = {}
    try:
        for candidate in chosen:
            print(f"[compare] {candidate.name}: {candidate.what}", file=sys.stderr, flush=True)
            if args.part == "nlu":
                results[candidate.name] = run_nlu_candidate(candidate, workdir)
            else:
                results[candidate.name] = run_core_candidate(candidate, workdir, workdir / "shared-cache")
            table = nlu_table if args.part == "nlu" else core_table
            print(f"[compare] {candidate.name}: components {results[candidate.name]['components']}\n"
                  f"{table({candidate.name: results[candidate.name]})}", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(nlu_table(results) if args.part == "nlu" else core_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
