"""Who the buyer is: a chat sender id is not an identity.

- Web page: the shop signs a short-lived token (HS256 JWT, audience
  ``silkroad-assistant``, subject = the shop's buyer id) and the page sends it
  with every message as metadata (``buyer_token``, or inside rasa-webchat's
  ``customData``).
- Telegram and WhatsApp: the platform authenticates the user; the user links
  that account once with a one-time code from the shop's account page, and the
  backend answers which buyer the account acts for.
Anything else is an unverified visitor: they may search and ask about import
rules, and are asked to sign in or link their account for anything on orders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Optional

import jwt

from actions.clients.account_links import AccountLinksClient

# The shop signs with the same secret and audience (backends/identity/shop_tokens.py).
AUDIENCE = "silkroad-assistant"
DEVELOPMENT_SECRET = "silkroad-development-shop-token-secret"  # 32+ bytes, as HS256 wants
MESSAGING_CHANNELS = ("telegram", "whatsapp")


def shop_secret() -> str:
    return os.environ.get("SILKROAD_SHOP_TOKEN_SECRET", DEVELOPMENT_SECRET)


def verify_buyer_token(token: str, secret: Optional[str] = None) -> Optional[str]:
    """The buyer id of a valid token; None for a forged, expired or malformed one."""
    try:
        claims = jwt.decode(token, secret or shop_secret(), algorithms=["HS256"], audience=AUDIENCE,
                            options={"require": ["sub", "exp", "iat"]})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) and subject else None


@dataclass(frozen=True)
class Identity:
    buyer_id: str
    verified_by: str  # token | account_link


def _token_from(metadata: Dict[str, Any]) -> Optional[str]:
    custom = metadata.get("customData") if isinstance(metadata.get("customData"), dict) else {}
    token = metadata.get("buyer_token") or custom.get("buyer_token")
    return token if isinstance(token, str) else None


def identify(metadata: Optional[Dict[str, Any]], channel: Optional[str], sender_id: str,
             links: AccountLinksClient) -> Optional[Identity]:
    """The verified buyer behind this message, or None."""
    token = _token_from(metadata or {})
    if token:
        buyer_id = verify_buyer_token(token)
        if buyer_id:
            return Identity(buyer_id, "token")
    if channel in MESSAGING_CHANNELS and sender_id:
        buyer_id = links.linked_buyer(channel, sender_id)
        return Identity(buyer_id, "account_link") if buyer_id else None
    return None
