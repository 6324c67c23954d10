"""The currency or the country a buyer names in a sentence ("RM100", "1500 рублей", "١٠٠ ريال سعودي", "三百零吉";
"للسعوديه", "в Казань"), or a carrier's tracking number, for when the NLU did not tag it. The words are the
NLU's own synonyms (data/nlu/<language>/synonyms.yml: every synonym whose value is an ISO 4217 code is a
currency, an ISO 3166 alpha-2 code a country) and its patterns (data/nlu/regex.yml), so one list serves both.
Read by the actions and by bot/form_answers.py."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from common.answer_words import expand, is_cjk, lexicon, mentions
from common.spelling import fold

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_LETTER = r"[^\W\d_\u3400-\u9fff]"
MULTIPLIER_ENDS = "кkКK千万百十"  # "30к р", "3千块"
# Chinese digits a one-character currency word may follow ("三十五块", "一百五块"); not 一 and 两, whose "一块", "两块"
# also mean "together" and "two pieces".
HAN_DIGIT_ENDS = "三四五六七八九"
# Arabic words take clitics: "للسعوديه" is "for Saudi Arabia" (li + al-), "بالامارات" "in the Emirates".
_ARABIC_CLITICS = re.compile(r"(?<![\u0600-\u06ff])(?:وال|بال|لل|فال|ال|ل|ب|و)(?=[\u0600-\u06ff]{3,})")


def _synonyms(kind: "re.Pattern[str]") -> Dict[str, str]:
    """Every synonym (lower case) of a value that matches ``kind``, and the value itself."""
    words: Dict[str, str] = {}
    for path in sorted(NLU_DATA.glob("*/synonyms.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or ():
            code = str(item.get("synonym", ""))
            if not kind.fullmatch(code):
                continue
            words[code.lower()] = code
            for line in str(item.get("examples", "")).splitlines():
                word = line.strip().removeprefix("- ").strip().lower()
                if word:
                    words.setdefault(word, code)
    return words


@lru_cache(maxsize=1)
def _regex_patterns(entity: str) -> Tuple["re.Pattern[str]", ...]:
    """The NLU's regex features for ``entity`` (data/nlu/regex.yml), compiled."""
    data = yaml.safe_load((NLU_DATA / "regex.yml").read_text(encoding="utf-8")) or {}
    return tuple(re.compile(line.strip().removeprefix("- ").strip())
                 for item in data.get("nlu") or () if item.get("regex") == entity
                 for line in str(item.get("examples", "")).splitlines() if line.strip())


def tracking_number_in(text: str) -> Optional[str]:
    """The first carrier tracking number in a text (LP…, YT…, RR123456789CN, in the NLU's patterns), upper
    case; None when there is none."""
    found = [match for pattern in _regex_patterns("tracking_number") for match in [pattern.search(text or "")]
             if match]
    return min(found, key=lambda match: match.start()).group().upper() if found else None


# An order number as the shop writes it, "SR-204517" (the digits are the group).
ORDER_NUMBER = re.compile(r"SR[\s-]?(\d{6})", re.IGNORECASE)
# Six digits on their own, as buyers write an order number without its "SR-" (the digits are the group).
ORDER_DIGITS = re.compile(r"(?<![\d.,])(\d{6})(?![\d.,]*\d)")


def without_order_numbers(text: str) -> str:
    """The text with its order numbers ("SR-900023", "900023") blanked out: what else it says (an amount, words).
    The whole "SR-900023" first: its digits alone would leave an "SR-" behind, read as a word."""
    return ORDER_DIGITS.sub(" ", ORDER_NUMBER.sub(" ", text))


def orders_named(text: Optional[str]) -> frozenset:
    """The shop's order numbers a text names in full ("SR-900053", "sr ٩٠٠٠٥٣"), as the shop writes them."""
    return frozenset("SR-" + "".join(str(unicodedata.digit(digit)) for digit in digits)
                     for digits in ORDER_NUMBER.findall(text or ""))


