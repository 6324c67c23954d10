"""Spelling normalization for features (the token's lemma), never for the text.

Buyers type the same word many ways: Arabic with or without hamza, diacritics
and tatweel (أريد / اريد / ارِيد), ى for ي and ة for ه; Russian ё as е;
full-width Latin letters and digits in Chinese input; Arabic-Indic digits
(٥٠٠); stretched letters ("приииивет", "heyyy", "مرحباااا"). The featurizers see
one form for all of them; offsets and entity values keep what was typed.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_TRANSLATION = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ة": "ه",
        "ё": "е",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
    }
)
_STRETCHED_LETTER = re.compile(r"([^\W\d_])\1{2,}")


def normalize_word(word: str) -> str:
    """The form a word's features are computed from."""
    text = unicodedata.normalize("NFKC", word).lower()
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_TRANSLATION)
    return _STRETCHED_LETTER.sub(r"\1", text) or word.lower()
