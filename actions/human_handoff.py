"""Journey 7: a person takes over. The buyer is told in their language that a person will answer, any form
in progress is left (its answers forgotten), and the conversation is paused: the bot stays silent until
support staff resume it (Rasa's HTTP API: POST /conversations/{id}/tracker/events with a "resume" event;
the support console does this on hand-back)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import intent_of
from actions.checked_form import REQUESTED_SLOT
from actions.order_forms import clear_form

REASON_SLOT = "handoff_reason"


def reason_of(tracker: Tracker) -> str:
    """Why a person is needed: asked for directly, or the journey the buyer was stuck in."""
    if tracker.active_loop_name:
        return f"stuck_in_{tracker.active_loop_name}"
    previous = intent_of(tracker)
    return "buyer_request" if previous == "human_handoff" else previous or "buyer_request"


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_human_handoff")
        events: List[Dict[Text, Any]] = [SlotSet(REASON_SLOT, reason_of(tracker))]
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *clear_form(tracker.active_loop_name)]
        return events + [ConversationPaused()]
