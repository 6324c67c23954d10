"""The catalog's words for what buyers call otherwise (common/lexicon/product_words.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from common.product_words import PRODUCT_WORDS, catalog_words_in, with_catalog_words


@pytest.mark.parametrize("text, words", [
    ("عايزة جزمة هايكنج ضد المية، رايحين سانت كاترين", ["waterproof", "hiking"]),
    ("наушники с шумодавом", ["noise-cancelling"]),
    ("想要个不进水的帐篷", ["waterproof"]),
    ("power bank that stick on back of the phone", ["magnetic"]),
    ("a black phone case", []),
])
def test_a_buyers_words_name_the_catalogs(text, words):
    assert catalog_words_in(text) == words


def test_the_catalogs_words_come_first_and_are_not_repeated():
    assert with_catalog_words("наушники с шумодавом").startswith("noise-cancelling ")
    assert with_catalog_words("waterproof boots, rain proof") == "waterproof boots, rain proof"
    assert with_catalog_words("a black phone case") == "a black phone case"


def test_every_catalog_word_is_in_an_english_product_name_and_every_language_has_its_phrases():
    catalog = Path(__file__).resolve().parents[2] / "backends" / "seed_data" / "catalog"
    names = " ".join(product["names"]["en"].lower() for path in catalog.glob("*.yml")
                     for product in yaml.safe_load(path.read_text(encoding="utf-8"))["products"])
    data = yaml.safe_load(PRODUCT_WORDS.read_text(encoding="utf-8"))
    assert set(data) == {"en", "zh", "ru", "ar"}
    for language, words in data.items():
        for word, phrases in words.items():
            assert word in names, f"{language}: {word!r} names no product"
            assert phrases and all(isinstance(phrase, str) and phrase.strip() for phrase in phrases), word
