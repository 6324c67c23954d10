"""The shop's side of buyer identity: it signs a short-lived token for a signed-in buyer.

The shop's page passes the token to the chat widget, which sends it with every
message; the assistant verifies it (``actions/identity.py``) with the same
secret and audience. HS256, audience ``silkroad-assistant``, subject = the
shop's buyer id.
"""

from __future__ import annotations

import os
import time
from typing import Optional

import jwt

AUDIENCE = "silkroad-assistant"
DEVELOPMENT_SECRET = "silkroad-development-shop-token-secret"  # 32+ bytes, as HS256 wants


def shop_secret() -> str:
    return os.environ.get("SILKROAD_SHOP_TOKEN_SECRET", DEVELOPMENT_SECRET)


def sign_buyer_token(buyer_id: str, secret: Optional[str] = None, lifetime_seconds: int = 3600,
                     now: Optional[float] = None) -> str:
    issued = int(now if now is not None else time.time())
    return jwt.encode({"sub": buyer_id, "aud": AUDIENCE, "iat": issued, "exp": issued + lifetime_seconds},
                      secret or shop_secret(), algorithm="HS256")
