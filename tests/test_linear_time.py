"""Every pattern run on a buyer's text takes time in proportion to the text's length, on the inputs that make
backtracking patterns quadratic (long unspaced runs, repeated separators, partial matches).

Measured as growth, not as a time: each function is timed on a 10 KB and a 100 KB input (repeated until a
measurement lasts 5 ms, best of three), and the 100 KB one may take at most 30 times as long (linear: about
10; quadratic: about 100); a growth over the limit is measured again, up to four times, the lowest kept (the
machine may be busy during one measurement; a quadratic pattern is slow every time). The channels refuse messages over SILKROAD_MAX_MESSAGE_CHARACTERS before any of
this runs; these functions must not depend on that."""

from __future__ import annotations

import gc
import re
import time
from pathlib import Path
from typing import Callable, Dict

import pytest
import yaml

from actions.amounts import amount_in_text, parse_amount
from actions.link_account import CODE
from actions.open_dispute import links_in
from common.reason_words import reason_in
from actions.track_order import order_number_of
from backends.catalog.search_text import index_text, query_terms
from bot.language_detection import LanguageDetector
from bot.message_gate import clean_text
from bot.telegram_channel import command_to_intent
from bot.text_normalization import normalize_word

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 10_000, 100_000
MAX_GROWTH = 30

# Units repeated to the input's length: each the worst case of some pattern here.
UNITS = {
    "latin letters": "a", "spaces": " ", "digits": "1", "digits and commas": "1,", "digits and spaces": "1 ",
    "dotted": "a.", "email-like": "a@", "plus signs": "+a", "slashes": "a/", "Cyrillic": "ж", "Arabic": "ب",
    "Arabic diacritics": "بَ", "Han": "中", "Han and Latin": "中a", "emoji": "😀", "brackets": "(",
    "url": "http://a", "order prefix": "SR-", "link code": "ABCD-", "reason payload": '_reason" ',
    "stretched": "aab", "start command": "/start ",
}


def regex_features() -> Dict[str, Callable[[str], object]]:
    """The RegexFeaturizer's patterns (data/nlu/regex.yml), as Rasa runs them on every message."""
    features = {}
    for item in yaml.safe_load((ROOT / "data" / "nlu" / "regex.yml").read_text())["nlu"]:
        for number, pattern in enumerate(line[2:] for line in item["examples"].splitlines() if line.startswith("- ")):
            compiled = re.compile(pattern, re.IGNORECASE)
            features[f"regex {item['regex']} {number}"] = lambda text, p=compiled: list(p.finditer(text))
    return features


DETECTOR = LanguageDetector()
FUNCTIONS: Dict[str, Callable[[str], object]] = {
    "language detection": DETECTOR.from_text,
    "word normalization": normalize_word,
    "message cleaning": clean_text,
    "telegram commands": command_to_intent,
    "link codes": lambda text: CODE.search(text),
    "amounts typed": parse_amount,
    "amounts in a sentence": amount_in_text,
    "evidence links": links_in,
    "reason payloads": lambda text: reason_in(text, ["damaged", "not_received"]),
    "order numbers": order_number_of,
    "catalog query terms": query_terms,
    "catalog index text": index_text,
    **regex_features(),
}


def seconds_per_call(function: Callable[[str], object], text: str) -> float:
    """The best of three measurements, each repeating the call until it lasts 5 ms."""
    measurements = []
    for _ in range(3):
        calls, started = 0, time.perf_counter()
        while True:
            function(text)
            calls += 1
            elapsed = time.perf_counter() - started
            if elapsed >= 0.005:
                break
        measurements.append(elapsed / calls)
    return min(measurements)


def growth(function: Callable[[str], object], unit: str) -> float:
    """How many times longer the 100 KB text takes than the 10 KB one, the garbage collector off (a collection
    in one measurement is not the function's time; collecting before each would cost more than measuring)."""
    small = (unit * (SMALL // len(unit) + 1))[:SMALL]
    large = (unit * (LARGE // len(unit) + 1))[:LARGE]
    gc.disable()
    try:
        return seconds_per_call(function, large) / seconds_per_call(function, small)
    finally:
        gc.enable()


def steady_growth(function: Callable[[str], object], unit: str, attempts: int = 4) -> float:
    """``growth``, measured again (up to ``attempts`` times in all) while it is over the limit, the lowest kept:
    a busy machine slows one measurement, never every one, while a quadratic pattern is slow each time."""
    lowest = growth(function, unit)
    for _ in range(attempts - 1):
        if lowest <= MAX_GROWTH:
            break
        lowest = min(lowest, growth(function, unit))
    return lowest


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_time_grows_linearly_with_the_text(name):
    function = FUNCTIONS[name]
    grown = {unit_name: steady_growth(function, unit) for unit_name, unit in UNITS.items()}
    worst = max(grown, key=grown.get)
    assert grown[worst] <= MAX_GROWTH, f"{name}: 10x the text took {grown[worst]:.0f}x the time on {worst!r}"


def test_the_tokenizer_grows_linearly_too():
    from rasa.shared.nlu.training_data.message import Message

    from bot.multilingual_tokenizer import MultilingualTokenizer

    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    for unit, language in (("(", "en"), ("😀", "en"), ("a.", "en"), ("ж", "ru"), ("中", "zh"), ("中a", "zh")):
        grown = growth(lambda text: tokenizer.tokenize(Message(data={"text": text, "language": language}), "text"),
                       unit)
        assert grown <= MAX_GROWTH, f"tokenizing {unit!r} x 10 took {grown:.0f}x the time"
