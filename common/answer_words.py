"""How buyers answer yes, no and stop, and name a person, in the languages they write
(``common/lexicon/answers.yml``): read by the Rasa side (``bot/form_answers.py``, which reads a message as the
answer to the question asked) and by the actions (a dispute's evidence question, a refund's opening message).

Buyers switch languages inside one conversation, so every language's words are read together; a phrase
counts at the start of an answer when it is followed by its end, a space or a punctuation mark (a Chinese
phrase by anything), and the longest phrase that fits decides ("не пришел", which is neither, wins over a
shorter no)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import yaml

from common.spelling import fold

LEXICON = Path(__file__).resolve().parent / "lexicon" / "answers.yml"
AFFIRM, DENY, NEITHER = "affirm", "deny", "neither"
LISTS = ("affirm", "deny", "not_yes_no", "stop", "person", "keep_item", "send_back", "have", "other_one", "origin",
         "correction", "full_amount", "dispute", "follow_up", "refund", "not_this", "feature", "receipt", "negation",
         "import_terms", "asks_back", "made_for", "half_amount", "half_alone", "paid", "partial", "settle",
         "talk_to", "salutation")
STOP_MAX_WORDS = 4
CJK_REACH = 4  # with a reach, how many characters before a Chinese phrase a negation may stand
QUESTION_MARKS = ("?", "؟", "？")  # Latin, Arabic and full-width
_EDGE = re.compile(r"^[\s\W_]+|[\s\W_]+$", re.UNICODE)
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…؟]+\s")  # where a sentence ends, before the next one (a space after it)
_PAUSES = re.compile(r"\s*[,،，、;；]+\s*")
ARABIC_CONJUNCTION = "(?:و|ف)?"
# A letter or digit of a script written with spaces, or an apostrophe: what may not touch a whole word. A Chinese
# character may ("可以partial refund吗" says "partial" and "refund").
_LETTER_NOT_CJK = "[^\\W\u3000-\u9fff\uf900-\ufaff]|'"


@dataclass(frozen=True)
class Lexicon:
    # one field per list of LISTS, in its order
    affirm: Tuple[str, ...]
    deny: Tuple[str, ...]
    neither: Tuple[str, ...]
    stop: Tuple[str, ...]
    person: Tuple[str, ...]
    keep_item: Tuple[str, ...]
    send_back: Tuple[str, ...]
    have: Tuple[str, ...]
    other_one: Tuple[str, ...]
    origin: Tuple[str, ...]
    correction: Tuple[str, ...]
    full_amount: Tuple[str, ...]
    dispute: Tuple[str, ...]
    follow_up: Tuple[str, ...]
    refund: Tuple[str, ...]
    not_this: Tuple[str, ...]
    feature: Tuple[str, ...]
    receipt: Tuple[str, ...]
    negation: Tuple[str, ...]
    import_terms: Tuple[str, ...]
    asks_back: Tuple[str, ...]
    made_for: Tuple[str, ...]
    half_amount: Tuple[str, ...]
    half_alone: Tuple[str, ...]
    paid: Tuple[str, ...]
    partial: Tuple[str, ...]
    settle: Tuple[str, ...]
    talk_to: Tuple[str, ...]
    salutation: Tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon(path: Path = LEXICON) -> Lexicon:
    """Every language's words together (buyers switch languages inside a conversation), longest first."""
    lists = phrase_lists(path, LISTS, normalize)
    return Lexicon(*(lists[kind] for kind in LISTS))


_CHOICE = re.compile(r"\{([^{}]*)\}")


def expand(phrase: str) -> List[str]:
    """A phrase with choices written in braces, as every phrase it stands for: "{ما|مش} {ابي|عايز} ارجعه" is
    four phrases; "{|ال}فلوس" is "فلوس" and "الفلوس"."""
    return [" ".join(found.split()) for found in _choices(phrase)]


