"""Offline language identification for buyer messages.

The language of a message comes from the channel's metadata when it carries one
(browser locale, Telegram ``language_code``) and otherwise from the text. Text
detection looks at the script first (Han, Cyrillic and Arabic letters decide at
once) and asks ``langid`` (a model shipped inside the package, no download) only
to tell Latin-script languages apart.

A message that gives no reliable signal ("ok", "SR-204517", a single brand name)
yields ``None``: the conversation keeps the language it had.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple

import regex

SUPPORTED_LANGUAGES: Tuple[str, ...] = ("en", "zh", "ru", "ar")
DEFAULT_LANGUAGE = "en"

# Languages that are written in the Latin script; only these go to langid.
LATIN_SCRIPT_LANGUAGES = frozenset({"en", "tr", "id", "ms", "uz", "vi", "pl", "hu"})

# Metadata keys, in the order they are trusted. ``customData`` is where
# rasa-webchat puts whatever the page passes.
METADATA_LANGUAGE_KEYS: Tuple[str, ...] = ("language", "language_code", "locale", "lang")
NESTED_METADATA_KEYS: Tuple[str, ...] = ("customData", "custom_data", "user", "from")

# Tokens that carry no language: order ids, tracking numbers, amounts, urls. Linear time on any text: each
# repeated part may start only where a run of its characters starts (the lookbehinds), so a long unspaced
# message is scanned once per alternative, not once per position (that was quadratic: 8 s at 20,000
# characters).
# (``regex`` for \G: a part may also start where the previous match ended, as the plain pattern did.)
_NEUTRAL_TOKEN = regex.compile(r"https?://\S+"
                               r"|(?:\G|(?<![\w.+-]))[\w.+-]+@[\w.-]+"
                               r"|(?:\G|(?<![A-Za-z0-9_./#-]))[A-Za-z0-9_./#-]*\d[A-Za-z0-9_./#-]*")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")


def latin_words(text: str) -> int:
    """How many Latin-script words a text has (order numbers, amounts and links not counted)."""
    return len(_LATIN_WORD.findall(_NEUTRAL_TOKEN.sub(" ", text)))


@dataclass(frozen=True)
class LanguageGuess:
    """A detected language and where it came from (``metadata`` or ``text``)."""

    language: str
    source: str


def script_of(char: str) -> Optional[str]:
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    ):
        return "arabic" if unicodedata.category(char).startswith("L") else None
    if char.isascii() and char.isalpha() or 0x00C0 <= code <= 0x024F:
        return "latin"
    return None


# The language each non-Latin script means for this assistant, and how many
# letters of it make a decision.
_SCRIPT_LANGUAGE = {"han": ("zh", 1), "cyrillic": ("ru", 2), "arabic": ("ar", 2)}


def normalize_language_tag(tag: Any) -> Optional[str]:
    """``'ar-SA'`` -> ``'ar'``, ``'zh_Hans_CN'`` -> ``'zh'``, junk -> ``None``."""
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    return primary


class LanguageDetector:
    """Decides the language of one message among a set of supported ones."""

    def __init__(
        self,
        supported: Sequence[str] = SUPPORTED_LANGUAGES,
        min_latin_words: int = 2,
    ) -> None:
        if not supported:
            raise ValueError("at least one supported language is required")
        self.supported = tuple(supported)
        self.min_latin_words = min_latin_words
        self._latin_candidates = [lang for lang in self.supported if lang in LATIN_SCRIPT_LANGUAGES]
        self._langid = None

    def from_metadata(self, metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
        """The supported language the channel declares, if any."""
        if not isinstance(metadata, Mapping):
            return None
        for scope in self._metadata_scopes(metadata):
            for key in METADATA_LANGUAGE_KEYS:
                language = normalize_language_tag(scope.get(key))
                if language in self.supported:
                    return language
        return None

    @staticmethod
    def _metadata_scopes(metadata: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        yield metadata
        for key in NESTED_METADATA_KEYS:
            nested = metadata.get(key)
            if isinstance(nested, Mapping):
                yield nested

    def from_text(self, text: Optional[str]) -> Optional[str]:
        """The supported language the text is written in, or ``None`` if unsure."""
        if not text:
            return None
        content = _NEUTRAL_TOKEN.sub(" ", text)
        counts: Dict[str, int] = {}
        for char in content:
            script = script_of(char)
            if script:
                counts[script] = counts.get(script, 0) + 1

        decided = [
            (count, language)
            for script, (language, minimum) in _SCRIPT_LANGUAGE.items()
            if (count := counts.get(script, 0)) >= minimum and language in self.supported
        ]
        if decided:
            return max(decided)[1]
        if not counts.get("latin") or not self._latin_candidates:
            return None
        if latin_words(content) < self.min_latin_words:
            return None
        if len(self._latin_candidates) == 1:
            return self._latin_candidates[0]
        return self._classify_latin(content)

    def _classify_latin(self, text: str) -> str:
        if self._langid is None:
            from langid.langid import LanguageIdentifier as LangidModel, model

            self._langid = LangidModel.from_modelstring(model, norm_probs=True)
            self._langid.set_languages(self._latin_candidates)
        language, _probability = self._langid.classify(text)
        return language

    def detect(
        self, text: Optional[str], metadata: Optional[Mapping[str, Any]] = None
    ) -> Optional[LanguageGuess]:
        """Metadata first, then the text; ``None`` when neither tells."""
        language = self.from_metadata(metadata)
        if language:
            return LanguageGuess(language, "metadata")
        language = self.from_text(text)
        if language:
            return LanguageGuess(language, "text")
        return None
