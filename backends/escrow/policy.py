"""The shop's buyer-protection policy: defaults an order may override."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _days(variable: str, default: int) -> int:
    raw = os.environ.get(variable, str(default))
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{variable} must be a whole number of days, not {raw!r}") from None
    if not 1 <= days <= 365:
        raise ValueError(f"{variable} must be between 1 and 365 days, not {days}")
    return days


@dataclass(frozen=True)
class ProtectionPolicy:
    # Days after delivery before the payment is released to the seller automatically.
    protection_days: int = field(default_factory=lambda: _days("SILKROAD_PROTECTION_DAYS", 15))
    # Days a buyer may add, once, while the clock runs.
    extension_days: int = field(default_factory=lambda: _days("SILKROAD_PROTECTION_EXTENSION_DAYS", 15))
    # Least time a buyer gets after a refund request is rejected or withdrawn and the clock runs again.
    resume_grace_days: int = field(default_factory=lambda: _days("SILKROAD_PROTECTION_RESUME_GRACE_DAYS", 3))
    # Days the seller has to accept or decline a refund request (the buyer is told this date).
    refund_answer_days: int = field(default_factory=lambda: _days("SILKROAD_REFUND_ANSWER_DAYS", 3))
    # Days support staff take to first answer an opened dispute.
    dispute_answer_days: int = field(default_factory=lambda: _days("SILKROAD_DISPUTE_ANSWER_DAYS", 2))
    # An order may set its own period, within these bounds.
    max_protection_days: int = 180
