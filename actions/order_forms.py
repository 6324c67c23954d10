"""What the refund and dispute forms share: the verified buyer's order (asked with buttons, checked
against the escrow's state), and leaving a form with its answers forgotten.

Journey modules (request_refund, open_dispute) build on these; what an escrow allows is the escrow
backend's to say (its view lists the buyer's actions with a reason code for each refused one), and the
buyer is told that reason in their language."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.clients.escrow import EscrowState
from actions.checked_form import FAILURES_SLOT, REQUESTED_SLOT, CheckedForm
from actions.confirm_receipt import order_asked_to_confirm
from actions.clients.http import BackendError, NotFound, Refused
from actions.conversation import (apologize_backend_down, buyer_of, channel_of, earlier_buyer_texts, language_of,
                                  read_text, text_of)
from actions.reasons import reason_buttons
from common.reason_words import names_a_reason, reason_in
from common.reason_patterns import REFUND_REFUSED, refusal_told
from actions.amounts import ascii_digits
from actions.track_order import (goods_named, newest_order_of_goods, order_buttons, order_just_reported,
                                 order_meant, order_number_in, order_number_of, order_number_said)
from common.answer_words import is_cjk, lexicon, mentions, yes_or_no
from common.entity_words import corrects_the_order, without_order_numbers

ORDER_SLOT = "order_number"
JOURNEY_REQUEST_WORDS = 8  # "i want to open a dispute please": a short answer that only asks for the journey again
RESTATING_WORDS = 2  # "вот номер SR-900022", "its SR-900022": the words beside an order number that only restate it
# Each form's own slots, cleared when the form ends however it ends.
FORM_SLOTS = {
    "refund_form": ("refund_reason", "refund_return", "refund_amount", "refund_confirmed", "refund_key",
                    "refund_description", "refund_amount_asked"),
    "dispute_form": ("dispute_reason", "dispute_description", "dispute_evidence", "dispute_confirmed",
                     "dispute_key"),
}
# Order statuses worth offering as buttons for each form (the escrow backend decides in the end).
OFFERED_STATUSES = {
    "refund_form": ("paid", "shipped", "delivered"),
    "dispute_form": ("paid", "shipped", "delivered", "refund_requested"),
}
# The escrow action each form ends in.
ESCROW_ACTION = {"refund_form": "request_refund", "dispute_form": "open_dispute"}
# The escrow backend's refusal codes, as what the buyer is told.
REFUSALS = {"refund_pending": "utter_refund_already_requested", "under_dispute": "utter_order_under_dispute",
            "already_released": "utter_order_paid_out", "already_refunded": "utter_order_refunded",
            "dispute_resolved": "utter_order_dispute_closed"}


def refusal_response(code: str) -> str:
    return REFUSALS.get(code, "utter_request_refused")


def clear_form(form: Optional[str]) -> List[Dict[Text, Any]]:
    """Events that forget a form's answers, so the next request starts afresh."""
    slots = (ORDER_SLOT, FAILURES_SLOT, *FORM_SLOTS.get(form or "", ()))
    return [SlotSet(slot, None) for slot in slots]


def opening_text(tracker: Tracker) -> Optional[str]:
    """The message that started the form ("order SR-204517 came broken, I want my money back"), while the form
    has asked nothing yet; None afterwards (later answers are each question's own)."""
    if tracker.get_slot(REQUESTED_SLOT) is not None:
        return None
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    return None if not text or text.startswith("/") else text


def form_opening_text(tracker: Tracker, form: str) -> Optional[str]:
    """What the buyer typed in the message that started the form (this run of it: resumed after a question in
    between, it is still the first), or None."""
    opening, active, latest = None, None, None
    for event in tracker.events or []:
        if event.get("event") == "user":
            latest = read_text(event)
        elif event.get("event") == "active_loop":
            if event.get("name") == form and active != form:
                opening = latest
            active = event.get("name")
    return None if not opening or opening.startswith("/") else opening


def reason_said(tracker: Tracker, allowed: Sequence[str], slot: str) -> Tuple[Optional[str], Optional[str]]:
    """(reason, the words that name it) when the form has just started: from the opening message, else from
    what the buyer wrote just before ("the screen came cracked", then "I want to open a dispute"); later, from
    the answer to another question ("订单SR-900002，一直没收到，物流也不更新了" to "Which order?")."""
    opening = opening_text(tracker)
    if opening:
        texts = [opening, *earlier_buyer_texts(tracker)]
    elif tracker.get_slot(REQUESTED_SLOT) is None:  # a button ("Ask for a refund" under "the bag has a stain")
        texts = earlier_buyer_texts(tracker)
    else:
        answer = text_of(tracker)
        another_question = tracker.get_slot(REQUESTED_SLOT) not in (None, slot)
        texts = [answer] if another_question and answer and not answer.startswith("/") else []
    if REFUND_REFUSED in allowed:  # a dispute over a refused refund is about the refusal, the flaw is its story
        refused = next((text for text in texts if refusal_told(text)), None)
        if refused is not None:
            return REFUND_REFUSED, refused
    for text in texts:
        reason = names_a_reason(text, allowed)
        if reason:
            return reason, text
    return None, None


