"""Buyer tokens as a shop signs them, with the test stack's shop secret (the development one unless given)."""

from __future__ import annotations

from typing import Optional

from common import development_secrets
from common.buyer_tokens import DEFAULT_LIFETIME_SECONDS
from common.buyer_tokens import sign_buyer_token as sign_with


def sign_buyer_token(buyer_id: str, secret: Optional[str] = None,
                     lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS) -> str:
    return sign_with(buyer_id, secret or development_secrets.SHOP_TOKEN_SECRET, lifetime_seconds)
