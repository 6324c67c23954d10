"""Amounts as buyers type them ("5000", "1,200", "15k", "٥٠٠", "1 299,90", "2 juta", "30 тыщ", "3万",
"٣ آلاف", "two hundred", "两千", "مئة وخمسون") into minor units, and which number in a sentence is money
("a 20000 mAh power bank under 300 000 сум": 300000). The words are data: the words that multiply a number
(common/lexicon/amount_words.yml), numbers written as words (number_words.yml), and the words around a
number that make it a measure or a most-to-pay (amount_context.yml)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from actions.clients.money import exponent_of
from common.answer_words import ends_with, is_cjk, lexicon, mentions, normalize, phrase_lists, starts_with
from common.entity_words import currency_in_text
from common.spelling import fold

LEXICON = Path(__file__).resolve().parent.parent / "common" / "lexicon"
AMOUNT_WORDS = LEXICON / "amount_words.yml"
NUMBER_WORDS = LEXICON / "number_words.yml"
AMOUNT_CONTEXT = LEXICON / "amount_context.yml"
CURRENCY_OF_WORDS = "currency_of_words"
THOUSAND_BEFORE_CURRENCY = "thousand_before_currency"
NOT_MULTIPLIERS = (CURRENCY_OF_WORDS, THOUSAND_BEFORE_CURRENCY)
_LETTER = re.compile(r"[^\W\d_]")
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
CURRENCY_REACH = 24  # how far after an amount its currency may be named ("100 Malaysian ringgit")


def ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, Persian, full-width...) as its ASCII digit."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


@lru_cache(maxsize=1)
def _amount_words() -> Dict[str, Any]:
    """``amount_words.yml`` as written: each language's multipliers and the tables of NOT_MULTIPLIERS."""
    return yaml.safe_load(AMOUNT_WORDS.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def multipliers() -> Dict[str, int]:
    """Word -> what it multiplies by, every language's together, lower case."""
    return {str(word).lower(): int(value) for language, words in _amount_words().items()
            if language not in NOT_MULTIPLIERS for word, value in words.items()}


@lru_cache(maxsize=1)
def currency_of_words() -> Dict[str, str]:
    """Multiplier word -> the currency it says by itself ("rb": IDR)."""
    return {str(word).lower(): str(code).upper()
            for word, code in (_amount_words().get(CURRENCY_OF_WORDS) or {}).items()}


@lru_cache(maxsize=1)
def _thousands_slang() -> "re.Pattern[str]":
    """A word that makes the number before it thousands, then a currency ("5 штук баксов")."""
    words = "|".join(re.escape(str(word).lower()) for word in _amount_words().get(THOUSAND_BEFORE_CURRENCY) or ())
    return re.compile(rf"\s*(?:{words})\s+(\S+)") if words else re.compile(r"(?!)")


def _thousands_before_currency(lowered: str, end: int) -> bool:
    match = _thousands_slang().match(lowered, end)
    return bool(match) and currency_in_text(match.group(1)) is not None


def _currency_of_suffix(typed: str) -> Optional[str]:
    """The currency the multiplier word an amount ends with says ("75rb": IDR), if any."""
    word = _WORD_TOKEN.findall(typed)
    return currency_of_words().get(word[-1]) if word else None


def _suffix_pattern() -> str:
    """The multiplier words, longest first; a word in a script with spaces must end there ("20 kg" is not
    20 thousand: "k" is followed by a letter)."""
    parts = []
    for word in sorted(multipliers(), key=len, reverse=True):
        escaped = re.escape(word)
        parts.append(escaped if is_cjk(word[0]) else escaped + r"(?![^\W\d_\u3400-\u9fff])")
    return "|".join(parts)


@lru_cache(maxsize=1)
def _amount() -> "re.Pattern[str]":
    return re.compile(rf"^(\d+(?:[.,]\d{{1,2}})?)({_suffix_pattern()})?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _number_in_text() -> "re.Pattern[str]":
    # a space goes on with a number only after a digit ("15 000"; "2000, 1500" is two)
    return re.compile(rf"\d(?:[\d.,]|(?<=\d)\s(?=\d))*(?:\s?(?:{_suffix_pattern()}))?", re.IGNORECASE)


def parse_amount(text: str) -> Optional[Decimal]:
    """The number in ``text`` in major units, or None when it is not an amount."""
    cleaned = ascii_digits(text or "").replace("\u066c", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):  # 1,200 or 1,200.50: commas group thousands
        cleaned = cleaned.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", cleaned):  # "Rp 100.000", "1.500.000 сум", "2.500,50":
        cleaned = cleaned.replace(".", "")  # dots group thousands (no price has three decimals)
    match = _amount().match(cleaned.lower())
    if not match:
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    suffix = (match.group(2) or "").lower()
    return number * multipliers().get(suffix, 1) if number > 0 else None



@dataclass(frozen=True)
class FoundAmount:
    value: Decimal
    start: int
    end: int
    ceiling: bool  # said as a most-to-pay: "under 50", "до 20 тыщ", "1000以内"


@dataclass(frozen=True)
class NumberWords:
    add: Dict[str, Decimal]
    times: Dict[str, Decimal]
    scale: Dict[str, Decimal]
    joins: Tuple[str, ...]
    kinds: Dict[str, Tuple[Decimal, str]]  # each word's (value, kind)

    @classmethod
    def of(cls, tables: Dict[str, Dict[str, Decimal]], joins: Tuple[str, ...]) -> "NumberWords":
        return cls(tables["add"], tables["times"], tables["scale"], joins,
                   {word: (value, kind) for kind, table in tables.items() for word, value in table.items()})


@lru_cache(maxsize=1)
def number_words() -> Tuple[NumberWords, NumberWords]:
    """(words of languages with spaces, Chinese characters), every language's together."""
    data = yaml.safe_load(NUMBER_WORDS.read_text(encoding="utf-8"))
    spaced: Dict[str, Dict[str, Decimal]] = {"add": {}, "times": {}, "scale": {}}
    han: Dict[str, Dict[str, Decimal]] = {"add": {}, "times": {}, "scale": {}}
    joins: List[str] = []
    for language, kinds in data.items():
        target = han if language == "zh" else spaced
        for kind in ("add", "times", "scale"):
            words = kinds.get(kind) or {}
            target[kind].update({str(word).lower(): Decimal(str(value)) for word, value in words.items()})
        joins.extend(str(word).lower() for word in kinds.get("and") or ())
    return NumberWords.of(spaced, tuple(joins)), NumberWords.of(han, ())


@dataclass(frozen=True)
class AmountContext:
    units: Tuple[str, ...]
    units_before: Tuple[str, ...]
    ceiling_before: Tuple[str, ...]
    ceiling_after: Tuple[str, ...]
    sizes: Tuple[str, ...]
    per_unit: Tuple[str, ...]
    paid_after: Tuple[str, ...]


@lru_cache(maxsize=1)
def amount_context() -> AmountContext:
    return AmountContext(**phrase_lists(AMOUNT_CONTEXT, tuple(AmountContext.__dataclass_fields__), str.lower))


def _starts_with_word(text: str, phrases: Sequence[str]) -> bool:
    return any(starts_with(text, phrase) for phrase in phrases)


def _ends_with_word(text: str, phrases: Sequence[str]) -> bool:
    return any(ends_with(text, phrase) for phrase in phrases)


def _is_identifier(lowered: str, start: int, digits: str) -> bool:
    """The digits belong to an order or tracking number ("SR-900004", "LP00123456789012"), not an amount."""
    before = lowered[:start]
    if re.search(r"(?<![a-z])sr[- ]?$", before) and len(re.sub(r"\D", "", digits)) >= 6:
        return True
    return bool(before) and before[-1].isascii() and before[-1].isalpha() and len(digits) >= 9


WORDS_BEFORE = 3  # how many words before an amount one that says what it is may stand ("i paid RM 179.80")
SAID_BEFORE = 40  # how much is read before a number for a unit, a scale word or a most-to-pay word


def _said_before(lowered: str, start: int) -> str:
    """The words just before the number at ``start`` (a bounded window: reading from the text's start made every
    number cost the text's length)."""
    return lowered[max(0, start - SAID_BEFORE):start].rstrip(" \t:：-–—~≈")


def _context(lowered: str, start: int, end: int) -> Tuple[bool, bool]:
    """(is a measure, is a most-to-pay) for the number at lowered[start:end]."""
    context = amount_context()
    before = _said_before(lowered, start)
    after = lowered[end:].lstrip()
    # a currency just before or after makes it money whatever else is near: "$40 w el shipping" ("w" is "and"),
    # "لو الطلب ٣٥٠ ريال" (the order's price, not its number)
    priced = any(currency_in_text(word) is not None for word in (before.split() or [""])[-1:] + after.split()[:1])
    if not priced and (_starts_with_word(after, context.units) or _ends_with_word(before, context.units_before)):
        return True, False
    if _ends_with_word(before, context.ceiling_before) or _starts_with_word(after, context.ceiling_after):
        return False, True
    if _a_size(lowered, start, end, context):
        return True, False
    next_word = re.match(r"\S+\s*", after)  # one word between: "40 درهم ماكس", "100块以内"
    later = after[next_word.end():] if next_word else ""
    return False, bool(later) and _starts_with_word(later, context.ceiling_after)


def _inside_a_word(lowered: str, end: int) -> bool:
    """Digits glued to the Latin letters after them that name no currency and no unit are part of a word: Arabic
    written in Latin letters uses 3, 5, 7 as letters ("mayzeedsh 3an $40": not 3), unlike "40usd" or "20000mah"."""
    glued = re.match(r"[a-z]+", lowered[end:])
    if not glued:
        return False
    word = glued.group(0)
    return currency_in_text(word) is None and not _starts_with_word(word, amount_context().units)


SIZE_BELOW = 100  # a bare number below this, in a message about sizes, is a size


def _a_size(lowered: str, start: int, end: int, context: AmountContext) -> bool:
    """A bare small number in a message that talks about sizes ("а большие размеры есть? у него 45"): a size, unless
    a currency is named beside it."""
    value = parse_amount(lowered[start:end])
    if value is None or value >= SIZE_BELOW or not mentions(lowered, context.sizes):
        return False
    return currency_in_text(lowered[max(0, start - 6):end + 8]) is None


def _digit_amounts(lowered: str) -> List[FoundAmount]:
    found = []
    for match in _number_in_text().finditer(lowered):
        raw = match.group(0)
        stripped = raw.rstrip(" .,")
        start, end = match.start(), match.start() + len(stripped)
        if _is_identifier(lowered, start, stripped) or _inside_a_word(lowered, end):
            continue
        measure, ceiling = _context(lowered, start, end)
        value = parse_amount(stripped)
        if value is not None and _thousands_before_currency(lowered, end):
            value, measure = value * 1000, False  # "5 штук баксов"
        if value is not None and not measure:
            if re.fullmatch(r"[\d\s.,]+", stripped):
                value *= _scale_said_before(lowered, start)
            found.append(FoundAmount(value, start, end, ceiling))
    return found


SCALE_REACH = 12  # how far before a number a scale word that multiplies it may stand ("тысяч до 50")


def _scale_said_before(lowered: str, start: int) -> Decimal:
    """"тысяч до 50", "тыщ за 20", "тыщ 150 тенге": a scale word said just before the number, or before a
    most-to-pay word before it, multiplies the number (Russian speech puts it first); 1 when there is none."""
    before = _said_before(lowered, start)
    ceiling = next((word for word in amount_context().ceiling_before if _ends_with_word(before, (word,))), None)
    rest = before[:len(before) - len(ceiling)].rstrip() if ceiling else before
    words = rest.split()
    return number_words()[0].scale.get(words[-1], Decimal(1)) if words else Decimal(1)


def _spaced_value(tokens: Sequence[Tuple[Decimal, str]]) -> Decimal:
    total, current = Decimal(0), Decimal(0)
    for value, kind in tokens:
        if kind == "add":
            current += value
        elif kind == "times":
            current = (current or Decimal(1)) * value
        else:
            total += (current or Decimal(1)) * value
            current = Decimal(0)
    return total + current


def _inverted_value(run: Sequence[Tuple[Decimal, str]], said: str) -> Optional[Decimal]:
    """A scale word said before one small number, the way an approximate amount is said in Russian ("тыщи три",
    about three thousand): the number times the scale; None for any other run ("тысяча двести" is 1200)."""
    parts = said.split()
    if (len(run) == 2 and len(parts) == 2 and run[0][1] == "scale" and run[1][1] == "add" and run[1][0] < 10
            and parts[1] in number_words()[0].kinds):  # not joined ("الف وخمسة" is 1005)
        return run[1][0] * run[0][0]
    return None


def _spaced_word_amounts(lowered: str) -> List[FoundAmount]:
    """Numbers written as words in scripts with spaces: "a hundred and fifty", "двести", "مئة وخمسون"."""
    words = number_words()[0]
    found: List[FoundAmount] = []
    run: List[Tuple[Decimal, str]] = []
    run_start = run_end = 0

    def close() -> None:
        if not run:
            return
        # a scale word said first multiplies a run without one ("тыщи за три": 3000), as it does digits
        scale = _scale_said_before(lowered, run_start) if all(kind == "add" for _, kind in run) else Decimal(1)
        # a lone small word ("one", "два") is rarely money: "the other one"
        if scale != 1 or not (len(run) == 1 and run[0][1] == "add" and run[0][0] < 10):
            measure, ceiling = _context(lowered, run_start, run_end)
            if not measure:
                start = run_start
                if scale != 1 and found and found[-1].value == scale and run_start - found[-1].end <= SCALE_REACH:
                    start = found.pop().start  # the scale word was not an amount of its own
                found.append(FoundAmount(_whole(_inverted_value(run, lowered[run_start:run_end])
                                                or _spaced_value(run) * scale), start, run_end, ceiling))
        run.clear()

    for token in _WORD_TOKEN.finditer(lowered):
        word = token.group(0)
        joined = word[:1] in words.joins and word[1:] in words.kinds
        value_and_kind = words.kinds.get(word[1:] if joined else word)
        gap = lowered[run_end:token.start()] if run else ""  # only within a run: from 0 it made the loop quadratic
        if value_and_kind is None:
            if not (run and word in words.joins and not gap.strip()):
                close()
            continue
        if run and (gap.strip(" -") and gap.strip() not in words.joins):
            close()
        if not run:
            run_start = token.start()
        run.append(value_and_kind)
        run_end = token.end()
    close()
    return found


def _han_value(run: str, words: NumberWords) -> Optional[Decimal]:
    total, section, digit, last_unit = Decimal(0), Decimal(0), None, None
    previous_was_unit = digit_after_unit = False
    for char in run:
        if char in words.add:
            digit, digit_after_unit, previous_was_unit = words.add[char], previous_was_unit, False
            continue
        value = words.times.get(char) or words.scale[char]
        if char in words.times:
            section += (Decimal(1) if digit is None else digit) * value
        else:
            total += ((section + (digit or 0)) or Decimal(1)) * value
            section = Decimal(0)
        digit, last_unit, previous_was_unit = None, value, True
    if digit is not None:  # 一千五 is 1500, 两万五 25000: a last digit after a unit counts in the unit below it
        section += digit * last_unit / 10 if last_unit and digit_after_unit and len(run) > 2 else digit
    value = total + section
    return value if value > 0 else None


TEN = "十"  # a run may start with it: "十五" (15)
TEN_OF = ("块", "元", "刀")  # what "十" alone is ten of


def _han_amounts(lowered: str) -> List[FoundAmount]:
    """Chinese numerals ("两千", "三百", "一千五"): a run that starts with a digit and has a unit."""
    words = number_words()[1]
    chars = "".join(re.escape(c) for c in (*words.add, *words.times, *words.scale))
    found = []
    for match in re.finditer(f"[{chars}]+", lowered):
        run = match.group(0)
        if not any(c in words.times or c in words.scale for c in run):
            continue
        if run[0] not in words.add and not (run[0] == TEN and (len(run) > 1 or
                                                               lowered[match.end():match.end() + 1] in TEN_OF)):
            continue  # "十五" is 15, "十块" 10 yuan; "十分满意" is "very satisfied"
        previous = lowered[match.start() - 1:match.start()]
        if previous.isdigit():
            continue  # "2千" is read with the digits
        value = _han_value(run, words)
        measure, ceiling = _context(lowered, match.start(), match.end())
        if value is not None and not measure:
            found.append(FoundAmount(value, match.start(), match.end(), ceiling))
    return found


def _whole(value: Decimal) -> Decimal:
    """1500, not 1500.0 (a word such as "полторы" is 1.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def amounts_in_text(text: str) -> List[FoundAmount]:
    """Every amount of money in a sentence, in order: numbers with a unit ("20000 mAh", "43 размер") and
    order or tracking numbers are not money."""
    lowered = ascii_digits((text or "").lower())
    digits = _digit_amounts(lowered)
    starts = [digit.start for digit in digits]  # in order
    words = [found for found in _spaced_word_amounts(lowered) + _han_amounts(lowered)
             if not any(found.start < other.end and other.start < found.end for other in digits)
             and not _scales_a_number(found, starts, lowered)]
    return sorted(digits + words, key=lambda found: found.start)


def _scales_a_number(found: FoundAmount, starts: Sequence[int], lowered: str) -> bool:
    """Whether a scale word ("тыщ" in "тыщ 150 тенге", "тысяч до 50") only multiplies the number after it
    (``starts``: where the numbers in digits start, in order)."""
    first = bisect.bisect_left(starts, found.end)
    return any(_scale_said_before(lowered, start) != 1
               for start in starts[first:bisect.bisect_right(starts, found.end + SCALE_REACH)])


def amount_in_text(text: str) -> Optional[Decimal]:
    """The first amount in a sentence ("верните 1 200 пожалуйста" -> 1200), or None."""
    found = amounts_in_text(text)
    return found[0].value if found else None


def budget_in_text(text: str) -> Optional[Decimal]:
    """The most a buyer would pay, from a sentence: the last amount said as a ceiling ("2k左右 不超过2500":
    2500), else the first amount, or the last when the sentence takes one back ("300的感觉质量不行 预算提到500吧")."""
    found = amounts_in_text(text)
    if not found:
        return None
    if len(found) > 1 and mentions(text, lexicon().correction):  # "200以内 哦不 300吧": the amount settled on
        return _settled(found, text).value
    ceilings = [amount for amount in found if amount.ceiling]
    if ceilings:
        return ceilings[-1].value
    return _settled(found, text).value


def _asked_for(lowered: str, amount: FoundAmount) -> bool:
    """Whether a word that asks money back stands just before an amount ("عايزة ٩٠٠", "refund me 40")."""
    words = lexicon()
    return _ends_with_word(normalize(lowered[max(0, amount.start - SAID_BEFORE):amount.start]),
                           words.asks_back + words.refund)


def _settled(found: List[FoundAmount], text: str) -> FoundAmount:
    """Of several amounts in a sentence, the one it settles on: the first, unless it takes one back; then the
    first after its last correction word ("لا سوري خلها 4000 درهم، ٣ آلاف ما بتجيب شي": 4000; "300的感觉质量不行
    预算提到500吧": 500), or after the amount a "not" rejects ("sorry not 2500, its 1800": 1800), else the last."""
    words = lexicon()
    if len(found) < 2:
        return found[0]
    lowered = ascii_digits((text or "").lower())
    if not mentions(text, words.correction):
        # the one asked for after the story's ("هو كان ب ١٨٠٠ جنيه يعني عايزة ٩٠٠": 900)
        asked = [amount for amount in found[1:] if _asked_for(lowered, amount)]
        return asked[-1] if asked and not _asked_for(lowered, found[0]) else found[0]
    folded = fold(lowered)
    if len(folded) != len(lowered):  # positions would not match: the plain rule
        return found[-1]
    said_at, said = max(((match.end(), phrase) for phrase in words.correction
                         for match in re.finditer(re.escape(phrase) if is_cjk(phrase[0]) else
                                                  rf"(?<!\w){re.escape(phrase)}(?!\w)", folded)), default=(-1, ""))
    after = [amount for amount in found if amount.start >= said_at]
    if not after:
        return found[-1]
    if said in words.not_this:  # "not 2500, its 1800": the amount after the "not" is the one taken back
        rest = [amount for amount in found if amount is not after[0]]
        return next((amount for amount in rest if amount.start > after[0].start), rest[-1])
    return after[0]


def to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** exponent_of(currency))).to_integral_value())


