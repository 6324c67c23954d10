"""What support staff do to an escrow, from the console: read an order's escrow and its audit trail, read a
dispute and write in it, resolve it, decide a pending refund request.

Staff act only through a signed-in console session (the backends' API refuses X-Staff-Id): the escrow records the
agent's username, on the console channel. Every POST carries an Idempotency-Key, as on the escrow API.
"""

from typing import List, Optional

from fastapi import APIRouter, Depends

from backends.api.console_routes import signed_in_agent
from backends.api.escrow_actor import idempotency_key
from backends.api.escrow_routes import escrow
from backends.api.escrow_schemas import AuditEventOut, DecisionIn, DisputeOut, EscrowOut, MessageIn, ResolutionIn
from backends.api.same_origin import same_origin_writes
from backends.escrow.actors import Actor
from backends.escrow.service import EscrowService
from backends.models import SupportAgent

router = APIRouter(prefix="/console/api", tags=["support console"], include_in_schema=False,
                   dependencies=[Depends(same_origin_writes)])
ORDER = "/orders/{number}"


def staff_actor(agent: SupportAgent = Depends(signed_in_agent)) -> Actor:
    return Actor("staff", agent.username, "console")


class StaffCall:
    """The signed-in agent, with the request's Idempotency-Key, on the escrow service (FastAPI reads the
    annotations of ``__init__`` as they are: this module does not postpone them)."""

    def __init__(self, actor: Actor = Depends(staff_actor), key: Optional[str] = Depends(idempotency_key),
                 service: EscrowService = Depends(escrow)):
        self.actor, self.key, self.service = actor, key, service


@router.get(ORDER + "/escrow", response_model=EscrowOut)
def order_escrow(number: str, actor: Actor = Depends(staff_actor), service: EscrowService = Depends(escrow)):
    return service.view(number, actor)


@router.get(ORDER + "/escrow/audit", response_model=List[AuditEventOut])
def order_escrow_audit(number: str, actor: Actor = Depends(staff_actor), service: EscrowService = Depends(escrow)):
    return service.audit_trail(number, actor)


@router.get("/disputes/{case_number}", response_model=DisputeOut)
def dispute(case_number: str, actor: Actor = Depends(staff_actor), service: EscrowService = Depends(escrow)):
    return service.dispute(case_number, actor)


@router.post("/disputes/{case_number}/messages", response_model=EscrowOut)
def dispute_message(case_number: str, body: MessageIn, call: StaffCall = Depends()):
    order_number = call.service.dispute(case_number, call.actor)["order_number"]
    return call.service.add_dispute_message(order_number, call.actor, call.key, body.body)


@router.post(ORDER + "/dispute/resolve", response_model=EscrowOut)
def resolve_dispute(number: str, body: ResolutionIn, call: StaffCall = Depends()):
    return call.service.resolve_dispute(number, call.actor, call.key, body.outcome, body.note,
                                        body.buyer_amount_minor)


@router.post(ORDER + "/refund-request/approve", response_model=EscrowOut)
def approve_refund(number: str, body: DecisionIn = DecisionIn(), call: StaffCall = Depends()):
    return call.service.approve_refund(number, call.actor, call.key, body.note)


@router.post(ORDER + "/refund-request/reject", response_model=EscrowOut)
def reject_refund(number: str, body: DecisionIn, call: StaffCall = Depends()):
    return call.service.reject_refund(number, call.actor, call.key, body.note)
