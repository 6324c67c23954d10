"""Money in integer minor units, and conversion through USD rates.

Rates are stored as units of a currency per one US dollar, with their as-of date
and source. Conversion uses Decimal arithmetic and rounds half-even once, at the
end, to the target currency's minor unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Dict, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backends.models import ExchangeRate

# ISO 4217 minor-unit exponents of the currencies the marketplace handles.
MINOR_UNITS: Dict[str, int] = {
    "USD": 2, "EUR": 2, "CNY": 2, "RUB": 2, "KZT": 2, "UZS": 2, "KGS": 2, "BYN": 2,
    "SAR": 2, "AED": 2, "EGP": 2, "TRY": 2, "PKR": 2, "IDR": 2, "MYR": 2, "THB": 2,
    "VND": 0, "PHP": 2, "PLN": 2, "HUF": 2, "RSD": 2, "KES": 2, "NGN": 2, "IRR": 2,
}


class UnknownCurrency(ValueError):
    pass


class MissingRate(LookupError):
    pass


def check_currency(code: str) -> str:
    if not isinstance(code, str) or code.upper() not in MINOR_UNITS:
        raise UnknownCurrency(f"unknown currency {code!r}; known: {', '.join(sorted(MINOR_UNITS))}")
    return code.upper()


@dataclass(frozen=True)
class Rate:
    currency: str
    units_per_usd: Decimal
    as_of: date
    source: str


class RateTable:
    """The latest rate of every currency, loaded once per request or job."""

    def __init__(self, rates: Dict[str, Rate]):
        self.rates = rates

    @classmethod
    def latest(cls, session: Session, on: Optional[date] = None) -> "RateTable":
        newest = select(ExchangeRate.currency, func.max(ExchangeRate.as_of).label("as_of"))
        if on is not None:
            newest = newest.where(ExchangeRate.as_of <= on)
        newest = newest.group_by(ExchangeRate.currency).subquery()
        rows = session.execute(
            select(ExchangeRate).join(
                newest,
                (ExchangeRate.currency == newest.c.currency) & (ExchangeRate.as_of == newest.c.as_of),
            )
        ).scalars()
        return cls({r.currency: Rate(r.currency, Decimal(r.units_per_usd), r.as_of, r.source) for r in rows})

    def rate(self, currency: str) -> Rate:
        currency = check_currency(currency)
        try:
            return self.rates[currency]
        except KeyError:
            raise MissingRate(f"no exchange rate for {currency}") from None

    def convert(self, amount_minor: int, source: str, target: str) -> int:
        """``amount_minor`` of ``source`` in minor units of ``target``."""
        source, target = check_currency(source), check_currency(target)
        if source == target:
            return int(amount_minor)
        major = Decimal(int(amount_minor)).scaleb(-MINOR_UNITS[source])
        usd = major / self.rate(source).units_per_usd
        target_major = usd * self.rate(target).units_per_usd
        return int(target_major.scaleb(MINOR_UNITS[target]).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def as_of(self, *currencies: str) -> date:
        """The oldest as-of date among the rates a conversion used."""
        return min(self.rate(c).as_of for c in currencies)


def format_major(amount_minor: int, currency: str) -> str:
    """``12345, 'CNY'`` -> ``'123.45'`` (for logs and tests; clients localize)."""
    exponent = MINOR_UNITS[check_currency(currency)]
    return str(Decimal(int(amount_minor)).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)))