def priced_amount(texts: Sequence[str]) -> Optional[Tuple[Decimal, str]]:
    """The first amount named with its currency in ``texts`` (a buyer's earlier messages, latest first): a price
    told before ("كان ب ١٨٠٠ جنيه", "around 1.2 million tenge")."""
    for text in texts:
        amount, currency = amount_and_currency(text)
        if amount is not None and currency:
            return amount, currency
    return None


def amount_and_currency(text: str, passed_over: Optional[Callable[[str, FoundAmount], bool]] = None
                        ) -> Tuple[Optional[Decimal], Optional[str]]:
    """The amount an answer gives and the currency named with it ("100 ringgit, not lira": MYR; "١٠٠ يوان.. لا
    لحظه قصدي ١٠٠ درهم": the corrected 100 AED), else the first currency named anywhere. Of several amounts and
    no correction, one asked for, else one named with its currency ("pls refund for the 2 missing, 50rb": 50rb),
    else the first; amounts ``passed_over`` says are not the one asked (a refund's "I paid 189rb") count only when
    nothing else is named."""
    found = amounts_in_text(text)
    if not found:
        return None, None
    lowered = ascii_digits((text or "").lower())
    candidates = [amount for amount in found if not passed_over(text, amount)] if passed_over else found
    candidates = candidates or found
    if len(candidates) > 1 and not mentions(text, lexicon().correction) and not any(
            _asked_for(lowered, amount) for amount in candidates):
        candidates = [amount for amount in candidates if _currency_beside(lowered, amount, found)] or candidates
    chosen = _settled(candidates, text)
    near = _currency_beside(lowered, chosen, found, suffix=False)
    return chosen.value, near or currency_in_text(text) or _currency_of_suffix(lowered[chosen.start:chosen.end])


