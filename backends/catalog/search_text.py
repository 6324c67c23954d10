"""Search terms of a text, the same way for the index and for queries.

Every language is reduced to space-separated terms that both SQLite FTS5
(unicode61) and PostgreSQL (``to_tsvector('simple', ...)``) split the same way:
Chinese is segmented with jieba (search mode: 无线蓝牙耳机 -> 无线 蓝牙 耳机 ...),
spelling is normalized (Arabic alef, ya and ta marbuta forms, diacritics, ё),
and the Arabic article and its clitics are stripped (السماعات -> سماعات).
Queries then match inflected forms by prefix: наушники finds наушников.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterable, List, Tuple

import jieba

jieba.setLogLevel(logging.WARNING)

_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_WORD = re.compile(r"[^\W_]+")
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_SPELLING = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ё": "е"})
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|كال|فال|لل|ال)(?=\w{3,})")
MIN_PREFIX_LENGTH = 4
# jieba's time grows faster than the length of a run of Han characters: a longer run (no sentence has one) is
# segmented in pieces of this length.
MAX_HAN_RUN = 64


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _ARABIC_DIACRITICS.sub("", text).translate(_SPELLING)


def is_han(term: str) -> bool:
    return bool(_HAN_RUN.fullmatch(term))


def terms(text: str) -> List[str]:
    """The search terms of ``text`` in order, duplicates kept."""
    result: List[str] = []
    for piece in _HAN_RUN.split(_normalize(text or "")):
        if not piece:
            continue
        if is_han(piece):
            for start in range(0, len(piece), MAX_HAN_RUN):
                result.extend(word for word in jieba.cut_for_search(piece[start:start + MAX_HAN_RUN]) if word.strip())
        else:
            result.extend(_ARABIC_ARTICLE.sub("", word) for word in _WORD.findall(piece))
    return result


def index_text(*texts: str) -> str:
    return " ".join(term for text in texts for term in terms(text))


def query_terms(query: str) -> List[Tuple[str, bool]]:
    """(term, is_prefix) pairs: longer alphabetic terms match their inflections."""
    seen = set()
    result = []
    for term in terms(query):
        if term in seen:
            continue
        seen.add(term)
        if is_han(term) or term.isdigit() or len(term) <= MIN_PREFIX_LENGTH:
            result.append((term, False))
        else:
            result.append((term[: max(MIN_PREFIX_LENGTH, len(term) - 2)], True))
    return result


def fts5_query(pairs: Iterable[Tuple[str, bool]]) -> str:
    """All terms (AND), in FTS5 syntax."""
    return " ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in pairs)


def tsquery(pairs: Iterable[Tuple[str, bool]]) -> str:
    """All terms (AND), in PostgreSQL tsquery syntax."""
    return " & ".join(f"'{term}'" + (":*" if prefix else "") for term, prefix in pairs)
