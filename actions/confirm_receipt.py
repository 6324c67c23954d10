"""Journey 3: confirm receipt. The buyer sees the order and what the seller will be paid, says an explicit yes,
and the escrow is released; a disputed, refunded or undelivered order is refused with the reason."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.amounts import ascii_digits
from actions.clients.escrow import EscrowState
from actions.clients.http import BackendError, NotFound, Refused, new_idempotency_key
from actions.clients.orders import OrderSummary
from actions.conversation import (apologize_backend_down, buyer_of, channel_of, earlier_buyer_texts, intent_of,
                                  language_of, last_bot_response, text_of)
from actions.localization import money
from common.reason_words import reason_in, reports_a_problem
from actions.track_order import (BARE_ORDER_NUMBER, FOCUS_SLOT, ORDER_NUMBER, goods_named, newest_order_of_goods,
                                 order_buttons, order_just_reported, order_number_in, order_numbers_of)
from common.answer_words import AFFIRM, ends_with, lexicon, mentions, says_no_somewhere, says_unnegated, yes_or_no

PENDING = "pending_release"  # the order the buyer was asked to confirm
PENDING_KEY = "pending_release_key"  # the idempotency key of that question's release
QUESTION = "utter_confirm_receipt_question"
ORDER_QUESTION = "utter_which_order_to_confirm"  # which order, when the message names none and several came
# Questions answered in between (data/rules/journeys.yml), after which the receipt question is asked again.
ASKED_IN_BETWEEN = ("track_order", "ask_import_rules")
REFUSALS = {
    "already_released": "utter_receipt_already_confirmed",
    "under_dispute": "utter_receipt_refused_disputed",
    "dispute_resolved": "utter_receipt_refused_closed",
    "already_refunded": "utter_receipt_refused_closed",
    "refund_pending": "utter_receipt_refused_refund_pending",
    "not_delivered": "utter_receipt_not_delivered_yet",
    "not_arrived": "utter_receipt_wait_for_arrival",  # on its way, and the buyer says it has not come
    "delivered_not_arrived": "utter_receipt_delivered_not_arrived",  # marked delivered, and it has not come
    "not_funded": "utter_receipt_refused_closed",
}
SENTENCE_BREAK = re.compile(r"[.!?…。！？;؛\n]+")
CORRECTION_REACH = 20  # characters before an order number where "i mean", "قصدي" take it for the one meant
# Orders whose receipt a buyer may confirm: delivered, or shipped and in their hands before the tracking says so.
CONFIRMABLE = ("delivered", "shipped")


def order_to_confirm(orders: Sequence[OrderSummary], goods: Callable[[], Sequence[str]]) -> Optional[str]:
    """The order a confirmation without a number is about: the only one it can be; else the one whose ``goods``
    the buyer named ("the lamp came, works great", "тел забрал с пвз, у вас ещё в пути пишет"; read only then,
    the catalog is asked), else the only delivered one; None when that leaves a choice (the buyer is asked)."""
    candidates = [o for o in orders if o.status in CONFIRMABLE]
    if len(candidates) <= 1:
        return candidates[0].number if candidates else None
    named = goods()
    number = newest_order_of_goods(candidates, named, CONFIRMABLE) if named else None
    delivered = [o for o in candidates if o.status == "delivered"]
    return number or (delivered[0].number if len(delivered) == 1 else None)


def order_asked_to_confirm(tracker: Tracker) -> Optional[str]:
    """The order the bot's last answer asked the buyer to confirm receipt of, None when it asked nothing of it."""
    return tracker.get_slot(PENDING) if last_bot_response(tracker) == QUESTION else None


def order_meant_instead(text: str) -> bool:
    """Whether a correction word comes just before an order number ("قصدي SR-900060", "i mean 900060"): the
    buyer names the order they meant, not one they leave aside ("the other one SR-900084 not yet")."""
    lowered = ascii_digits((text or "").lower())
    for match in (*ORDER_NUMBER.finditer(lowered), *BARE_ORDER_NUMBER.finditer(lowered)):
        before = lowered[max(0, match.start() - CORRECTION_REACH):match.start()].rstrip(" :,-")
        if any(ends_with(before, phrase) for phrase in lexicon().correction):  # "а второй" does not end with "ой"
            return True
    return False


