"""Slot mapping action that keeps the ``language`` slot in step with the buyer.

The NLU pipeline (``bot.language_identifier.LanguageIdentifier``) puts the
language of each message into the parse result. A message with no reliable
signal ("ok", an order number) carries none, and the slot keeps its value.
A message that skips the NLU pipeline (a button's or a deep link's intent
payload, such as Telegram's ``/start CODE``) carries none either; when the
conversation has no language yet, the one the channel declares in the
message's metadata (Telegram ``language_code``, the web page's locale) is taken.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language_detection import LanguageDetector

LANGUAGE_SLOT = "language"


class ActionSetLanguage(Action):
    def name(self) -> Text:
        return "action_set_language"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        language = latest.get(LANGUAGE_SLOT)
        if not isinstance(language, str) or not language:
            if tracker.get_slot(LANGUAGE_SLOT):
                return []
            language = LanguageDetector().from_metadata(latest.get("metadata"))
            if language is None:
                return []
        if language == tracker.get_slot(LANGUAGE_SLOT):
            return []
        return [SlotSet(LANGUAGE_SLOT, language)]
