"""Money as the backends send it: integer minor units and an ISO 4217 code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def parse(cls, body: Optional[Dict[str, Any]]) -> Optional["Money"]:
        return None if body is None else cls(int(body["amount_minor"]), body["currency"])
