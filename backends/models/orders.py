from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from backends.models.base import Base, UTCDateTime, utc_now

ORDER_STATUSES = (
    "placed", "paid", "shipped", "delivered", "completed", "cancelled",
    "refund_requested", "refunded", "disputed", "dispute_resolved",
)
ORDER_KINDS = ("b2c", "b2b")


class Buyer(Base):
    __tablename__ = "buyers"

    id = Column(Integer, primary_key=True)
    external_id = Column(String(80), nullable=False, unique=True)  # the shop's buyer id
    name = Column(String(200), nullable=False)
    company = Column(String(200))  # set for B2B buyers
    country = Column(String(2), nullable=False)
    language = Column(String(8), nullable=False)
    currency = Column(String(3), nullable=False)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("kind IN ('b2c', 'b2b')", name="kind_known"),
        CheckConstraint("total_minor >= 0 AND shipping_minor >= 0", name="money_not_negative"),
    )

    id = Column(Integer, primary_key=True)
    number = Column(String(20), nullable=False, unique=True)  # SR-204517
    buyer_id = Column(ForeignKey("buyers.id"), nullable=False, index=True)
    seller_id = Column(ForeignKey("sellers.id"), nullable=False)
    kind = Column(String(3), nullable=False)
    status = Column(String(20), nullable=False)
    currency = Column(String(3), nullable=False)
    goods_minor = Column(BigInteger, nullable=False)
    shipping_minor = Column(BigInteger, nullable=False)
    total_minor = Column(BigInteger, nullable=False)
    destination_country = Column(String(2), nullable=False)
    placed_at = Column(UTCDateTime(), nullable=False, default=utc_now)

    buyer = relationship("Buyer")
    seller = relationship("Seller")
    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")
    history = relationship(
        "OrderStatusChange", back_populates="order", cascade="all, delete-orphan",
        order_by="OrderStatusChange.at",
    )
    shipments = relationship("Shipment", back_populates="order", cascade="all, delete-orphan")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    product_id = Column(ForeignKey("products.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price_minor = Column(BigInteger, nullable=False)
    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False)
    at = Column(UTCDateTime(), nullable=False)
    note = Column(Text)
    order = relationship("Order", back_populates="history")
