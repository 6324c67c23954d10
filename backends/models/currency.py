from sqlalchemy import Column, Date, String

from backends.models.base import Base


class ExchangeRate(Base):
    """How many units of ``currency`` one US dollar buys on ``as_of``.

    The rate is kept as exact decimal text: SQLite has no decimal type and would
    round it through a float.
    """

    __tablename__ = "exchange_rates"

    currency = Column(String(3), primary_key=True)
    as_of = Column(Date, primary_key=True)
    units_per_usd = Column(String(40), nullable=False)
    source = Column(String(200), nullable=False)