def words_of(text: str) -> int:
    """How many words a text has (Chinese: one for every two characters)."""
    cjk = sum(1 for character in text if is_cjk(character))
    return len(text.split()) + cjk // 2


def restates_the_order(text: str, number: Optional[str]) -> bool:
    """Whether an answer only names the order the form is already about ("заказ SR-900022" to "How much?"): no
    answer to the question, nor a wrong one; the question is asked again, without a word of reproach."""
    if number is None or order_number_of(text, bare=True) != number:
        return False
    return words_of(without_order_numbers(ascii_digits(text))) <= RESTATING_WORDS


def not_a_reason(text: str, allowed: Sequence[str]) -> bool:
    """Whether an answer to "what went wrong?" names no reason and answers another question: a yes or a no
    ("да, открывайте", typed as if the dispute were being confirmed), what happens to the goods ("отправлю
    обратно без проблем"), or the request itself again; the reason is asked again (the form reads that other
    answer itself)."""
    if reason_in(text, allowed) is not None:
        return False
    words = lexicon()
    if words_of(text) <= JOURNEY_REQUEST_WORDS and mentions(text, words.dispute + words.refund):
        return True  # "i want to open a dispute please": the request again, not what went wrong
    return yes_or_no(text, words) is not None or bool(mentions(text, words.keep_item + words.send_back))


def reason_read(text: str, allowed: Sequence[str]) -> str:
    """The reason a typed answer gives: a button's code, a reason its words name, else "other" (the buyer's
    words are kept as the description: an answer in their own words is never refused)."""
    text = str(text or "").strip()
    if text in allowed:
        return text
    return reason_in(text, allowed) or "other"


def named_before(tracker: Tracker, number: Optional[str]) -> bool:
    """Whether the buyer named the order ``number`` in one of their messages before the latest one, typed or by a
    button (not when the bot picked the order by the goods named)."""
    digits = (number or "")[-6:]
    texts = [read_text(event) or "" for event in (tracker.events or []) if event.get("event") == "user"][:-1]
    return bool(digits) and any(digits in ascii_digits(text) for text in texts)


class OrderFormValidation(CheckedForm):
    """The order forms' shared question: which order (the buyer's own, in a state the form can act on)."""

    def extract_order_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """The order the opening message names ("a refund for SR-204517"), or one the buyer named just before
        ("заказ SR-900005", then "можно деньги вернуть?"), or the one whose status the bot just gave ("咋还没发
        卖家是不是忘了" after it) or whose receipt it just asked to confirm ("хочу частичный возврат" to "Release the
        payment for SR-900042?"); later answers come from the text."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested is None and tracker.get_slot(ORDER_SLOT) is None:
            number = (order_number_in(tracker) or order_number_said(tracker) or order_just_reported(tracker)
                      or order_asked_to_confirm(tracker) or self._order_of_goods(tracker))
            if number:
                return {ORDER_SLOT: number}
        elif requested == ORDER_SLOT and order_number_in(tracker) is None:
            number = self._order_of_goods(tracker)  # "就那个台灯", or "my money back" after "the watch came pink"
            if number:
                return {ORDER_SLOT: number}
        elif requested is not None:  # "sorry, wrong one: it's SR-900053" while another question is open
            text = text_of(tracker)
            held = tracker.get_slot(ORDER_SLOT)
            number = order_meant(text, held) if corrects_the_order(text) else order_number_of(text)
            if number and number != held and (corrects_the_order(text) or
                                              held is not None and not named_before(tracker, held)):
                # an order the bot picked by its goods gives way to the one the buyer names ("standing desk ...
                # only 1 leg", then "i want dispute for SR-900033")
                return {ORDER_SLOT: number, **self.forgotten_with_the_order()}
        return {}

    def forgotten_with_the_order(self) -> Dict[Text, Any]:
        """Answers the order taken back gave (not the buyer), dropped with it (none by default)."""
        return {}

    def _order_of_goods(self, tracker: Tracker) -> Optional[str]:
        """The newest order the form can act on whose goods the buyer's recent messages name, or None."""
        named = goods_named(tracker)
        if not named:
            return None
        buyer = buyer_of(tracker)
        if buyer is None:
            return None
        try:
            orders = conversation.marketplace().orders.orders(buyer.buyer_id, language_of(tracker))
        except BackendError:
            return None
        return newest_order_of_goods(orders, named, OFFERED_STATUSES.get(self.form, ()))

    def validate_order_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict[Text, Any]) -> Dict[Text, Any]:
        number = order_number_of(str(value or ""), bare=True)
        if number is None:
            return self.failed(dispatcher, tracker, ORDER_SLOT, "utter_order_number_expected")
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return {ORDER_SLOT: None, **self.stop()}
            backends = conversation.marketplace()
            backends.orders.order(buyer.buyer_id, number, language_of(tracker))  # someone else's: NotFound
            try:
                state = backends.escrow.state(buyer.buyer_id, number, channel_of(tracker))
            except NotFound:
                dispatcher.utter_message(response="utter_order_not_paid", order_id=number)
                return {ORDER_SLOT: None, **self.stop()}
        except NotFound:
            return self.failed(dispatcher, tracker, ORDER_SLOT, "utter_order_not_found", order_id=number)
        except BackendError:
            apologize_backend_down(dispatcher, self.form)
            return {ORDER_SLOT: None, **self.stop()}
        refusal = state.buyer_actions.get(ESCROW_ACTION[self.form])  # the backend says whether it may be done
        if refusal:
            dispatcher.utter_message(response=refusal_response(refusal), order_id=number, **request_details(state))
            return {ORDER_SLOT: None, **self.stop()}
        return {**self.accepted(ORDER_SLOT, number), **self.known_from_order(state, dispatcher, tracker)}

    def known_from_order(self, state: EscrowState, dispatcher: CollectingDispatcher,
                         tracker: Tracker) -> Dict[Text, Any]:
        """Answers the order itself gives, or that could only be read once it was known, so they are not asked
        (none by default)."""
        return {}


