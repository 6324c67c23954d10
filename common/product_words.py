"""The catalog's words for what a buyer calls otherwise ("جزمة هايكنج ضد المية": hiking, waterproof), from
common/lexicon/product_words.yml: the search ranks by them beside the buyer's own words."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

import yaml

from common.answer_words import mentions, normalize, phrase_lists

PRODUCT_WORDS = Path(__file__).resolve().parent / "lexicon" / "product_words.yml"


@lru_cache(maxsize=1)
def product_words() -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """(catalog word, the phrases that say it), every language's phrases together, spelled as the lexicons'
    (common.answer_words.phrase_lists: braces expanded, one spelling)."""
    data = yaml.safe_load(PRODUCT_WORDS.read_text(encoding="utf-8")) or {}
    for language, words in data.items():
        for word, said in (words or {}).items():
            if not said or not all(isinstance(phrase, str) and phrase.strip() for phrase in said):
                raise ValueError(f"{PRODUCT_WORDS.name}: {language}: {word}: a list of phrases is expected")
    names = tuple(dict.fromkeys(word for words in data.values() for word in (words or {})))
    phrases = phrase_lists(PRODUCT_WORDS, names, normalize)
    return tuple((word, phrases[word]) for word in names)


def catalog_words_in(text: str) -> List[str]:
    """The catalog words the buyer's ``text`` says in words of its own, in the file's order."""
    return [word for word, said in product_words() if mentions(text, said)]


def with_catalog_words(text: str) -> str:
    """The catalog words ``text`` says otherwise, then ``text``: the search's ranking words (which it reads only
    so many of, so the catalog's come first)."""
    found = [word for word in catalog_words_in(text) if word not in text.lower()]
    return f"{' '.join(found)} {text}".strip() if found else text
