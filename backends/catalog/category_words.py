"""Which category a buyer's sentence names ("宝宝推车有推荐的吗", "عايزة كريم مرطب", "ищу кроссовки для бега"):
the category one of whose names or keywords, in any language, is said in it (every word of the phrase, long
words by their stem, as the search reads them). The longest phrase said wins: "чехол для телефона" is a
case, not a phone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.catalog import search_text
from backends.models import Category, CategoryText
from common.entity_words import currency_in_text


@dataclass(frozen=True)
class Phrase:
    slug: str
    text: str
    terms: Tuple[Tuple[str, bool], ...]  # (term, is a stem), as search_text.query_terms gives them


@dataclass(frozen=True)
class NamedCategory:
    slug: str
    phrase: str


@lru_cache(maxsize=16384)
def _terms_of(phrase: str) -> Tuple[Tuple[str, bool], ...]:
    """A phrase's search terms: segmenting (jieba) every phrase on every call cost 24 ms a question; the
    categories' rows are still read each time, so a reloaded keyword counts at once."""
    return tuple(search_text.query_terms(phrase))


def phrases(session: Session) -> List[Phrase]:
    """Every category's names and keywords in every language, as search terms."""
    rows = session.execute(select(Category.slug, CategoryText.name, CategoryText.keywords)
                           .join(CategoryText, CategoryText.category_id == Category.id))
    result = []
    for slug, name, keywords in rows:
        for phrase in {name, *keywords.splitlines()}:
            terms = _terms_of(phrase)
            if terms:
                result.append(Phrase(slug, phrase.strip(), terms))
    return result


# A stem this short names only words longer than itself by at most SHORT_STEM_SLACK letters: "плат" (платье) is
# in "платья", not in "платить" (to pay); "send" (sendal, Indonesian sandals) is not the English "send".
SHORT_STEM, SHORT_STEM_SLACK = 5, 2


def _said(term: Tuple[str, bool], words: Sequence[str]) -> bool:
    stem, is_stem = term
    if not is_stem:
        return stem in words
    if len(stem) >= SHORT_STEM:
        return any(word.startswith(stem) for word in words)
    return any(word.startswith(stem) and len(stem) < len(word) <= len(stem) + SHORT_STEM_SLACK for word in words)


def category_named(text: str, candidates: Iterable[Phrase]) -> Optional[NamedCategory]:
    """The category whose longest phrase is wholly said in ``text``, or None."""
    # a currency is never a product ("150 dollar" is no "dolls")
    words = [word for word in search_text.terms(text or "") if currency_in_text(word) is None]
    if not words:
        return None
    best: Optional[Phrase] = None
    for phrase in candidates:
        if (best is None or len(phrase.text) > len(best.text)) and all(_said(t, words) for t in phrase.terms):
            best = phrase
    return NamedCategory(best.slug, best.text) if best else None