def request_details(state: EscrowState) -> Dict[str, str]:
    """The open case's number and the date an answer is due (to the dispute, else to the refund request)."""
    pending = state.pending_refund
    due = (state.dispute.answer_due_at if state.dispute else None) or (pending.answer_due_at if pending else None)
    return {"case_number": state.dispute_case or "", "answer_due": due.date().isoformat() if due else ""}


class ActionAskOrderNumber(Action):
    """Asks which order, with the buyer's orders that the active form may concern as buttons; an
    unverified buyer is asked to sign in and the form ends."""

    def name(self) -> Text:
        return "action_ask_order_number"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        form = tracker.active_loop_name or ""
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return [SlotSet(REQUESTED_SLOT, None)]
            orders = conversation.marketplace().orders.orders(buyer.buyer_id, language_of(tracker))
        except BackendError:
            apologize_backend_down(dispatcher, form)
            return [SlotSet(REQUESTED_SLOT, None)]
        offered = [o for o in orders if o.status in OFFERED_STATUSES.get(form, ())]
        if not offered:
            dispatcher.utter_message(response="utter_no_order_for_request")
            return [SlotSet(REQUESTED_SLOT, None)]
        dispatcher.utter_message(response="utter_ask_order_number", buttons=order_buttons(offered, "inform"))
        return []


class ActionCancelForm(Action):
    """The buyer said no / stop inside a form: nothing is sent, the answers are forgotten."""

    def name(self) -> Text:
        return "action_cancel_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_form_cancelled")
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *clear_form(tracker.active_loop_name)]


class ActionLeaveForm(Action):
    """The buyer asked for another journey inside a form ("open a dispute instead" in the refund form): the form
    ends silently and its answers are forgotten, but the order stays for the journey that follows."""

    def name(self) -> Text:
        return "action_leave_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kept = tracker.get_slot(ORDER_SLOT)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *clear_form(tracker.active_loop_name),
                SlotSet(ORDER_SLOT, kept)]


def confirmation_answer(tracker: Tracker, slot: str) -> Optional[bool]:
    value = tracker.get_slot(slot)
    return value if isinstance(value, bool) else None


class OrderFormSubmission(Action, ABC):
    """After an order form: on the buyer's yes, the escrow request is made (once: the question's idempotency key
    goes with it); on a no, nothing is sent; a form that ended early already said why. The answers are forgotten
    either way. Subclasses name the form and make the request (``submit``) and the answer (``tell``)."""

    form: str = ""

    @abstractmethod
    def submit(self, buyer_id: str, number: str, tracker: Tracker) -> EscrowState:
        """Makes the escrow request the form collected."""

    @abstractmethod
    def tell(self, dispatcher: CollectingDispatcher, number: str, state: EscrowState) -> None:
        """Tells the buyer what was done and what happens next."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        confirmed = confirmation_answer(tracker, self.form.replace("_form", "_confirmed"))
        number = tracker.get_slot(ORDER_SLOT)
        if confirmed is None or not number:
            return clear_form(self.form)
        if not confirmed:
            dispatcher.utter_message(response="utter_request_not_sent")
            return clear_form(self.form)
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return clear_form(self.form)
            state = self.submit(buyer.buyer_id, number, tracker)
        except Refused as refusal:
            dispatcher.utter_message(response=refusal_response(refusal.code), order_id=number, case_number="",
                                     answer_due="")
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_id=number)
        except BackendError:
            apologize_backend_down(dispatcher, self.form)
        else:
            self.tell(dispatcher, number, state)
        return clear_form(self.form)


class ReasonQuestion(Action, ABC):
    """Asks why, with the form's reasons as buttons in the buyer's language (a typed answer is read too)."""

    reasons: Sequence[str] = ()

    @property
    @abstractmethod
    def slot(self) -> str:
        """The reason slot (a class attribute in each subclass)."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}",
                                 buttons=reason_buttons(self.reasons, language_of(tracker), self.slot))
        return []

