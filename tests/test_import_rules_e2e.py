"""Journey 6 end to end through the REST webhook: anyone may ask, in any language, and every figure
comes with its source."""

import re
import uuid

import pytest

from tests.servers import say_texts

# (question, the threshold, words of the answer's sentence in that language). The answer also quotes
# data as published (a VAT label such as "ҚҚС / НДС", a publisher's name), so its language is checked by
# the sentence, not by every character.
QUESTIONS = {
    "en": ("what is the customs duty in Kazakhstan", "200.00 EUR", "pay no customs duty"),
    "zh": ("哈萨克斯坦进口免税额度是多少", "200.00 EUR", "免征关税"),
    "ru": ("какая пошлина на ввоз в Казахстан", "200.00 EUR", "ввозятся без пошлины"),
    "ar": ("كم حد الاعفاء الجمركي في الامارات", "1,000.00 AED", "معفاة من الرسوم الجمركية"),
}


@pytest.fixture
def rasa_url(assistant_stack):
    return assistant_stack.rasa_url


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_a_visitor_learns_the_threshold_with_its_source(rasa_url, language):
    question, threshold, sentence = QUESTIONS[language]
    texts = say_texts(rasa_url, question, f"e2e-{uuid.uuid4().hex[:8]}")
    assert texts and threshold in texts[0] and sentence in texts[0], texts
    assert re.search(r"\d{4}-\d{2}-\d{2}", texts[0]), texts  # the as-of date is quoted


def test_the_country_is_asked_then_answered(rasa_url):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    asked = say_texts(rasa_url, "какая пошлина на ввоз?", sender)
    assert len(asked) == 1 and "страну" in asked[0]
    answered = say_texts(rasa_url, "в Казахстан", sender)
    assert answered and "200.00 EUR" in answered[0], answered
