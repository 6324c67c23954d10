"""Journey 5: a dispute. A form collects the order, the reason, a description and any evidence (links to
photos or documents); after an explicit yes the case is opened in the escrow backend, which stops the
automatic release, and the buyer gets the case number and when staff will answer."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.clients.escrow import EscrowState
from actions.clients.http import new_idempotency_key
from actions.checked_form import FAILURES_SLOT, REQUESTED_SLOT
from actions.conversation import answer_as_read, channel_of, language_of, text_of
from actions.order_forms import (ORDER_SLOT, OrderFormSubmission, OrderFormValidation, ReasonQuestion,
                                 not_a_reason, opening_text, reason_read, reason_said, request_details,
                                 restates_the_order, words_of)
from actions.reasons import label
from common.reason_words import DISPUTE_REASONS
from common.reason_patterns import REFUND_REFUSED, refusal_told
from common.answer_words import AFFIRM, first_phrase, lexicon, mentions, normalize, yes_or_no
from common.entity_words import corrects_the_order

FORM = "dispute_form"
NO_EVIDENCE = "none"
MIN_DESCRIPTION = 5  # characters: "东西是假的" says enough; "bad" does not
DESCRIBING_WORDS = 8  # a reason this long ("the logo is crooked and the stitching is messy ...") describes too
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_PAYLOAD = re.compile(r"^/\w+")


def links_in(text: str) -> List[str]:
    return [link.rstrip(".,;)") for link in _LINK.findall(text or "")][:10]


class ValidateDisputeForm(OrderFormValidation):
    form = FORM

    def extract_dispute_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """The reason the opening message (or the one just before) already names ("it never came"); a long
        one is the description. A refund refused, told in the answer to a later question ("продавцу написал на
        возврат, он отказал"), becomes the reason: the dispute is about the refusal, the flaw is its story."""
        said = tracker.get_slot("dispute_reason")
        if said is not None:
            answer = text_of(tracker)
            later = tracker.get_slot(REQUESTED_SLOT) not in (None, "dispute_reason", "dispute_confirmed")
            told = later and said != REFUND_REFUSED and not answer.startswith("/") and refusal_told(answer)
            return {"dispute_reason": REFUND_REFUSED} if told else {}
        reason, text = reason_said(tracker, DISPUTE_REASONS, "dispute_reason")
        if not reason:
            return {}
        return {"dispute_reason": reason, **self._described(text, tracker)}

    def extract_dispute_evidence(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """Links the opening message already gives ("fake bag!! photos here https://…")."""
        if tracker.get_slot("dispute_evidence") is not None:
            return {}
        links = links_in(opening_text(tracker) or "")
        return {"dispute_evidence": " ".join(links)} if links else {}

    def validate_dispute_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if corrects_the_order(text) or restates_the_order(text, tracker.get_slot(ORDER_SLOT)):
            return {"dispute_reason": None}  # asked again, about the order now meant
        if not_a_reason(text, DISPUTE_REASONS):
            return self.failed(dispatcher, tracker, "dispute_reason", "utter_reason_expected")
        described = {} if text in DISPUTE_REASONS else self._described(text, tracker)
        reason = reason_read(answer_as_read(value, tracker), DISPUTE_REASONS)
        return {**self.accepted("dispute_reason", reason), **described}

    @staticmethod
    def _described(text: str, tracker: Tracker) -> Dict[Text, Any]:
        """``text`` as the description too when it describes the problem (long enough) and none was given."""
        if tracker.get_slot("dispute_description") or words_of(text) < DESCRIBING_WORDS:
            return {}
        return {"dispute_description": text[:4000]}

    def validate_dispute_description(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if len(text) < MIN_DESCRIPTION or _PAYLOAD.match(text):
            return self.failed(dispatcher, tracker, "dispute_description", "utter_dispute_description_expected")
        return self.accepted("dispute_description", text[:4000])

    def validate_dispute_evidence(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """Links, or none: an answer without a link is a no ("фоток нет", "no pics sorry"), unless it is a yes
        ("yes I have photos"), which is asked for the links once; a buyer who has photos but gives up on links
        ("有聊天截图 不过不会弄链接 算了吧"), or answers the second time without one, or asks for the dispute itself
        ("open dispute pls"), goes on without (staff can ask for the photos in the case)."""
        if value is False or value == NO_EVIDENCE:
            return self.accepted("dispute_evidence", NO_EVIDENCE)
        text = str(value or "")
        links = links_in(text)
        if links:
            return self.accepted("dispute_evidence", " ".join(links))
        words = lexicon()
        if mentions(text, words.dispute):
            return self.accepted("dispute_evidence", NO_EVIDENCE)  # "open dispute pls": on without links
        has_some = yes_or_no(text, words) == AFFIRM or first_phrase(normalize(text), words.have)
        asked_for_links = float(tracker.get_slot(FAILURES_SLOT) or 0) > 0
        if has_some and not asked_for_links and not mentions(text, words.stop):
            return self.failed(dispatcher, tracker, "dispute_evidence", "utter_dispute_evidence_expected")
        return self.accepted("dispute_evidence", NO_EVIDENCE)

    def validate_dispute_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self.yes_or_no(dispatcher, tracker, "dispute_confirmed", value)


def evidence_of(tracker: Tracker) -> List[str]:
    value = tracker.get_slot("dispute_evidence")
    return [] if value in (None, NO_EVIDENCE) else str(value).split()


class ActionAskDisputeReason(ReasonQuestion):
    slot = "dispute_reason"
    reasons = DISPUTE_REASONS


class ActionAskDisputeConfirmed(Action):
    """Repeats the case and asks for an explicit yes; the question gets its own idempotency key."""

    def name(self) -> Text:
        return "action_ask_dispute_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_ask_dispute_confirmed", order_id=tracker.get_slot(ORDER_SLOT),
                                 reason=label(tracker.get_slot("dispute_reason"), language_of(tracker)),
                                 evidence_count=str(len(evidence_of(tracker))))
        return [SlotSet("dispute_key", new_idempotency_key())]


class ActionSubmitDispute(OrderFormSubmission):
    """After the form: opens the case on a yes, with its reason, description and evidence."""

    form = FORM

    def name(self) -> Text:
        return "action_submit_dispute"

    def submit(self, buyer_id: str, number: str, tracker: Tracker) -> EscrowState:
        return conversation.marketplace().escrow.open_dispute(
            buyer_id, number, tracker.get_slot("dispute_key"), tracker.get_slot("dispute_reason"),
            tracker.get_slot("dispute_description"), evidence_of(tracker), channel=channel_of(tracker))

    def tell(self, dispatcher: CollectingDispatcher, number: str, state: EscrowState) -> None:
        dispatcher.utter_message(response="utter_dispute_opened", order_id=number, **request_details(state))
