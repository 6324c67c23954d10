"""Product images: a category tile drawn as SVG, served locally (no CDN).

The seed catalog has no photographs; every product's ``image_url`` points at its
category's tile, which shows the category's name in the requested language.
"""

from __future__ import annotations

import hashlib
from html import escape

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backends.api.dependencies import get_session
from backends.api.errors import NotFound
from backends.models import Category

router = APIRouter(prefix="/media", tags=["media"])
TILE_PREFIX = "/media/categories/"


def image_url_in(url: str, language: str) -> str:
    """A category tile's address asks for the tile in the language the titles are in; other images as they are."""
    return f"{url}?language={language}" if url.startswith(TILE_PREFIX) and "?" not in url else url


def _tile_color(slug: str) -> str:
    hue = int(hashlib.sha256(slug.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue}, 55%, 45%)"


def category_tile(slug: str, label: str, right_to_left: bool) -> str:
    direction = ' direction="rtl"' if right_to_left else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">'
        f'<rect width="320" height="320" rx="24" fill="{_tile_color(slug)}"/>'
        f'<text x="160" y="170" font-family="sans-serif" font-size="28" fill="#fff" '
        f'text-anchor="middle"{direction}>{escape(label)}</text></svg>'
    )


@router.get("/categories/{slug}.svg", summary="A category's image tile", response_class=Response)
def category_image(
    slug: str,
    language: str = Query("en", min_length=2, max_length=8),
    session: Session = Depends(get_session),
):
    category = session.execute(
        select(Category).where(Category.slug == slug).options(selectinload(Category.texts))
    ).scalar_one_or_none()
    if category is None:
        raise NotFound(f"no category {slug}")
    return Response(
        category_tile(slug, category.name_in(language), right_to_left=language == "ar"),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )
