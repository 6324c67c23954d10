"""The shop's buyer tokens: a short-lived HS256 JWT, audience ``silkroad-assistant``, subject = the shop's buyer
id, signed by the shop for its signed-in buyer (backends/api/shop_page_routes.py) and verified where a message
enters the assistant (bot/message_gate.py): the token itself never reaches a tracker."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import jwt

AUDIENCE = "silkroad-assistant"
DEFAULT_LIFETIME_SECONDS = 3600


@dataclass(frozen=True)
class BuyerClaims:
    buyer_id: str
    expires_at: int


def sign_buyer_token(buyer_id: str, secret: str, lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS,
                     now: Optional[float] = None) -> str:
    issued = int(now if now is not None else time.time())
    return jwt.encode({"sub": buyer_id, "aud": AUDIENCE, "iat": issued, "exp": issued + lifetime_seconds},
                      secret, algorithm="HS256")


def verify_buyer_token(token: object, secret: str) -> Optional[BuyerClaims]:
    """The buyer a valid token names; None for a forged, expired or malformed one."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE,
                            options={"require": ["sub", "exp", "iat"]})
    except jwt.PyJWTError:
        return None
    subject, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(subject, str) or not subject or not isinstance(expires, int):
        return None
    return BuyerClaims(subject, expires)
