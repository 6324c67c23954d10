"""Reading a message typed in Latin letters back into its language's script.

Buyers without a Cyrillic or Arabic keyboard write Russian and Arabic in Latin letters ("privet, gde moy
zakaz s naushnikami", "3ayza a3raf el order beta3i wesel fen"), often mixed with English words ("el shoes
weslet"). The NLU, the answers lexicon and the actions' word lists know these languages in their own
script, so such a message is read back before the NLU sees it: "где мой заказ с наушниками", "عايزة أعرف
el order بتاعي وصل فين".

Each Latin word is spelled in the script by the language's letter table (``common/lexicon/romanization.yml``)
in the few ways its ambiguous letters allow, and each spelling is compared with the words the language is
known to have (the NLU's training words, then a word-frequency list) by a key that ignores what romanized
writing does not tell apart (ё/е, a soft sign, ص/س, a long vowel left out). The same word is looked up in
the languages written in Latin letters (English, Indonesian, Malay, Turkish, Vietnamese: the buyers' other
languages). A word the romanized language knows far better votes for it ("privet", "gde"); one the Latin
languages know as well votes against ("order", "hello", "makasih"); an Arabizi word with digits for letters
("3ayza") or a word of the table ("msh", "aywa") is a sure vote. The message is read back when it has a
sure vote and more votes for the language than against: then every word is read but those the Latin
languages know better (a brand, "order", "refund" stay as typed), and one the language does not know is
spelled letter by letter. Order numbers, links, model numbers and acronyms are never touched.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

ROMANIZATION = Path(__file__).resolve().parent.parent / "common" / "lexicon" / "romanization.yml"
LATIN = "latin"  # the vocabulary's entry for the words of the languages written in Latin letters
LATIN_LANGUAGES = ("en", "id", "ms", "tr", "vi")
MAX_SPELLINGS = 32
# how much more common a word's reading must be than the word is in a Latin-script language for it to be read
# ("net" is нет, "hello" is not حالة; zipf units)
LATIN_MARGIN = 2.5
# a word the NLU was trained on counts as at least this common, plus the bonus
KNOWN_FLOOR, KNOWN_BONUS = 3.0, 3.0
# a spelling found only by the loose key, or with a key this short, is used but does not vote; a loose match
# counts this much less than a strict one
LOOSE_PENALTY = 1.5
# among the words the spellings match, one that matches more of the typed letters is likelier ("na2sa" is
# ناقصة, not نص): each letter of the key counts this much
KEY_LETTER_WEIGHT = 1.0
MIN_VOTING_KEY = 3
# a word whose digits stand for letters ("3ayza"), or one of the table's words that English does not have
# ("aywa", "msh"), is the surest sign of a romanized language
SURE_VOTES = 2

_WORD = re.compile(r"(?<![\w\-/.@#])[A-Za-z0-9']*[A-Za-z][A-Za-z0-9']*(?![\w\-/@#]|\.\w)")
_LINK = re.compile(r"https?://\S+|\S+@\S+")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")
_SPACES_ONLY = re.compile(r"^[ \t]+$")
_LATIN_WORD = re.compile(r"[a-z']+")
_STRETCH = re.compile(r"([a-z])\1+")
_LAST_STRETCH = re.compile(r"(?<=([a-z]))\1+$")


@dataclass(frozen=True)
class Scheme:
    """One language's romanization: its letter table and how two spellings are compared."""

    language: str
    script: str
    vowels: str
    letters: Mapping[str, Tuple[str, ...]]
    word_start: Mapping[str, Tuple[str, ...]]
    word_end: Mapping[str, Tuple[str, ...]]
    after_vowel: Mapping[str, Tuple[str, ...]]
    words: Mapping[str, str]
    prefixes: Mapping[str, str]
    pairs: Mapping[str, str]
    drop: frozenset
    loose_drop: frozenset

    @property
    def reads_digits(self) -> bool:
        return any(letter.isdigit() for letter in self.letters)

    def key(self, word: str, loose: bool = False) -> str:
        """What a spelling is compared by: letters not told apart made one, letters left out dropped,
        doubled letters made single."""
        letters = [self.pairs.get(char, char) for char in word.lower()]
        dropped = self.drop | self.loose_drop if loose else self.drop
        kept = "".join(char for char in "".join(letters) if char not in dropped)
        return "".join(char for char, _run in itertools.groupby(kept))

    def spellings(self, word: str) -> List[str]:
        """The script spellings of a Latin ``word``, the usual one first (at most MAX_SPELLINGS)."""
        lowered = word.lower()
        options: List[Tuple[str, ...]] = []
        position = 0
        longest = max(map(len, self.letters))
        while position < len(lowered):
            for size in range(min(longest, len(lowered) - position), 0, -1):
                piece = lowered[position:position + size]
                if piece not in self.letters:
                    continue
                options.append(self._readings(piece, lowered, position, size))
                position += size
                break
            else:  # a character the table does not read (a hyphen inside a word): kept
                options.append((lowered[position],))
                position += 1
        return ["".join(choice) for choice in itertools.islice(itertools.product(*options), MAX_SPELLINGS)]

    def _readings(self, piece: str, word: str, position: int, size: int) -> Tuple[str, ...]:
        if position == 0 and piece in self.word_start:
            return self.word_start[piece]
        if position + size == len(word) and piece in self.word_end:
            return self.word_end[piece]
        if position > 0 and word[position - 1] in self.vowels and piece in self.after_vowel:
            return self.after_vowel[piece]
        return self.letters[piece]

    def is_digit_word(self, word: str) -> bool:
        """Arabizi: a word whose digits stand for letters ("3ayza", "7ad", "hadfa3"), not a model number
        ("ps5", "iphone15", "mp3"): every digit is one the table reads, none next to another, each followed
        by a letter or ending the word after a vowel."""
        if not self.reads_digits or not any(char.isdigit() for char in word) or re.search(r"\d\d", word):
            return False
        lowered = word.lower()
        for index, char in enumerate(lowered):
            if not char.isdigit():
                continue
            if char not in self.letters:
                return False
            following = lowered[index + 1:index + 2]
            if following.isalpha():
                continue
            if not (following == "" and index > 0 and lowered[index - 1] in self.vowels):
                return False
        return sum(char.isalpha() for char in lowered) >= 2


