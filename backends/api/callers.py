"""Who calls the backends' API: each X-Api-Key belongs to one kind of caller (common/api_keys.py).

A kind may send only its own identity header (the assistant and the shop act for a buyer, the seller portal
for a seller, the carrier, payments and scheduler services for themselves), may claim only its own channels,
and reaches only the routes meant for it (``allow``). A stolen or leaked key therefore does no more than its
kind does. Staff never call with a key: they act through a console session (backends/api/console_routes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from fastapi import Depends, Header, Request
from fastapi.params import Depends as DependsParam

from backends.api.errors import Forbidden, Unauthorized
from common import api_keys


@dataclass(frozen=True)
class CallerKind:
    """Whom a kind of caller acts for ("buyer", "seller" or "service") and the channels it may claim (the first
    when it names none)."""

    acts_for: str
    channels: Tuple[str, ...]


KINDS: Dict[str, CallerKind] = {
    "assistant": CallerKind("buyer", ("web", "telegram", "whatsapp", "rest")),
    "shop": CallerKind("buyer", ("web", "api")),
    "seller_portal": CallerKind("seller", ("api",)),
    "carrier": CallerKind("service", ("carrier",)),
    "payments": CallerKind("service", ("payments",)),
    "scheduler": CallerKind("service", ("job",)),
}
IDENTITY_HEADERS = {"buyer": "X-Buyer-Id", "seller": "X-Seller-Id", "service": "X-Service-Id"}


@dataclass(frozen=True)
class Caller:
    kind: str
    channel: str
    buyer_id: Optional[str] = None  # what the assistant or the shop says it verified
    seller_id: Optional[str] = None  # the seller portal's signed-in seller

    @property
    def acts_for(self) -> str:
        return KINDS[self.kind].acts_for


class CallerNotAllowed(Forbidden):
    """The key is valid, but its kind may not send this header, claim this channel or make this call."""

    code = "caller_not_allowed"


def authenticated_caller(
    request: Request,
    x_api_key: Optional[str] = Header(None, description="the caller's key; it names the kind of caller"),
    x_buyer_id: Optional[str] = Header(None, description="the verified buyer (assistant and shop keys only)"),
    x_seller_id: Optional[str] = Header(None, description="the seller's slug (seller portal key only)"),
    x_service_id: Optional[str] = Header(None, description="carrier, payments or scheduler: the key's own kind, "
                                                           "if sent"),
    x_channel: Optional[str] = Header(None, description="where the request came from, among the key's channels"),
) -> Caller:
    """The caller its key makes it: anything the kind may not say about itself is refused, not ignored."""
    kind = api_keys.kind_of(x_api_key, request.app.state.api_key_digests)
    if kind is None:
        raise Unauthorized("missing or invalid X-Api-Key")
    if "x-staff-id" in request.headers:
        raise CallerNotAllowed("X-Staff-Id is refused: staff act through a console session")
    _check_identity_headers(kind, {"buyer": x_buyer_id, "seller": x_seller_id, "service": x_service_id})
    return Caller(kind, _claimed_channel(kind, x_channel), buyer_id=x_buyer_id or None,
                  seller_id=x_seller_id or None)


def _check_identity_headers(kind: str, sent: Dict[str, Optional[str]]) -> None:
    own = KINDS[kind].acts_for
    for acts_for, value in sent.items():
        if value is None:
            continue
        header = IDENTITY_HEADERS[acts_for]
        if acts_for != own:
            raise CallerNotAllowed(f"a {kind} key may not send {header}")
        if acts_for == "service" and value != kind:
            raise CallerNotAllowed(f"{header} names the key's own service: {kind}")


def _claimed_channel(kind: str, channel: Optional[str]) -> str:
    channels = KINDS[kind].channels
    if channel is None:
        return channels[0]
    if channel not in channels:
        raise CallerNotAllowed(f"X-Channel {channel[:40]!r} is not for a {kind} key; one of: {', '.join(channels)}")
    return channel


def allow(*kinds: str) -> DependsParam:
    """A dependency for a route's or a router's ``dependencies``: only these kinds of callers get through."""
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"unknown kinds of callers: {', '.join(sorted(unknown)) or 'none given'}")

    def only_these_kinds(caller: Caller = Depends(authenticated_caller)) -> Caller:
        if caller.kind not in kinds:
            raise CallerNotAllowed(f"this call is not for a {caller.kind} key (it is for: {', '.join(kinds)})")
        return caller

    return Depends(only_these_kinds)
