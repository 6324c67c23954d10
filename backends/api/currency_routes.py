"""Exchange rates and conversion into the buyer's currency."""

from __future__ import annotations

from typing import List

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from backends.api.dependencies import get_session
from backends.api.schemas import Conversion, ConvertedMoney, Money, Rate
from backends.money import RateTable, check_currency

router = APIRouter(prefix="/v1/currency", tags=["currency"])


@router.get("/rates", response_model=List[Rate], summary="Latest rate of every currency (units per USD)")
def latest_rates(session: Session = Depends(get_session)):
    rates = RateTable.latest(session).rates.values()
    return [Rate(currency=r.currency, units_per_usd=str(r.units_per_usd), as_of=r.as_of, source=r.source)
            for r in sorted(rates, key=lambda r: r.currency)]


@router.get("/convert", response_model=Conversion, summary="Convert an amount between currencies")
def convert(
    amount_minor: int = Query(..., ge=-10**15, le=10**15),
    source: str = Query(..., alias="from", min_length=3, max_length=3),
    target: str = Query(..., alias="to", min_length=3, max_length=3),
    session: Session = Depends(get_session),
):
    source, target = check_currency(source), check_currency(target)
    rates = RateTable.latest(session)
    return Conversion(
        source=Money(amount_minor=amount_minor, currency=source),
        result=ConvertedMoney(amount_minor=rates.convert(amount_minor, source, target), currency=target,
                              rate_as_of=rates.as_of(source, target)),
    )
