"""The escrow's states, which action may move it where, and who may take each.

    held ──release / auto_release──────────────────────────────▶ released
    held ──request_refund──▶ refund_requested ──approve_refund──▶ refunded (full or partial)
                             refund_requested ──reject_refund / withdraw_refund──▶ held
    held, refund_requested ──open_dispute──▶ disputed ──resolve_dispute──▶ resolved
                                                         (for buyer, for seller, or split)

``start_protection`` (delivery) and ``extend_protection`` change the clock, not
the state. Anything else is refused with the reason below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, FrozenSet, Optional

from backends.escrow.actors import Actor
from backends.escrow.errors import NotAllowed, TransitionRefused

TERMINAL_STATES = frozenset({"released", "refunded", "resolved"})
# States in which the automatic-release clock is frozen.
FROZEN_STATES = frozenset({"refund_requested", "disputed"})


@dataclass(frozen=True)
class Transition:
    roles: FrozenSet[str]
    sources: FrozenSet[str]
    target: Optional[str]  # None: the state stays as it is


def _t(roles, sources, target=None) -> Transition:
    return Transition(frozenset(roles.split()), frozenset(sources.split()), target)


TRANSITIONS: Dict[str, Transition] = {
    "fund": _t("system staff", ""),  # creates the account: checked by the service
    "start_protection": _t("system staff", "held refund_requested disputed"),
    "release": _t("buyer", "held", "released"),
    "auto_release": _t("system", "held", "released"),
    "extend_protection": _t("buyer", "held"),
    "request_refund": _t("buyer", "held", "refund_requested"),
    "approve_refund": _t("seller staff", "refund_requested", "refunded"),
    "reject_refund": _t("seller staff", "refund_requested", "held"),
    "withdraw_refund": _t("buyer", "refund_requested", "held"),
    "open_dispute": _t("buyer", "held refund_requested", "disputed"),
    "add_dispute_message": _t("buyer seller staff", "disputed"),
    "add_dispute_evidence": _t("buyer seller staff", "disputed"),
    "resolve_dispute": _t("staff", "disputed", "resolved"),
}

# Why an action is refused in a state, keyed by (action or "*", state).
_REASONS = {
    ("*", "released"): ("already_released", "the payment has already been released to the seller"),
    ("*", "refunded"): ("already_refunded", "the payment has already been refunded; the escrow is closed"),
    ("*", "resolved"): ("dispute_resolved", "the dispute has been resolved; the escrow is closed"),
    ("*", "disputed"): ("under_dispute", "the order is under dispute; support staff will resolve it"),
    ("*", "refund_requested"): ("refund_pending", "a refund request is pending; it must be decided or withdrawn first"),
}
_REASONS.update({(action, "held"): ("no_refund_request", "there is no pending refund request")
                 for action in ("approve_refund", "reject_refund", "withdraw_refund")})
_REASONS.update({(action, state): ("no_dispute", "there is no open dispute on this order")
                 for action in ("add_dispute_message", "add_dispute_evidence", "resolve_dispute")
                 for state in ("held", "refund_requested")})


def check_role(action: str, actor: Actor) -> Transition:
    transition = TRANSITIONS[action]
    if actor.role not in transition.roles:
        allowed = " or ".join(sorted(transition.roles))
        raise NotAllowed(f"{action.replace('_', ' ')} is for the {allowed}, not the {actor.role}")
    return transition


def check_transition(action: str, state: str) -> Transition:
    """The transition ``action`` takes from ``state``, or a refusal saying why not."""
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        code, message = _REASONS.get((action, state)) or _REASONS[("*", state)]
        raise TransitionRefused(message, code)
    return transition


# An order on its way whose receipt the buyer may confirm: the parcel is in their hands before the carrier's
# tracking says so ("the app still says shipped but I got it today"), as marketplaces let buyers confirm once
# an order has shipped. An order not shipped yet cannot have arrived.
CONFIRMABLE_IN_TRANSIT = frozenset({"shipped"})


def check_delivered(delivered_at: Optional[datetime], order_status: Optional[str] = None) -> None:
    """Receipt can be confirmed of a delivered parcel, or of one shipped that the buyer says they have."""
    if delivered_at is None and order_status not in CONFIRMABLE_IN_TRANSIT:
        raise TransitionRefused("the parcel has not been shipped yet; receipt can be confirmed once it arrives",
                                "not_delivered")


def refusal(action: str, state: str, delivered_at: Optional[datetime] = None,
            order_status: Optional[str] = None) -> Optional[str]:
    """The reason code ``action`` would be refused with now; None if it is allowed."""
    try:
        check_transition(action, state)
        if action == "release":
            check_delivered(delivered_at, order_status)
    except TransitionRefused as refused:
        return refused.code
    return None
