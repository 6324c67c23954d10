"""Journey 6 end to end through the REST webhook: anyone may ask, in any language, and every figure
comes with its source."""

import uuid

import pytest
import requests

from bot.language_detection import LanguageDetector
from tests.actions.backend_process import running_backends
from tests.servers import running_assistant

DETECTOR = LanguageDetector(("en", "zh", "ru", "ar"))
QUESTIONS = {
    "en": ("what is the customs duty in Kazakhstan", "200.00 EUR"),
    "zh": ("哈萨克斯坦进口免税额度是多少", "200.00 EUR"),
    "ru": ("какая пошлина на ввоз в Казахстан", "200.00 EUR"),
    "ar": ("كم حد الاعفاء الجمركي في الامارات", "1,000.00 AED"),
}


@pytest.fixture(scope="module")
def rasa_url(model_path, tmp_path_factory):
    with running_backends(tmp_path_factory.mktemp("imports-e2e")) as backend_url:
        with running_assistant(model_path, env={"SILKROAD_BACKEND_URL": backend_url}) as url:
            yield url


def say(rasa_url, text, sender):
    reply = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    reply.raise_for_status()
    return [m.get("text", "") for m in reply.json()]


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_a_visitor_learns_the_threshold_with_its_source(rasa_url, language):
    question, threshold = QUESTIONS[language]
    texts = say(rasa_url, question, f"e2e-{uuid.uuid4().hex[:8]}")
    assert texts and threshold in texts[0], texts
    assert "2026" in texts[0] or "20" in texts[0]  # the as-of date is quoted
    assert all(DETECTOR.from_text(text) in (language, None) for text in texts), texts


def test_the_country_is_asked_then_answered(rasa_url):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    asked = say(rasa_url, "какая пошлина на ввоз?", sender)
    assert len(asked) == 1 and "страну" in asked[0]
    answered = say(rasa_url, "в Казахстан", sender)
    assert answered and "200.00 EUR" in answered[0], answered
