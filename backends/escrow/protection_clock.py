"""The protection clock: when an escrow held for a delivered order is released automatically.

It starts at delivery, runs while the escrow is held, and freezes while a
refund request or a dispute is open; the buyer may extend it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from backends.escrow.errors import InvalidRequest, TransitionRefused
from backends.escrow.policy import ProtectionPolicy
from backends.models import EscrowAccount

DAY = timedelta(days=1)


def start(escrow: EscrowAccount, delivered_at: datetime, now: datetime, policy: ProtectionPolicy) -> None:
    """The clock starts at delivery, but never earlier than the report allows: a delivery dated further back
    than the policy's clock skew (a late scan, or a backdated report) keeps its date while the buyer's period
    counts from ``now - skew``, so no report can end a period the moment it arrives."""
    if escrow.delivered_at is not None:
        raise TransitionRefused(
            f"delivery was already recorded at {escrow.delivered_at.isoformat()}", "already_delivered")
    if delivered_at > now + timedelta(seconds=policy.delivery_clock_skew_seconds):
        raise InvalidRequest("the delivery time is in the future")
    escrow.delivered_at = delivered_at
    period = escrow.protection_days * DAY
    starts = max(delivered_at, now - timedelta(seconds=policy.delivery_clock_skew_seconds))
    if escrow.state == "held":
        escrow.deadline = starts + period
    else:  # delivered while a refund or dispute is open: the whole period waits for it
        escrow.frozen_remaining_seconds = int(period.total_seconds())


def freeze(escrow: EscrowAccount, now: datetime) -> None:
    if escrow.deadline is not None:
        escrow.frozen_remaining_seconds = max(0, int((escrow.deadline - now).total_seconds()))
        escrow.deadline = None


def resume(escrow: EscrowAccount, now: datetime, policy: ProtectionPolicy) -> None:
    """Runs the clock again with what was left, and never less than the grace period."""
    if escrow.delivered_at is None:
        return
    remaining = timedelta(seconds=escrow.frozen_remaining_seconds or 0)
    escrow.deadline = now + max(remaining, policy.resume_grace_days * DAY)
    escrow.frozen_remaining_seconds = None


def stop(escrow: EscrowAccount) -> None:
    escrow.deadline = None
    escrow.frozen_remaining_seconds = None


def check_extension(escrow: EscrowAccount, days: int, now: datetime, policy: ProtectionPolicy) -> None:
    if not 1 <= days <= policy.extension_days:
        raise InvalidRequest(f"an extension is 1 to {policy.extension_days} days")
    if escrow.delivered_at is None or escrow.deadline is None:
        raise TransitionRefused("the protection period starts when the parcel is delivered",
                                "protection_not_started")
    if escrow.extended_days is not None:
        raise TransitionRefused(
            f"the protection period was already extended once, by {escrow.extended_days} days", "already_extended")
    if escrow.deadline <= now:
        raise TransitionRefused("the protection period is over", "protection_over")


def extend(escrow: EscrowAccount, days: int) -> None:
    escrow.deadline = escrow.deadline + days * DAY
    escrow.extended_days = days


def can_extend(escrow: EscrowAccount, now: datetime) -> bool:
    return (escrow.state == "held" and escrow.deadline is not None and escrow.extended_days is None
            and escrow.deadline > now)
