"""The conversation test set's results as tables: the share of conversations whose journey completed, per
language and journey, for the development part and the held-out part side by side."""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from tests.conversations.conversation_set import JOURNEYS, PARTS
from tests.conversations.player import Outcome

Rates = Dict[Tuple[str, str, str], Tuple[int, int]]  # (language, journey, part) -> (completed, played)


def rates(outcomes: Iterable[Outcome]) -> Rates:
    table: Rates = {}
    for outcome in outcomes:
        conversation = outcome.conversation
        for journey in (conversation.journey, "all"):
            key = (conversation.language, journey, conversation.part)
            done, played = table.get(key, (0, 0))
            table[key] = (done + (1 if outcome.completed else 0), played + 1)
    return table


def share(cell: Optional[Tuple[int, int]]) -> str:
    if not cell:
        return "-"
    done, played = cell
    return f"{100 * done / played:.0f}% ({done}/{played})"


def table(outcomes: List[Outcome]) -> List[str]:
    counted = rates(outcomes)
    languages = sorted({outcome.conversation.language for outcome in outcomes})
    header = f"{'journey':<16}" + "".join(f"{language + ' ' + part[:4]:>15}" for language in languages
                                          for part in PARTS)
    lines = [header, "-" * len(header)]
    for journey in (*JOURNEYS, "all"):
        lines.append(f"{journey:<16}" + "".join(f"{share(counted.get((language, journey, part))):>15}"
                                                for language in languages for part in PARTS))
    return lines


def failures(outcomes: List[Outcome]) -> List[str]:
    lines = []
    for outcome in outcomes:
        if outcome.completed:
            continue
        problem = outcome.error or "; ".join(outcome.failures)
        lines.append(f"{outcome.conversation.id} [{outcome.conversation.part}]: {problem}")
    return lines


def transcript(outcome: Outcome) -> str:
    """The conversation as it went; each buyer message followed by how it was read, when that is known."""
    lines, readings = [], iter(outcome.readings)
    for who, text in outcome.transcript:
        lines.append(f"  {who:>5}: {text}")
        if who == "buyer":
            reading = next(readings, None)
            if reading:
                lines.append(f"         ({reading})")
    return "\n".join(lines)