def _currency_beside(lowered: str, amount: FoundAmount, found: Sequence[FoundAmount], suffix: bool = True
                     ) -> Optional[str]:
    """The currency named just before or after an amount (or, with ``suffix``, in it: "50rb"), up to the next
    amount."""
    after = lowered[amount.end:amount.end + CURRENCY_REACH]
    next_amount = next((f.start for f in found if f.start >= amount.end), None)
    if next_amount is not None:
        after = lowered[amount.end:next_amount]
    # a currency just before the number first ("$40 w el shipping le masr": dollars, whatever "le" stands for after)
    near = currency_in_text(lowered[max(0, amount.start - 4):amount.start + 1]) or currency_in_text(after)
    return near or (_currency_of_suffix(lowered[amount.start:amount.end]) if suffix else None)


def told_as(text: str, amount: FoundAmount, phrases: Sequence[str]) -> bool:
    """Whether one of ``phrases`` stands among the few words before an amount of ``text`` ("i paid RM 179.80")."""
    lowered = ascii_digits((text or "").lower())
    return bool(mentions(" ".join(lowered[:amount.start].split()[-WORDS_BEFORE:]), phrases))


def per_unit(text: str, amount: FoundAmount) -> bool:
    """Whether an amount of ``text`` is said as the price of one ("20rb each", "20块一个")."""
    return _followed_by(text, amount, amount_context().per_unit)


def paid_after(text: str, amount: FoundAmount) -> bool:
    """Whether the words after an amount of ``text`` tell it was the price paid ("299买的", "1500 отдала")."""
    return _followed_by(text, amount, amount_context().paid_after)


def _followed_by(text: str, amount: FoundAmount, phrases: Sequence[str]) -> bool:
    lowered = ascii_digits((text or "").lower())
    return _starts_with_word(lowered[amount.end:].lstrip(), phrases)


