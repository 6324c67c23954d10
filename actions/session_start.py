"""A new session (after an hour of silence) keeps what the buyer told before (their language, ...) and, if a
person had taken the conversation over, keeps it with that person: the bot does not wake up by itself in
the middle of a handoff. Only the support console's hand-back resumes the bot."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.survey import SURVEY_OFFERED_SLOT

# Slots that belong to one session: a new session asks its survey afresh.
SESSION_ONLY_SLOTS = {SURVEY_OFFERED_SLOT}


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        events: List[Dict[Text, Any]] = [SessionStarted()]
        events += [SlotSet(name, value) for name, value in tracker.slots.items()
                   if value is not None and name not in SESSION_ONLY_SLOTS]
        if tracker.is_paused():
            events.append(ConversationPaused())
        return events + [ActionExecuted("action_listen")]
