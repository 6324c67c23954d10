"""The patterns built from parts that name why a buyer wants a refund or opens a dispute ("cannot turn on",
"не заряжаются"; ``common/lexicon/reason_patterns.yml``, every language's together), read by the actions (a
request's reason) and by the Rasa side (a dispute's answer that tells of a refund refused is no request for a
refund)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from common.spelling import fold

REASON_PATTERNS = Path(__file__).resolve().parent / "lexicon" / "reason_patterns.yml"
REFUND_REFUSED = "refund_refused"


@lru_cache(maxsize=1)
def reason_patterns() -> Dict[str, Tuple["re.Pattern[str]", ...]]:
    """Each reason code's patterns, compiled once."""
    data = yaml.safe_load(REASON_PATTERNS.read_text(encoding="utf-8")) or {}
    patterns: Dict[str, List["re.Pattern[str]"]] = {}
    for codes in data.values():
        for code, expressions in (codes or {}).items():
            patterns.setdefault(code, []).extend(re.compile(expression) for expression in expressions or ())
    return {code: tuple(found) for code, found in patterns.items()}


def refusal_told(text: str) -> bool:
    """Whether a message tells of a refund asked for and refused in so many words ("我申请退款，卖家直接拒绝",
    "написал на возврат, он отказал")."""
    lowered = fold(text or "")
    return any(pattern.search(lowered) for pattern in reason_patterns().get(REFUND_REFUSED, ()))
