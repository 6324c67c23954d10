"""Journey 2: where is my order? Status, the latest tracking event, the ETA, and a customs hold explained."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.amounts import ascii_digits
from actions.clients.http import BackendError, NotFound
from actions.clients.orders import Order, OrderSummary
from actions import conversation
from actions.conversation import (apologize_backend_down, buyer_of, earlier_buyer_texts, language_of,
                                  last_bot_response, read_text, text_of)
from actions.localization import ORDER_STATUS, PERIOD, TRACKING_EVENT, money, word
from common.answer_words import QUESTION_MARKS, ends_with, lexicon, mentions
from common.entity_words import ORDER_DIGITS, ORDER_NUMBER, tracking_number_in

OPEN_STATUSES = ("placed", "paid", "shipped")

# Six digits standing alone: buyers often type the number without its "SR-" ("order number 900041").
BARE_ORDER_NUMBER = ORDER_DIGITS  # "900040": the digits alone
FOCUS_SLOT = "order_in_focus"
FORM_ORDER_SLOT = "order_number"  # the order a refund, dispute or confirmation form is about
EARLIER_MESSAGES = 3  # how far back an order the buyer named still counts for a new request
MAX_ORDER_BUTTONS = 5
# How a status report ends (ActionTrackOrder._report), or a problem with received goods: a request just after it is
# about that order.
STATUS_RESPONSES = frozenset({"utter_order_status", "utter_parcel_latest_event", "utter_parcel_late",
                              "utter_parcel_eta", "utter_parcel_at_customs", "utter_parcel_at_customs_threshold",
                              "utter_receipt_problem_reported"})


def order_buttons(orders: Sequence[OrderSummary], intent: str) -> List[Dict[str, str]]:
    """The buyer's orders as buttons that repeat ``intent`` with the chosen order's number."""
    return [{"title": f"{o.number} · {o.titles[0] if o.titles else ''}"[:64],
             "payload": f'/{intent}{{"order_id": "{o.number}"}}'} for o in orders[:MAX_ORDER_BUTTONS]]


def order_number_of(text: Optional[str], bare: bool = False) -> Optional[str]:
    """The order number in a text, written the way the shop writes it (SR-204517), or None; with ``bare``,
    also six digits standing alone ("заказ 204517", "٢٠٤٥١٧"), for a message about an order."""
    text = ascii_digits(text or "")
    matches = list(ORDER_NUMBER.finditer(text)) or (list(BARE_ORDER_NUMBER.finditer(text)) if bare else [])
    if not matches:
        return None
    first, last = matches[0], matches[-1]
    if last.group(1) != first.group(1) and _corrected(text[first.end():last.start()]):
        return f"SR-{last.group(1)}"  # "订单是SR-900054… 不对不对 是SR-900053": the one put right
    return f"SR-{first.group(1)}"


def order_meant(text: Optional[str], held: Optional[str]) -> Optional[str]:
    """The order a message that puts the order right means: of two, the one after a correction word that stands
    between them ("订单是SR-900001… 不对不对 是SR-900000"); else the one the form does not hold ("не тот номер скинул,
    SR-900043 это другой заказ … Телевизор это SR-900042"); else the order it names."""
    plain = ascii_digits(text or "")
    numbers = list(dict.fromkeys(f"SR-{match.group(1)}" for match in ORDER_NUMBER.finditer(plain)))
    named = order_number_of(text)
    if len(numbers) == 2 and named == numbers[0] and held in numbers:
        return numbers[1] if held == numbers[0] else numbers[0]
    return named


def _corrected(between: str) -> bool:
    """Whether the words between two order numbers take the first back ("… не, то есть", "不对不对 是"), and the
    second is not the one taken back ("SR-900054, not SR-900053")."""
    words = lexicon()
    return bool(mentions(between, words.correction)) and not any(
        ends_with(between.rstrip(), negation) for negation in words.negation + words.not_this)


def order_numbers_of(text: Optional[str]) -> Set[str]:
    """Every order number a text names (SR-204517, or six digits standing alone)."""
    text = ascii_digits(text or "")
    return {f"SR-{digits}" for digits in ORDER_NUMBER.findall(text) + BARE_ORDER_NUMBER.findall(text)}


def order_asked_about(text: Optional[str]) -> Optional[str]:
    """Of several orders a message names, the one it asks about: the one a question mark follows before the next
    order ("SR-900059 وصلني مشكورين، بس SR-900060 شو صار عليه؟"), else the last; None when it names fewer than two."""
    text = ascii_digits(text or "")
    found = sorted((match.start(), match.end(), f"SR-{match.group(1)}")
                   for pattern in (ORDER_NUMBER, BARE_ORDER_NUMBER) for match in pattern.finditer(text))
    numbers = list(dict.fromkeys(number for _, _, number in found))
    if len(numbers) < 2:
        return None
    for (_, end, number), following in zip(found, [*(start for start, _, _ in found[1:]), len(text)]):
        if any(mark in text[end:following] for mark in QUESTION_MARKS):
            return number
    return found[-1][2]


def order_number_in(tracker: Tracker) -> Optional[str]:
    """The order the latest message names: its order_id entity, else its text (six digits alone count)."""
    for value in tracker.get_latest_entity_values("order_id"):
        number = order_number_of(str(value), bare=True)
        if number:
            return number
    return order_number_of(text_of(tracker), bare=True)


def order_number_said(tracker: Tracker) -> Optional[str]:
    """The order the buyer named in one of their messages just before the latest ("заказ SR-900005", then "can
    I get my money back?"): an SR number, not six bare digits, which only answer a question."""
    return next(filter(None, (order_number_of(text) for text in earlier_buyer_texts(tracker, EARLIER_MESSAGES))),
                None)


def order_of_category(orders: Sequence[OrderSummary], category: str) -> Optional[str]:
    """The one order with goods of ``category``, an open one first ("the lamp I ordered" while an older lamp
    order was delivered long ago); None when no order or several equally likely ones have such goods."""
    matching = [order for order in orders if category in order.categories]
    open_ones = [order for order in matching if order.status in OPEN_STATUSES]
    candidates = open_ones or matching
    return candidates[0].number if len(candidates) == 1 else None


def goods_named(tracker: Tracker, messages: int = EARLIER_MESSAGES) -> List[str]:
    """The product categories the buyer's latest message and the ``messages`` before it name ("the lamp came,
    works great", "平板屏幕上有道划痕"), latest first: the NLU's product_category entities, else the catalog's
    reading of the words; [] when the catalog does not answer."""
    named: List[str] = []
    user_events = [event for event in reversed(tracker.events or []) if event.get("event") == "user"]
    for event in user_events[:messages + 1]:
        text = read_text(event)
        if not text or text.startswith("/"):
            continue
        entities = (event.get("parse_data") or {}).get("entities") or []
        found = [str(e["value"]) for e in entities if e.get("entity") == "product_category" and e.get("value")]
        if not found:
            try:
                found = [conversation.marketplace().catalog.category_named(text)]
            except BackendError:
                return named
        named.extend(category for category in found if category and category not in named)
    return named


def newest_order_of_goods(orders: Sequence[OrderSummary], categories: Sequence[str],
                          statuses: Sequence[str]) -> Optional[str]:
    """The newest of the buyer's orders in ``statuses`` with goods of the first of ``categories`` any such
    order has ("the lamp" while two lamp orders were delivered: the latest, which the confirmation names
    before anything is done); None when none has."""
    for category in categories:
        matching = [order for order in orders if category in order.categories and order.status in statuses]
        if matching:
            return max(matching, key=lambda order: order.placed_at).number
    return None


def order_just_reported(tracker: Tracker) -> Optional[str]:
    """The order whose status the bot's last answer gave, None when its last answer was anything else."""
    return tracker.get_slot(FOCUS_SLOT) if last_bot_response(tracker) in STATUS_RESPONSES else None


class ActionTrackOrder(Action):
    def name(self) -> Text:
        return "action_track_order"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        backends = conversation.marketplace()
        try:
            buyer = buyer_of(tracker)
            if buyer is None:
                dispatcher.utter_message(response="utter_sign_in_to_continue")
                return []
            number = order_asked_about(text_of(tracker)) or order_number_in(tracker)
            tracking = (next(iter(tracker.get_latest_entity_values("tracking_number")), None)
                        or tracking_number_in(text_of(tracker)))
            if number is None and tracking:
                number = backends.orders.order_of_parcel(buyer.buyer_id, tracking)
            if number is None:
                number = self._order_meant(tracker, buyer.buyer_id, language)
            if number is None:
                self._offer_open_orders(dispatcher, buyer.buyer_id, language)
                return []
            order = backends.orders.order(buyer.buyer_id, number, language)
            self._report(dispatcher, order, language)
            return [SlotSet(FOCUS_SLOT, order.number)]
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found",
                                     order_id=order_number_in(tracker) or tracking or "")
        except BackendError:  # unavailable, or an answer that makes no sense here
            apologize_backend_down(dispatcher, "track_order")
        return []

    @staticmethod
    def _order_meant(tracker: Tracker, buyer_id: str, language: str) -> Optional[str]:
        """The order a message that names none is about: the one whose goods it names ("the lamp I ordered",
        "где мои наушники"), when exactly one is; else a follow-up's, the one in focus ("when will it
        come?"), or inside a refund or dispute, the order it is about ("how many days until you ship?"); "and the
        other one?" the buyer's other open order, when there is exactly one."""
        in_form = tracker.get_slot(FORM_ORDER_SLOT) if tracker.active_loop_name else None
        focus = tracker.get_slot(FOCUS_SLOT) or in_form
        other_one = mentions(text_of(tracker), lexicon().other_one)
        named = [] if other_one else goods_named(tracker, messages=0)  # the latest message's goods only
        category = named[0] if named else None
        if category or other_one:
            orders = conversation.marketplace().orders.orders(buyer_id, language)
            described = order_of_category(orders, category) if category else None
            if described:
                return described
        if not focus:
            return None
        if not other_one:
            return focus
        others = [o.number for o in orders if o.number != focus and o.status in OPEN_STATUSES]
        return others[0] if len(others) == 1 else None

    @staticmethod
    def _offer_open_orders(dispatcher: CollectingDispatcher, buyer_id: str, language: str) -> None:
        orders = conversation.marketplace().orders.orders(buyer_id, language)
        if not orders:
            dispatcher.utter_message(response="utter_no_open_orders")
            return
        dispatcher.utter_message(response="utter_which_order", buttons=order_buttons(orders, "track_order"))

    def _report(self, dispatcher: CollectingDispatcher, order: Order, language: str) -> None:
        dispatcher.utter_message(response="utter_order_status", order_id=order.number,
                                 status=word(ORDER_STATUS, order.status, language),
                                 items=", ".join(order.titles[:2]))
        shipment = order.shipments[-1] if order.shipments else None
        if shipment is None or shipment.latest is None:
            return
        latest = shipment.latest
        dispatcher.utter_message(response="utter_parcel_latest_event",
                                 event=word(TRACKING_EVENT, latest.code, language), place=latest.place,
                                 when=latest.occurred_at.strftime("%Y-%m-%d %H:%M UTC"),
                                 carrier=shipment.carrier, tracking_number=shipment.tracking_number)
        if shipment.eta and order.status in ("paid", "shipped"):
            if shipment.eta < datetime.now(timezone.utc).date():
                dispatcher.utter_message(response="utter_parcel_late", eta=shipment.eta.isoformat(),
                                         order_id=order.number)
            else:
                dispatcher.utter_message(response="utter_parcel_eta", eta=shipment.eta.isoformat())
        if latest.code == "import_customs" and order.status == "shipped":
            self._explain_customs(dispatcher, order.destination_country, language)

    @staticmethod
    def _explain_customs(dispatcher: CollectingDispatcher, country: str, language: str) -> None:
        try:
            rules = conversation.marketplace().import_rules.country(country, language)
        except BackendError:
            dispatcher.utter_message(response="utter_parcel_at_customs", country_name=country)
            return
        threshold = rules["duty_free_threshold"]
        if threshold["status"] == "known" and threshold["amount"]:
            amount = threshold["amount"]
            dispatcher.utter_message(response="utter_parcel_at_customs_threshold", country_name=rules["name"],
                                     threshold=money(amount["amount_minor"], amount["currency"]),
                                     per=word(PERIOD, threshold["per"], language))
        else:
            dispatcher.utter_message(response="utter_parcel_at_customs", country_name=rules["name"])
