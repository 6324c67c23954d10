"""Load the reviewed catalog files into the database, idempotently.

Rows are matched on their natural keys (seller and category slugs, product SKU,
currency and date of a rate): running the loader again updates what changed
and creates nothing twice. Reference USD prices and the search index are
refreshed for every loaded product.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Dict, Iterable, List

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.catalog import search
from backends.models import Category, CategoryText, ExchangeRate, Product, ProductText, Seller
from backends.money import RateTable, check_currency

SEED_DATA = Path(__file__).resolve().parent.parent / "seed_data"
REQUIRED_LANGUAGES = ("en", "zh", "ru", "ar")


class SeedDataError(ValueError):
    pass


@dataclass
class LoadReport:
    sellers: int = 0
    categories: int = 0
    products: int = 0
    rates: int = 0


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def image_url(category: str) -> str:
    return f"/media/categories/{category}.svg"


def load_rates(session: Session, data: dict) -> int:
    as_of = data["as_of"] if isinstance(data["as_of"], date) else date.fromisoformat(data["as_of"])
    count = 0
    for currency, value in data["units_per_usd"].items():
        currency = check_currency(currency)
        rate = Decimal(str(value))
        if rate <= 0:
            raise SeedDataError(f"rate of {currency} must be positive")
        row = session.get(ExchangeRate, (currency, as_of))
        if row is None:
            session.add(ExchangeRate(currency=currency, as_of=as_of, units_per_usd=str(rate), source=data["source"]))
        else:
            row.units_per_usd, row.source = str(rate), data["source"]
        count += 1
    session.flush()
    return count


def load_sellers(session: Session, sellers: Iterable[dict]) -> Dict[str, Seller]:
    existing = {s.slug: s for s in session.execute(select(Seller)).scalars()}
    for item in sellers:
        seller = existing.get(item["slug"]) or Seller(slug=item["slug"])
        seller.name, seller.country, seller.city = item["name"], item["country"], item["city"]
        seller.currency, seller.rating = check_currency(item["currency"]), float(item["rating"])
        session.add(seller)
        existing[seller.slug] = seller
    session.flush()
    return existing


def load_categories(session: Session, categories: Iterable[dict]) -> Dict[str, Category]:
    existing = {
        c.slug: c for c in session.execute(select(Category).options(selectinload(Category.texts))).scalars()
    }
    for item in categories:
        category = existing.get(item["slug"]) or Category(slug=item["slug"])
        category.hs_chapter = int(item["hs_chapter"])
        texts = {t.language: t for t in category.texts}
        for language, name in item["names"].items():
            text = texts.get(language) or CategoryText(language=language)
            text.name = name
            text.keywords = "\n".join(item.get("keywords", {}).get(language, []))
            if text not in category.texts:
                category.texts.append(text)
        session.add(category)
        existing[category.slug] = category
    session.flush()
    return existing


def load_products(
    session: Session, catalog: dict, sellers: Dict[str, Seller], categories: Dict[str, Category]
) -> List[Product]:
    slug = catalog["category"]
    if slug not in categories:
        raise SeedDataError(f"catalog file for unknown category {slug!r}")
    category = categories[slug]
    skus = [item["sku"] for item in catalog["products"]]
    existing = {
        p.sku: p
        for p in session.execute(
            select(Product).where(Product.sku.in_(skus)).options(selectinload(Product.texts))
        ).scalars()
    }
    loaded = []
    for item in catalog["products"]:
        seller = sellers.get(item["seller"])
        if seller is None:
            raise SeedDataError(f"{item['sku']}: unknown seller {item['seller']!r}")
        missing = [lang for lang in REQUIRED_LANGUAGES if not item["names"].get(lang)]
        if missing:
            raise SeedDataError(f"{item['sku']}: no name in {missing}")
        product = existing.get(item["sku"]) or Product(sku=item["sku"], reference_usd_minor=0)
        attributes = item.get("attributes") or {}
        product.category, product.seller = category, seller
        product.brand = item["brand"]
        product.price_minor, product.currency = int(item["price_minor"]), seller.currency
        product.stock = int(item["stock"])
        product.color, product.size = attributes.get("color"), attributes.get("size")
        product.ship_from = item.get("ship_from") or seller.country
        product.hs_chapter = int(item.get("hs_chapter") or category.hs_chapter)
        product.image_url = item.get("image_url") or image_url(slug)
        texts = {t.language: t for t in product.texts}
        for language, name in item["names"].items():
            text = texts.get(language) or ProductText(language=language)
            text.name = name
            text.description = (item.get("descriptions") or {}).get(language, "")
            if text not in product.texts:
                product.texts.append(text)
        session.add(product)
        loaded.append(product)
    session.flush()
    return loaded


def refresh_reference_prices(session: Session, products: Iterable[Product]) -> None:
    rates = RateTable.latest(session)
    for product in products:
        product.reference_usd_minor = rates.convert(product.price_minor, product.currency, "USD")
    session.flush()


def load_all(session: Session, seed_dir: Path = SEED_DATA) -> LoadReport:
    report = LoadReport()
    report.rates = load_rates(session, _read(seed_dir / "exchange_rates.yml"))
    sellers = load_sellers(session, _read(seed_dir / "sellers.yml")["sellers"])
    categories = load_categories(session, _read(seed_dir / "categories.yml")["categories"])
    report.sellers, report.categories = len(sellers), len(categories)
    products: List[Product] = []
    for path in sorted((seed_dir / "catalog").glob("*.yml")):
        products.extend(load_products(session, _read(path), sellers, categories))
    refresh_reference_prices(session, products)
    search.reindex(session, [p.id for p in products])
    report.products = len(products)
    return report
