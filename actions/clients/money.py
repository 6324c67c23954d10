"""Money as the backends send it: integer minor units and an ISO 4217 code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

# Decimal places of the shop's currencies (ISO 4217): two, except the Vietnamese dong.
MINOR_EXPONENT = {"VND": 0}


def exponent_of(currency: str) -> int:
    return MINOR_EXPONENT.get(currency, 2)


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def parse(cls, body: Optional[Dict[str, Any]]) -> Optional["Money"]:
        return None if body is None else cls(int(body["amount_minor"]), body["currency"])
