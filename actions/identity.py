"""Who the buyer is: a chat sender id is not an identity, and neither is a channel's name.

Where a message enters Rasa, its channel (bot/message_gate.py) puts a signed sender proof into the message's
metadata (common/sender_proof.py), bound to the channel the message really came through and its sender id:

- Web page: the shop signs a short-lived token for its signed-in buyer; the page sends it with every message;
  the channel verifies it, drops it, and the proof names that buyer.
- Telegram and WhatsApp: the platform authenticates the user (the webhook's secret token, Meta's signature);
  the proof says so, and the account the user linked with a one-time code from the shop's account page acts
  for its buyer (the backend answers which).

Only such a proof, valid for the tracker's own channel and sender, identifies a buyer: a REST caller naming a
Telegram chat id, a tracker forged for the action server, or a proof copied from another conversation names
nobody. Anyone else is an unverified visitor: they may search and ask about import rules, and are asked to
sign in or link their account for anything on orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from actions.clients.account_links import AccountLinksClient
from common import sender_proof

MESSAGING_CHANNELS = ("telegram", "whatsapp")


@dataclass(frozen=True)
class Identity:
    buyer_id: str
    verified_by: str  # token | account_link


def _secret() -> str:
    from actions.settings import action_settings

    return action_settings().sender_proof_secret.get_secret_value()


def proof_of(metadata: Optional[Dict[str, Any]], channel: Optional[str], sender_id: str,
             secret: Optional[str] = None) -> Optional[sender_proof.SenderProof]:
    """The channel's valid proof about this message's sender, or None."""
    value = (metadata or {}).get(sender_proof.METADATA_KEY)
    return sender_proof.verify(secret or _secret(), value, channel, sender_id)


def platform_verified(metadata: Optional[Dict[str, Any]], channel: Optional[str], sender_id: str) -> bool:
    """Whether a messaging platform authenticated this sender (what linking an account needs)."""
    proof = proof_of(metadata, channel, sender_id)
    return proof is not None and proof.platform_verified and channel in MESSAGING_CHANNELS


def identify(metadata: Optional[Dict[str, Any]], channel: Optional[str], sender_id: str,
             links: AccountLinksClient) -> Optional[Identity]:
    """The verified buyer behind this message, or None (raises BackendUnavailable if a link cannot be read)."""
    proof = proof_of(metadata, channel, sender_id)
    if proof is None:
        return None
    if proof.buyer_id:
        return Identity(proof.buyer_id, "token")
    if proof.platform_verified and channel in MESSAGING_CHANNELS:
        buyer_id = links.linked_buyer(channel, sender_id)
        return Identity(buyer_id, "account_link") if buyer_id else None
    return None
