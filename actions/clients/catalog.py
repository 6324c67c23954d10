"""The catalog: multilingual product search with prices in the buyer's currency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from actions.clients.http import BackendHttp
from actions.clients.money import Money


@dataclass(frozen=True)
class ProductHit:
    sku: str
    title: str
    category: str
    brand: str
    color: Optional[str]
    price: Money
    buyer_price: Optional[Money]
    in_stock: bool
    seller: str
    ship_from: str
    image_url: str

    @classmethod
    def parse(cls, body: Dict[str, Any]) -> "ProductHit":
        return cls(sku=body["sku"], title=body["title"], category=body["category"], brand=body["brand"],
                   color=body.get("color"), price=Money.parse(body["price"]),
                   buyer_price=Money.parse(body.get("buyer_price")), in_stock=body["in_stock"],
                   seller=body["seller"], ship_from=body["ship_from"], image_url=body["image_url"])


@dataclass(frozen=True)
class SearchPage:
    query: str
    total: int
    offset: int
    results: List[ProductHit]


class CatalogClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def search(self, query: str = "", language: str = "en", currency: Optional[str] = None,
               category: Optional[str] = None, color: Optional[str] = None, min_price: Optional[int] = None,
               max_price: Optional[int] = None, in_stock: bool = True, limit: int = 5, offset: int = 0,
               prefer: str = "", require: Sequence[str] = ()) -> SearchPage:
        """A page of products; ``require``: phrases one of which a product's name must have (without ``query``)."""
        params = {"q": query, "prefer": prefer[:500] or None, "require": "|".join(require)[:300] or None,
                  "language": language, "currency": currency, "category": category, "color": color,
                  "min_price": min_price, "max_price": max_price, "in_stock": str(in_stock).lower(),
                  "limit": limit, "offset": offset}
        body = self.http.get("/v1/catalog/search", {k: v for k, v in params.items() if v is not None})
        return SearchPage(query=body["query"], total=body["total"], offset=body["offset"],
                          results=[ProductHit.parse(item) for item in body["results"]])

    def category_named(self, text: str) -> Optional[str]:
        """The slug of the category the buyer's words name ("宝宝推车", "кроссовки для бега"), or None."""
        return self.http.get("/v1/catalog/categories/named", {"text": text[:2000]})["category"]

    def categories(self, language: str = "en") -> List[Dict[str, Any]]:
        """Every category: slug, localized name, HS chapter."""
        return self.http.get_slow_changing("/v1/catalog/categories", {"language": language})
