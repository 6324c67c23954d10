"""Catalog: multilingual search, product details, categories."""

from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.api.dependencies import get_session
from backends.api.errors import ApiError, NotFound
from backends.api.media_routes import image_url_in
from backends.api.schemas import Category as CategoryOut
from backends.api.schemas import ConvertedMoney, Money, ProductDetail, ProductSummary, SearchResults
from backends.catalog.category_words import category_named, phrases
from backends.catalog.search import MAX_LIMIT, SearchFilters, search
from backends.models import Category, Product
from backends.money import RateTable, check_currency

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])

LANGUAGE = Query("en", min_length=2, max_length=8, description="language of titles (falls back to English)")
CURRENCY = Query(None, min_length=3, max_length=3, description="ISO 4217 code to show prices in")


def _summary(product: Product, language: str, currency: Optional[str], rates: RateTable, detail=False):
    text = product.text_in(language) or product.texts[0]
    buyer_price = None
    if currency:
        buyer_price = ConvertedMoney(
            amount_minor=rates.convert(product.price_minor, product.currency, currency),
            currency=currency,
            rate_as_of=rates.as_of(product.currency, currency),
        )
    fields = dict(
        sku=product.sku, title=text.name, title_language=text.language, category=product.category.slug,
        brand=product.brand, color=product.color, size=product.size,
        price=Money(amount_minor=product.price_minor, currency=product.currency), buyer_price=buyer_price,
        in_stock=product.stock > 0, stock=product.stock, seller=product.seller.name,
        ship_from=product.ship_from, hs_chapter=product.hs_chapter,
        image_url=image_url_in(product.image_url, language),
    )
    if detail:
        return ProductDetail(**fields, description=text.description)
    return ProductSummary(**fields)


def _load(session: Session, ids: List[int]) -> List[Product]:
    products = session.execute(
        select(Product).where(Product.id.in_(ids)).options(
            selectinload(Product.texts), selectinload(Product.category), selectinload(Product.seller)
        )
    ).scalars()
    by_id = {p.id: p for p in products}
    return [by_id[i] for i in ids]


@router.get("/search", response_model=SearchResults, summary="Search products in any supported language")
def search_products(
    q: str = Query("", max_length=200, description="free text in any language"),
    language: str = LANGUAGE,
    currency: Optional[str] = CURRENCY,
    category: Optional[str] = Query(None, max_length=40),
    color: Optional[str] = Query(None, max_length=20),
    min_price: Optional[int] = Query(None, ge=0, description="minor units of `currency`"),
    max_price: Optional[int] = Query(None, ge=0, description="minor units of `currency`"),
    in_stock: bool = False,
    prefer: str = Query("", max_length=500, description="words that rank products having them first "
                                                          "(a buyer's sentence); only without `q`"),
    require: str = Query("", max_length=300, description="phrases separated by '|' (\"air fryer|noise "
                                                           "cancelling\"): only products whose names have the "
                                                           "words of one of them; only without `q`"),
    limit: int = Query(10, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=10_000),
    session: Session = Depends(get_session),
):
    if currency:
        currency = check_currency(currency)
    if (min_price is not None or max_price is not None) and not currency:
        raise ApiError("a price range needs `currency`")
    if min_price is not None and max_price is not None and min_price > max_price:
        raise ApiError("min_price is above max_price")
    rates = RateTable.latest(session)
    to_usd = (lambda amount: rates.convert(amount, currency, "USD")) if currency else None
    filters = SearchFilters(
        category=category, color=color, in_stock=in_stock,
        min_usd_minor=to_usd(min_price) if min_price is not None else None,
        max_usd_minor=to_usd(max_price) if max_price is not None else None,
    )
    page = search(session, q, filters, limit=limit, offset=offset, prefer=prefer,
                  require=[phrase for phrase in require.split("|") if phrase.strip()])
    results = [_summary(p, language, currency, rates) for p in _load(session, page.product_ids)]
    return SearchResults(query=q, total=page.total, limit=limit, offset=offset, results=results)


@router.get("/products/{sku}", response_model=ProductDetail, summary="One product")
def get_product(
    sku: str, language: str = LANGUAGE, currency: Optional[str] = CURRENCY,
    session: Session = Depends(get_session),
):
    if currency:
        currency = check_currency(currency)
    product_id = session.execute(select(Product.id).where(Product.sku == sku)).scalar_one_or_none()
    if product_id is None:
        raise NotFound(f"no product {sku}")
    return _summary(_load(session, [product_id])[0], language, currency, RateTable.latest(session), detail=True)


@router.get("/categories", response_model=List[CategoryOut], summary="Categories, named in a language")
def list_categories(language: str = LANGUAGE, session: Session = Depends(get_session)):
    categories = session.execute(select(Category).options(selectinload(Category.texts)).order_by(Category.slug))
    result = []
    for category in categories.scalars():
        result.append(CategoryOut(slug=category.slug, name=category.name_in(language),
                                  hs_chapter=category.hs_chapter))
    return result


@router.get("/categories/named", summary="The category a buyer's sentence names, in any language, if any")
def named_category(text: str = Query(..., min_length=1, max_length=2000, description="what the buyer wrote"),
                   session: Session = Depends(get_session)):
    named = category_named(text, phrases(session))
    return {"category": named.slug if named else None, "phrase": named.phrase if named else None}
