"""Why a buyer wants a refund or opens a dispute: the escrow backend's reason codes and the words by which a
typed message names one (common/lexicon/reasons.yml, common/reason_patterns.py), for the actions and for the
NLU's reading of answers alike."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from common.answer_words import (QUESTION_MARKS, ends_with, lexicon, phrase_lists, says_unnegated,
                                 strong_phrases)
from common.reason_patterns import REASON_PATTERNS, reason_patterns as common_reason_patterns
from common.spelling import fold

# The backend's codes (backends/escrow/service.py), in the order the buyer is offered them.
REFUND_REASONS = ("not_received", "damaged", "not_as_described", "wrong_item", "missing_parts", "changed_mind",
                  "other")
DISPUTE_REASONS = ("not_received", "not_as_described", "damaged", "wrong_item", "missing_parts", "counterfeit",
                   "refund_refused", "other")
ALL_REASONS = tuple(dict.fromkeys(REFUND_REASONS + DISPUTE_REASONS))  # every code once, in the order offered
_CLAUSE_BREAK = re.compile(r"[.…,;!，。；！、،؛\n]+")
# What a buyer may find wrong with goods that came: named in a "received" message, it is no receipt to confirm.
PROBLEMS = ("damaged", "wrong_item", "not_as_described", "missing_parts", "counterfeit")

# The phrases that name each reason, every language's together (common/lexicon/reasons.yml), longest first.
REASON_WORDS = Path(__file__).resolve().parent / "lexicon" / "reasons.yml"


# The words that only pick "something else" (reasons.yml): they name "other" in an answer to the reason question.
OTHER_CHOICE = "other_choice"


@lru_cache(maxsize=1)
def _listed_words() -> Dict[str, Tuple[str, ...]]:
    """reasons.yml's lists as written: each reason's own phrases, and OTHER_CHOICE's."""
    return phrase_lists(REASON_WORDS, ALL_REASONS + (OTHER_CHOICE,), fold)


@lru_cache(maxsize=1)
def reason_words() -> Dict[str, Tuple[str, ...]]:
    """Each reason's phrases, "other" with its choice words (OTHER_CHOICE's also on their own)."""
    words = _listed_words()
    return {**words, "other": tuple(sorted(words["other"] + words[OTHER_CHOICE], key=len, reverse=True))}


def names_a_reason(text: str, allowed: Sequence[str]) -> Optional[str]:
    """The reason a request names by itself (``reason_in``), where the words that only pick "something else" name
    none ("别的都好" in a story); "other" by its own phrases ("过敏了能退吗") does."""
    reason = reason_in(text, allowed)
    if reason != "other":
        return reason
    lowered = fold(text or "")
    return reason if any(phrase in lowered for phrase in _listed_words()["other"]) else None


@lru_cache(maxsize=1)
def reason_patterns() -> Dict[str, Tuple["re.Pattern[str]", ...]]:
    """common.reason_patterns' patterns, each under a code the backend knows."""
    patterns = common_reason_patterns()
    unknown = set(patterns) - set(ALL_REASONS)
    if unknown:
        raise ValueError(f"{REASON_PATTERNS.name}: unknown reasons {sorted(unknown)}")
    return patterns


_PAYLOAD = re.compile(r'_reason"\s*:\s*"([a-z_]+)"')  # a reason button's payload
# A reason that, named at all, is the reason: a fake is a counterfeit whatever flaws are listed as its proof.
OVERRIDING = frozenset({"counterfeit"})


def reason_in(text: str, allowed: Sequence[str]) -> Optional[str]:
    """The reason ``text`` names among ``allowed``: a button's code, or the reason whose words or patterns it
    uses (the longest found; on a tie the first in ``allowed``, which lists the specific reasons first and
    "other" last). Goods called fake are a counterfeit whatever flaws the buyer lists as proof ("это паль
    стопудово. логотип кривой, фурнитура облезла")."""
    match = _PAYLOAD.search(text or "")
    if match:
        return match.group(1) if match.group(1) in allowed else None
    lowered = fold(text or "")
    words, patterns = reason_words(), reason_patterns()
    best, longest = None, 0
    for code in allowed:  # the longest words said decide: "موديل مختلف" (another model) over "مختلف عن"
        length = max([len(word) for word in words.get(code, ()) if word in lowered] +
                     [_matched_length(match) for pattern in patterns.get(code, ())
                      for match in [pattern.search(lowered)] if match], default=0)
        if length and code in OVERRIDING and not _negated(lowered, words.get(code, ()), patterns.get(code, ())):
            return code
        if length > longest:
            best, longest = code, length
    return best


def _negated(lowered: str, phrases: Sequence[str], patterns: Sequence["re.Pattern[str]"]) -> bool:
    """Whether every place the text names the reason has a negation just before it ("not fake, but", "不是假货")."""
    starts = [found.start() for phrase in phrases for found in re.finditer(re.escape(phrase), lowered)]
    starts += [found.start() for pattern in patterns for found in pattern.finditer(lowered)]
    negations = lexicon().negation
    return bool(starts) and all(any(ends_with(lowered[:start].rstrip(), negation) for negation in negations)
                                for start in starts)


def _matched_length(match: "re.Match[str]") -> int:
    """How much a pattern's match weighs against the phrases: its "core" group when it spans a gap."""
    return len(match.group("core")) if "core" in match.re.groupindex else len(match.group())


def reports_a_problem(text: str) -> bool:
    """Whether a message about goods that came says something is wrong with them ("The handbag I received has a
    stain on the front", "收到了 但是屏幕碎了"), without asking to confirm all the same ("small scratch but fine, go
    ahead and confirm") and not as a question ("а если я подтвержу а потом сломается, вернуть можно будет?": what
    if it breaks later): no payment is offered for release then, a refund or a dispute is."""
    words = lexicon()
    if any(mark in text for mark in QUESTION_MARKS):
        return False
    reason = reason_in(text, PROBLEMS)
    if reason is None or _negated(fold(text), reason_words().get(reason, ()), reason_patterns().get(reason, ())):
        return False  # "палатка нужна, чтоб под ливнем не протекла": a wish, no problem
    # waved through in its last words ("small scratch but fine, go ahead and confirm"); a yes word elsewhere is the
    # story's ("页面上说有GPS，可以打电话，实际上都没有": it can make calls, the page said)
    last = [part for part in _CLAUSE_BREAK.split(text) if part.strip()][-1:]
    return not (last and says_unnegated(last[0], strong_phrases(words.affirm, 7), words))
