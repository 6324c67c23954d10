"""The payment held for a buyer's order: confirm receipt, refund, dispute. Every write carries a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional

from actions.clients.http import BackendHttp
from actions.clients.money import Money


def _when(value: Optional[str]) -> Optional[datetime]:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class RefundRequest:
    amount: Money
    reason: str
    state: str
    return_goods: bool
    answer_due_at: Optional[datetime] = None

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "RefundRequest":
        return cls(Money.parse(body["amount"]), body["reason"], body["state"], body["return_goods"],
                   _when(body.get("answer_due_at")))


@dataclass(frozen=True)
class DisputeCase:
    case_number: str
    state: str
    reason: str
    answer_due_at: Optional[datetime]

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "DisputeCase":
        return cls(body["case_number"], body["state"], body["reason"], _when(body.get("answer_due_at")))


@dataclass(frozen=True)
class EscrowState:
    order_number: str
    state: str
    amount: Money
    held: Money
    released_to_seller: Money
    refunded_to_buyer: Money
    delivered_at: Optional[datetime]
    auto_release_at: Optional[datetime]
    can_extend: bool
    refund_requests: List[RefundRequest]
    dispute: Optional[DisputeCase]
    # release, request_refund, open_dispute -> None if the buyer may do it now, else the backend's reason code
    buyer_actions: Dict[str, Optional[str]]
    order_status: Optional[str] = None  # placed, paid, shipped, delivered, ...

    @property
    def dispute_case(self) -> Optional[str]:
        return self.dispute.case_number if self.dispute else None

    @property
    def pending_refund(self) -> Optional[RefundRequest]:
        return next((r for r in self.refund_requests if r.state == "pending"), None)

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "EscrowState":
        protection = body["protection"]
        return cls(
            order_number=body["order_number"], state=body["state"], amount=Money.parse(body["amount"]),
            held=Money.parse(body["held"]), released_to_seller=Money.parse(body["released_to_seller"]),
            refunded_to_buyer=Money.parse(body["refunded_to_buyer"]),
            delivered_at=_when(protection.get("delivered_at")),
            auto_release_at=_when(protection.get("auto_release_at")), can_extend=protection["can_extend"],
            refund_requests=[RefundRequest.parse(r) for r in body["refund_requests"]],
            dispute=DisputeCase.parse(body["dispute"]) if body.get("dispute") else None,
            buyer_actions=dict(body.get("buyer_actions") or {}), order_status=body.get("order_status"),
        )


class EscrowClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    @staticmethod
    def _as(buyer_id: str, channel: str) -> Dict[str, str]:
        return {"X-Buyer-Id": buyer_id, "X-Channel": channel}

    def state(self, buyer_id: str, number: str, channel: str = "rest") -> EscrowState:
        return EscrowState.parse(self.http.get(f"/v1/escrow/{number}", headers=self._as(buyer_id, channel)))

    def confirm_receipt(self, buyer_id: str, number: str, key: str, channel: str = "rest") -> EscrowState:
        return EscrowState.parse(self.http.post(f"/v1/escrow/{number}/release", headers=self._as(buyer_id, channel),
                                                idempotency_key=key))

    def request_refund(self, buyer_id: str, number: str, key: str, reason: str, amount_minor: Optional[int] = None,
                       description: str = "", return_goods: bool = False, channel: str = "rest") -> EscrowState:
        body = {"reason": reason, "description": description, "return_goods": return_goods}
        if amount_minor is not None:
            body["amount_minor"] = amount_minor
        return EscrowState.parse(self.http.post(f"/v1/escrow/{number}/refund-request", body,
                                                headers=self._as(buyer_id, channel), idempotency_key=key))

    def open_dispute(self, buyer_id: str, number: str, key: str, reason: str, description: str,
                     evidence: Optional[List[str]] = None, channel: str = "rest") -> EscrowState:
        body = {"reason": reason, "description": description,
                "evidence": [{"reference": reference} for reference in evidence or []]}
        return EscrowState.parse(self.http.post(f"/v1/escrow/{number}/dispute", body,
                                                headers=self._as(buyer_id, channel), idempotency_key=key))
