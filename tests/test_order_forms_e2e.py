"""Journeys 1, 4, 5 and 7 end to end through the REST webhook, in every language: a refund request and a
dispute are created exactly as the buyer confirmed them (checked in the escrow backend), a no or a stop
creates nothing, another buyer's order is refused, a search answers in the buyer's language and currency,
and a handed-over conversation gets no bot reply."""

import uuid

import pytest
import requests

from tests.buyer_tokens import sign_buyer_token
from bot.language_detection import SUPPORTED_LANGUAGES, LanguageDetector
from tests.servers import say, say_texts, tracker_of

DETECTOR = LanguageDetector(SUPPORTED_LANGUAGES)

# language: (buyer, refund request naming {number}, reason, return it?, amount, yes)
REFUNDS = {
    "en": ("buyer-my-hafiz", "I want a refund for order {number}", "the screen arrived cracked", "no", "all of it",
           "yes"),
    "zh": ("buyer-cn-lihua", "订单{number}我要退款", "收到的时候屏幕碎了", "是的", "全部", "是的"),
    "ru": ("buyer-kz-aidana", "хочу вернуть деньги за заказ {number}", "пришёл разбитым", "да", "всю сумму", "да"),
    "ar": ("buyer-sa-noura", "أريد استرداد المبلغ للطلب {number}", "وصل المنتج مكسور", "لا", "المبلغ كامل", "نعم"),
}
# language: (buyer, dispute naming {number}, reason, description, evidence, yes)
DISPUTES = {
    "en": ("buyer-my-hafiz", "open a dispute for {number}", "it's a fake",
           "The logo is printed crooked and the serial number is not valid", "https://img.example/en.jpg", "yes"),
    "zh": ("buyer-ae-b2b-gulfmart", "订单{number}我要申请纠纷", "是假货", "商标印得歪歪扭扭，序列号在官网上查不到",
           "https://img.example/zh.jpg", "是的"),
    "ru": ("buyer-ru-dmitry", "хочу открыть спор по заказу {number}", "это подделка",
           "Логотип напечатан криво, серийный номер не проверяется", "https://img.example/ru.jpg", "да"),
    "ar": ("buyer-ae-omar", "أريد فتح نزاع على الطلب {number}", "المنتج مقلد",
           "الشعار مطبوع بشكل مائل والرقم التسلسلي غير صالح", "https://img.example/ar.jpg", "نعم"),
}


@pytest.fixture
def stack(assistant_stack):
    return assistant_stack.rasa_url, assistant_stack.backends


class Buyer:
    def __init__(self, rasa_url, buyer=None):
        self.rasa_url, self.sender = rasa_url, f"e2e-{uuid.uuid4().hex[:8]}"
        self.metadata = {"buyer_token": sign_buyer_token(buyer)} if buyer else {}

    def says(self, text):
        return say_texts(self.rasa_url, text, self.sender, self.metadata)


def held_orders(backends, buyer):
    return [o.number for o in backends.orders.orders(buyer, "en")
            if o.status in ("paid", "shipped", "delivered") and backends.escrow.state(buyer, o.number).state == "held"]


def in_language(replies, language):
    wrong = [r for r in replies if DETECTOR.from_text(r) not in (language, None)]
    assert not wrong, wrong


@pytest.mark.parametrize("language", sorted(REFUNDS))
def test_a_confirmed_refund_request_reaches_the_escrow_once(stack, language):
    rasa_url, backends = stack
    buyer, opening, reason, keep_or_return, amount, yes = REFUNDS[language]
    number = held_orders(backends, buyer)[0]
    # goods not shipped yet: nothing to send back, and it is not asked (on their way or delivered: asked)
    sent = next(o.status for o in backends.orders.orders(buyer, "en") if o.number == number) in ("shipped", "delivered")
    held = backends.escrow.state(buyer, number).held
    chat = Buyer(rasa_url, buyer)
    replies = [chat.says(opening.format(number=number)), chat.says(reason)]
    if sent:
        replies.append(chat.says(keep_or_return))
    summary = chat.says(amount)
    assert number in summary[0] and str(held.currency) in summary[0], summary
    assert backends.escrow.state(buyer, number).state == "held"  # nothing is sent before the yes
    done = chat.says(yes)
    assert number in done[0], done
    chat.says(yes)  # a second yes asks nothing more of the escrow
    for reply in replies + [summary, done]:
        in_language(reply, language)
    state = backends.escrow.state(buyer, number)
    assert state.state == "refund_requested"
    assert [(r.amount, r.reason, r.return_goods) for r in state.refund_requests] == [
        (held, "damaged", sent and keep_or_return in ("是的", "да"))]


def test_a_partial_refund_with_a_task_switch_and_a_final_no_sends_nothing(stack):
    rasa_url, backends = stack
    buyer = "buyer-ae-b2b-gulfmart"
    number = held_orders(backends, buyer)[-1]
    chat = Buyer(rasa_url, buyer)
    chat.says("I want my money back")
    switched = chat.says("where is my parcel?")  # the tracking answer, then the order question again
    assert len(switched) >= 2, switched
    chat.says(number)
    chat.says("the screen arrived cracked")
    chat.says("no")
    too_much = chat.says("99999999")
    assert too_much and "99999999" not in too_much[0], too_much  # refused, the held amount is said instead
    second = say(rasa_url, "a lot", chat.sender, chat.metadata)  # a second miss in a row offers a person
    assert any(b["payload"] == "/human_handoff" for m in second for b in m.get("buttons", [])), second
    chat.says("1")
    chat.says("no")
    assert backends.escrow.state(buyer, number).state == "held"