def corrects_the_order(text: Optional[str], held: Optional[str] = None) -> bool:
    """Whether a message takes the order back instead of answering the question: it names an order (other than
    ``held``, the one the form is about, when given) with a word that takes back what was said ("не тот номер
    скинул … SR-900042", "لا لا سوري غلطت، الصحيح SR-900053"; its "غلطت", I got it wrong, is no reason)."""
    return bool(orders_named(text) - {held}) and bool(mentions(text or "", lexicon().correction))


def order_digits_named(text: str) -> bool:
    """Whether a text names six digits on their own (``ORDER_DIGITS``)."""
    return bool(ORDER_DIGITS.search(text or ""))


def order_number_named(text: str) -> bool:
    """Whether a text names one of the shop's order numbers (SR-204517, in the NLU's pattern)."""
    return any(pattern.search(text or "") for pattern in _regex_patterns("order_id"))


@lru_cache(maxsize=1)
def currency_words() -> Tuple[Tuple[str, str], ...]:
    """(word in lower case, ISO code), longest word first."""
    return tuple(sorted(_synonyms(_CURRENCY_CODE).items(), key=lambda pair: len(pair[0]), reverse=True))


@lru_cache(maxsize=1)
def _pattern() -> "re.Pattern[str]":
    """A currency word standing alone; a one-letter word ("р", "块"; not a sign such as "$") only right after a
    number."""
    parts = []
    for word, _ in currency_words():
        escaped = re.escape(word)
        if len(word) == 1 and (is_cjk(word) or re.match(_LETTER, word)):  # "р", "块", "刀" (a knife, too)
            after_a_number = rf"(?<=[\d{MULTIPLIER_ENDS}{HAN_DIGIT_ENDS}])"
            parts.append(rf"{after_a_number}{escaped}(?!{_LETTER})|(?<=\d\s){escaped}(?!{_LETTER})")
        elif is_cjk(word[0]) or not re.match(_LETTER, word):
            parts.append(escaped)
        else:
            parts.append(rf"(?<!{_LETTER}){escaped}(?!{_LETTER})")
    return re.compile("|".join(parts))


def currency_in_text(text: str) -> Optional[str]:
    """The ISO code of the first currency named in ``text``, or None."""
    match = _pattern().search((text or "").lower())
    if not match:
        return None
    return _currency_codes()[match.group(0)]


@lru_cache(maxsize=1)
def _currency_codes() -> Dict[str, str]:
    return dict(currency_words())


def _arabic_plain(text: str) -> str:
    return _ARABIC_CLITICS.sub("", fold(text))


def _word_table(kind: "re.Pattern[str]", clean: Callable[[str], str]) -> Tuple[Dict[str, str], "re.Pattern[str]"]:
    """(each synonym of a value that matches ``kind``, cleaned -> that value; a pattern that finds any of them)."""
    words: Dict[str, str] = {}
    for word, value in _synonyms(kind).items():
        words.setdefault(clean(word), value)
    return words, _any_word(words)


# The languages whose CLDR country names are read (buyers write the countries they ship to in their own).
CLDR_LANGUAGES = ("en", "zh", "ru", "ar", "tr", "id")
# CLDR names that are also common words or names ("Jordan" sneakers, "того" is "of that", "مالي" "my money"):
# not read as countries (the NLU's synonyms still name the partner countries).
NAMES_ALSO_WORDS = frozenset({"jordan", "chad", "georgia", "guinea", "jersey", "togo", "niger", "mali", "panama",
                              "того", "чад", "мали", "нигер", "مالي", "تشاد", "النيجر", "جيرسي", "توجو"})


def cldr_country_names() -> Dict[str, str]:
    """Every country's name in the buyers' languages (Babel's CLDR data, in the package), lower case -> ISO
    code: a buyer may name any country, also one whose import rules the shop does not have ("الكويت")."""
    from babel import Locale  # imported here: only the first call pays for loading it

    names: Dict[str, str] = {}
    for language in CLDR_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            word = name.lower()
            if _COUNTRY_CODE.fullmatch(code) and code not in NOT_COUNTRIES and word not in NAMES_ALSO_WORDS:
                names.setdefault(word, code)
    return names


NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})  # CLDR's groupings and pseudo-regions


@lru_cache(maxsize=None)
def country_name(code: str, language: str) -> Optional[str]:
    """A country's name in a language (CLDR), or None for a code that names no country."""
    from babel import Locale

    code = (code or "").upper()
    if not _COUNTRY_CODE.fullmatch(code) or code in NOT_COUNTRIES:
        return None
    return Locale.parse(language if language in CLDR_LANGUAGES else "en").territories.get(code)


@lru_cache(maxsize=1)
def _countries() -> Tuple[Dict[str, str], "re.Pattern[str]"]:
    """The NLU's country synonyms (and cities), then every other country's CLDR names."""
    words, _ = _word_table(_COUNTRY_CODE, _arabic_plain)
    for name, code in cldr_country_names().items():
        words.setdefault(_arabic_plain(name), code)
    return words, _any_word(words)


def _any_word(words: Dict[str, str]) -> "re.Pattern[str]":
    """A pattern that finds any of ``words`` standing alone (Chinese: anywhere), the longest first."""
    ordered = sorted(words, key=len, reverse=True)
    written = "|".join(re.escape(word) for word in ordered if not is_cjk(word[0]))
    chinese = "|".join(re.escape(word) for word in ordered if is_cjk(word[0]))
    # one check of the letters around for all the words written in letters (not one per word: several hundred
    # country names are tried at every position)
    parts = ([rf"(?<!{_LETTER})(?:{written})(?!{_LETTER})"] if written else []) + ([chinese] if chinese else [])
    return re.compile("|".join(parts))


def countries_in_text(text: str, before: int = 12) -> Tuple[Tuple[str, str], ...]:
    """(ISO code in upper case, the ``before`` characters said just before it) of every country named (or a
    city of one), in order: the words before tell a destination from an origin ("from China")."""
    return tuple((code, said_before) for code, said_before, _ in countries_with_what_follows(text, before))


def countries_with_what_follows(text: str, before: int = 12) -> Tuple[Tuple[str, str, str], ...]:
    """``countries_in_text`` with what is said after each, up to the next one named ("比什凯克…哦不对，是" before
    "阿拉木图": a correction between them takes the first back)."""
    words, pattern = _countries()
    plain = _arabic_plain((text or "").lower())
    matches = [match for match in pattern.finditer(plain) if _meant(match.group(0), text or "")]
    ends = [match.start() for match in matches[1:]] + [len(plain)]
    return tuple((words[match.group(0)], plain[max(0, match.start() - before):match.start()], plain[match.end():end])
                 for match, end in zip(matches, ends))


# The catalog's colours (backends/seed/large_catalog.COLORS; a test keeps them the same): the values of the
# NLU's colour synonyms.
COLOURS = frozenset("red blue green black white gray pink purple yellow orange brown gold silver beige".split())
_COLOUR = re.compile("|".join(sorted(COLOURS)))


@lru_cache(maxsize=1)
def _colours() -> Tuple[Dict[str, str], "re.Pattern[str]"]:
    return _word_table(_COLOUR, fold)


def colour_in_text(text: str, refused: Sequence[str] = (), corrections: Sequence[str] = ()) -> Optional[str]:
    """The catalog colour a text asks for ("black colour pls, the white one gets dirty": black; "а есть чёрные?",
    "要粉色的"), for when the NLU tagged none: the first colour word not right after one of the ``refused``
    words ("not black, white": white), or the one after a correction word that takes the first back ("粉色的…哦不对
    要绿色": green); None when it names none."""
    words, pattern = _colours()
    folded = fold(text or "")
    named = [match for match in pattern.finditer(folded)
             if not any(folded[max(0, match.start() - 10):match.start()].rstrip().endswith(word) for word in refused)]
    asked = _in_the_last_question(folded, named)
    if asked and len({words[match.group(0)] for match in named}) > 1:
        named = asked  # "the pink one cute but he's a boy hehe, any yellow or blue?": the colours it asks for
    for match, following in zip(named, named[1:]):
        if not mentions(folded[match.end():following.start()], corrections):
            return words[match.group(0)]
    return words[named[-1].group(0)] if named else None


