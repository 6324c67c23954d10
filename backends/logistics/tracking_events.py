"""A carrier reports a tracking event; a delivery starts the escrow's protection clock.

The event and the order's status change in one transaction; the escrow is told
afterwards with a key made from the parcel and the moment, so a carrier that
sends the same event again changes nothing, and a retry after a failure
finishes what the first call began.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from backends.db import run_transaction
from backends.escrow.actors import Actor
from backends.escrow.errors import EscrowNotFound, InvalidRequest, TransitionRefused
from backends.escrow.service import EscrowService
from backends.models import OrderStatusChange, Shipment, TrackingEvent
from backends.models.base import utc_now
from backends.models.logistics import TRACKING_EVENT_CODES


@dataclass(frozen=True)
class RecordedEvent:
    order_number: str
    new: bool  # False: the carrier had sent this event before
    order_status: str
    escrow_state: Optional[str]  # None: no payment is held for the order
    protection_until: Optional[str]


class UnknownParcel(LookupError):
    pass


def record_tracking_event(sessions: sessionmaker, escrow: EscrowService, carrier: Actor, tracking_number: str,
                          code: str, place: str, country: str, occurred_at: datetime) -> RecordedEvent:
    if code not in TRACKING_EVENT_CODES:
        raise InvalidRequest(f"unknown event {code!r}; one of: {', '.join(TRACKING_EVENT_CODES)}")
    if occurred_at.tzinfo is None or occurred_at > utc_now():
        raise InvalidRequest("occurred_at needs a time zone and may not be in the future")
    if not (len(country) == 2 and country.isalpha()):
        raise InvalidRequest("country is an ISO 3166 alpha-2 code")
    tracking_number = tracking_number.strip().upper()

    def record(session):
        shipment = session.execute(
            select(Shipment).where(Shipment.tracking_number == tracking_number).with_for_update()
        ).scalar_one_or_none()
        if shipment is None:
            raise UnknownParcel(f"no parcel {tracking_number}")
        order = shipment.order
        seen = any(e.code == code and e.occurred_at == occurred_at for e in shipment.events)
        if not seen:
            shipment.events.append(TrackingEvent(code=code, place=place.strip()[:120], country=country.upper(),
                                                 occurred_at=occurred_at))
            status = "delivered" if code == "delivered" else "shipped"
            if order.status in ("paid", "shipped") and order.status != status:
                order.status = status
                order.history.append(OrderStatusChange(status=status, at=occurred_at, note=f"carrier: {code}"))
        return order.number, not seen, order.status

    number, new, status = run_transaction(sessions, record)
    view = None
    if code == "delivered":
        key = f"delivery:{tracking_number}:{occurred_at.isoformat()}"
        try:
            view = escrow.start_protection(number, carrier, key, occurred_at)
        except TransitionRefused:  # delivered before, or the escrow is closed: the event stands
            pass
    if view is None:
        try:
            view = escrow.view(number, carrier)
        except EscrowNotFound:
            return RecordedEvent(number, new, status, None, None)
    return RecordedEvent(number, new, status, view["state"], view["protection"]["auto_release_at"])