def test_another_buyers_order_is_refused_and_left_alone(stack):
    rasa_url, backends = stack
    theirs = held_orders(backends, "buyer-id-putri")[0]
    chat = Buyer(rasa_url, "buyer-uz-timur")
    replies = chat.says(f"хочу вернуть деньги за заказ {theirs}")
    assert any(theirs in reply for reply in replies), replies
    replies = chat.says(theirs)
    assert any(theirs in reply for reply in replies), replies
    assert backends.escrow.state("buyer-id-putri", theirs).state == "held"


def test_a_guest_is_asked_to_sign_in(stack):
    rasa_url, _ = stack
    replies = Buyer(rasa_url).says("I want a refund")
    assert len(replies) == 1 and "sign in" in replies[0]


@pytest.mark.parametrize("language", sorted(DISPUTES))
def test_a_confirmed_dispute_opens_a_case_and_stops_the_release(stack, assistant_stack, language):
    rasa_url, backends = stack
    buyer, opening, reason, description, evidence, yes = DISPUTES[language]
    number = held_orders(backends, buyer)[0]
    chat = Buyer(rasa_url, buyer)
    replies = [chat.says(opening.format(number=number)), chat.says(reason), chat.says(description),
               chat.says(evidence)]
    assert backends.escrow.state(buyer, number).state == "held"
    done = chat.says(yes)
    state = backends.escrow.state(buyer, number)
    assert state.state == "disputed" and state.auto_release_at is None
    assert state.dispute_case in done[0], done
    for reply in replies + [done]:
        in_language(reply, language)
    console = assistant_stack.console()  # what support staff read
    case = console.get(f"{assistant_stack.shop_url}/console/api/disputes/{state.dispute_case}", timeout=10).json()
    assert case["reason"] == "counterfeit" and case["description"] == description
    assert [e["reference"] for e in case["evidence"]] == [evidence]


# language: (buyer or None for a guest, opening, answers to the form's questions, currency expected)
SEARCHES = {
    "en": (None, "I'm looking for headphones", ["any price", "Kazakhstan"], "KZT"),
    "zh": (None, "我想买耳机", ["价格不限", "沙特阿拉伯"], "SAR"),
    "ru": ("buyer-kz-aidana", "ищу наушники", ["любая цена"], "KZT"),
    "ar": ("buyer-sa-noura", "أبحث عن سماعات", ["أي سعر"], "SAR"),
}


@pytest.mark.parametrize("language", sorted(SEARCHES))
def test_a_search_shows_prices_and_duty_and_pages_on(stack, language):
    rasa_url, _ = stack
    buyer, opening, answers, currency = SEARCHES[language]
    chat = Buyer(rasa_url, buyer)
    chat.says(opening)
    for answer in answers[:-1]:
        chat.says(answer)
    messages = say(rasa_url, answers[-1], chat.sender, chat.metadata)
    texts = [m["text"] for m in messages if m.get("text")]
    assert len(texts) == 7, texts  # the count, five products, the refinement offer
    assert len([m for m in messages if m.get("image")]) == 5  # each product with its picture
    for text in texts[1:6]:
        assert currency in text, text
    in_language(texts, language)
    more = chat.says({"en": "show more", "zh": "再看看别的", "ru": "покажи ещё", "ar": "اعرض المزيد"}[language])
    more = [text for text in more if text]
    assert more[0] != texts[0] and not set(more[1:6]) & set(texts[1:6]), more
    cheaper = [text for text in chat.says({"en": "anything cheaper?", "zh": "有便宜点的吗", "ru": "а подешевле есть?",
                                           "ar": "في أرخص؟"}[language]) if text]
    assert set(cheaper[1:-1]) <= set(texts[1:6]) and len(cheaper) > 2, cheaper  # page two's cheaper: page one's


# language: (buyer, what they were doing, asking for a person, a later message, the handoff reason kept: asked
# for directly, inside a form or not, with no unusable answer before)
HANDOFFS = {
    "en": ("buyer-my-hafiz", "I want to open a dispute", "let me talk to a real person", "hello? anyone there?",
           "buyer_request"),
    "zh": (None, "我想买耳机", "转人工客服", "有人吗", "buyer_request"),
    "ru": ("buyer-ru-dmitry", "хочу вернуть деньги", "позовите оператора", "алло, есть кто?",
           "buyer_request"),
    "ar": (None, "كيف الطقس بكرة في دبي", "أريد التحدث مع موظف", "في حد هنا؟", "buyer_request"),
}


@pytest.mark.parametrize("language", sorted(HANDOFFS))
def test_a_handed_over_conversation_gets_no_bot_reply_but_one_notice(stack, language):
    rasa_url, _ = stack
    buyer, doing, ask, later, reason = HANDOFFS[language]
    chat = Buyer(rasa_url, buyer)
    chat.says(doing)
    handed = chat.says(ask)
    assert len(handed) == 1 and DETECTOR.from_text(handed[0]) == language, handed
    notice = chat.says(later)  # paused: the message waits for a person, and the buyer is told so once
    assert len(notice) == 1 and notice != handed and DETECTOR.from_text(notice[0]) == language, notice
    assert chat.says(later) == []
    tracker = tracker_of(rasa_url, chat.sender)
    assert tracker["paused"] is True and tracker["active_loop"] == {}
    assert tracker["slots"]["handoff_reason"] == reason
    assert tracker["events"][-1]["event"] == "user" and tracker["events"][-1]["text"] == later  # kept for staff
