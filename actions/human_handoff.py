"""Journey 7: a person takes over. The conversation is put in the support queue with the reason a person is
needed, the buyer is told in their language where they stand (their place in the queue; when the team is
back if it is not at work), any form in progress is left (its answers forgotten), and the conversation is
paused: the bot stays silent, the buyer's messages reach the agent, until the support console hands the
conversation back (Rasa's HTTP API: a "resume" event)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.checked_form import FAILURES_SLOT, REQUESTED_SLOT
from actions.clients.http import BackendError
from actions.conversation import buyer_of, channel_of, intent_of, language_of, last_bot_response
from actions.order_forms import clear_form

REASON_SLOT = "handoff_reason"

# What the bot had just said when the buyer took its offer of a person: why a person is needed.
REASON_OF_OFFER = {
    "utter_default": "repeated_fallback",
    "utter_backend_unavailable": "backend_failure",
    "utter_form_offer_human": "form_trouble",
    "utter_dispute_opened": "dispute_escalation",
    "utter_order_under_dispute": "dispute_escalation",
}


def reason_of(tracker: Tracker) -> str:
    """Why a person is needed: the offer the buyer took, trouble with a form, fallbacks, or asked directly."""
    offer = REASON_OF_OFFER.get(last_bot_response(tracker) or "")
    if offer:
        return offer
    if tracker.active_loop_name and float(tracker.get_slot(FAILURES_SLOT) or 0) > 0:
        return "form_trouble"
    if intent_of(tracker) == "nlu_fallback":
        return "repeated_fallback"  # the third message in a row the bot did not understand
    return "buyer_request"


def verified_buyer_id(tracker: Tracker) -> Optional[str]:
    """The verified buyer, if any: the agent sees their orders. A person is offered to anyone."""
    try:
        identity = buyer_of(tracker)
    except BackendError:
        return None
    return identity.buyer_id if identity else None


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        reason = reason_of(tracker)
        self.tell_place(dispatcher, tracker, reason)
        events: List[Dict[Text, Any]] = [SlotSet(REASON_SLOT, reason)]
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *clear_form(tracker.active_loop_name)]
        return events + [ConversationPaused()]

    @staticmethod
    def tell_place(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                   responses: Tuple[str, str] = ("utter_handoff_queued", "utter_handoff_after_hours")) -> None:
        """The buyer's place in the queue (``responses``: while the team is at work, and after hours); asking
        again gives the same place, as it stands now. If the support desk cannot be reached, the conversation is
        still paused: the console learns of it from the event broker and queues it then."""
        try:
            place = conversation.marketplace().support.request_handoff(
                tracker.sender_id, channel_of(tracker), language_of(tracker), reason,
                buyer_id=verified_buyer_id(tracker), order_number=tracker.get_slot("order_number"))
        except BackendError:
            conversation.log.warning("support desk unavailable; handing over without a queue place")
            dispatcher.utter_message(response="utter_handoff_unqueued")
            return
        at_work, after_hours = responses
        if place.team_at_work:
            dispatcher.utter_message(response=at_work, queue_position=str(place.queue_position))
        else:
            opens_at = place.opens_at.strftime("%Y-%m-%d %H:%M") if place.opens_at else ""
            dispatcher.utter_message(response=after_hours, queue_position=str(place.queue_position),
                                     opens_at=opens_at)


class ActionWaitingNotice(Action):
    """Run by the Rasa side (bot/waiting_buyer.py) when a buyer writes while waiting for a person: a person
    will answer here, and where the buyer stands in the queue now."""

    def name(self) -> Text:
        return "action_waiting_notice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        ActionHumanHandoff.tell_place(dispatcher, tracker, tracker.get_slot(REASON_SLOT) or reason_of(tracker),
                                      ("utter_handoff_still_waiting", "utter_handoff_still_waiting_after_hours"))
        return []
