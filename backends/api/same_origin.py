"""The console's writes come from the console's own pages: a request forged by another site is refused.

The session cookie is SameSite=Strict already; this is the second lock, for browsers or set-ups where that does
not hold (an older browser, a sibling subdomain). A browser names the page's origin in ``Origin`` on every POST
(or at least says ``Sec-Fetch-Site``); a request with neither does not come from a page (curl, a script holding
an agent's cookie) and passes.
"""

from __future__ import annotations

import re
from typing import Optional, Set
from urllib.parse import urlsplit

from fastapi import Request

from backends.api.errors import Forbidden
from backends.api.forwarded import client_host, client_scheme

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}
HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*|[0-9a-f:.]+")  # a name or an IP address (lower case)


def origin_of(url: str) -> Optional[str]:
    """``scheme://host[:port]``, lower case and without the scheme's default port, or None when ``url`` is not an
    http(s) address (``null``, garbage; a host with anything but a name's or an address's characters, so that an
    origin may be written into a header)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not HOST.fullmatch(parts.hostname or ""):
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    scheme = parts.scheme.lower()
    return f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")


def console_origins(request: Request) -> Set[str]:
    """Where the console's pages are: the configured public address, and this request's own scheme and host."""
    candidates = (request.app.state.settings.public_base_url, f"{client_scheme(request)}://{client_host(request)}")
    return {origin for origin in map(origin_of, candidates) if origin}


def same_origin_writes(request: Request) -> None:
    """A dependency of the console's routers: every state-changing request must come from the console itself."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin is not None:
        if origin_of(origin) not in console_origins(request):
            raise Forbidden("a request from another site is refused (its Origin is not the console's)")
    elif request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        raise Forbidden("a request from another site is refused (Sec-Fetch-Site: cross-site)")
