"""Amounts as buyers type them ("5000", "1,200", "15k", "٥٠٠", "1 299,90") into minor units."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional

from actions.clients.money import exponent_of

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_AMOUNT = re.compile(r"^(\d+(?:[.,]\d{1,2})?)(k|к|тыс|千|万|ألف)?$", re.IGNORECASE)
MULTIPLIER = {"k": 1000, "к": 1000, "тыс": 1000, "千": 1000, "万": 10000, "ألف": 1000}


def parse_amount(text: str) -> Optional[Decimal]:
    """The number in ``text`` in major units, or None when it is not an amount."""
    cleaned = (text or "").translate(_DIGITS).replace("\u066c", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):  # 1,200 or 1,200.50: commas group thousands
        cleaned = cleaned.replace(",", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    suffix = (match.group(2) or "").lower()
    return number * MULTIPLIER.get(suffix, 1) if number > 0 else None


_NUMBER_IN_TEXT = re.compile(r"[\d٠-٩۰-۹][\d٠-٩۰-۹.,\s]*(?:k|к|тыс|千|万|ألف)?", re.IGNORECASE)


def amount_in_text(text: str) -> Optional[Decimal]:
    """The first amount in a sentence ("верните 1 200 пожалуйста" -> 1200), or None."""
    match = _NUMBER_IN_TEXT.search((text or "").lower())
    return parse_amount(match.group(0).strip()) if match else None


def to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** exponent_of(currency))).to_integral_value())
