"""bot/entity_value_featurizer.py: each entity's values come from the training data (annotations and the
synonyms they map through); Han values match inside running text, others only as whole words."""

import re

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.entity_value_featurizer import EntityValueFeaturizer, entity_values, value_pattern


def example(text, intent, *entities):
    return Message({"text": text, "intent": intent, "entities": [
        {"entity": kind, "start": text.index(surface), "end": text.index(surface) + len(surface), "value": value}
        for kind, surface, value in entities]})


def training_data():
    return TrainingData(
        training_examples=[
            example("ship to 沙特 please", "inform", ("country", "沙特", "沙特")),
            example("I live in Kazakhstan", "inform", ("country", "Kazakhstan", "KZ")),
            example("red shoes", "search_product", ("color", "red", "red"), ("product_category", "shoes", "shoes")),
            example("order SR-123456", "track_order", ("order_id", "SR-123456", "SR-123456")),
        ],
        entity_synonyms={"沙特": "SA", "沙特阿拉伯": "SA", "saudi arabia": "SA", "kazakhstan": "KZ", "казахстан": "KZ",
                         "红色": "red", "手机": "phone", "俄": "RU", "k": "KZ"})


def test_values_are_the_annotations_and_the_synonyms_of_their_canonical_values():
    values = entity_values(training_data(), ["country", "color", "product_category"])
    assert values["country"] == {"沙特", "沙特阿拉伯", "saudi arabia", "kazakhstan", "казахстан"}
    assert values["color"] == {"red", "红色"}
    assert values["product_category"] == {"shoes"}  # 手机 maps to a value no example annotates as a category
    assert "order_id" not in values  # only the entities asked for


def test_han_values_match_inside_text_and_the_others_as_whole_words():
    pattern = value_pattern({"沙特", "沙特阿拉伯", "saudi arabia", "oman"})
    assert [m.group() for m in re.finditer(pattern, "寄到沙特阿拉伯吧")] == ["沙特阿拉伯"]  # the longest first
    assert [m.group() for m in re.finditer(pattern, "to Saudi Arabia", re.I)] == ["Saudi Arabia"]
    assert not re.search(pattern, "romania woman", re.I)  # "oman" is not part of another word


def test_the_featurizer_marks_the_tokens_of_a_known_value(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "featurizer")
    featurizer = EntityValueFeaturizer.create(
        {**EntityValueFeaturizer.get_default_config(), "entities": ["country", "color"]}, storage,
        Resource("values"), context)
    data = training_data()
    featurizer.train(data)
    assert {p["name"] for p in featurizer.known_patterns} == {"entity_value_country", "entity_value_color"}
    message = Message({"text": "send it to saudi arabia"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    marked = [t.text for t in message.get("text_tokens") if t.get("pattern", {}).get("entity_value_country")]
    assert marked == ["saudi", "arabia"]
    loaded = EntityValueFeaturizer.load(EntityValueFeaturizer.get_default_config(), storage, Resource("values"),
                                        context)
    assert loaded.known_patterns == featurizer.known_patterns
