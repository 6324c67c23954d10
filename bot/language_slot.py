"""The ``language`` slot, kept in step with the buyer inside Rasa (no action server round trip).

The NLU pipeline (``bot.language_identifier.LanguageIdentifier``) puts the language of each message into the
parse result. Rasa's slot extraction (``action_extract_slots``, which runs after every message) then sets the
slot through ``bot.rasa_patches``: the slot's mapping is ``custom`` with no action, so Rasa itself calls
nobody for it. Before, a custom action (``action_set_language``) did this on every message: a request with the
whole tracker to the action server and back, for one comparison.

A message with no reliable signal ("ok", an order number) carries no language, and the slot keeps its value.
Nor does a short Latin-script reply switch a conversation held in another language: a Chinese buyer's
"ok confirm 👍" or a Russian buyer's "full refund pls" answers in the words a chat app suggests, and the next
answer stays in Chinese or Russian; a sentence (three Latin words or more) switches.
A message that skips the NLU pipeline (a button's or a deep link's intent payload, such as Telegram's
``/start CODE``) carries none either; when the conversation has no language yet, the one the channel declares
in the message's metadata (Telegram ``language_code``, the web page's locale) is taken.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from bot.language_detection import LATIN_SCRIPT_LANGUAGES, LanguageDetector, latin_words

LANGUAGE_SLOT = "language"
# How many Latin-script words a message needs to switch a conversation to a Latin-script language.
LATIN_WORDS_TO_SWITCH = 3


def language_to_set(latest_message: Optional[Mapping[str, Any]], current: Optional[str]) -> Optional[str]:
    """The language the slot should change to after ``latest_message`` (its parse data), or None to keep it."""
    latest = latest_message or {}
    language = latest.get(LANGUAGE_SLOT)
    if not isinstance(language, str) or not language:
        if current:
            return None
        language = LanguageDetector().from_metadata(latest.get("metadata"))
        if language is None:
            return None
    if language == current:
        return None
    if current and _short_latin_reply(latest, language):
        return None
    return language


def _short_latin_reply(latest: Mapping[str, Any], language: str) -> bool:
    """Whether the message's language was read from a few Latin-script words (not from the channel)."""
    if language not in LATIN_SCRIPT_LANGUAGES or latest.get("language_source") == "metadata":
        return False
    return latin_words(str(latest.get("text") or "")) < LATIN_WORDS_TO_SWITCH
