"""Messaging-app accounts linked to the shop's buyers by a one-time code."""

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint

from backends.models.base import Base, UTCDateTime


class AccountLinkCode(Base):
    """A one-time code the shop's account page shows a signed-in buyer (only its hash is kept)."""

    __tablename__ = "account_link_codes"

    id = Column(Integer, primary_key=True)
    code_sha256 = Column(String(64), nullable=False, unique=True)
    buyer_id = Column(ForeignKey("buyers.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(UTCDateTime(), nullable=False)
    expires_at = Column(UTCDateTime(), nullable=False)
    used_at = Column(UTCDateTime())


class AccountLink(Base):
    """This Telegram / WhatsApp user is that buyer."""

    __tablename__ = "account_links"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id", name="uq_account_links_channel_user"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False)
    channel_user_id = Column(String(120), nullable=False)
    buyer_id = Column(ForeignKey("buyers.id", ondelete="CASCADE"), nullable=False, index=True)
    linked_at = Column(UTCDateTime(), nullable=False)
