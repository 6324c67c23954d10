"""The payment held for a buyer's order: confirm receipt, refund, dispute. Every write carries a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional

from actions.clients.http import BackendHttp
from actions.clients.money import Money


@dataclass(frozen=True)
class RefundRequest:
    amount: Money
    reason: str
    state: str
    return_goods: bool


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
    dispute_case: Optional[str]

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "EscrowState":
        protection = body["protection"]
        when = lambda value: datetime.fromisoformat(value) if value else None  # noqa: E731
        return cls(
            order_number=body["order_number"], state=body["state"], amount=Money.parse(body["amount"]),
            held=Money.parse(body["held"]), released_to_seller=Money.parse(body["released_to_seller"]),
            refunded_to_buyer=Money.parse(body["refunded_to_buyer"]),
            delivered_at=when(protection.get("delivered_at")), auto_release_at=when(protection.get("auto_release_at")),
            can_extend=protection["can_extend"],
            refund_requests=[RefundRequest(Money.parse(r["amount"]), r["reason"], r["state"], r["return_goods"])
                             for r in body["refund_requests"]],
            dispute_case=(body.get("dispute") or {}).get("case_number"),
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
