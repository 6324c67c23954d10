"""The satisfaction survey (CSAT): after a finished journey, when the buyer thanks or says goodbye, the bot asks
once per session for a rating from 1 to 5 (buttons). The support console asks it too when an agent closes a
conversation. The answers are read from the event broker by the console's analytics."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

SURVEY_OFFERED_SLOT = "csat_offered"

# The actions that finish a journey: an answer the buyer came for.
JOURNEY_ENDS = {
    "action_track_order", "action_confirm_receipt", "action_submit_refund", "action_submit_dispute",
    "action_import_rules", "action_search_products", "action_link_account",
}


def finished_journey_this_session(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") in JOURNEY_ENDS:
            return True
    return False


class ActionOfferSurvey(Action):
    def name(self) -> Text:
        return "action_offer_survey"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot(SURVEY_OFFERED_SLOT) or not finished_journey_this_session(tracker):
            return []
        dispatcher.utter_message(response="utter_csat_survey")
        return [SlotSet(SURVEY_OFFERED_SLOT, True)]
