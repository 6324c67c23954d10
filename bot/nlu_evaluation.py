"""Intent and entity evaluation of a trained model on the held-out split, per language.

The split (``tests/nlu_split/<lang>.yml``) is never trained on. Predictions are
the intents the assistant acts on, after the fallback classifier: a message
that falls back counts as an error. Entities are compared as (entity, the
text it covers) pairs per message (the split annotates what buyers typed, not
canonical values); entity F1 is micro-averaged over every annotated or
predicted pair.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Sequence, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from bot.language_detection import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
SPLIT_DIR = ROOT / "tests" / "nlu_split"


EntityPair = Tuple[str, str]


@dataclass(frozen=True)
class LabelledText:
    text: str
    intent: str
    entities: FrozenSet[EntityPair] = frozenset()


def entity_pairs(text: str, entities: Iterable[Dict]) -> FrozenSet[EntityPair]:
    """(entity, covered text in lower case) pairs of a message's entities."""
    return frozenset((str(e.get("entity")), text[e["start"]:e["end"]].strip().lower()) for e in entities
                     if isinstance(e.get("start"), int) and isinstance(e.get("end"), int))


@dataclass
class LanguageReport:
    language: str
    gold: List[str]
    predicted: List[str]
    texts: List[str]
    gold_entities: List[FrozenSet[EntityPair]] = field(default_factory=list)
    predicted_entities: List[FrozenSet[EntityPair]] = field(default_factory=list)
    accuracy: float = field(init=False)
    macro_f1: float = field(init=False)
    entity_f1: float = field(init=False)

    def __post_init__(self) -> None:
        labels = sorted(set(self.gold))
        self.accuracy = float(accuracy_score(self.gold, self.predicted))
        self.macro_f1 = float(
            f1_score(self.gold, self.predicted, labels=labels, average="macro", zero_division=0)
        )
        found = sum(len(g & p) for g, p in zip(self.gold_entities, self.predicted_entities))
        annotated = sum(len(g) for g in self.gold_entities)
        predicted = sum(len(p) for p in self.predicted_entities)
        self.entity_f1 = 2 * found / (annotated + predicted) if annotated + predicted else 1.0

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
        LabelledText(example.get("text"), example.get("intent"),
                     entity_pairs(example.get("text"), example.get("entities") or []))
        for example in data.intent_examples
    ]


def predict(agent, texts: Sequence[str]) -> List[Tuple[str, FrozenSet[EntityPair]]]:
    """Intent name (fallback included) and entity pairs the model's NLU pipeline gives each text."""

    async def parse_all() -> List[Tuple[str, FrozenSet[EntityPair]]]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            intent = (parsed.get("intent") or {}).get("name") or "None"
            results.append((intent, entity_pairs(text, parsed.get("entities") or [])))
        return results

    return asyncio.run(parse_all())


def evaluate(agent, languages: Iterable[str] = SUPPORTED_LANGUAGES) -> Dict[str, LanguageReport]:
    reports = {}
    for language in languages:
        examples = load_split(language)
        predicted = predict(agent, [e.text for e in examples])
        reports[language] = LanguageReport(
            language,
            gold=[e.intent for e in examples],
            predicted=[intent for intent, _ in predicted],
            texts=[e.text for e in examples],
            gold_entities=[e.entities for e in examples],
            predicted_entities=[entities for _, entities in predicted],
        )
    return reports


def format_report(reports: Dict[str, LanguageReport], worst: int = 5, show_errors: bool = False) -> str:
    lines = [f"{'language':<10}{'examples':>9}{'accuracy':>10}{'macro-F1':>10}{'entity-F1':>11}"]
    for report in reports.values():
        lines.append(
            f"{report.language:<10}{len(report.gold):>9}{report.accuracy:>10.3f}{report.macro_f1:>10.3f}"
            f"{report.entity_f1:>11.3f}"
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