def yes_here_no_there(text: str, others: Set[str]) -> bool:
    """Whether an answer to "did order X come?" that names other orders confirms X in a sentence of its own and
    says no in each sentence that names another ("подтверждаю получение по нему. а второй SR-900037 ещё едет,
    его пока не трогайте"): X is confirmed. Without a yes or a confirmation of its own ("only this one!! the other
    SR-900084 not arrive yet so dont touch it"), which one is not guessed."""
    words = lexicon()
    sentences = [part for part in SENTENCE_BREAK.split(text) if part.strip()]
    about_others = [part for part in sentences if order_numbers_of(part) & others]
    rest = [part for part in sentences if not order_numbers_of(part)]
    return (bool(about_others) and all(says_no_somewhere(part, words) for part in about_others)
            and any(yes_or_no(part, words) == AFFIRM or says_unnegated(part, words.receipt, words) for part in rest))


def _forget() -> List[Dict[Text, Any]]:
    return [SlotSet(PENDING, None), SlotSet(PENDING_KEY, None)]


def offer_refund_or_dispute(dispatcher: CollectingDispatcher, number: str) -> List[Dict[Text, Any]]:
    """Goods that came with a problem: nothing is released, the question is forgotten, the order stays in focus
    and a refund or a dispute is offered."""
    dispatcher.utter_message(response="utter_receipt_problem_reported", order_id=number)
    return [*_forget(), SlotSet(FOCUS_SLOT, number)]


def refusal_of(state: EscrowState) -> Optional[str]:
    """Why receipt cannot be confirmed now, as the backend's reason code; None if it can."""
    return state.buyer_actions.get("release")


class ActionAskConfirmReceipt(Action):
    """Shows the order and the amount, and asks for a yes; or says why it cannot be confirmed."""

    def name(self) -> Text:
        return "action_ask_confirm_receipt"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        backends = conversation.marketplace()
        pending = tracker.get_slot(PENDING)
        asked_again = bool(pending) and intent_of(tracker) in ASKED_IN_BETWEEN
        if asked_again:
            number = pending  # asked again after a question in between ("بس الاوردر التاني SR-900014 فين؟")
        else:
            number = order_number_in(tracker) or self._order_in_view(tracker)
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return _forget()
            if number is None:
                orders = backends.orders.orders(buyer.buyer_id, language)
                number = order_to_confirm(orders, lambda: goods_named(tracker))
                if number is None:
                    self._offer(dispatcher, [o for o in orders if o.status in CONFIRMABLE])
                    return _forget()
            order = backends.orders.order(buyer.buyer_id, number, language)
            state = backends.escrow.state(buyer.buyer_id, number, channel_of(tracker))
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_id=number or "")
            return _forget()
        except BackendError:
            apologize_backend_down(dispatcher, "confirm_receipt")
            return _forget()
        # the question in between was about another order ("另外 SR-900072 怎么还没到"), not about this one
        refusal = refusal_of(state) or (None if asked_again else self._said_not_arrived(tracker, state, number))
        if refusal:
            dispatcher.utter_message(response=REFUSALS[refusal], order_id=number)
            return _forget()
        if self._problem_reported(tracker):
            return offer_refund_or_dispute(dispatcher, number)
        buyer_total = order.buyer_total or order.total
        dispatcher.utter_message(response=QUESTION, order_id=number,
                                 items=", ".join(order.titles[:2]), seller=order.seller,
                                 amount=money(state.held.amount_minor, state.held.currency),
                                 buyer_amount=money(buyer_total.amount_minor, buyer_total.currency))
        # A new question, a new key: a repeated yes to it is one release; a later question is its own.
        return [SlotSet(PENDING, number), SlotSet(PENDING_KEY, new_idempotency_key())]

    @staticmethod
    def _order_in_view(tracker: Tracker) -> Optional[str]:
        """The order the conversation is on when the message names none: the one the question just asked about
        (an answer that was neither yes nor no, "wait, dont confirm yet, let me check first", is asked again
        about the same order), or the one whose status the bot just gave ("все нормально, казан целый.
        подтверждаю что получил" after its tracking)."""
        return order_asked_to_confirm(tracker) or order_just_reported(tracker)

    @staticmethod
    def _problem_reported(tracker: Tracker) -> bool:
        """Whether the buyer says what is wrong with the goods: in this message, or, when this one only picks the
        order the bot asked about ("Which order?" after "the blender's lid came cracked"), in the one before."""
        if reports_a_problem(text_of(tracker)):
            return True
        if last_bot_response(tracker) != ORDER_QUESTION:
            return False
        earlier = earlier_buyer_texts(tracker, 1)
        return bool(earlier) and reports_a_problem(earlier[0])

    @staticmethod
    def _said_not_arrived(tracker: Tracker, state: EscrowState, number: str) -> Optional[str]:
        """An order the buyer's message says has not arrived ("الثاني SR-900054 لسا ما وصل"): not offered for
        confirmation, whatever else the conversation is about. On its way, the buyer is asked to wait; marked
        delivered ("مكتوب عليه delivered بس والله ما استلمت حاجه"), the payment stays held and a dispute is
        offered; unless the message is about another order too ("this one came, the other not yet")."""
        text = text_of(tracker)
        if reason_in(text, ("not_received",)) is None:
            return None
        if state.delivered_at is None:
            return "not_arrived"
        asked = tracker.get_slot(PENDING)
        about_another = (len(order_numbers_of(text)) > 1 or mentions(text, lexicon().other_one)
                         or asked not in (None, number))
        return None if about_another else "delivered_not_arrived"

    @staticmethod
    def _offer(dispatcher: CollectingDispatcher, delivered) -> None:
        if not delivered:
            dispatcher.utter_message(response="utter_no_order_to_confirm")
            return
        dispatcher.utter_message(response=ORDER_QUESTION,
                                 buttons=order_buttons(delivered, "confirm_receipt"))


