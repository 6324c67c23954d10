"""Security headers on the pages a browser opens: the support console and the shop's pages.

The console's pages load only their own files (no inline script or style: an injected ``<img onerror>`` or
``<script>`` does not run), may not be framed, and say nothing about themselves to other sites. The shop's chat
page needs a little more: rasa-webchat injects its styles, and talks to Rasa's socket.io channel (its origin,
over http(s) and ws(s)); a shop may frame its own pages.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backends.api.same_origin import origin_of

Headers = Tuple[Tuple[str, str], ...]

CONSOLE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
CONSOLE_HEADERS: Headers = (
    ("Content-Security-Policy", CONSOLE_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)
WEBSOCKET_SCHEMES = {"http": "ws", "https": "wss"}


def rasa_sources(rasa_url: str) -> List[str]:
    """Rasa's origin and its websocket form (socket.io starts with polling, then upgrades)."""
    origin = origin_of(rasa_url)
    if origin is None:
        return []
    scheme, rest = origin.split("://", 1)
    return [origin, f"{WEBSOCKET_SCHEMES[scheme]}://{rest}"]


def shop_headers(rasa_url: str) -> Headers:
    connect = " ".join(["'self'", *rasa_sources(rasa_url)])
    policy = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
              f"connect-src {connect}; frame-ancestors 'self'; base-uri 'none'; form-action 'self'")
    return (("Content-Security-Policy", policy), ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"))


def _is_under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


class SecurityHeaders:
    """ASGI middleware: adds the console's headers under /console and the shop's under /shop, to every answer
    (pages, files, JSON, errors and the event stream alike)."""

    def __init__(self, app: ASGIApp, rasa_url: str):
        self.app = app
        self.by_prefix: Iterable[Tuple[str, Headers]] = (("/console", CONSOLE_HEADERS),
                                                         ("/shop", shop_headers(rasa_url)))

    def headers_for(self, path: str) -> Optional[Headers]:
        return next((headers for prefix, headers in self.by_prefix if _is_under(path, prefix)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = self.headers_for(scope["path"]) if scope["type"] == "http" else None
        if headers is None:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                answer = MutableHeaders(scope=message)
                for name, value in headers:
                    answer[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
