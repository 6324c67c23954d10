"""Intent evaluation of a trained model on the held-out split, per language.

The split (``tests/nlu_split/<lang>.yml``) is never trained on. Predictions are
the intents the assistant acts on, after the fallback classifier: a message
that falls back counts as an error.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from bot.language_detection import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
SPLIT_DIR = ROOT / "tests" / "nlu_split"


@dataclass(frozen=True)
class LabelledText:
    text: str
    intent: str


@dataclass
class LanguageReport:
    language: str
    gold: List[str]
    predicted: List[str]
    texts: List[str]
    accuracy: float = field(init=False)
    macro_f1: float = field(init=False)

    def __post_init__(self) -> None:
        labels = sorted(set(self.gold))
        self.accuracy = float(accuracy_score(self.gold, self.predicted))
        self.macro_f1 = float(
            f1_score(self.gold, self.predicted, labels=labels, average="macro", zero_division=0)
        )

    def confusions(self) -> List[Tuple[Tuple[str, str], int]]:
        """(gold, predicted) pairs that differ, most frequent first."""
        pairs = Counter((g, p) for g, p in zip(self.gold, self.predicted) if g != p)
        return pairs.most_common()

    def errors(self) -> List[Tuple[str, str, str]]:
        return [
            (text, gold, predicted)
            for text, gold, predicted in zip(self.texts, self.gold, self.predicted)
            if gold != predicted
        ]


def load_split(language: str, split_dir: Path = SPLIT_DIR) -> List[LabelledText]:
    data = load_data(str(split_dir / f"{language}.yml"))
    return [
        LabelledText(example.get("text"), example.get("intent"))
        for example in data.intent_examples
    ]


def predict_intents(agent, texts: Sequence[str]) -> List[str]:
    """Intent names the model's NLU pipeline gives, fallback included."""

    async def parse_all() -> List[str]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            results.append((parsed.get("intent") or {}).get("name") or "None")
        return results

    return asyncio.run(parse_all())


def evaluate(agent, languages: Iterable[str] = SUPPORTED_LANGUAGES) -> Dict[str, LanguageReport]:
    reports = {}
    for language in languages:
        examples = load_split(language)
        predicted = predict_intents(agent, [e.text for e in examples])
        reports[language] = LanguageReport(
            language,
            gold=[e.intent for e in examples],
            predicted=predicted,
            texts=[e.text for e in examples],
        )
    return reports


def format_report(reports: Dict[str, LanguageReport], worst: int = 5, show_errors: bool = False) -> str:
    lines = [f"{'language':<10}{'examples':>9}{'accuracy':>10}{'macro-F1':>10}"]
    for report in reports.values():
        lines.append(
            f"{report.language:<10}{len(report.gold):>9}{report.accuracy:>10.3f}{report.macro_f1:>10.3f}"
        )
    for report in reports.values():
        confusions = report.confusions()[:worst]
        if not confusions:
            continue
        lines.append(f"\nworst confusions ({report.language}): gold -> predicted")
        lines.extend(f"  {gold} -> {predicted}: {count}" for (gold, predicted), count in confusions)
        if show_errors:
            lines.extend(f"    {gold} -> {predicted}: {text}" for text, gold, predicted in report.errors())
    return "\n".join(lines)
