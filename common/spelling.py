"""One spelling for the ways buyers type the same letters: Arabic with or without hamza, diacritics and tatweel
(أريد / اريد / ارِيد), ى for ي and ة for ه; Russian ё as е; full-width Latin letters and digits in Chinese input;
Arabic-Indic digits (٥٠٠). Used to compare what a buyer typed with the words the assistant knows (the NLU's
features, the answer and entity lexicons); never to change what is shown or stored."""

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


def fold(text: str) -> str:
    """``text`` in lower case with its spelling variants made one (NFKC first: full-width forms)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _ARABIC_DIACRITICS.sub("", text).translate(_TRANSLATION)
