"""What every journey action needs: the buyer's language, the verified buyer, the backends, and the
polite failure path."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.http import BackendError
from actions.clients.marketplace import Marketplace
from actions.clients.orders import BuyerProfile
from actions.identity import Identity, identify
from actions.localization import LANGUAGES
from common.answer_words import ends_with, lexicon, mentions, normalize
from common.entity_words import countries_with_what_follows, currency_in_text

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def marketplace() -> Marketplace:
    """One set of clients (one HTTP connection pool) per action-server process."""
    return Marketplace()


def language_of(tracker: Tracker) -> str:
    language = tracker.get_slot("language")
    return language if language in LANGUAGES else "en"


def entity_of(tracker: Tracker, name: str) -> Optional[str]:
    """The first value of an entity in the latest message (canonical, after the synonym mapper)."""
    value = next(iter(tracker.get_latest_entity_values(name)), None)
    return str(value) if value else None


def text_of(tracker: Tracker) -> str:
    """What the buyer wrote in the latest message ("" for none), as the NLU read it: a message typed in Latin
    letters in Russian or Arabic comes read back into its script (bot/romanized_text_reader.py)."""
    return str((tracker.latest_message or {}).get("text") or "")


def answer_as_read(value: Any, tracker: Tracker) -> str:
    """A typed answer as the NLU read it: a slot filled from the text holds the message as typed ("vse dengi"),
    while the NLU read a message in Latin letters back into its script ("все деньги"); other values unchanged."""
    value = str(value or "")
    typed = next((str(event.get("text") or "") for event in reversed(tracker.events) if event.get("event") == "user"),
                 None)
    read = text_of(tracker)
    return read if read and value == typed else value


def read_text(event: Dict[str, Any]) -> str:
    """A buyer message event's text as the NLU read it (see ``text_of``); what was typed when it was not parsed."""
    return str((event.get("parse_data") or {}).get("text") or event.get("text") or "")


def earlier_buyer_texts(tracker: Tracker, messages: int = 3) -> List[str]:
    """What the buyer typed in the ``messages`` messages before the latest one, latest first (a button pressed
    counts as a message and gives no text)."""
    user_texts = [read_text(event) for event in reversed(tracker.events or []) if event.get("event") == "user"]
    return [text for text in user_texts[1:messages + 1] if text and not text.startswith("/")]


def last_bot_response(tracker: Tracker) -> Optional[str]:
    """The name of the response the bot gave just before the latest message (None when it gave none)."""
    seen_latest = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            if seen_latest:
                return None
            seen_latest = True
        elif event.get("event") == "bot" and seen_latest:
            return (event.get("metadata") or {}).get("utter_action")
    return None


def currency_named(tracker: Tracker) -> Optional[str]:
    """The currency the latest message names, tagged by the NLU or found among its words ("в рублях?")."""
    return (entity_of(tracker, "currency") or "").upper() or currency_in_text(text_of(tracker))


def category_slugs() -> Tuple[str, ...]:
    """The catalog's category slugs (a slow-changing read, cached by the client)."""
    return tuple(c["slug"] for c in marketplace().catalog.categories("en"))


def category_the_catalog_reads(tracker: Tracker) -> Optional[str]:
    """The catalog category whose names or keywords the latest message uses ("宝宝推车", "كريم مرطب"), for a
    word the NLU never saw; None when none does or the catalog does not answer."""
    try:
        return marketplace().catalog.category_named(text_of(tracker))
    except BackendError:
        return None


def destination_of(tracker: Tracker) -> Optional[str]:
    """The country the latest message names as where the goods go: the first not marked as where they come
    from ("from China to Egypt", "из Китая": "from", "из", "من", "从") nor taken back ("sorry not UAE, to
    riyadh", "كازاخستان مب تركيا", "不是迪拜 是沙特"); None when it names only an origin."""
    message = tracker.latest_message or {}
    text = text_of(tracker)
    countries = [entity for entity in message.get("entities") or [] if entity.get("entity") == "country"
                 and entity.get("value")]
    words = lexicon()
    if not countries:  # none tagged: a country (or a city of one) among the words, "للسعوديه", "в Казань"
        said = [(code, normalize(before), after) for code, before, after in countries_with_what_follows(text)]
        named = [(code, any(ends_with(before, m) for m in words.not_this) or _corrected(after, index, len(said)))
                 for index, (code, before, after) in enumerate(said)
                 if not any(ends_with(before, marker) for marker in words.origin)]
    else:
        starts = [entity.get("start") for entity in countries] + [len(text)]
        follows = [text[entity["end"]:next_start] if isinstance(entity.get("end"), int) and isinstance(next_start, int)
                   else "" for entity, next_start in zip(countries, starts[1:])]
        named = [(str(entity["value"]),
                  _marked(text, entity, words.not_this) or _corrected(after, index, len(countries)))
                 for index, (entity, after) in enumerate(zip(countries, follows))
                 if not _marked(text, entity, words.origin)]
    kept = [code for code, taken_back in named if not taken_back] or [code for code, _ in named]
    return kept[0] if kept else None


def _corrected(after: str, index: int, named: int) -> bool:
    """Whether the ``index``-th of ``named`` countries is taken back by a correction said after it, before the next
    one ("想给比什凯克…哦不对，是阿拉木图的朋友寄": not Kyrgyzstan)."""
    return index < named - 1 and bool(mentions(after, lexicon().correction))


def _marked(text: str, entity: Dict[str, Any], markers: Sequence[str]) -> bool:
    """Whether the words just before the entity (within 12 characters) end with one of ``markers``."""
    start = entity.get("start")
    if not isinstance(start, int):
        return False
    before = normalize(text[max(0, start - 12):start])
    return any(ends_with(before, marker) for marker in markers)


def intent_of(tracker: Tracker) -> Optional[str]:
    """The intent of the latest message as NLU (or a button's payload) gave it."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def buyer_of(tracker: Tracker) -> Optional[Identity]:
    """The verified buyer behind the latest message (raises BackendUnavailable if that cannot be checked)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return identify(metadata, tracker.get_latest_input_channel(), tracker.sender_id,
                    marketplace().account_links)


def profile_of(tracker: Tracker) -> Optional[BuyerProfile]:
    """The verified buyer's profile (country, language, currency), or None for a guest."""
    buyer = buyer_of(tracker)
    return marketplace().orders.buyer(buyer.buyer_id) if buyer else None


def channel_of(tracker: Tracker) -> str:
    """The channel as the escrow's audit trail names it."""
    channel = tracker.get_latest_input_channel()
    return {"socketio": "web", "telegram": "telegram", "whatsapp": "whatsapp"}.get(channel, "rest")


def apologize_backend_down(dispatcher: CollectingDispatcher, what: str) -> None:
    log.warning("backend unavailable during %s", what)
    dispatcher.utter_message(response="utter_backend_unavailable")
