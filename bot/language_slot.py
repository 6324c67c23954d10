"""The ``language`` slot, kept in step with the buyer inside Rasa (no action server round trip).

The NLU pipeline (``bot.language_identifier.LanguageIdentifier``) puts the language of each message into the
parse result. Rasa's slot extraction (``action_extract_slots``, which runs after every message) then sets the
slot through ``bot.rasa_patches``: the slot's mapping is ``custom`` with no action, so Rasa itself calls
nobody for it. Before, a custom action (``action_set_language``) did this on every message: a request with the
whole tracker to the action server and back, for one comparison.

A message with no reliable signal ("ok", an order number) carries no language, and the slot keeps its value.
A message that skips the NLU pipeline (a button's or a deep link's intent payload, such as Telegram's
``/start CODE``) carries none either; when the conversation has no language yet, the one the channel declares
in the message's metadata (Telegram ``language_code``, the web page's locale) is taken.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from bot.language_detection import LanguageDetector

LANGUAGE_SLOT = "language"


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
    return None if language == current else language
