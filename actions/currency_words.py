"""The currency a buyer names in a sentence ("RM100", "1500 рублей", "١٠٠ ريال سعودي", "三百零吉"), for when
the NLU did not tag it. The words are the NLU's own currency synonyms (data/nlu/<language>/synonyms.yml:
every synonym whose value is an ISO 4217 code), so one list serves both."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from common.answer_words import is_cjk

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"
_ISO_CODE = re.compile(r"[A-Z]{3}")
_LETTER = r"[^\W\d_\u3400-\u9fff]"
MULTIPLIER_ENDS = "кkКK千万百十"  # "30к р", "3千块"


@lru_cache(maxsize=1)
def currency_words() -> Tuple[Tuple[str, str], ...]:
    """(word in lower case, ISO code), longest word first."""
    words: Dict[str, str] = {}
    for path in sorted(NLU_DATA.glob("*/synonyms.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or ():
            code = str(item.get("synonym", ""))
            if not _ISO_CODE.fullmatch(code):
                continue
            words[code.lower()] = code
            for line in str(item.get("examples", "")).splitlines():
                word = line.strip().removeprefix("- ").strip().lower()
                if word:
                    words.setdefault(word, code)
    return tuple(sorted(words.items(), key=lambda pair: len(pair[0]), reverse=True))


@lru_cache(maxsize=1)
def _pattern() -> "re.Pattern[str]":
    """A currency word standing alone; a one-letter word ("р", "块"; not a sign such as "$") only right after a
    number."""
    parts = []
    for word, _ in currency_words():
        escaped = re.escape(word)
        if len(word) == 1 and (is_cjk(word) or re.match(_LETTER, word)):  # "р", "块", "刀" (a knife, too)
            parts.append(rf"(?<=[\d{MULTIPLIER_ENDS}]){escaped}(?!{_LETTER})|(?<=\d\s){escaped}(?!{_LETTER})")
        elif is_cjk(word[0]) or not re.match(_LETTER, word):
            parts.append(escaped)
        else:
            parts.append(rf"(?<!{_LETTER}){escaped}(?!{_LETTER})")
    return re.compile("|".join(parts))


def currency_in_text(text: str) -> Optional[str]:
    """The ISO code of the first currency named in ``text``, or None."""
    match = _pattern().search((text or "").lower())
    if not match:
        return None
    return dict(currency_words())[match.group(0)]
