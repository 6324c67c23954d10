"""What a channel proved about a message's sender, signed so that nobody else can claim it.

Rasa's channels (bot/message_gate.py) add it to every message's metadata under ``silkroad_sender``: the
channel the message really came through, the sender id it is for, and either the buyer a valid shop token
named (the token itself is dropped) or that the messaging platform authenticated the sender (a Telegram
update with the webhook's secret token, a WhatsApp notification with Meta's signature). The action server
(actions/identity.py) acts for a buyer only on a proof that verifies for the tracker's own channel and sender
id and has not expired: a REST caller cannot make one, and one copied from another conversation names
another sender.

HMAC-SHA256 over the fields, with a key derived from ``SILKROAD_SENDER_PROOF_SECRET`` (shared by Rasa and the
action server)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional

METADATA_KEY = "silkroad_sender"
VERSION = 1
# A proof is checked by the actions of the turn its message starts; a long form's later answers carry their own.
LIFETIME_SECONDS = 3600


def derived_key(secret: str, purpose: str) -> bytes:
    """A key for one purpose from a shared secret (a key for one purpose says nothing of another's)."""
    return hmac.new(secret.encode("utf-8"), f"silkroad:{purpose}".encode("utf-8"), hashlib.sha256).digest()


@dataclass(frozen=True)
class SenderProof:
    channel: str
    sender_id: str
    buyer_id: Optional[str]  # a shop token named this buyer
    platform_verified: bool  # the messaging platform authenticated the sender (account links apply)
    issued_at: int
    expires_at: int


def _mac(secret: str, proof: SenderProof) -> str:
    fields = [VERSION, proof.channel, proof.sender_id, proof.buyer_id, proof.platform_verified, proof.issued_at,
              proof.expires_at]
    message = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hmac.new(derived_key(secret, "sender-proof"), message, hashlib.sha256).hexdigest()


def sign(secret: str, channel: str, sender_id: str, buyer_id: Optional[str] = None, platform_verified: bool = False,
         expires_at: Optional[int] = None, now: Optional[float] = None) -> Dict[str, Any]:
    """The metadata value proving this about the sender (until ``expires_at``, at most LIFETIME_SECONDS)."""
    issued = int(now if now is not None else time.time())
    latest = issued + LIFETIME_SECONDS
    proof = SenderProof(channel, sender_id, buyer_id, platform_verified, issued,
                        min(expires_at, latest) if expires_at is not None else latest)
    return {"v": VERSION, "channel": channel, "buyer_id": buyer_id, "platform_verified": platform_verified,
            "issued_at": proof.issued_at, "expires_at": proof.expires_at, "mac": _mac(secret, proof)}


def verify(secret: str, value: Any, channel: Optional[str], sender_id: Optional[str],
           now: Optional[float] = None) -> Optional[SenderProof]:
    """The proof in ``value`` if it was signed with ``secret`` for this channel and sender and is still valid."""
    if not isinstance(value, dict) or value.get("v") != VERSION or not channel or not sender_id:
        return None
    buyer_id, verified = value.get("buyer_id"), value.get("platform_verified")
    issued, expires, mac = value.get("issued_at"), value.get("expires_at"), value.get("mac")
    if not (buyer_id is None or isinstance(buyer_id, str)) or not isinstance(verified, bool) \
            or not isinstance(issued, int) or not isinstance(expires, int) or not isinstance(mac, str):
        return None
    if value.get("channel") != channel:
        return None
    proof = SenderProof(channel, sender_id, buyer_id, verified, issued, expires)
    if not hmac.compare_digest(mac.encode(), _mac(secret, proof).encode()):
        return None
    moment = now if now is not None else time.time()
    if not issued - 300 <= moment < expires:  # five minutes of clock skew between Rasa and the actions
        return None
    return proof
