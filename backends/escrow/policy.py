"""The shop's buyer-protection policy: defaults an order may override (set by the backends' settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProtectionPolicy:
    # Days after delivery before the payment is released to the seller automatically.
    protection_days: int = 15
    # Days a buyer may add, once, while the clock runs.
    extension_days: int = 15
    # Least time a buyer gets after a refund request is rejected or withdrawn and the clock runs again.
    resume_grace_days: int = 3
    # Days the seller has to accept or decline a refund request (the buyer is told this date).
    refund_answer_days: int = 3
    # Days support staff take to first answer an opened dispute.
    dispute_answer_days: int = 2
    # An order may set its own period, within these bounds.
    max_protection_days: int = 180
    # How far in the past a delivery may be dated when it is reported: the protection period starts no earlier
    # than that (a carrier's late scan keeps its date; a backdated report cannot end the buyer's period at once).
    delivery_clock_skew_seconds: int = 600
