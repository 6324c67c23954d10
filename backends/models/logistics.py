from sqlalchemy import Column, Date, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from backends.models.base import Base, UTCDateTime

TRACKING_EVENT_CODES = (
    "accepted", "export_customs", "in_transit", "import_customs",
    "out_for_delivery", "delivered", "exception",
)


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    carrier = Column(String(60), nullable=False)
    tracking_number = Column(String(40), nullable=False, unique=True)
    eta = Column(Date)
    order = relationship("Order", back_populates="shipments")
    events = relationship(
        "TrackingEvent", back_populates="shipment", cascade="all, delete-orphan",
        order_by="TrackingEvent.occurred_at",
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id = Column(Integer, primary_key=True)
    shipment_id = Column(ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False, index=True)
    code = Column(String(20), nullable=False)
    place = Column(String(120), nullable=False)
    country = Column(String(2), nullable=False)
    occurred_at = Column(UTCDateTime(), nullable=False)
    shipment = relationship("Shipment", back_populates="events")
