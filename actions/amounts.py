"""Amounts as buyers type them ("5000", "1,200", "15k", "٥٠٠", "1 299,90", "2 juta", "30 тыщ", "3万",
"٣ آلاف") into minor units. The words that multiply a number are data (common/lexicon/amount_words.yml)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

from actions.clients.money import exponent_of
from common.answer_words import is_cjk

AMOUNT_WORDS = Path(__file__).resolve().parent.parent / "common" / "lexicon" / "amount_words.yml"


def ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, Persian, full-width...) as its ASCII digit."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


@lru_cache(maxsize=1)
def multipliers() -> Dict[str, int]:
    """Word -> what it multiplies by, every language's together, lower case."""
    data = yaml.safe_load(AMOUNT_WORDS.read_text(encoding="utf-8"))
    return {str(word).lower(): int(value) for words in data.values() for word, value in words.items()}


def _suffix_pattern() -> str:
    """The multiplier words, longest first; a word in a script with spaces must end there ("20 kg" is not
    20 thousand: "k" is followed by a letter)."""
    parts = []
    for word in sorted(multipliers(), key=len, reverse=True):
        escaped = re.escape(word)
        parts.append(escaped if is_cjk(word[0]) else escaped + r"(?![^\W\d_])")
    return "|".join(parts)


@lru_cache(maxsize=1)
def _amount() -> "re.Pattern[str]":
    return re.compile(rf"^(\d+(?:[.,]\d{{1,2}})?)({_suffix_pattern()})?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _number_in_text() -> "re.Pattern[str]":
    return re.compile(rf"\d(?:[\d.,]|\s(?=\d))*(?:\s?(?:{_suffix_pattern()}))?", re.IGNORECASE)


def parse_amount(text: str) -> Optional[Decimal]:
    """The number in ``text`` in major units, or None when it is not an amount."""
    cleaned = ascii_digits(text or "").replace("\u066c", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):  # 1,200 or 1,200.50: commas group thousands
        cleaned = cleaned.replace(",", "")
    match = _amount().match(cleaned.lower())
    if not match:
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    suffix = (match.group(2) or "").lower()
    return number * multipliers().get(suffix, 1) if number > 0 else None



def amount_in_text(text: str) -> Optional[Decimal]:
    """The first amount in a sentence ("верните 1 200 пожалуйста" -> 1200), or None."""
    match = _number_in_text().search(ascii_digits((text or "").lower()))
    return parse_amount(match.group(0).strip().rstrip(".,")) if match else None


def to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** exponent_of(currency))).to_integral_value())