_CLAUSE_END = re.compile(r"[.!;,،，。！；\n]")


def _in_the_last_question(folded: str, named: List["re.Match[str]"]) -> List["re.Match[str]"]:
    """The matches inside the clause the text's last question mark ends."""
    end = max((folded.rfind(mark) for mark in ("?", "؟", "？")), default=-1)
    if end < 0:
        return []
    start = max((found.end() for found in _CLAUSE_END.finditer(folded, 0, end)), default=0)
    return [match for match in named if start <= match.start() < end]


def colours_named(text: str) -> List[str]:
    """Every catalog colour a text names, in order, each once."""
    words, pattern = _colours()
    return list(dict.fromkeys(words[match.group(0)] for match in pattern.finditer(fold(text or ""))))


# Two-letter country codes that are also common words (English "my", "by", "id", "eg"; Malay "ke", "sa"; "kg").
CODES_ALSO_WORDS = frozenset({"by", "my", "id", "eg", "th", "pl", "ke", "sa", "ng", "kg", "ir"})


def _meant(word: str, text: str) -> bool:
    """Such a code names its country only typed in capitals: "MY", "ID", "BY", not "my brother", "by plane",
    "id card" (the other codes count as typed: "to kz", "uz")."""
    if word not in CODES_ALSO_WORDS:
        return True
    return re.search(rf"(?<![A-Za-z]){word.upper()}(?![A-Za-z])", text) is not None


# The words around a number that make it a most-to-pay (common/lexicon/amount_context.yml, read by
# actions/amounts.py too); the words among them that say about, or for, not at most ("3000块左右的无人机", "дрон
# за 800$": a price asked about) do not count here.
AMOUNT_CONTEXT = Path(__file__).resolve().parent / "lexicon" / "amount_context.yml"
APPROXIMATE = frozenset({"左右", "上下", "около", "примерно", "в районе", "за", "around", "about", "تقريبا", "تقريباً",
                         "sekitar"})
_NUMBER = r"(?:\d|[零〇一二两三四五六七八九十百千万])"
CEILING_REACH = 12  # characters between a number and the word after it that caps it ("150人民币以内")


@lru_cache(maxsize=1)
def _ceiling_pattern() -> "re.Pattern[str]":
    data = yaml.safe_load(AMOUNT_CONTEXT.read_text(encoding="utf-8")) or {}
    before, after = set(), set()
    for lists in data.values():
        if isinstance(lists, dict):
            before.update(phrase.lower() for word in lists.get("ceiling_before") or () for phrase in expand(str(word)))
            after.update(phrase.lower() for word in lists.get("ceiling_after") or () for phrase in expand(str(word)))

    def word(phrase: str) -> str:
        escaped = re.escape(phrase)
        return escaped if is_cjk(phrase[0]) else rf"(?<!{_LETTER}){escaped}(?!{_LETTER})"

    befores = "|".join(word(p) for p in sorted(before - APPROXIMATE, key=len, reverse=True))
    afters = "|".join(word(p) for p in sorted(after - APPROXIMATE, key=len, reverse=True))
    return re.compile(rf"(?:{befores})\W{{0,3}}{_NUMBER}|{_NUMBER}[^\n]{{0,{CEILING_REACH}}}?(?:{afters})")


def budget_said(text: Optional[str]) -> bool:
    """Whether a message caps what the buyer will pay ("一百五人民币以内", "under 50", "до 20 тыщ"): it is choosing a
    product, not asking about a price."""
    return bool(_ceiling_pattern().search(fold(text or "")))
