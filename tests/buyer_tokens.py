"""Buyer tokens as the shop signs them, with the shop secret of the assistant under test: the development one,
or the one the production-profile stack was started with (it sets it for the session)."""

from __future__ import annotations

from typing import Optional

from common import development_secrets
from common.buyer_tokens import DEFAULT_LIFETIME_SECONDS
from common.buyer_tokens import sign_buyer_token as sign_with

_shop_secret = [development_secrets.SHOP_TOKEN_SECRET]


def use_shop_secret(secret: str) -> None:
    _shop_secret[0] = secret


def sign_buyer_token(buyer_id: str, secret: Optional[str] = None,
                     lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS) -> str:
    return sign_with(buyer_id, secret or _shop_secret[0], lifetime_seconds)
