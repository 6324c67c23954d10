"""Slot mapping action that keeps the ``language`` slot in step with the buyer.

The NLU pipeline (``bot.language_identifier.LanguageIdentifier``) puts the
language of each message into the parse result. A message with no reliable
signal ("ok", an order number) carries none, and the slot keeps its value.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

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
        language = (tracker.latest_message or {}).get(LANGUAGE_SLOT)
        if not isinstance(language, str) or not language:
            return []
        if language == tracker.get_slot(LANGUAGE_SLOT):
            return []
        return [SlotSet(LANGUAGE_SLOT, language)]
