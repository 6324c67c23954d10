"""Plays a conversation of the test set against a running assistant, as its buyer would, and checks what
happened in the backends.

The buyer's ``turns`` are sent first, in order, whatever the bot answers. Then, while the bot's latest
message asks something the conversation has an ``answers`` entry for (a form's requested slot, or a
question such as "Shall I confirm receipt?"), that answer is sent; the same question is answered at most
twice. The outcome is read from the backends' database (refund requests, disputes, escrow states, the
support queue) and from the conversation's tracker (what the bot said, which questions it asked)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from backends.db import session_scope
from backends.models import EscrowAccount, Handoff, Order, ProductText, RefundRequest
from backends.money import MINOR_UNITS, RateTable
from tests.conversations.conversation_set import Conversation, Money, substitute
from tests.conversations.orders import FreshOrder, OrderFactory

MAX_ANSWERS = 12
TIMES_A_QUESTION_IS_ANSWERED = 2
# Questions that are not a form's requested slot: the bot's response name -> the answers key.
QUESTIONS = {"utter_confirm_receipt_question": "confirm_receipt_confirmed",
             "utter_which_order_to_confirm": "order_number", "utter_which_order": "order_number",
             "utter_ask_destination_country": "destination_country"}
# A results page starts with one of these: the results, or the closest ones above a budget nothing fits.
# The buttons that start a journey: offered a choice of them (a refund or a dispute), the buyer taps their own.
JOURNEY_PAYLOADS = {"refund": "/request_refund", "dispute": "/open_dispute"}
TAPPED = "journey_button"
PAGE_STARTS = ("utter_search_results", "utter_search_over_budget")
SEARCH_HITS = ("utter_search_hit", "utter_search_hit_prohibited", "utter_search_hit_no_estimate",
               "utter_search_hit_no_country", "utter_search_hit_duty_free")
TRACK_ANSWERS = ("utter_order_status", "utter_parcel_latest_event", "utter_parcel_eta",
                 "utter_parcel_at_customs", "utter_parcel_at_customs_threshold")

Say = Callable[[str, str, Dict[str, Any]], List[Dict[str, Any]]]  # (text, sender, metadata) -> bot messages
Tracker = Callable[[str], Dict[str, Any]]  # sender -> tracker


@dataclass
class Outcome:
    conversation: Conversation
    failures: List[str] = field(default_factory=list)
    transcript: List[Tuple[str, str]] = field(default_factory=list)
    error: Optional[str] = None  # the run itself broke (an HTTP error, a timeout)
    readings: List[str] = field(default_factory=list)  # per buyer message: the intent acted on and the actions

    @property
    def completed(self) -> bool:
        return not self.failures and self.error is None


class Player:
    def __init__(self, say: Say, tracker: Tracker, orders: OrderFactory, sign_token: Callable[[str], str]):
        self.say, self.tracker, self.orders, self.sign_token = say, tracker, orders, sign_token

    def play(self, conversation: Conversation) -> Outcome:
        outcome = Outcome(conversation)
        sender = f"set-{conversation.id}-{uuid.uuid4().hex[:6]}"
        metadata = {"buyer_token": self.sign_token(conversation.buyer)} if conversation.buyer else {}
        order = other = None
        if conversation.order:
            order = self.orders.make(conversation.buyer, conversation.order, conversation.order_category,
                                     key=f"{conversation.id}/order", part_of=partial_refund(conversation))
        if conversation.other_order:
            other = self.orders.make(conversation.buyer, conversation.other_order, key=f"{conversation.id}/other")
        values = placeholders(order, other)
        try:
            for turn in conversation.turns:
                self._send(substitute(turn, values), sender, metadata, outcome)
            answered: Counter = Counter()
            for _ in range(MAX_ANSWERS):
                now = self.tracker(sender)
                key = question_key(now)
                answer = conversation.answers.get(key) if key else None
                if key is None:  # an offer of a refund or a dispute: the buyer taps the one they came for
                    key, answer = TAPPED, journey_button(now, conversation.journey)
                if answer is None or answered[key] >= TIMES_A_QUESTION_IS_ANSWERED:
                    break
                answered[key] += 1
                self._send(substitute(answer, values), sender, metadata, outcome)
            tracker = self.tracker(sender)
        except Exception as error:  # noqa: BLE001 - a broken run is reported with the conversation, not raised
            outcome.error = f"{type(error).__name__}: {error}"
            return outcome
        outcome.failures = Checker(self.orders, conversation, order, other, sender, tracker).failures()
        outcome.readings = readings(tracker)
        return outcome

    def _send(self, text: str, sender: str, metadata: Dict[str, Any], outcome: Outcome) -> None:
        outcome.transcript.append(("buyer", text))
        for message in self.say(text, sender, metadata):
            parts = [message.get("text") or ("[image]" if message.get("image") else "")]
            if message.get("buttons"):
                parts.append("[" + " | ".join(button.get("title", "") for button in message["buttons"]) + "]")
            outcome.transcript.append(("bot", " ".join(part for part in parts if part) or str(message)))


def partial_refund(conversation: Conversation) -> Optional[Tuple[int, str]]:
    """(minor units, currency) of the part of the payment the conversation expects the buyer to ask back."""
    refund = conversation.expect.get("refund")
    if not isinstance(refund, dict) or refund.get("amount", "all") == "all":
        return None
    money = Money.parse(refund["amount"], conversation.id)
    return int(money.amount.scaleb(MINOR_UNITS[money.currency])), money.currency


def readings(tracker: Dict[str, Any]) -> List[str]:
    """For each buyer message, how the assistant read it: the intent it acted on (with the model's own when a
    form's question read it otherwise) and the actions that followed with the policy that chose each, e.g.
    "request_refund -> refund_form [RulePolicy]"."""
    lines: List[str] = []
    for event in tracker.get("events", []):
        if event.get("event") == "user":
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name") or "?"
            model = (parse.get("form_answer") or {}).get("model_intent")
            lines.append(intent + (f" (model: {model})" if model and model != intent else "") + " ->")
        elif event.get("event") == "action" and lines and event.get("name") != "action_listen":
            policy = str(event.get("policy") or "").replace("policy_", "").split("_")[-1]
            lines[-1] += f" {event.get('name')}" + (f" [{policy}]" if policy else "")
    return lines


def placeholders(order: Optional[FreshOrder], other: Optional[FreshOrder]) -> Dict[str, str]:
    values: Dict[str, str] = {}
    if order is not None:
        values.update({"{order}": order.number, "{order_digits}": order.number[3:],
                       "{tracking}": order.tracking or order.number})
    if other is not None:
        values["{other_order}"] = other.number
    return values


def bot_events(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [event for event in tracker.get("events", []) if event.get("event") == "bot"]


def utter_name(event: Dict[str, Any]) -> str:
    return (event.get("metadata") or {}).get("utter_action") or ""


def journey_button(tracker: Dict[str, Any], journey: str) -> Optional[str]:
    """The payload of the button that starts ``journey`` on the bot's messages since the buyer's latest (the offer
    of a refund or a dispute after a problem with the goods), or None."""
    start = JOURNEY_PAYLOADS.get(journey)
    events = tracker.get("events", [])
    last_user = max((index for index, event in enumerate(events) if event.get("event") == "user"), default=-1)
    buttons = [button for event in events[last_user + 1:] if event.get("event") == "bot"
               for button in (event.get("data") or {}).get("buttons") or []]
    return next((button["payload"] for button in buttons
                 if start and str(button.get("payload") or "").startswith(start)), None)


def question_key(tracker: Dict[str, Any]) -> Optional[str]:
    """What the bot's latest message asks for, as an ``answers`` key (None: nothing, or not known)."""
    events = tracker.get("events", [])
    last_user = max((index for index, event in enumerate(events) if event.get("event") == "user"), default=-1)
    since = [event for event in events[last_user + 1:] if event.get("event") == "bot"]
    if not since:
        return None
    loop = (tracker.get("active_loop") or {}).get("name")
    requested = (tracker.get("slots") or {}).get("requested_slot")
    if loop and requested:
        return requested
    name = utter_name(since[-1])
    if name in QUESTIONS:
        return QUESTIONS[name]
    return name[len("utter_ask_"):] if name.startswith("utter_ask_") else None


class Checker:
    """Whether the conversation's ``expect`` holds; each failure says what was expected and what was found."""

    def __init__(self, orders: OrderFactory, conversation: Conversation, order: Optional[FreshOrder],
                 other: Optional[FreshOrder], sender: str, tracker: Dict[str, Any]):
        self.sessions = orders.sessions
        self.conversation, self.order, self.other = conversation, order, other
        self.sender, self.tracker = sender, tracker

    def failures(self) -> List[str]:
        found: List[str] = []
        for key, expected in self.conversation.expect.items():
            check = getattr(self, f"check_{key}")
            problem = check(expected)
            if problem:
                found.append(f"{key}: {problem}")
        return found

    # -- the backends ------------------------------------------------------------------------------------

    def _escrow(self, order: Optional[FreshOrder]) -> Optional[EscrowAccount]:
        if order is None:
            return None
        with session_scope(self.sessions) as session:
            escrow = session.execute(
                sa.select(EscrowAccount).join(Order).where(Order.number == order.number)
                .options(selectinload(EscrowAccount.refund_requests), selectinload(EscrowAccount.dispute))
            ).scalar_one_or_none()
            if escrow is not None:
                session.expunge_all()
            return escrow

    def _needs_order(self) -> Optional[str]:
        return None if self.order is not None else "the conversation made no order (order: <state>)"

    def check_dispute(self, expected: str) -> Optional[str]:
        if self._needs_order():
            return self._needs_order()
        escrow = self._escrow(self.order)
        opened = escrow is not None and escrow.dispute is not None
        if expected == "opened" and not opened:
            return "no dispute was opened"
        if expected == "none" and opened:
            return f"a dispute was opened ({escrow.dispute.reason})"
        return None

    def check_dispute_reason(self, expected: str) -> Optional[str]:
        escrow = self._escrow(self.order)
        if escrow is None or escrow.dispute is None:
            return "no dispute was opened"
        return None if escrow.dispute.reason == expected else f"reason {escrow.dispute.reason}, not {expected}"

    def _pending_refund(self) -> Optional[RefundRequest]:
        escrow = self._escrow(self.order)
        requests = escrow.refund_requests if escrow is not None else []
        return requests[-1] if requests else None

    def check_refund(self, expected: Any) -> Optional[str]:
        if self._needs_order():
            return self._needs_order()
        refund = self._pending_refund()
        if expected == "none":
            return None if refund is None else f"a refund of {refund.amount_minor} was requested"
        if refund is None:
            return "no refund was requested"
        escrow = self._escrow(self.order)
        amount = expected.get("amount", "all")
        if amount == "all":
            wanted = escrow.amount_minor
        else:
            money = Money.parse(amount, self.conversation.id)
            with session_scope(self.sessions) as session:
                minor = int(money.amount.scaleb(MINOR_UNITS[money.currency]))
                wanted = RateTable.latest(session).convert(minor, money.currency, escrow.currency)
        # a conversion rounds: a hundredth of a percent, or one minor unit, either way
        if abs(refund.amount_minor - wanted) > max(1, wanted // 10000):
            return f"{refund.amount_minor} {escrow.currency} minor units requested, {wanted} expected ({amount})"
        return None

    def check_return_item(self, expected: bool) -> Optional[str]:
        refund = self._pending_refund()
        if refund is None:
            return "no refund was requested"
        return None if bool(refund.return_goods) == bool(expected) else f"return_goods is {refund.return_goods}"

    def check_receipt(self, expected: str) -> Optional[str]:
        if self._needs_order():
            return self._needs_order()
        escrow = self._escrow(self.order)
        released = escrow is not None and escrow.state == "released"
        if expected == "confirmed" and not released:
            return f"the payment was not released (escrow {escrow.state if escrow else 'missing'})"
        if expected == "none" and released:
            return "the payment was released"
        return None

    def check_handoff(self, expected: str) -> Optional[str]:
        with session_scope(self.sessions) as session:
            handoff = session.execute(sa.select(Handoff.id).where(Handoff.conversation_id == self.sender)).first()
        if expected == "queued" and handoff is None:
            return "the conversation is not in the support queue"
        if expected == "none" and handoff is not None:
            return "the conversation was handed to a person"
        return None

    # -- what the bot said ------------------------------------------------------------------------------

    def _said(self, names: Tuple[str, ...]) -> List[Dict[str, Any]]:
        return [event for event in bot_events(self.tracker) if utter_name(event) in names]

    def check_track(self, expected: str) -> Optional[str]:
        target = self.other if self.conversation.expect.get("track_order") == "other" else self.order
        if target is None:
            return self._needs_order() or "other_order is not set"
        answers = self._said(TRACK_ANSWERS)
        if not any(target.number in (event.get("text") or "") or
                   (target.tracking and target.tracking in (event.get("text") or "")) for event in answers):
            return f"the status of {target.number} was not given"
        return None

    def check_track_order(self, expected: str) -> Optional[str]:
        return None  # which order: checked with track

    def check_search(self, expected: Dict[str, Any]) -> Optional[str]:
        hits = self._said(SEARCH_HITS)
        if not hits:
            return "no products were shown"
        last_page = _last_page(bot_events(self.tracker))
        categories = {_category_of(event) for event in last_page}
        if expected.get("category") and categories != {expected["category"]}:
            return f"the last results are in {sorted(c or '?' for c in categories)}, not {expected['category']}"
        slots = self._slots_at_last_page()
        if expected.get("color") and slots.get("search_color") != expected["color"]:
            return f"colour {slots.get('search_color')!r}, not {expected['color']}"
        if expected.get("max_price"):
            money = Money.parse(expected["max_price"], self.conversation.id)
            budget, currency = slots.get("search_budget"), (slots.get("search_currency") or "").upper()
            if not currency and last_page and f" {money.currency}" in (last_page[0].get("text") or ""):
                currency = money.currency  # not named: the buyer's own currency, in which the prices are shown
            if budget in (None, "any") or Decimal(str(budget)) != money.amount or currency != money.currency:
                return f"budget {budget} {currency or '?'}, not {expected['max_price']}"
        if expected.get("feature"):
            first = _title_of(last_page[0]) if last_page else ""
            english = self._english_name(first)
            if expected["feature"].lower() not in english.lower():
                return f"the first result ({english or first!r}) is not {expected['feature']}"
        return None

    def _slots_at_last_page(self) -> Dict[str, Any]:
        """The slots as they were when the last results page was shown (a later turn may reset the search)."""
        slots: Dict[str, Any] = {}
        at_page: Dict[str, Any] = {}
        page_pending = False  # an action's slot events follow its messages: the page's slots are known at its end
        for event in self.tracker.get("events", []):
            if event.get("event") == "slot":
                slots[event.get("name")] = event.get("value")
            elif event.get("event") == "bot" and utter_name(event) in PAGE_STARTS:
                page_pending = True
            elif event.get("event") in ("action", "user") and page_pending:
                at_page, page_pending = dict(slots), False
        return dict(slots) if page_pending else at_page

    def _english_name(self, title: str) -> str:
        with session_scope(self.sessions) as session:
            product = session.execute(sa.select(ProductText.product_id).where(ProductText.name == title)).first()
            if product is None:
                return ""
            english = session.execute(sa.select(ProductText.name).where(
                ProductText.product_id == product[0], ProductText.language == "en")).first()
            return english[0] if english else ""

    def check_import_rules(self, expected: Dict[str, Any]) -> Optional[str]:
        answers = [event for event in bot_events(self.tracker) if utter_name(event).startswith("utter_import_")
                   and utter_name(event) not in ("utter_import_rules_unknown_country",)]
        if not answers:
            return "no import rules were explained"
        countries = {str(value).upper() for value in self._slot_values("destination_country")}
        if expected.get("country") and expected["country"].upper() not in countries:
            return f"explained for {sorted(countries) or '-'}, not {expected['country']}"
        if expected.get("category"):
            categories = set(self._slot_values("import_category"))
            if expected["category"] not in categories:
                return f"category {sorted(categories) or '-'}, not {expected['category']}"
        if expected.get("amount"):
            estimates = [event for event in answers if "estimate" in utter_name(event)]
            if not estimates:
                return f"no estimate for {expected['amount']}"
        return None

    def _slot_values(self, name: str) -> List[Any]:
        return [event.get("value") for event in self.tracker.get("events", [])
                if event.get("event") == "slot" and event.get("name") == name and event.get("value")]

    def check_never_asked(self, slots: List[str]) -> Optional[str]:
        asked = set()
        for event in self.tracker.get("events", []):
            if event.get("event") == "slot" and event.get("name") == "requested_slot" and event.get("value") in slots:
                asked.add(event["value"])
            if event.get("event") == "bot":
                name = utter_name(event)
                key = QUESTIONS.get(name) or (name[len("utter_ask_"):] if name.startswith("utter_ask_") else None)
                if key in slots:
                    asked.add(key)
        return f"asked again for {', '.join(sorted(asked))}" if asked else None


def _last_page(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The hits of the last results page the bot showed."""
    page: List[Dict[str, Any]] = []
    for event in events:
        name = utter_name(event)
        if name in PAGE_STARTS:
            page = []
        elif name in SEARCH_HITS:
            page.append(event)
    return page


def _category_of(event: Dict[str, Any]) -> Optional[str]:
    image = ((event.get("data") or {}).get("image") or "").split("?", 1)[0]
    return image.rsplit("/", 1)[-1].rsplit(".", 1)[0] or None


def _title_of(event: Dict[str, Any]) -> str:
    return ((event.get("metadata") or {}).get("title") or "").strip()
