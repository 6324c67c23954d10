"""Escrow: hold, release, extend, refund, dispute. Every POST needs an Idempotency-Key.

A buyer or seller acts only on their own orders (anyone else's is not found);
a refusal by the state machine is a 409 with the reason's code.
"""

from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Depends, Request

from backends.api.escrow_actor import escrow_actor, idempotency_key
from backends.api.escrow_schemas import (
    AuditEventOut, AutoReleaseRun, DecisionIn, DeliveryIn, DisputeIn, DisputeOut, EscrowOut, EvidenceIn, ExtendIn,
    FundIn, MessageIn, RefundRequestIn, ResolutionIn,
)
from backends.escrow.actors import Actor
from backends.escrow.errors import NotAllowed
from backends.escrow.service import EscrowService, release_overdue

router = APIRouter(prefix="/v1", tags=["escrow"])
ORDER = "/escrow/{number}"


def escrow(request: Request) -> EscrowService:
    return request.app.state.escrow


@router.get(ORDER, response_model=EscrowOut, summary="The payment held for an order")
def get_escrow(number: str, actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    return service.view(number, actor)


@router.post(ORDER + "/fund", response_model=EscrowOut, summary="Hold the order's payment (payments service)")
def fund(number: str, body: FundIn = FundIn(), actor: Actor = Depends(escrow_actor),
         key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.fund(number, actor, key, body.protection_days)


@router.post(ORDER + "/delivery", response_model=EscrowOut,
             summary="Record delivery: the protection clock starts (carrier)")
def delivery(number: str, body: DeliveryIn, actor: Actor = Depends(escrow_actor),
             key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.start_protection(number, actor, key, body.delivered_at)


@router.post(ORDER + "/release", response_model=EscrowOut,
             summary="Confirm receipt: pay the seller (buyer)")
def release(number: str, actor: Actor = Depends(escrow_actor), key: Optional[str] = Depends(idempotency_key),
            service: EscrowService = Depends(escrow)):
    return service.release(number, actor, key)


@router.post(ORDER + "/protection/extend", response_model=EscrowOut,
             summary="Extend the protection period, once (buyer)")
def extend(number: str, body: ExtendIn = ExtendIn(), actor: Actor = Depends(escrow_actor),
           key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.extend_protection(number, actor, key, body.days)


@router.post(ORDER + "/refund-request", response_model=EscrowOut,
             summary="Ask for a full or partial refund (buyer)")
def request_refund(number: str, body: RefundRequestIn, actor: Actor = Depends(escrow_actor),
                   key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.request_refund(number, actor, key, body.reason, body.amount_minor, body.description,
                                  body.return_goods)


@router.post(ORDER + "/refund-request/approve", response_model=EscrowOut,
             summary="Approve the pending refund (seller or staff)")
def approve_refund(number: str, body: DecisionIn = DecisionIn(), actor: Actor = Depends(escrow_actor),
                   key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.approve_refund(number, actor, key, body.note)


@router.post(ORDER + "/refund-request/reject", response_model=EscrowOut,
             summary="Reject the pending refund, saying why (seller or staff)")
def reject_refund(number: str, body: DecisionIn, actor: Actor = Depends(escrow_actor),
                  key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.reject_refund(number, actor, key, body.note)


@router.post(ORDER + "/refund-request/withdraw", response_model=EscrowOut,
             summary="Withdraw the pending refund request (buyer)")
def withdraw_refund(number: str, actor: Actor = Depends(escrow_actor),
                    key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.withdraw_refund(number, actor, key)


@router.post(ORDER + "/dispute", response_model=EscrowOut,
             summary="Open a dispute: the automatic release stops (buyer)")
def open_dispute(number: str, body: DisputeIn, actor: Actor = Depends(escrow_actor),
                 key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.open_dispute(number, actor, key, body.reason, body.description,
                                [item.dict() for item in body.evidence])


@router.post(ORDER + "/dispute/messages", response_model=EscrowOut,
             summary="Write in the dispute (buyer, seller or staff)")
def dispute_message(number: str, body: MessageIn, actor: Actor = Depends(escrow_actor),
                    key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.add_dispute_message(number, actor, key, body.body)


@router.post(ORDER + "/dispute/evidence", response_model=EscrowOut,
             summary="Add evidence to the dispute (buyer, seller or staff)")
def dispute_evidence(number: str, body: EvidenceIn, actor: Actor = Depends(escrow_actor),
                     key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.add_dispute_evidence(number, actor, key, body.reference, body.description)


@router.post(ORDER + "/dispute/resolve", response_model=EscrowOut,
             summary="Resolve the dispute for the buyer, the seller, or split (staff)")
def resolve_dispute(number: str, body: ResolutionIn, actor: Actor = Depends(escrow_actor),
                    key: Optional[str] = Depends(idempotency_key), service: EscrowService = Depends(escrow)):
    return service.resolve_dispute(number, actor, key, body.outcome, body.note, body.buyer_amount_minor)


@router.get(ORDER + "/audit", response_model=List[AuditEventOut],
            summary="Who did what to the escrow, when and where (staff)")
def audit(number: str, actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    return service.audit_trail(number, actor)


@router.get("/disputes/{case_number}", response_model=DisputeOut,
            summary="A dispute case with its evidence and messages")
def get_dispute(case_number: str, actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    return service.dispute(case_number, actor)


@router.post("/escrow-jobs/auto-release", response_model=AutoReleaseRun,
             summary="Release every hold whose protection period is over (scheduler)")
def run_auto_release(actor: Actor = Depends(escrow_actor), service: EscrowService = Depends(escrow)):
    if actor.role != "system":
        raise NotAllowed("the automatic release is run by the scheduler")
    return AutoReleaseRun(released=release_overdue(service))
