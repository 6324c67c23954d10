"""Request and response bodies of the escrow and dispute API. Money: minor units + ISO 4217."""

from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Optional

from pydantic import BaseModel, Field

from backends.api.request_body import RequestBody
from backends.api.schemas import Money


class FundIn(RequestBody):
    protection_days: Optional[int] = Field(None, ge=1, le=180, description="this order's protection period; "
                                           "the shop's default when absent")


class DeliveryIn(RequestBody):
    delivered_at: datetime = Field(..., description="when the parcel was delivered (with a time zone)")


class ExtendIn(RequestBody):
    days: Optional[int] = Field(None, ge=1, le=365, description="days to add; the policy's extension when absent")


class RefundRequestIn(RequestBody):
    reason: str = Field(..., description="not_received, not_as_described, damaged, wrong_item, missing_parts, "
                        "changed_mind or other")
    amount_minor: Optional[int] = Field(None, gt=0, description="part of the held amount; all of it when absent")
    description: str = Field("", max_length=4000)
    return_goods: bool = Field(False, description="the buyer will send the goods back")


class DecisionIn(RequestBody):
    note: str = Field("", max_length=4000, description="why; required for a rejection")


class EvidenceIn(RequestBody):
    reference: str = Field(..., min_length=1, max_length=500, description="a URL or a file id")
    description: str = Field("", max_length=4000)


class DisputeIn(RequestBody):
    reason: str = Field(..., description="not_received, not_as_described, damaged, wrong_item, missing_parts, "
                        "counterfeit, refund_refused or other")
    description: str = Field(..., min_length=1, max_length=4000)
    evidence: List[EvidenceIn] = Field(default_factory=list, max_items=20)


class MessageIn(RequestBody):
    body: str = Field(..., min_length=1, max_length=4000)


class ResolutionIn(RequestBody):
    outcome: str = Field(..., description="buyer (full refund), seller (full release) or split")
    note: str = Field(..., min_length=1, max_length=4000)
    buyer_amount_minor: Optional[int] = Field(None, gt=0, description="the buyer's part of a split")


class Protection(BaseModel):
    days: int
    delivered_at: Optional[datetime]
    auto_release_at: Optional[datetime] = Field(None, description="when the money goes to the seller unless the "
                                                "buyer acts; absent while the clock is not running")
    frozen_remaining_seconds: Optional[int]
    extended_days: Optional[int]
    can_extend: bool


class RefundRequestOut(BaseModel):
    id: int
    amount: Money
    reason: str
    description: str
    return_goods: bool
    state: str
    requested_at: datetime
    decided_at: Optional[datetime]
    decided_by: Optional[str]
    decision_note: Optional[str]
    answer_due_at: Optional[datetime] = Field(None, description="by when the seller is to accept or decline, "
                                              "while the request is pending (the shop's policy)")


class DisputeSummary(BaseModel):
    case_number: str
    state: str
    reason: str
    opened_at: datetime
    outcome: Optional[str]
    buyer_amount: Optional[Money]
    seller_amount: Optional[Money]
    resolved_at: Optional[datetime]
    answer_due_at: Optional[datetime] = Field(None, description="by when support staff first answer, while the "
                                              "case is open (the shop's policy)")


class EscrowOut(BaseModel):
    order_number: str
    order_status: str = Field(..., description="the order's own status (placed, paid, shipped, delivered, ...): "
                              "whether there are goods on their way that a refund may send back")
    state: str = Field(..., description="held, refund_requested, disputed, released, refunded or resolved")
    amount: Money
    held: Money
    released_to_seller: Money
    refunded_to_buyer: Money
    protection: Protection
    refund_requests: List[RefundRequestOut]
    dispute: Optional[DisputeSummary]
    buyer_actions: Dict[str, Optional[str]] = Field(
        ..., description="release, request_refund, open_dispute: null when the buyer may do it now, else the "
        "reason code it would be refused with (e.g. not_delivered, under_dispute)")
    updated_at: datetime


class EvidenceOut(BaseModel):
    reference: str
    description: str
    added_by: str
    added_at: datetime


class MessageOut(BaseModel):
    author_role: str
    author_id: str
    channel: str
    body: str
    created_at: datetime


class DisputeOut(DisputeSummary):
    order_number: str
    description: str
    resolved_by: Optional[str]
    resolution_note: Optional[str]
    evidence: List[EvidenceOut]
    messages: List[MessageOut]


class AuditEventOut(BaseModel):
    action: str
    outcome: str
    actor_role: str
    actor_id: str
    channel: str
    from_state: Optional[str]
    to_state: Optional[str]
    detail: dict
    idempotency_key: Optional[str]
    at: datetime


class AutoReleaseRun(BaseModel):
    released: int
