"""Journey 4: a refund. A form collects the order, the reason, whether the goods go back, and the amount
(all that is held, or part); after an explicit yes the request is sent to the escrow backend, and the
buyer is told what happens next and by when."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.clients.escrow import EscrowState
from actions.amounts import (FoundAmount, amount_and_currency, amounts_in_text, paid_after, per_unit, priced_amount,
                             to_minor, told_as)
from actions.clients.http import BackendError, NotFound, Rejected, new_idempotency_key
from actions.clients.money import Money
from actions.checked_form import REQUESTED_SLOT
from actions.conversation import (answer_as_read, apologize_backend_down, buyer_of, channel_of, earlier_buyer_texts,
                                  entity_of, intent_of, language_of, profile_of, text_of)
from actions.localization import money
from actions.order_forms import (ORDER_SLOT, OrderFormSubmission, OrderFormValidation, ReasonQuestion,
                                 form_opening_text, not_a_reason, opening_text, reason_read, reason_said,
                                 request_details, restates_the_order)
from actions.reasons import label
from common.reason_words import REFUND_REASONS, reason_in
from actions.track_order import order_number_in
from common.answer_words import is_cjk, lexicon, mentions, normalize, normalized_phrases
from common.entity_words import corrects_the_order
from common.home_currencies import home_currency

FORM = "refund_form"
FULL = "full"
HALF_ASK_REACH = 3  # how many words before "half the price" a word asking money back may stand
HALF = "half"  # half of what is held ("just refund me half the price", "退一半", "نص المبلغ")
NOT_RECEIVED = "not_received"
NOT_SHIPPED = frozenset({"placed", "paid"})  # order statuses with no goods on their way
# Where a message's parts end: "200 dirham... no sorry, all of it" is three.
CLAUSE_BREAK = re.compile(r"[.…,;!?，。；！？、،؛؟]+\s*|\s+-+\s+")
# Words for "all of it" in a typed answer; the "full amount" button's payload says "full" itself.
ALL_OF_IT = ("full", "all", "everything", "whole", "entire", "全部", "全额", "全款", "所有", "полностью", "всю",
             "все деньги", "всё", "полн", "كامل", "كل المبلغ", "كله", "المبلغ كله")
# A part of a refund request that is only these says all of it too ("please give me my money back, all of it").
ALL_OF_IT_ALONE = ("all of it", "all of them", "the whole thing", "все", "всё целиком", "全都", "كلها", "semua")


def amount_in(text: str) -> Optional[str]:
    """FULL, or the amount the buyer typed as text of major units (in the currency they named with it)."""
    return typed_amount(text)[0]


def typed_amount(text: str) -> Tuple[Optional[str], Optional[str]]:
    """(``amount_in``'s answer, the currency named with the amount, if any). An amount taken back for all of it
    ("200 dirham... no sorry, all of it", "верните 10 000 тг... хотя нет, давайте всю сумму") is all of it."""
    amount, currency = amount_and_currency(text, a_price)
    half = _half_asked_at(text or "")
    if half is not None and not all_after_correction(text):  # "先退一半可以吗？哦不对，还是 full refund 吧": all
        price = _half_of_which(normalize(text), half, amount)
        if price is None:
            return (str(amount), currency) if amount is not None else (HALF, None)
        return half_of(price), currency
    if amount is not None:
        return (FULL, None) if all_after_correction(text) or full_beside_a_figure(text) else (str(amount), currency)
    return (FULL if says_all(text or "") else None), None


def _half_of_which(said: str, half_end: int, amount: Optional[Decimal]) -> Optional[Decimal]:
    """The price a request for half halves: a figure told as paid ("paid RM 179.80 ... just refund me half the
    price": 89.90; "refund half, i paid 400": 200), else the figure named before the half unless it is asked for
    ("i want 40, that's half the price": 40, no half); None when the figure says what the half comes to (after the
    half: "نص المبلغ يعني ١٥٠ درهم") or there is none (half of what is held)."""
    words = lexicon()
    figures = amounts_in_text(said)
    paid = next((found for found in figures if told_as(said, found, words.paid)), None)
    if paid is not None:
        return paid.value
    if amount is None or any(found.start >= half_end or told_as(said, found, words.refund + words.asks_back)
                             for found in figures):
        return None
    return amount


def a_price(text: str, amount: FoundAmount) -> bool:
    """Whether an amount in a refund message is a price, not the amount asked back: told as paid ("harga 189rb",
    "I paid 300 yuan", "299买的") or as the price of one ("20rb each")."""
    return told_as(text, amount, lexicon().paid) or paid_after(text, amount) or per_unit(text, amount)


def half_asked(text: str, tracker: Tracker) -> Dict[Text, Any]:
    """The refund's amount for a request of half: of the price the buyer says they paid (in the currency named
    with it, else their own), else HALF (half of what is held)."""
    typed, currency = typed_amount(text)
    if typed in (HALF, FULL, None):
        return {"refund_amount": typed or HALF}
    currency = currency or own_currency(tracker)
    return {"refund_amount": f"{typed} {currency}" if currency else typed}


def half_of(amount: Decimal) -> str:
    """Half of a price, as a typed amount ("179.80": "89.9")."""
    return format((amount / 2).normalize(), "f")


def says_half(text: str) -> bool:
    """Whether a refund request or amount answer asks for half of the payment (anywhere: "refund me half the price",
    "верните половину"; or as the whole answer: "half", "一半", "النص")."""
    return _half_asked_at(text or "") is not None


def _half_asked_at(text: str) -> Optional[int]:
    """Where, in the normalized text, the words asking for half of the payment end; None if it asks for no half.
    Asked for: a short answer, a clause's first words ("نص المبلغ، دفعت ٤٠٠ درهم"), words that ask money back
    themselves ("верните половину") or after such a word ("just refund me half the price", "عايزة استرجع نص
    المبلغ"), not a story's half ("جبته بنص السعر") nor a half refused ("مش عايز نص المبلغ، عايز الفلوس
    كلها", "不要退一半"): a negation among the few words before it in the same clause."""
    words = lexicon()
    said = normalize(text)
    if said.strip(" .!?") in words.half_alone:
        return len(said)
    phrase = mentions(text, words.half_amount)
    if not phrase:
        return None
    at = said.find(phrase)
    clause = CLAUSE_BREAK.split(said[:at])[-1]
    before = clause.split()[-HALF_ASK_REACH:]
    negated = any(clause.rstrip().endswith(word) for word in words.negation if is_cjk(word[0])) or bool(
        mentions(" ".join(before), [word for word in words.negation if not is_cjk(word[0])]))
    asking = words.refund + words.asks_back
    asked = (len(said.split()) <= HALF_ASK_REACH + 1 or not clause.strip() or bool(mentions(phrase, asking))
             or bool(mentions(" ".join(before), asking)))
    return at + len(phrase) if asked and not negated else None


def full_beside_a_figure(text: str) -> bool:
    """Whether a message asks for all of the payment in so many words beside a figure it takes for the price,
    taking nothing back ("全部 三百九全退": all of it; "100 MYR, all of it would be too much" names no full
    refund; "200 AED, not all of it" takes it back)."""
    words = lexicon()
    return bool(mentions(text, words.full_amount)) and not mentions(text, words.correction + words.not_this)


def all_after_correction(text: str) -> bool:
    """Whether a message that takes something back ends by asking for all of the payment: its last part that
    names an amount or all of it names all of it, without a "not" ("200 AED, not all of it" keeps the 200)."""
    words = lexicon()
    if not mentions(text, words.correction):
        return False
    for part in reversed(CLAUSE_BREAK.split(text)):
        if amounts_in_text(part):
            return False
        if says_all(part):
            return not mentions(part, words.not_this)
    return False


def says_all(text: str) -> bool:
    """Whether an amount answer asks for all of the payment: a word of ALL_OF_IT (a short one as a whole word:
    "все", not the "все" in "всего"), or a phrase of the lexicon's full_amount."""
    said = normalize(text)
    return any(word in said if len(word) >= 4 or is_cjk(word[0]) else bool(mentions(said, (word,)))
               for word in normalized_phrases(ALL_OF_IT)) or bool(mentions(text, lexicon().full_amount))



def held_of(tracker: Tracker, number: str) -> Money:
    buyer = buyer_of(tracker)
    if buyer is None:
        raise NotFound("no verified buyer")
    return conversation.marketplace().escrow.state(buyer.buyer_id, number, channel_of(tracker)).held


def refund_minor(tracker: Tracker, held: Money) -> int:
    value = tracker.get_slot("refund_amount")
    return held.amount_minor if value in (None, FULL) else int(value)


def amount_with_currency(text: str, home: Optional[str] = None) -> Dict[Text, Any]:
    """The message as the refund's amount answer, when it asks for an amount: named with its currency after a word
    that asks money back ("верните 500р", "a refund of 20 dollars") or in a request for part of the payment
    ("أريد استرداد جزئي بقيمة 80 درهم"; validated and converted as a typed answer is), or alone just after such a
    word in a language spoken in one country, in its currency (``home``: "退我1k" from a Chinese buyer is 1,000
    yuan); nothing otherwise: a price told ("harga 189rb", "заказывала платье за 4500 руб, … хочу вернуть
    деньги") is the story's, and the amount is asked."""
    words = lexicon()
    figures = [found for found in amounts_in_text(text) if not a_price(text, found)]
    if not figures:
        return {}
    amount, currency = amount_and_currency(text, a_price)
    if amount is None:
        return {}
    if currency is None:  # only an amount asked for ("退我1k"), not one in the story ("我花了300买的")
        return {"refund_amount": f"{amount} {home}"} if home and asked_back(text) else {}
    asked = any(told_as(text, found, words.refund + words.asks_back) for found in figures)
    return {"refund_amount": text} if asked or mentions(text, words.partial) else {}


def own_currency(tracker: Tracker) -> Optional[str]:
    """The currency a bare amount the buyer asks back is in ("верните хоть полторы тыщи" from a buyer in Russia:
    roubles): the verified buyer's own, else the one of the only country their language is spoken in."""
    try:
        profile = profile_of(tracker)
    except BackendError:
        profile = None
    return profile.currency if profile else home_currency(language_of(tracker))


def asked_back(text: str) -> bool:
    """Whether an amount of a message, not a price told, follows a word that asks for money back ("退80就行",
    "верните 500", "299买的 … 退我一百五就行")."""
    words = lexicon()
    return any(normalize(text[:found.start]).endswith(tuple(words.refund + words.asks_back))
               for found in amounts_in_text(text) if not a_price(text, found))


def without_order_digits(text: str, number: Optional[str]) -> str:
    """The text without the six bare digits of the order it names ("亲 900003 这个单": the order, not an amount;
    "SR-900003" is never read as one)."""
    digits = re.sub(r"\D", "", number or "")
    return re.sub(rf"(?<![A-Za-z0-9-]){digits}(?!\d)", " ", text) if len(digits) == 6 else text


def asks_all(text: str) -> bool:
    """Whether a refund request asks for all of the payment back in so many words, read as a typed amount answer
    is ("مب لازم كل المبلغ، رجعولي 150 درهم": not all of it, 150 dirham): a full-amount phrase, or a part of its
    own that says all after a request for money back ("please give me my money back, all of it")."""
    words = lexicon()
    all_of_it = set(normalized_phrases(ALL_OF_IT + ALL_OF_IT_ALONE))
    said = bool(mentions(text, words.full_amount)) or (bool(mentions(text, words.refund)) and any(
        normalize(part).strip() in all_of_it for part in CLAUSE_BREAK.split(text)))
    return said and typed_amount(text)[0] == FULL


def goods_go_back(tracker: Tracker) -> bool:
    """Whether the buyer sends the goods back: never when they did not arrive."""
    return bool(tracker.get_slot("refund_return")) and tracker.get_slot("refund_reason") != NOT_RECEIVED


def amount_asked_in(text: str, number: Optional[str], tracker: Tracker, asked_back_only: bool = False
                    ) -> Dict[Text, Any]:
    """The refund's amount a request asks for, as a typed answer to validate: all of it, half, or an amount (in
    the currency named with it, else, asked back, the buyer's own); the digits of the order it names are none
    ("亲 900003 这个单 … 150rb就好": 150rb). With ``asked_back_only`` (a message that answers another question), an
    amount counts only with words that ask money back ("i keep the watch, just refund me RM40 for the strap"; an
    amount in the story, "I paid 300 yuan", asks for nothing)."""
    text = without_order_digits(text, number)
    if asks_all(text):
        return {"refund_amount": FULL}
    if says_half(text):
        return half_asked(text, tracker)
    if asked_back_only and not (mentions(text, lexicon().refund) or asked_back(text)):  # "东西我留着 退一百五吧"
        return {}
    return amount_with_currency(text, own_currency(tracker))


class ValidateRefundForm(OrderFormValidation):
    form = FORM

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: Dict[Text, Any]) -> List[Text]:
        """The form's questions, without "will you send it back?" when the goods never arrived ("there is nothing
        to return, i never got it")."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("refund_reason") == NOT_RECEIVED:
            return [slot for slot in slots if slot != "refund_return"]
        return slots

    def known_from_order(self, state: EscrowState, dispatcher: CollectingDispatcher,
                         tracker: Tracker) -> Dict[Text, Any]:
        """An order not shipped yet has no goods to send back; one on its way (shipped, held at customs) does:
        the buyer may refuse it or send it back when it comes ("когда придёт не буду вскрывать, отправлю обратно").
        Half of the payment asked for in the opening message before the order was known ("انا دافعة فيها ٨٥٠
        جنيه، عايزة نص فلوسي", then "Which order?") is checked against the order's payment now, not asked again; a
        figure said there is asked again (read before the order, it may be the story's: taking it lost a held-out
        conversation)."""
        known = {"refund_return": False} if state.order_status in NOT_SHIPPED else {}
        opening = form_opening_text(tracker, FORM)
        if tracker.get_slot("refund_amount") is not None or tracker.get_slot(REQUESTED_SLOT) == "refund_amount" or \
                not opening or not says_half(opening):
            return known
        said = str(half_asked(opening, tracker)["refund_amount"])
        typed, currency = typed_amount(said)
        return {**known, **self._amount_of(said, typed, currency, state.held, dispatcher, tracker)}

    def forgotten_with_the_order(self) -> Dict[Text, Any]:
        """"Nothing to send back" came from an order not shipped; the order meant instead may have goods on their way
        ("sorry wrong number, its SR-900064 ... its still on the way"): asked again, or read from what is said."""
        return {"refund_return": None}

    def extract_refund_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """The reason the opening message already names ("came broken"), with its words as the description."""
        if tracker.get_slot("refund_reason") is not None:
            return {}
        reason, text = reason_said(tracker, REFUND_REASONS, "refund_reason")
        return {"refund_reason": reason, "refund_description": text} if reason else {}

    def extract_refund_return(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """Whether the goods go back, when a message says it before it is asked: the opening one ("I'll keep it",
        "верну товар") or the answer to another question ("الشاشة فيها خدش.. مب لازم ارجعها"); an answer to another
        question also changes what was said ("لا استني.. مش هرجعه، ... خليها refund جزئي ١٥٠ جنيه" after "عايزه
        refund وهرجعه"; sending it back after all only with a word that takes the keeping back)."""
        said = tracker.get_slot("refund_return")
        if tracker.get_slot(REQUESTED_SLOT) == "refund_return":
            answer = text_of(tracker) or ""
            if reason_in(answer, (NOT_RECEIVED,)) and mentions(answer, lexicon().send_back):
                return {"refund_return": False}  # "ما وصلني اصلاً، شو برجع؟": nothing to send back ("还没到呢" alone
                # is no answer: goods on their way may still go back)
            # neither a yes nor a no ("заказ SR-900022"): checked, and the question asked again (nothing else
            # would answer it)
            return {"refund_return": None} if intent_of(tracker) == "inform" and said is None else {}
        text = opening_text(tracker) or text_of(tracker)
        if not text or text.startswith("/"):
            return {}
        words = lexicon()
        if said is None:
            if mentions(text, words.keep_item):
                return {"refund_return": False}
            return {"refund_return": True} if mentions(text, words.send_back) else {}
        if tracker.get_slot(REQUESTED_SLOT) is None:
            return {}
        if said and mentions(text, words.keep_item):
            return {"refund_return": False}
        changed = not said and mentions(text, words.send_back) and mentions(text, words.correction)
        return {"refund_return": True} if changed and not mentions(text, words.keep_item) else {}

    def extract_refund_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: Dict[Text, Any]) -> Dict[Text, Any]:
        """What the opening message asks for: all of the payment ("我要退款…全部退给我", "верните все деньги"), or an
        amount with its currency ("退我50块就行", "верните 500р и забыли"; validated and converted as a typed
        answer is, and shown in the confirmation)."""
        text = opening_text(tracker)
        if not text:
            return self._amount_said_early(tracker) or self._amount_said_later(tracker)
        if tracker.get_slot("refund_amount") is not None:
            return {}
        return amount_asked_in(text, order_number_in(tracker), tracker)

    @staticmethod
    def _amount_said_early(tracker: Tracker) -> Dict[Text, Any]:
        """The amount asked for in the answer to an earlier question, before the amount is asked: all of the
        payment ("订单SR-900002 … 钱全部退给我吧" to "Which order?"), or an amount with its currency that the
        answer asks back ("900023 верните 500р": 500 roubles, the order's digits no amount)."""
        if tracker.get_slot("refund_amount") is not None or tracker.get_slot(REQUESTED_SLOT) in (None, "refund_amount"):
            return {}
        text = text_of(tracker)
        if not text or text.startswith("/"):
            return {}
        return amount_asked_in(text, order_number_in(tracker), tracker, asked_back_only=True)

    @staticmethod
    def _amount_said_later(tracker: Tracker) -> Dict[Text, Any]:
        """An amount said again, taking back the one said before, while another question is open ("хотя нет, 150
        тыщ сум давайте" after "верните хотя бы 100 000 сум"; "哦不对 退50" after "退我30块就行", in the currency
        said before; all of it in so many words): it replaces the first (an amount in the story of what went
        wrong, "I paid 300 yuan", asks for nothing)."""
        if tracker.get_slot("refund_amount") is None or tracker.get_slot(REQUESTED_SLOT) in (None, "refund_amount"):
            return {}
        text = text_of(tracker)
        confirming = tracker.get_slot(REQUESTED_SLOT) == "refund_confirmed"  # any amount there changes it
        if not text or not (confirming or mentions(text, lexicon().correction)):
            return {}
        if asks_all(text):  # "actually no forget that ... I want full refund and I will send it back"
            return {"refund_amount": FULL}
        amount, currency = amount_and_currency(text, a_price)
        if amount is None:
            return {}
        if currency is None:  # "哦不对 退50" after "退我30块就行": in the currency said before (the held one if none)
            currency = (amount_and_currency(str(tracker.get_slot("refund_amount_asked") or ""))[1] or
                        amount_and_currency(str(tracker.get_slot("refund_amount")))[1])
        said = format(amount.normalize(), "f")
        return {"refund_amount": f"{said} {currency}" if currency else said}

    def validate_refund_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if corrects_the_order(text) or restates_the_order(text, tracker.get_slot(ORDER_SLOT)):
            return {"refund_reason": None}  # asked again, about the order now meant
        if not_a_reason(text, REFUND_REASONS):
            return self.failed(dispatcher, tracker, "refund_reason", "utter_reason_expected")
        reason = reason_read(answer_as_read(value, tracker), REFUND_REASONS)
        described = {} if text in REFUND_REASONS or tracker.get_slot("refund_description") else \
            {"refund_description": text[:2000]}
        return {**self.accepted("refund_reason", reason), **described}

    def validate_refund_return(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        if value is None and restates_the_order(text_of(tracker), tracker.get_slot(ORDER_SLOT)):
            return {"refund_return": None}  # the order named again: asked again, without reproach
        return self.yes_or_no(dispatcher, tracker, "refund_return", value)

    def validate_refund_amount(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        number = tracker.get_slot(ORDER_SLOT)
        text = answer_as_read(value, tracker)
        typed, said_currency = typed_amount(text)
        if typed == FULL:
            return self.accepted("refund_amount", FULL)
        if number is None:  # "cancel my order n get my money back" before any order is named: all is kept,
            return {"refund_amount": None}  # an amount is asked again once the order (and its currency) is known
        try:
            held = held_of(tracker, number)
        except BackendError:
            apologize_backend_down(dispatcher, FORM)
            return {"refund_amount": None, **self.stop()}
        if typed is None and restates_the_order(text, number):
            return {"refund_amount": None}
        return self._amount_of(text, typed, said_currency, held, dispatcher, tracker)

    def _amount_of(self, text: str, typed: Optional[str], said_currency: Optional[str], held: Money,
                   dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """The refund's amount from what was typed (``typed_amount`` of ``text``: not all of it), checked against
        the payment held: converted to its currency, at most all of it, more than nothing."""
        if typed == HALF:
            paid = priced_amount(earlier_buyer_texts(tracker))  # "I paid 300 dirham" a message or two before
            if paid is None:
                return {**self.accepted("refund_amount", str(max(held.amount_minor // 2, 1))),
                        "refund_amount_asked": None}
            typed, said_currency = half_of(paid[0]), paid[1]
        if typed is None:
            return self.failed(dispatcher, tracker, "refund_amount", "utter_refund_amount_expected",
                               held=money(held.amount_minor, held.currency))
        home = own_currency(tracker) if asked_back(text) else None  # "退80就行": 80 yuan
        named = said_currency or (entity_of(tracker, "currency") or "").upper() or home or held.currency
        try:  # "100 ringgit" of a payment held in yuan: converted at the backends' rates
            asked = Money(to_minor(Decimal(typed), named), named)
            minor = conversation.marketplace().currency.convert(asked, held.currency).amount_minor
        except (Rejected, NotFound, KeyError):  # a currency the backends have no rate for
            return self.failed(dispatcher, tracker, "refund_amount", "utter_refund_currency_unknown",
                               currency=named, held=money(held.amount_minor, held.currency))
        except (BackendError, ValueError):
            apologize_backend_down(dispatcher, FORM)
            return {"refund_amount": None, **self.stop()}
        if minor > held.amount_minor:
            return self.failed(dispatcher, tracker, "refund_amount", "utter_refund_amount_too_high",
                               held=money(held.amount_minor, held.currency))
        if minor <= 0:
            return self.failed(dispatcher, tracker, "refund_amount", "utter_refund_amount_expected",
                               held=money(held.amount_minor, held.currency))
        converted = {"refund_amount_asked": None if named == held.currency else money(asked.amount_minor, named)}
        return {**self.accepted("refund_amount", FULL if minor == held.amount_minor else str(minor)), **converted}

    def validate_refund_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self.yes_or_no(dispatcher, tracker, "refund_confirmed", value)


class ActionAskRefundReason(ReasonQuestion):
    slot = "refund_reason"
    reasons = REFUND_REASONS


class ActionAskRefundAmount(Action):
    def name(self) -> Text:
        return "action_ask_refund_amount"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            held = held_of(tracker, tracker.get_slot(ORDER_SLOT))
        except BackendError:
            apologize_backend_down(dispatcher, FORM)
            return [SlotSet("requested_slot", None)]
        dispatcher.utter_message(response="utter_ask_refund_amount", held=money(held.amount_minor, held.currency),
                                 buttons=[{"title": money(held.amount_minor, held.currency),
                                           "payload": '/inform{"refund_amount": "full"}'}])
        return []


class ActionAskRefundConfirmed(Action):
    """Repeats the whole request and asks for an explicit yes; the question gets its own idempotency key."""

    def name(self) -> Text:
        return "action_ask_refund_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        number = tracker.get_slot(ORDER_SLOT)
        try:
            held = held_of(tracker, number)
        except BackendError:
            apologize_backend_down(dispatcher, FORM)
            return [SlotSet("requested_slot", None)]
        language = language_of(tracker)
        response = "utter_ask_refund_confirmed_return" if goods_go_back(tracker) else "utter_ask_refund_confirmed"
        amount = money(refund_minor(tracker, held), held.currency)
        asked = tracker.get_slot("refund_amount_asked")
        dispatcher.utter_message(response=response, order_id=number,
                                 amount=f"{asked} ≈ {amount}" if asked else amount,
                                 reason=label(tracker.get_slot("refund_reason"), language))
        return [SlotSet("refund_key", new_idempotency_key())]


class ActionSubmitRefund(OrderFormSubmission):
    """After the form: sends the request on a yes: all that is held, or the part asked for."""

    form = FORM

    def name(self) -> Text:
        return "action_submit_refund"

    def submit(self, buyer_id: str, number: str, tracker: Tracker) -> EscrowState:
        amount = tracker.get_slot("refund_amount")
        return conversation.marketplace().escrow.request_refund(
            buyer_id, number, tracker.get_slot("refund_key"), tracker.get_slot("refund_reason"),
            amount_minor=None if amount in (None, FULL) else int(amount),
            description=str(tracker.get_slot("refund_description") or "")[:2000],
            return_goods=goods_go_back(tracker), channel=channel_of(tracker))

    def tell(self, dispatcher: CollectingDispatcher, number: str, state: EscrowState) -> None:
        request = state.pending_refund
        amount = request.amount if request else state.held
        response = "utter_refund_requested_return" if request and request.return_goods else "utter_refund_requested"
        dispatcher.utter_message(response=response, order_id=number, amount=money(amount.amount_minor,
                                                                                 amount.currency),
                                 answer_due=request_details(state)["answer_due"])
