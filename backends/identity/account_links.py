"""One-time link codes: the shop's account page shows one to a signed-in buyer; the buyer sends it to the
assistant on Telegram or WhatsApp, and from then on that messaging account acts for that buyer.

Codes are 8 characters from an alphabet without look-alikes (32^8, about 10^12 codes), live 10 minutes,
work once, and only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional, Tuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backends.models import AccountLink, AccountLinkCode, Buyer

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8
LIFETIME = timedelta(minutes=10)
LINKABLE_CHANNELS = ("telegram", "whatsapp")


class LinkError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in ALPHABET)


def _digest(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def issue_code(session: Session, buyer_id: int, now: datetime) -> Tuple[str, datetime]:
    """A new code for the buyer, shown as ABCD-EFGH; the buyer's older unused codes stop working."""
    session.execute(delete(AccountLinkCode).where(AccountLinkCode.buyer_id == buyer_id,
                                                  AccountLinkCode.used_at.is_(None)))
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires_at = now + LIFETIME
    session.add(AccountLinkCode(code_sha256=_digest(code), buyer_id=buyer_id, created_at=now, expires_at=expires_at))
    session.flush()
    return f"{code[:4]}-{code[4:]}", expires_at


def _check_channel(channel: str, channel_user_id: str) -> None:
    if channel not in LINKABLE_CHANNELS:
        raise LinkError(f"accounts are linked on {', '.join(LINKABLE_CHANNELS)}", "channel_not_linkable")
    if not channel_user_id or len(channel_user_id) > 120:
        raise LinkError("a channel user id of 1 to 120 characters is required", "invalid_request")


def redeem(session: Session, code: str, channel: str, channel_user_id: str, now: datetime) -> Buyer:
    """Links the messaging account to the code's buyer (replacing any earlier link of that account)."""
    _check_channel(channel, channel_user_id)
    if len(normalize(code)) != LENGTH:
        raise LinkError("a link code has 8 letters and digits, like ABCD-EFGH", "invalid_code")
    row = session.execute(select(AccountLinkCode).where(AccountLinkCode.code_sha256 == _digest(code))
                          .with_for_update()).scalar_one_or_none()
    if row is None:
        raise LinkError("this code is not valid; get a new one on your account page", "invalid_code")
    if row.used_at is not None:
        raise LinkError("this code was already used; get a new one on your account page", "code_used")
    if row.expires_at <= now:
        raise LinkError("this code has expired; get a new one on your account page", "code_expired")
    row.used_at = now
    link = session.execute(select(AccountLink).where(AccountLink.channel == channel,
                                                     AccountLink.channel_user_id == channel_user_id)
                           ).scalar_one_or_none()
    if link is None:
        session.add(AccountLink(channel=channel, channel_user_id=channel_user_id, buyer_id=row.buyer_id,
                                linked_at=now))
    else:
        link.buyer_id, link.linked_at = row.buyer_id, now
    session.flush()
    return session.get(Buyer, row.buyer_id)


def linked_buyer(session: Session, channel: str, channel_user_id: str) -> Optional[Buyer]:
    return session.execute(select(Buyer).join(AccountLink, AccountLink.buyer_id == Buyer.id)
                           .where(AccountLink.channel == channel, AccountLink.channel_user_id == channel_user_id)
                           ).scalar_one_or_none()


def unlink(session: Session, channel: str, channel_user_id: str) -> bool:
    result = session.execute(delete(AccountLink).where(AccountLink.channel == channel,
                                                       AccountLink.channel_user_id == channel_user_id))
    return result.rowcount > 0
