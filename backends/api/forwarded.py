"""The client behind the proxies: its address, scheme and host as the console must see them.

X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host are believed only when the request comes from one of
the trusted proxies (SILKROAD_TRUSTED_PROXIES): anyone else could write them to pass for another address (and
escape the sign-in throttle) or another origin."""

from __future__ import annotations

import ipaddress
from typing import FrozenSet, List, Optional

from fastapi import Request

UNKNOWN_ADDRESS = "unknown"
MAX_ADDRESS_LENGTH = 64


def normalized_address(text: str) -> str:
    """One spelling per address (IPv6 has many), bounded in length: it keys the sign-in throttle."""
    text = text.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text[:MAX_ADDRESS_LENGTH] or UNKNOWN_ADDRESS


def _trusted(request: Request) -> FrozenSet[str]:
    return frozenset(normalized_address(a) for a in request.app.state.settings.trusted_proxy_addresses)


def _peer(request: Request) -> str:
    return normalized_address(request.client.host) if request.client else UNKNOWN_ADDRESS


def from_trusted_proxy(request: Request) -> bool:
    return _peer(request) in _trusted(request)


def _header_values(request: Request, name: str) -> List[str]:
    """Every comma-separated value of a header that may be sent several times, in order."""
    return [value.strip() for line in request.headers.getlist(name) for value in line.split(",") if value.strip()]


def client_address(request: Request) -> str:
    """The peer's address; behind trusted proxies, the last X-Forwarded-For address that is not one of them
    (each proxy appends the address it saw, so the addresses left of the last untrusted one are the client's
    own claims)."""
    peer = _peer(request)
    trusted = _trusted(request)
    if peer not in trusted:
        return peer
    for address in reversed([normalized_address(a) for a in _header_values(request, "x-forwarded-for")]):
        if address not in trusted:
            return address
    return peer


def _forwarded(request: Request, name: str) -> Optional[str]:
    """The first proxy's word (it faced the client), from a trusted proxy only."""
    if not from_trusted_proxy(request):
        return None
    values = _header_values(request, name)
    return values[0].lower() if values else None


def client_scheme(request: Request) -> str:
    return _forwarded(request, "x-forwarded-proto") or request.url.scheme


def client_host(request: Request) -> str:
    return _forwarded(request, "x-forwarded-host") or request.headers.get("host", "")


def client_used_https(request: Request) -> bool:
    return client_scheme(request) == "https"
