"""Import rules of the partner countries and landed-cost estimates, in the buyer's language."""

from decimal import Decimal
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.api.dependencies import get_session
from backends.api.errors import ApiError, NotFound
from backends.import_rules.explanations import pick
from backends.import_rules.landed_cost import InvalidParcel, Parcel, estimate, restrictions
from backends.import_rules.repository import UnknownCountry, all_rules, rules_for
from backends.import_rules.schema import CATEGORIES, ITEM_CLASSES
from backends.import_rules.views import CountryView
from backends.models import Category
from backends.money import MissingRate, RateTable, UnknownCurrency, check_currency

router = APIRouter(prefix="/v1/import-rules", tags=["import rules"])
LANGUAGE = Query("en", min_length=2, max_length=8, description="language of names, notes and explanations")


def _rules(session: Session, country: str):
    try:
        return rules_for(session, country)
    except UnknownCountry as error:
        raise NotFound(str(error)) from None


@router.get("/countries", response_model=List[Dict[str, Any]],
            summary="Every country's thresholds and VAT, each with its source and date")
def countries(language: str = LANGUAGE, session: Session = Depends(get_session)):
    return [CountryView(rules, language).summary() for rules in all_rules(session)]


@router.get("/countries/{country}", response_model=Dict[str, Any],
            summary="A country's import rules: thresholds, VAT, duty by category, fees, restricted items")
def country(country: str, language: str = LANGUAGE, session: Session = Depends(get_session)):
    return CountryView(_rules(session, country), language).full()


@router.get("/countries/{country}/categories/{category}", response_model=Dict[str, Any],
            summary="What a country charges and requires for one catalog category")
def country_category(country: str, category: str, language: str = LANGUAGE,
                     session: Session = Depends(get_session)):
    rules = _rules(session, country)
    if category not in CATEGORIES:
        raise ApiError(f"unknown category {category!r}; one of: {', '.join(CATEGORIES)}")
    view = CountryView(rules, language)
    rate = rules.duty.by_category.get(category)
    named = session.execute(select(Category).where(Category.slug == category)
                            .options(selectinload(Category.texts))).scalar_one_or_none()
    return {
        **view.summary(), "category": category, "category_name": named.name_in(language) if named else category,
        "duty_method": rules.duty.method,
        "duty_rate": ({**view.provenance(rate), "rate_percent": rate.rate_percent, "specific": True} if rate else
                      {**view.provenance(rules.duty), "rate_percent": rules.duty.default_rate_percent,
                       "specific": False}),
        "duty_note": view.provenance(rules.duty)["note"],
        "items": [view.item(rule) for rule in restrictions(rules, category)],
    }


@router.get("/items/{item}", response_model=List[Dict[str, Any]],
            summary="Where an item class (drones, lithium_batteries, ...) is allowed, restricted or prohibited")
def item(item: str, language: str = LANGUAGE, session: Session = Depends(get_session)):
    if item not in ITEM_CLASSES:
        raise ApiError(f"unknown item class {item!r}; one of: {', '.join(ITEM_CLASSES)}")
    answers = []
    for rules in all_rules(session):
        view = CountryView(rules, language)
        rule = next(r for r in rules.items if r.item == item)
        answers.append({"country": rules.country, "country_name": pick(rules.names, language), **view.item(rule)})
    return answers


@router.get("/landed-cost", response_model=Dict[str, Any],
            summary="Estimate duty, import VAT, fees and the total at the door, with the rules that applied")
def landed_cost(
    country: str = Query(..., min_length=2, max_length=2, description="destination, ISO 3166-1 alpha-2"),
    category: str = Query(..., max_length=40, description="catalog category slug, e.g. phone, clothing"),
    unit_price_minor: int = Query(..., gt=0, le=10**13, description="price of one item, minor units"),
    currency: str = Query(..., min_length=3, max_length=3, description="currency of the price and shipping"),
    quantity: int = Query(1, gt=0, le=100_000),
    shipping_minor: int = Query(0, ge=0, le=10**12),
    weight_kg: Optional[Decimal] = Query(None, gt=0, le=100_000, description="gross weight of the parcel"),
    buyer_currency: Optional[str] = Query(None, min_length=3, max_length=3,
                                          description="show the total in this currency too (default: the "
                                                      "destination's)"),
    language: str = LANGUAGE,
    session: Session = Depends(get_session),
):
    rules = _rules(session, country)
    rates = RateTable.latest(session)
    parcel = Parcel(country=rules.country, category=category, unit_price_minor=unit_price_minor,
                    currency=check_currency(currency), quantity=quantity, shipping_minor=shipping_minor,
                    weight_kg=weight_kg)
    try:
        result = estimate(rules, parcel, rates)
    except InvalidParcel as error:
        raise ApiError(str(error)) from None
    buyer_currency = check_currency(buyer_currency) if buyer_currency else rules.currency
    return CountryView(rules, language).estimate(result, rates, buyer_currency)


MAX_PARCELS = 50


class ParcelQuestion(BaseModel):
    category: str = Field(..., max_length=40, description="catalog category slug, e.g. phone, clothing")
    unit_price_minor: int = Field(..., gt=0, le=10**13, description="price of one item, minor units")
    currency: str = Field(..., min_length=3, max_length=3, description="currency of the price and shipping")
    quantity: int = Field(1, gt=0, le=100_000)
    shipping_minor: int = Field(0, ge=0, le=10**12)
    weight_kg: Optional[Decimal] = Field(None, gt=0, le=100_000, description="gross weight of the parcel")


class LandedCostsQuestion(BaseModel):
    country: str = Field(..., min_length=2, max_length=2, description="destination, ISO 3166-1 alpha-2")
    parcels: List[ParcelQuestion] = Field(..., min_items=1, max_items=MAX_PARCELS)
    buyer_currency: Optional[str] = Field(None, min_length=3, max_length=3,
                                          description="show totals in this currency too (default: the "
                                                      "destination's)")
    language: str = Field("en", min_length=2, max_length=8)


@router.post("/landed-costs", response_model=Dict[str, Any],
             summary="Landed-cost estimates for several parcels to one country in one call (a page of search "
                     "results): each answer as /landed-cost gives it, or that parcel's own error")
def landed_costs(question: LandedCostsQuestion, session: Session = Depends(get_session)):
    rules = _rules(session, question.country)
    rates = RateTable.latest(session)
    buyer_currency = check_currency(question.buyer_currency) if question.buyer_currency else rules.currency
    view = CountryView(rules, question.language)
    answers: List[Dict[str, Any]] = []
    for asked in question.parcels:
        try:
            parcel = Parcel(country=rules.country, category=asked.category, unit_price_minor=asked.unit_price_minor,
                            currency=check_currency(asked.currency), quantity=asked.quantity,
                            shipping_minor=asked.shipping_minor, weight_kg=asked.weight_kg)
            answers.append(view.estimate(estimate(rules, parcel, rates), rates, buyer_currency))
        except (InvalidParcel, UnknownCurrency, MissingRate) as error:
            answers.append({"error": "invalid_parcel", "message": str(error)})
    return {"country": rules.country, "estimates": answers}
