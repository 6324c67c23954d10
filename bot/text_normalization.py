"""Spelling normalization for features (the token's lemma), never for the text: ``common.spelling.fold``, and
stretched letters made one.

Buyers type the same word many ways: Arabic with or without hamza, diacritics
and tatweel (أريد / اريد / ارِيد), ى for ي and ة for ه; Russian ё as е;
full-width Latin letters and digits in Chinese input; Arabic-Indic digits
(٥٠٠); stretched letters ("приииивет", "heyyy", "مرحباااا"). The featurizers see
one form for all of them; offsets and entity values keep what was typed.
"""

from __future__ import annotations

import re

from common.spelling import fold

_STRETCHED_LETTER = re.compile(r"([^\W\d_])\1{2,}")


def normalize_word(word: str) -> str:
    """The form a word's features are computed from."""
    return _STRETCHED_LETTER.sub(r"\1", fold(word)) or word.lower()