def _tuple(value: object) -> Tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def _table(entries: Optional[Mapping]) -> Dict[str, Tuple[str, ...]]:
    return {str(latin): _tuple(native) for latin, native in (entries or {}).items()}


@lru_cache(maxsize=4)
def load_schemes(path: Path = ROMANIZATION) -> Dict[str, Scheme]:
    """Every language's scheme in the file, by language code; a malformed entry is an error."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    schemes = {}
    for language, entry in data.items():
        try:
            key = entry["key"]
            schemes[language] = Scheme(
                language=language, script=entry["script"], vowels=str(entry.get("vowels") or ""),
                letters=_table(entry["letters"]), word_start=_table(entry.get("word_start")),
                word_end=_table(entry.get("word_end")), after_vowel=_table(entry.get("after_vowel")),
                words={str(k): str(v) for k, v in (entry.get("words") or {}).items()},
                prefixes={str(k): str(v) for k, v in (entry.get("prefixes") or {}).items()},
                pairs={str(k): str(v) for k, v in (key.get("pairs") or {}).items()},
                drop=frozenset(key.get("drop") or ()), loose_drop=frozenset(key.get("loose_drop") or ()))
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{path.name}: {language}: malformed romanization entry ({error})") from error
        if not schemes[language].letters:
            raise ValueError(f"{path.name}: {language}: no letters")
    return schemes


class Vocabulary:
    """How common each word is (zipf: log10 of its frequency per billion words), per language; LATIN for the
    words of the Latin-script languages. Built once from the NLU's training words and word-frequency lists,
    saved in the model; the spelling keys are indexed when the model loads."""

    def __init__(self, scores: Mapping[str, Mapping[str, float]], schemes: Mapping[str, Scheme]) -> None:
        self.scores = {language: dict(words) for language, words in scores.items()}
        self._indexes: Dict[Tuple[str, bool], Dict[str, Tuple[str, float]]] = {}
        for language, scheme in schemes.items():
            for loose in (False, True):
                index: Dict[str, Tuple[str, float]] = {}
                for word, score in self.scores.get(language, {}).items():
                    key = scheme.key(word, loose)
                    if key and (key not in index or score > index[key][1]):
                        index[key] = (word, score)
                self._indexes[(language, loose)] = index

    def latin(self, word: str) -> float:
        """How common a Latin word is in the Latin-script languages; a stretched one ("helloo", "okk") as its
        plain spelling."""
        known = self.scores.get(LATIN, {})
        lowered = word.lower()
        plain = [lowered, _STRETCH.sub(r"\1", lowered), _STRETCH.sub(r"\1\1", lowered), _LAST_STRETCH.sub("", lowered)]
        return max(known.get(spelling, 0.0) for spelling in plain)

    def score(self, language: str, word: str) -> float:
        return self.scores.get(language, {}).get(word, 0.0)

    def find(self, scheme: Scheme, spellings: Sequence[str]) -> Optional[Tuple[str, float, bool]]:
        """The likeliest known word among ``spellings``' matches: (word, its score, whether it may vote),
        ranked by score, more for each letter matched, less for a loose match (which never votes)."""
        found = []
        for loose in (False, True):
            index = self._indexes.get((scheme.language, loose), {})
            for key in {scheme.key(spelling, loose) for spelling in spellings}:
                if key in index:
                    word, score = index[key]
                    found.append((score + KEY_LETTER_WEIGHT * len(key) - (LOOSE_PENALTY if loose else 0), word,
                                  not loose and len(key) >= MIN_VOTING_KEY))
        if not found:
            return None
        _rank, word, may_vote = max(found)
        return word, self.score(scheme.language, word), may_vote


def vocabulary_scores(training_words: Mapping[str, Mapping[str, int]], schemes: Mapping[str, Scheme],
                      latin_languages: Sequence[str] = LATIN_LANGUAGES,
                      frequency_lists: Optional[Mapping[str, Mapping[str, float]]] = None
                      ) -> Dict[str, Dict[str, float]]:
    """Each language's word scores: a frequency list's zipf, raised for the words the NLU was trained on
    (``training_words``: language -> word -> count; LATIN for every Latin-script word, whose scores are the
    best of ``latin_languages``' lists)."""
    if frequency_lists is None:
        frequency_lists = wordfreq_lists([*latin_languages, *schemes])
    latin: Dict[str, float] = {}
    for language in latin_languages:
        for word, score in frequency_lists.get(language, {}).items():
            if _LATIN_WORD.fullmatch(word) and score > latin.get(word, 0.0):
                latin[word] = score
    scores: Dict[str, Dict[str, float]] = {}
    for language in {LATIN, *schemes}:
        words = dict(latin if language == LATIN else frequency_lists.get(language, {}))
        for word in training_words.get(language, {}):
            words[word] = max(words.get(word, 0.0), KNOWN_FLOOR) + KNOWN_BONUS
        scores[language] = {word: round(score, 2) for word, score in words.items()}
    return scores


def wordfreq_lists(languages: Iterable[str]) -> Dict[str, Dict[str, float]]:
    """The ``wordfreq`` package's small lists (shipped inside the package: nothing is downloaded), as zipf
    scores; a language it has no list for is left out."""
    import math

    from wordfreq import get_frequency_dict

    lists = {}
    for language in languages:
        try:
            frequencies = get_frequency_dict(language, "small")
        except LookupError:
            continue
        lists[language] = {word: math.log10(frequency) + 9 for word, frequency in frequencies.items()
                           if frequency > 0}
    return lists


@dataclass(frozen=True)
class Reading:
    """A romanized message read back: its language and the text in that language's script."""

    language: str
    text: str


@dataclass
class _Word:
    start: int
    end: int
    text: str
    reading: Optional[str] = None
    votes: int = 0
    latin: bool = False  # a vote for the message being in a Latin-script language
    # kept as typed unless the message is read back, then read as ``fallback`` (as common in the language as
    # in the Latin ones: "do" до, "spor" спор)
    fallback: Optional[str] = None
    weak: bool = False


class RomanizedReader:
    """Reads a message typed in Latin letters back into Russian or Arabic script, or leaves it be."""

    def __init__(self, schemes: Mapping[str, Scheme], vocabulary: Vocabulary) -> None:
        self.schemes = dict(schemes)
        self.vocabulary = vocabulary

    def read(self, text: str) -> Optional[Reading]:
        """The message read back in the language most of its words vote for, None when they do not (English,
        a brand name, an order number, any other script)."""
        if not text or not re.search(r"[A-Za-z]", text) or re.search(r"[^\x00-\u024f\s\W\d]", text):
            return None  # no Latin letters, or letters of another script: not romanized
        best: Optional[Tuple[int, str, List[_Word]]] = None
        for language, scheme in self.schemes.items():
            words = self._words(text, scheme)
            votes = sum(word.votes for word in words)
            latin = sum(word.latin for word in words)
            sure = any(word.votes and not word.weak for word in words)
            if sure and votes > latin and (best is None or votes > best[0]):
                best = (votes, language, words)
        if best is None:
            return None
        _votes, language, words = best
        for word in words:
            if word.reading is None and word.fallback:
                word.reading = word.fallback
        return Reading(language, self._joined(text, words, self.schemes[language]))

    def _words(self, text: str, scheme: Scheme) -> List[_Word]:
        links = [match.span() for match in _LINK.finditer(text)]
        words = []
        for match in _WORD.finditer(text):
            if any(start <= match.start() < end for start, end in links):
                continue
            word = _Word(match.start(), match.end(), match.group())
            self._judge(word, scheme)
            words.append(word)
        for word, following in zip(words, words[1:]):  # "el felos": a prefix joined to a read word is a sign
            if word.text.lower() in scheme.prefixes and following.reading and not word.votes:
                word.votes = 1
        return words

    def _judge(self, word: _Word, scheme: Scheme) -> None:
        token = word.text
        lowered = token.lower()
        latin = self.vocabulary.latin(lowered)
        has_digit = any(char.isdigit() for char in token)
        short = sum(char.isalpha() for char in token) <= 2  # "do", "da", "me": too short to vote either way
        if has_digit and not scheme.is_digit_word(token):
            return  # a model number, a size: no language's
        if _ACRONYM.match(token) and not has_digit:
            word.latin = latin > 0 and not short
            return  # "DJI", "USD", "NFC": kept as typed
        if lowered in scheme.words:
            word.reading = scheme.words[lowered]
            word.votes = SURE_VOTES if not latin and not short else 0
            return
        if lowered in scheme.prefixes:
            return  # "el", "b": read only with the word they are joined to
        spellings = scheme.spellings(token)
        found = self.vocabulary.find(scheme, spellings)
        native, score, may_vote = found if found else (None, 0.0, False)
        if has_digit:  # Arabizi: its digits say which language it is
            word.reading, word.votes = native or spellings[0], SURE_VOTES
            return
        if latin and (score < latin + LATIN_MARGIN or not may_vote):
            word.latin = not short  # "order", "hello", "budget", "makasih": kept
            word.fallback = _cased(native, token) if native and score >= latin else None
            return
        word.reading = _cased(native or (spellings[0] if not short else None), token)
        word.votes = int(bool(native) and may_vote and not short)
        word.weak = latin > 0  # "net", "kak": a Latin word too, read only beside a surer sign

    @staticmethod
    def _joined(text: str, words: List[_Word], scheme: Scheme) -> str:
        """The text with each read word replaced; a prefix written apart ("el", "w el") joined to the read
        word after it, or left as typed when that word is kept."""
        pieces: List[str] = []
        position = 0
        pending: List[_Word] = []  # prefixes waiting for the word they belong to

        def flush() -> None:
            nonlocal position
            for prefix in pending:
                if prefix.reading:  # "w" before a kept word is still "and" (a whole word, from the table)
                    pieces.append(text[position:prefix.start])
                    pieces.append(prefix.reading)
                    position = prefix.end
            pending.clear()

        for index, word in enumerate(words):
            lowered = word.text.lower()
            following = words[index + 1] if index + 1 < len(words) else None
            if (lowered in scheme.prefixes and following is not None
                    and _SPACES_ONLY.match(text[word.end:following.start] or "x")):
                pending.append(word)
                continue
            if word.reading:
                if pending:
                    pieces.append(text[position:pending[0].start])
                    prefix = "".join(scheme.prefixes[p.text.lower()] for p in pending)
                    pieces.append(_joined_prefix(prefix, word.reading))
                    pending.clear()
                else:
                    pieces.append(text[position:word.start])
                    pieces.append(word.reading)
                position = word.end
            else:
                flush()
        flush()
        pieces.append(text[position:])
        return "".join(pieces)


def _joined_prefix(prefix: str, word: str) -> str:
    """A prefix joined to its word, the letters both spell once ("ال" + "الاستلام" is "الاستلام")."""
    for size in range(min(len(prefix), len(word)), 1, -1):
        if prefix.endswith(word[:size]):
            return prefix + word[size:]
    return prefix + word


def _cased(reading: Optional[str], typed: str) -> Optional[str]:
    """A reading capitalized as the typed word was ("Samarkand" -> "Самарканд")."""
    if reading and typed[:1].isupper():
        return reading[:1].upper() + reading[1:]
    return reading
