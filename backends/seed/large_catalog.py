"""A large synthetic catalog for benchmarks, grown from the reviewed seed products.

Each generated product copies a seed product's texts, category and seller under
a new model number, colour, price and stock, so the index holds realistic,
multilingual text. Rows and search documents are written in bulk (core inserts),
not through the ORM, so 100,000 products take about a minute on SQLite.
"""

from __future__ import annotations

import random
from typing import Callable, List, Optional

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from backends.catalog import search_text
from backends.catalog.search import category_documents, document_insert
from backends.models import Product, ProductText
from backends.money import RateTable

COLORS = "red blue green black white gray pink purple yellow orange brown gold silver beige".split()
BATCH = 2000


def generate(
    session: Session, count: int, seed: int = 7, on_documents: Optional[Callable[[List[dict]], None]] = None
) -> int:
    """Adds ``count`` products (SKUs ``GEN-0000001``...) after the seed catalog.

    ``on_documents``, if given, also receives each batch's search document rows (as ``document_insert`` takes
    them): the search benchmark builds the previous index layout from them, to time both query forms."""
    rng = random.Random(seed)
    templates = session.execute(select(Product).options(selectinload(Product.texts))).scalars().all()
    if not templates:
        raise ValueError("load the seed catalog first")
    keywords = category_documents(session)
    rates = RateTable.latest(session)
    start = session.execute(select(Product.id).order_by(Product.id.desc()).limit(1)).scalar_one() + 1
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        products: List[dict] = []
        texts: List[dict] = []
        documents: List[dict] = []
        for offset in range(size):
            template = rng.choice(templates)
            product_id = start + made + offset
            model = f"{rng.choice('ABCDEFGHKMNPRSTVXZ')}{rng.randint(10, 999)}"
            price = max(100, int(template.price_minor * rng.uniform(0.6, 1.6)))
            products.append(dict(
                id=product_id, sku=f"GEN-{product_id:07d}", category_id=template.category_id,
                seller_id=template.seller_id, brand=template.brand, price_minor=price, currency=template.currency,
                reference_usd_minor=rates.convert(price, template.currency, "USD"),
                stock=rng.choice((0, 3, 10, 25, 100, 500)), color=rng.choice(COLORS) if template.color else None,
                size=template.size, ship_from=template.ship_from, hs_chapter=template.hs_chapter,
                image_url=template.image_url,
            ))
            names = []
            for t in template.texts:
                name = f"{t.name} {model}"
                names.append(name)
                texts.append(dict(product_id=product_id, language=t.language, name=name, description=t.description))
            documents.append(dict(
                id=product_id, category_id=template.category_id, name=search_text.index_text(*names),
                keywords=keywords[template.category_id],
                brand=search_text.index_text(template.brand),
            ))
        session.execute(insert(Product.__table__), products)
        session.execute(insert(ProductText.__table__), texts)
        session.execute(document_insert(session), documents)
        if on_documents is not None:
            on_documents(documents)
        made += size
    return made
