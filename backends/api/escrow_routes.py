"""Escrow: hold, release, extend, refund, dispute. Every POST needs an Idempotency-Key.

The actor is the key's kind (backends/api/escrow_actor.py): a buyer or seller acts only on their own orders
(anyone else's is not found); only the payments service funds, only the carrier reports delivery, only the
scheduler runs the automatic release. Staff resolve disputes and read the audit trail in the console
(backends/api/console_escrow_routes.py). A refusal by the state machine is a 409 with the reason's code.
"""

from typing import Optional

from fastapi import APIRouter, Depends, Request

from backends.api.callers import allow
from backends.api.escrow_actor import escrow_actor, idempotency_key
from backends.api.escrow_schemas import (
    AutoReleaseRun, DecisionIn, DeliveryIn, DisputeIn, DisputeOut, EscrowOut, EvidenceIn, ExtendIn, FundIn, MessageIn,
    RefundRequestIn,
)
from backends.escrow.actors import Actor
from backends.escrow.service import EscrowService, release_overdue

router = APIRouter(prefix="/v1", tags=["escrow"])
ORDER = "/escrow/{number}"


def escrow(request: Request) -> EscrowService:
    return request.app.state.escrow


class Call:
    """Who calls, with which Idempotency-Key, on which escrow service."""

    def __init__(self, actor: Actor = Depends(escrow_actor), key: Optional[str] = Depends(idempotency_key),
                 service: EscrowService = Depends(escrow)):
        self.actor, self.key, self.service = actor, key, service


@router.get(ORDER, response_model=EscrowOut, summary="The payment held for an order")
def get_escrow(number: str, actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    return service.view(number, actor)


@router.post(ORDER + "/fund", response_model=EscrowOut, summary="Hold the order's payment (payments service)",
             dependencies=[allow("payments")])
def fund(number: str, body: FundIn = FundIn(), call: Call = Depends()):
    return call.service.fund(number, call.actor, call.key, body.protection_days)


@router.post(ORDER + "/delivery", response_model=EscrowOut,
             summary="Record delivery: the protection clock starts (carrier)", dependencies=[allow("carrier")])
def delivery(number: str, body: DeliveryIn, call: Call = Depends()):
    return call.service.start_protection(number, call.actor, call.key, body.delivered_at)


@router.post(ORDER + "/release", response_model=EscrowOut,
             summary="Confirm receipt: pay the seller (buyer)")
def release(number: str, call: Call = Depends()):
    return call.service.release(number, call.actor, call.key)


@router.post(ORDER + "/protection/extend", response_model=EscrowOut,
             summary="Extend the protection period, once (buyer)")
def extend(number: str, body: ExtendIn = ExtendIn(), call: Call = Depends()):
    return call.service.extend_protection(number, call.actor, call.key, body.days)


@router.post(ORDER + "/refund-request", response_model=EscrowOut,
             summary="Ask for a full or partial refund (buyer)")
def request_refund(number: str, body: RefundRequestIn, call: Call = Depends()):
    return call.service.request_refund(number, call.actor, call.key, body.reason, body.amount_minor,
                                       body.description, body.return_goods)


@router.post(ORDER + "/refund-request/approve", response_model=EscrowOut,
             summary="Approve the pending refund (seller)")
def approve_refund(number: str, body: DecisionIn = DecisionIn(), call: Call = Depends()):
    return call.service.approve_refund(number, call.actor, call.key, body.note)


@router.post(ORDER + "/refund-request/reject", response_model=EscrowOut,
             summary="Reject the pending refund, saying why (seller)")
def reject_refund(number: str, body: DecisionIn, call: Call = Depends()):
    return call.service.reject_refund(number, call.actor, call.key, body.note)


@router.post(ORDER + "/refund-request/withdraw", response_model=EscrowOut,
             summary="Withdraw the pending refund request (buyer)")
def withdraw_refund(number: str, call: Call = Depends()):
    return call.service.withdraw_refund(number, call.actor, call.key)


@router.post(ORDER + "/dispute", response_model=EscrowOut,
             summary="Open a dispute: the automatic release stops (buyer)")
def open_dispute(number: str, body: DisputeIn, call: Call = Depends()):
    return call.service.open_dispute(number, call.actor, call.key, body.reason, body.description,
                                     [item.dict() for item in body.evidence])


@router.post(ORDER + "/dispute/messages", response_model=EscrowOut,
             summary="Write in the dispute (buyer or seller)")
def dispute_message(number: str, body: MessageIn, call: Call = Depends()):
    return call.service.add_dispute_message(number, call.actor, call.key, body.body)


@router.post(ORDER + "/dispute/evidence", response_model=EscrowOut,
             summary="Add evidence to the dispute (buyer or seller)")
def dispute_evidence(number: str, body: EvidenceIn, call: Call = Depends()):
    return call.service.add_dispute_evidence(number, call.actor, call.key, body.reference, body.description)


@router.get("/disputes/{case_number}", response_model=DisputeOut,
            summary="A dispute case with its evidence and messages (its buyer or seller)",
            dependencies=[allow("assistant", "shop", "seller_portal")])
def get_dispute(case_number: str, actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    return service.dispute(case_number, actor)


@router.post("/escrow-jobs/auto-release", response_model=AutoReleaseRun,
             summary="Release every hold whose protection period is over (scheduler)",
             dependencies=[allow("scheduler")])
def run_auto_release(service: EscrowService = Depends(escrow)):
    return AutoReleaseRun(released=release_overdue(service))
