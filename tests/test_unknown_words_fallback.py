"""The unknown-words fallback: trained vocabulary, persisted and loaded; keyboard mashing loses its confidence,
known words and entity values do not."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_identifier import LanguageIdentifier
from bot.multilingual_tokenizer import MultilingualTokenizer
from bot.unknown_words_fallback import UnknownWordsFallback

IDENTIFIER = LanguageIdentifier(LanguageIdentifier.get_default_config())
TOKENIZER = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
TRAINING = ["where is my parcel", "I want a refund for my order", "thank you very much", "我的包裹到哪了",
            "где моя посылка", "أين طلبي", "show me wireless headphones"]


def tokenized(text, entities=()):
    message = Message(data={"text": text, "entities": list(entities),
                            "intent": {"name": "thank", "confidence": 0.99},
                            "intent_ranking": [{"name": "thank", "confidence": 0.99},
                                               {"name": "deny", "confidence": 0.01}]})
    IDENTIFIER.process([message])
    TOKENIZER.process([message])
    return message


@pytest.fixture
def trained(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("unknown_words")
    config = UnknownWordsFallback.get_default_config()
    component = UnknownWordsFallback.create(config, storage, resource, ExecutionContext(None))
    data = TrainingData([Message(data={"text": text, "intent": "x"}) for text in TRAINING])
    IDENTIFIER.process_training_data(data)
    TOKENIZER.process_training_data(data)
    component.train(data)
    return UnknownWordsFallback.load(config, storage, resource, ExecutionContext(None))  # as a served model does


@pytest.mark.parametrize("text", ["asdfgh qwerty", "щшгнеку олдж", "ضصثقفغ"])
def test_keyboard_mashing_gets_no_confidence(trained, text):
    message, = trained.process([tokenized(text)])
    assert message.get("intent")["confidence"] == 0.0
    assert {r["confidence"] for r in message.get("intent_ranking")} == {0.0}


@pytest.mark.parametrize("text", ["where is my parcel?", "包裹到哪了", "где посылка", "refund qwerty please my order"])
def test_known_words_keep_their_confidence(trained, text):
    message, = trained.process([tokenized(text)])
    assert message.get("intent")["confidence"] == 0.99


def test_entity_values_and_numbers_are_not_judged(trained):
    code = tokenized("K7QM-X3PA", [{"entity": "link_code", "start": 0, "end": 9, "value": "K7QM-X3PA"}])
    assert trained.known_ratio(code) is None and trained.process([code])[0].get("intent")["confidence"] == 0.99
    assert trained.known_ratio(tokenized("204517 !!")) is None
