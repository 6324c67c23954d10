"""The real servers: a greeting in each language comes back in that language."""

import uuid

import pytest
from rasa.shared.core.domain import Domain

from tests.servers import ROOT, rasa_api, say, tracker_of

DOMAIN = Domain.load(str(ROOT / "domain"))


def variation_text(response, language):
    for variation in DOMAIN.responses[response]:
        for condition in variation.get("condition") or []:
            if condition.get("name") == "language" and condition.get("value") == language:
                return variation["text"]
    raise KeyError((response, language))


@pytest.fixture
def server(assistant_stack):
    return assistant_stack.rasa_url


@pytest.mark.parametrize(
    "text, language",
    [("hello", "en"), ("你好", "zh"), ("привет", "ru"), ("مرحبا", "ar")],
)
def test_greeting_comes_back_in_the_same_language(server, text, language):
    messages = say(server, text)
    assert [m.get("text") for m in messages] == [variation_text("utter_greet", language)]


def test_language_slot_follows_the_buyer(server):
    sender = f"smoke-{uuid.uuid4().hex[:8]}"
    say(server, "привет", sender)
    say(server, "SR-204517", sender)  # no language signal: keeps Russian
    tracker = tracker_of(server, sender)
    assert tracker["slots"]["language"] == "ru"
    messages = say(server, "مرحبا", sender)
    assert messages[0]["text"] == variation_text("utter_greet", "ar")


def test_channel_metadata_sets_the_language(server):
    messages = say(server, "hello there", metadata={"locale": "zh-CN"})
    assert messages[0]["text"] == variation_text("utter_greet", "zh")


PARSE_CASES = {
    "en": {"greet": "hi there", "track_order": "where is my parcel", "search_product": "i want to buy headphones",
           "ask_import_rules": "how much customs duty will i pay in kazakhstan"},
    "zh": {"greet": "你好", "track_order": "我的包裹到哪了", "search_product": "我想买耳机",
           "ask_import_rules": "寄到哈萨克斯坦要交多少关税"},
    "ru": {"greet": "привет", "track_order": "где моя посылка", "search_product": "хочу купить наушники",
           "ask_import_rules": "какая пошлина в казахстане"},
    "ar": {"greet": "مرحبا", "track_order": "وين طلبي", "search_product": "ابي اشتري سماعات",
           "ask_import_rules": "كم الجمارك على الطلبات في السعودية"},
}


@pytest.mark.parametrize(
    "language, intent, text",
    [(lang, intent, text) for lang, cases in PARSE_CASES.items() for intent, text in cases.items()],
)
def test_model_parse_returns_contract_intents(server, language, intent, text):
    parsed = rasa_api(server, "POST", "/model/parse", json={"text": text}).json()
    assert parsed["intent"]["name"] == intent
    assert parsed["language"] == language