class ActionConfirmReceipt(Action):
    """After the buyer's yes: releases the escrow of the order they were asked about, exactly once."""

    def name(self) -> Text:
        return "action_confirm_receipt"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number, key = tracker.get_slot(PENDING), tracker.get_slot(PENDING_KEY)
        if not number or not key:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        text = text_of(tracker)
        if reports_a_problem(text):  # "ok the box came but one glass lid cracked right across": no release
            return offer_refund_or_dispute(dispatcher, number)
        named = order_numbers_of(text)
        others = named - {number}
        if len(others) == 1 and order_meant_instead(text):
            # "اوه لحظة، هذا بعده ما وصل 😅 قصدي SR-900060": the question again, about the order meant (a new yes
            # is needed for it)
            return ActionAskConfirmReceipt().run(dispatcher, tracker, domain)
        apart = bool(others) and yes_here_no_there(text, others)  # a yes to this one, a no to the others
        if not apart and (others or (named and says_no_somewhere(text, lexicon()))):
            # "only this one!! the other SR-900084 not arrive yet so dont touch it": which one is not guessed
            return self._ask_which(dispatcher, tracker, number, named) or []
        goods = goods_named(tracker, messages=0)
        if goods:  # a yes that names goods ("ابي اكد استلام الشنطه بس"): they must be the order's
            mismatch = self._ask_which(dispatcher, tracker, number, set(), goods)
            if mismatch is not None:
                return mismatch
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return _forget()
            state = conversation.marketplace().escrow.confirm_receipt(buyer.buyer_id, number, key,
                                                                     channel_of(tracker))
        except Refused as refusal:
            dispatcher.utter_message(response=REFUSALS.get(refusal.code, "utter_receipt_refused_closed"),
                                     order_id=number)
            return _forget()
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_id=number)
            return _forget()
        except BackendError:
            apologize_backend_down(dispatcher, "confirm_receipt")
            return []  # the question stands: a later yes may still go through, with the same key
        released = state.released_to_seller
        dispatcher.utter_message(response="utter_receipt_confirmed", order_id=number,
                                 amount=money(released.amount_minor, released.currency))
        return _forget()

    @staticmethod
    def _ask_which(dispatcher: CollectingDispatcher, tracker: Tracker, number: str, named: Set[str],
                   goods: Sequence[str] = ()) -> Optional[List[Dict[Text, Any]]]:
        """Offers the asked order and those the answer names (by number, or by ``goods`` the asked order does not
        have) for the buyer to pick the one to confirm, releasing nothing; None when ``goods`` are the asked
        order's own."""
        buyer = buyer_of(tracker)
        try:
            orders = conversation.marketplace().orders.orders(buyer.buyer_id, language_of(tracker)) if buyer else []
        except BackendError:
            apologize_backend_down(dispatcher, "confirm_receipt")
            return _forget()
        if goods:
            asked = next((o for o in orders if o.number == number), None)
            if asked is None or set(goods) & set(asked.categories):
                return None
            named = named | {o.number for o in orders if set(goods) & set(o.categories)}
        offered = [o for o in orders if o.number in named | {number} and o.status in CONFIRMABLE]
        ActionAskConfirmReceipt._offer(dispatcher, offered)
        return _forget()
