"""SQLAlchemy models of the marketplace. Money: integer minor units + ISO 4217 code."""

from backends.models.account_links import AccountLink, AccountLinkCode
from backends.models.base import Base
from backends.models.catalog import Category, CategoryText, Product, ProductText, Seller
from backends.models.currency import ExchangeRate
from backends.models.escrow import (
    Dispute, DisputeEvidence, DisputeMessage, EscrowAccount, EscrowAuditEvent, IdempotencyRecord, LedgerEntry,
    LedgerPosting, RefundRequest,
)
from backends.models.import_rules import ImportItemRule, ImportRuleSet
from backends.models.logistics import Shipment, TrackingEvent
from backends.models.orders import Buyer, Order, OrderLine, OrderStatusChange
from backends.models.support import (
    CannedReply, ChatSession, ConversationEvent, EventCursor, Handoff, StaffSession, SupportAgent,
)

__all__ = [
    "Base", "Category", "CategoryText", "Product", "ProductText", "Seller", "ExchangeRate",
    "Shipment", "TrackingEvent", "Buyer", "Order", "OrderLine", "OrderStatusChange",
    "EscrowAccount", "RefundRequest", "Dispute", "DisputeEvidence", "DisputeMessage", "LedgerEntry",
    "LedgerPosting", "IdempotencyRecord", "EscrowAuditEvent", "ImportRuleSet", "ImportItemRule",
    "AccountLink", "AccountLinkCode", "SupportAgent", "StaffSession", "Handoff", "CannedReply", "ChatSession",
    "ConversationEvent", "EventCursor",
]
