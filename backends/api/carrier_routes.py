"""Carriers report tracking events (the carrier's key only); a delivery starts the buyer's protection period."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from backends.api.callers import allow
from backends.api.errors import NotFound
from backends.api.escrow_actor import escrow_actor
from backends.api.request_body import RequestBody
from backends.escrow.actors import Actor
from backends.logistics.tracking_events import UnknownParcel, record_tracking_event

router = APIRouter(prefix="/v1", tags=["logistics"], dependencies=[allow("carrier")])


class TrackingEventIn(RequestBody):
    code: str = Field(..., description="accepted, export_customs, in_transit, import_customs, out_for_delivery, "
                      "delivered or exception")
    place: str = Field(..., min_length=1, max_length=120)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166 alpha-2")
    occurred_at: datetime = Field(..., description="with a time zone")


class TrackingEventRecorded(BaseModel):
    order_number: str
    new: bool = Field(..., description="false when the carrier had sent this event before")
    order_status: str
    escrow_state: Optional[str]
    protection_until: Optional[datetime] = Field(None, description="when the held payment is released "
                                                 "automatically, once the clock runs")


@router.post("/shipments/{tracking_number}/events", response_model=TrackingEventRecorded,
             summary="Report a tracking event (carrier); delivery starts the protection period")
def report_event(tracking_number: str, body: TrackingEventIn, request: Request,
                 actor: Actor = Depends(escrow_actor)):
    try:
        recorded = record_tracking_event(request.app.state.session_factory, request.app.state.escrow, actor,
                                         tracking_number, body.code, body.place, body.country, body.occurred_at)
    except UnknownParcel as error:
        raise NotFound(str(error)) from None
    return TrackingEventRecorded(**recorded.__dict__)