def _choices(phrase: str) -> List[str]:
    match = _CHOICE.search(phrase)
    if match is None:
        return [phrase]
    head, tail = phrase[:match.start()], phrase[match.end():]
    return [f"{head}{choice}{rest}" for choice in match.group(1).split("|") for rest in _choices(tail)]


def phrase_lists(path: Path, names: Sequence[str], clean: Callable[[str], str]) -> Dict[str, Tuple[str, ...]]:
    """A lexicon file's lists (language -> list name -> phrases, choices in braces expanded), every language's
    merged under each name, cleaned and longest first; a list name not in ``names`` is an error."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words: Dict[str, set] = {name: set() for name in names}
    for language, entries in data.items():
        for name, phrases in entries.items():
            if name not in words:
                raise ValueError(f"{path.name}: {language}: unknown list {name!r}")
            words[name].update(clean(expanded) for phrase in phrases or () for expanded in expand(str(phrase)))
    return {name: tuple(sorted(words[name], key=len, reverse=True)) for name in names}


def normalize(text: str) -> str:
    """Lower case, one spelling (``common.spelling.fold``: NFKC, أ/ا, ё/е), one space between words, no
    punctuation at either end."""
    text = fold(text)
    text = _SPACES.sub(" ", text).strip()
    stripped = _EDGE.sub("", text)
    return stripped or text  # an answer that is only "👍" keeps it


@lru_cache(maxsize=32)
def normalized_phrases(phrases: Tuple[str, ...]) -> Tuple[str, ...]:
    """A word list of the actions' spelled as ``normalize`` spells what buyers type ("أي سعر" is "اي سعر", "всё"
    is "все"), computed once per list."""
    return tuple(normalize(phrase) for phrase in phrases)


def is_cjk(character: str) -> bool:
    """A Chinese (or Japanese) character or punctuation mark: a script written without spaces."""
    return "\u3000" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def starts_with(text: str, phrase: str) -> bool:
    """Whether ``text`` starts with the whole ``phrase``: followed by its end, a space or a punctuation mark
    (a Chinese phrase by anything: Chinese has no spaces)."""
    if not phrase or not text.startswith(phrase):
        return False
    if len(text) == len(phrase) or is_cjk(phrase[-1]):
        return True
    following = text[len(phrase)]
    return not (following.isalnum() or following == "'")


def ends_with(text: str, phrase: str) -> bool:
    """Whether ``text`` ends with the whole ``phrase``: after its start, a space or a punctuation mark (a
    Chinese phrase after anything)."""
    if not phrase or not text.endswith(phrase):
        return False
    if len(text) == len(phrase) or is_cjk(phrase[0]):
        return True
    preceding = text[-len(phrase) - 1]
    return not (preceding.isalnum() or preceding == "'")


def first_phrase(text: str, phrases: Sequence[str]) -> Optional[str]:
    return next((phrase for phrase in phrases if starts_with(text, phrase)), None)


def yes_or_no(text: str, words: Lexicon) -> Optional[str]:
    """``affirm``/``deny`` from the answer's first words, None when they say neither. The longest phrase at the
    start decides, so "не пришел" (neither) wins over a shorter "не" and "no photos" over "no"."""
    kind = _starting_kind(text, words)
    return None if kind == NEITHER else kind


def says_neither(text: str, words: Lexicon) -> bool:
    """Whether the answer starts with words that look like a yes or a no but are neither ("не знаю", "طيب نكمل":
    "OK, let's go on"), so that no other reading should make a yes or a no of it."""
    return _starting_kind(text, words) == NEITHER


def _starting_kind(text: str, words: Lexicon) -> Optional[str]:
    normalized = _PAUSES.sub(" ", normalize(text))  # "ладно, подожду" reads as "ладно подожду"
    found = [(len(phrase), kind) for kind, phrases in ((NEITHER, words.neither), (AFFIRM, words.affirm),
                                                       (DENY, words.deny))
             for phrase in [first_phrase(normalized, phrases)] if phrase]
    return max(found)[1] if found else None


def after_settling(text: str, words: Lexicon) -> str:
    """The answer without a "well then" it starts with and says more after ("خلاص افتحوا نزاع": "افتحوا نزاع");
    the answer itself otherwise ("خلاص" alone stops)."""
    normalized = _PAUSES.sub(" ", normalize(text))
    settle = first_phrase(normalized, words.settle)
    rest = normalized[len(settle):].strip() if settle else ""
    return rest or text


def is_stop(text: str, words: Lexicon) -> bool:
    """A short answer (at most four words) that starts with a stop phrase: "stop", "отмена пожалуйста"; not one
    whose stop takes back only what it said before ("算了还是两百": never mind, 200 after all)."""
    normalized = normalize(text)
    stop = first_phrase(normalized, words.stop)
    if stop is None or len(normalized.split()) > STOP_MAX_WORDS:
        return False
    return first_phrase(_PAUSES.sub(" ", normalized[len(stop):]).strip(), words.correction) is None


def names_a_person(text: str, words: Lexicon) -> bool:
    normalized = normalize(text)
    tokens = set(normalized.split())
    return any((phrase in tokens) if " " not in phrase and not is_cjk(phrase[0]) else (phrase in normalized)
               for phrase in words.person)


def only_salutes(text: str, words: Lexicon) -> bool:
    """Whether a message is made of greetings and ways of addressing the chat only ("halo 客服", "在吗 亲")."""
    rest = f" {_PAUSES.sub(' ', normalize(text))} "
    for phrase in words.salutation:  # longest first
        rest = rest.replace(phrase, " ") if is_cjk(phrase[0]) else _whole_words_pattern(phrase).sub(" ", rest)
    return bool(normalize(text)) and not _EDGE.sub("", rest).strip()


PERSON_REACH = 30  # how far after "talk to" the person may be named ("talk to a real person from your team")


def asks_to_talk_to_a_person(text: str, words: Lexicon) -> bool:
    """Whether a message asks to be put through to a person in so many words: a ``talk_to`` phrase, then (or in
    it: "转人工") a word for a person ("can i talk to a real person from your team pls, not bot")."""
    normalized = normalize(text)
    people = strong_phrases(words.person, 1)  # any word for a person in letters; two characters in Chinese
    return any(mentions(normalized[match.start():match.end() + PERSON_REACH], people)
               for phrase in words.talk_to if phrase in normalized for match in _occurrences(phrase, normalized))


def is_arabic(character: str) -> bool:
    return "\u0600" <= character <= "\u06ff"


def all_mentioned(text: str, phrases: Sequence[str]) -> List[str]:
    """Every one of ``phrases`` that ``mentions`` finds in ``text``, longest first, without those inside a longer
    one found ("noise cancelling", not also "cancelling")."""
    found: List[str] = []
    for phrase in phrases:
        if mentions(text, (phrase,)) and not any(phrase in longer for longer in found):
            found.append(phrase)
    return found


def strong_phrases(phrases: Sequence[str], length: int) -> Tuple[str, ...]:
    """The phrases that say what they say wherever they stand ("dont", "cancel", "не надо", "لا تفتح", "算了", "go
    ahead", "confirm"): not the short words ("no", "не", "لا", "别", "ok", "open") that also sit inside other
    answers ("no problem", "не против", "dont open it"): several words, or at least ``length`` letters (two
    characters in Chinese)."""
    return tuple(phrase for phrase in phrases
                 if (len(phrase) >= 2 if is_cjk(phrase[0]) else (" " in phrase or len(phrase) >= length)))


def says_no_somewhere(text: str, words: Lexicon) -> bool:
    """Whether an answer says no or stop anywhere, not only at its start ("only this one, the other dont touch")."""
    return bool(mentions(text, strong_phrases(words.deny + words.stop, 4)))


def says_unnegated(text: str, phrases: Sequence[str], words: Lexicon, reach: int = 0) -> Optional[str]:
    """The first of ``phrases`` the text says that no negation word stands just before ("confirm" is said in "ok
    confirm", not in "dont confirm yet", "不要确认", "не подтверждайте", "لا تأكد"), or, with ``reach``, among the
    so many words before (written in letters: "dont open a dispute", "ما بي ارجعها")."""
    return _unnegated_after(_PAUSES.sub(" ", normalize(text)), phrases, words, reach, 0)


def says_yes_after_the_last_no(text: str, words: Lexicon) -> bool:
    """Whether an answer that says no or stop says, after the last of them, a yes no negation takes back: the
    decision it ends with ("开了争议大概多久有结果？…算了 先提交吧 确认": never mind the question, submit it; "no wait, i
    keep it. ok go ahead"); "yes... no dont confirm" ends with its no."""
    normalized = _PAUSES.sub(" ", normalize(text))
    end = max((match.end() for phrase in strong_phrases(words.deny + words.stop, 4) if phrase in normalized
               for match in _occurrences(phrase, normalized)), default=None)
    return end is not None and _unnegated_after(normalized, strong_phrases(words.affirm, 7), words, 0,
                                                end) is not None


def _occurrences(phrase: str, normalized: str) -> Iterator["re.Match[str]"]:
    return (re.finditer(re.escape(phrase), normalized) if is_cjk(phrase[0]) else
            _whole_words_pattern(phrase).finditer(normalized))


def _unnegated_after(normalized: str, phrases: Sequence[str], words: Lexicon, reach: int,
                     start: int) -> Optional[str]:
    """``says_unnegated`` on a normalized text, for what it says from ``start`` on."""
    for phrase in phrases:
        if phrase not in normalized[start:]:
            continue
        cjk = is_cjk(phrase[0])
        for match in _occurrences(phrase, normalized):
            if match.start() < start:
                continue
            before = normalized[:match.start()] if cjk else normalized[:match.start()].rstrip()
            if reach and not cjk:  # within its sentence: "хотя нет. давайте лучше спор" opens the dispute
                sentence = _SENTENCE_END.split(before)[-1]
                negated = bool(mentions(" ".join(sentence.split()[-reach:]), words.negation))
            elif reach:  # "也不用开纠纷": a negation of two characters or more among the few before, one just before
                negated = any(ends_with(before, negation) or len(negation) > 1 and negation in before[-CJK_REACH:]
                              for negation in words.negation if is_cjk(negation[0]))
            else:
                negated = any(ends_with(before, negation) for negation in words.negation)
            if not negated:
                return phrase
    return None


def _whole_words(phrase: str, arabic_conjunction: bool = False) -> str:
    """A pattern that finds a phrase written in letters as whole words, also beside Chinese ("可以partial
    refund吗"; with ``arabic_conjunction``, an Arabic one also after the conjunction written onto it: "وبرجع" is
    "and I'll return")."""
    conjunction = ARABIC_CONJUNCTION if arabic_conjunction and is_arabic(phrase[0]) else ""
    return rf"(?<!{_LETTER_NOT_CJK}){conjunction}{re.escape(phrase)}(?!{_LETTER_NOT_CJK})"


@lru_cache(maxsize=None)
def _whole_words_pattern(phrase: str, arabic_conjunction: bool = False) -> "re.Pattern[str]":
    """``_whole_words`` compiled, once per phrase (the lexicons hold thousands: more than re's own cache)."""
    return re.compile(_whole_words(phrase, arabic_conjunction))


def mentions(text: str, phrases: Sequence[str]) -> Optional[str]:
    """The first of ``phrases`` found anywhere in ``text`` as whole words (Chinese: as a substring; Arabic also
    after the conjunction written onto it: "وبرجع" is "and I'll return")."""
    normalized = f" {normalize(text)} "
    for phrase in phrases:
        if is_cjk(phrase[0]) or is_cjk(phrase[-1]):
            if phrase in normalized:
                return phrase
        elif phrase in normalized and _whole_words_pattern(phrase, True).search(normalized):
            return phrase
    return None
