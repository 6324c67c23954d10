"""A form whose answers are checked: an answer that does not fit is explained, counted, and after two in a
row a person is offered; a valid answer resets the count. Every journey form validates through this."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

FAILURES_SLOT = "form_failures"
REQUESTED_SLOT = "requested_slot"
FAILURES_BEFORE_HUMAN = 2


class CheckedForm(FormValidationAction, ABC):
    """Subclasses set ``form`` and define ``validate_<slot>`` methods that return ``accepted``/``failed``."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form's name (a class attribute in each subclass)."""

    def name(self) -> Text:
        return f"validate_{self.form}"

    def failed(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, response: str,
               **values: Any) -> Dict[Text, Any]:
        """An answer that does not fit: say what is expected; after two in a row, offer a person too."""
        failures = int(tracker.get_slot(FAILURES_SLOT) or 0) + 1
        dispatcher.utter_message(response=response, **values)
        if failures >= FAILURES_BEFORE_HUMAN:
            dispatcher.utter_message(response="utter_form_offer_human")
        return {slot: None, FAILURES_SLOT: float(failures)}

    def yes_or_no(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: Any) -> Dict[Text, Any]:
        """A yes/no question's answer (the slot's mappings turn affirm and deny into True and False)."""
        if not isinstance(value, bool):
            return self.failed(dispatcher, tracker, slot, "utter_yes_or_no_expected")
        return self.accepted(slot, value)

    @staticmethod
    def accepted(slot: str, value: Any) -> Dict[Text, Any]:
        return {slot: value, FAILURES_SLOT: 0.0}

    @staticmethod
    def stop() -> Dict[Text, Any]:
        """Ends the form early (the reason was already said): no further question, nothing submitted."""
        return {REQUESTED_SLOT: None}
