"""Journey 2 end to end: Rasa, the action server and the backends as real processes, through the REST webhook.

Each language's buyer asks for their order and gets its status in their language; another buyer's order
is refused; a visitor without a shop token is asked to sign in.
"""


import pytest

from tests.buyer_tokens import sign_buyer_token
from actions.localization import ORDER_STATUS
from bot.language_detection import LanguageDetector
from tests.servers import say_texts

DETECTOR = LanguageDetector(("en", "zh", "ru", "ar"))
QUESTIONS = {
    "en": ("buyer-my-hafiz", "where is my order {number}?"),
    "zh": ("buyer-cn-lihua", "我的订单{number}到哪了"),
    "ru": ("buyer-kz-aidana", "где мой заказ {number}?"),
    "ar": ("buyer-sa-noura", "أين طلبي {number}؟"),
}


@pytest.fixture
def stack(assistant_stack):
    return assistant_stack.rasa_url, assistant_stack.backends


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_a_buyer_tracks_their_order_in_their_language(stack, language):
    rasa_url, backends = stack
    buyer, question = QUESTIONS[language]
    orders = backends.orders.orders(buyer, language, open_only=False)  # the session's other tests act on some
    order = next((o for o in orders if o.status in ("shipped", "delivered")), orders[0])
    texts = say_texts(rasa_url, question.format(number=order.number),
                      metadata={"buyer_token": sign_buyer_token(buyer)})
    assert texts and order.number in texts[0], texts
    assert ORDER_STATUS[order.status][language] in texts[0], texts
    assert all(DETECTOR.from_text(text) in (language, None) for text in texts), texts


def test_another_buyers_order_is_refused(stack):
    rasa_url, backends = stack
    theirs = backends.orders.orders("buyer-sa-noura", "ar")[0].number
    texts = say_texts(rasa_url, f"where is my order {theirs}?",
                      metadata={"buyer_token": sign_buyer_token("buyer-my-hafiz")})
    assert len(texts) == 1 and "couldn't find order" in texts[0] and theirs in texts[0]


def test_a_visitor_without_a_token_is_asked_to_sign_in(stack):
    rasa_url, _ = stack
    texts = say_texts(rasa_url, "где мой заказ SR-204517?", sender="buyer-kz-aidana")  # a sender id proves nothing
    assert len(texts) == 1 and "войдите" in texts[0]
