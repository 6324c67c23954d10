import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.multilingual_tokenizer import MultilingualTokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return MultilingualTokenizer(MultilingualTokenizer.get_default_config())


def words(tokenizer, text, language=None):
    data = {"text": text}
    if language:
        data["language"] = language
    tokens = tokenizer.tokenize(Message(data=data), "text")
    for token in tokens:  # offsets point at the token's text
        assert text[token.start : token.end] == token.text
    return [token.text for token in tokens]


def test_chinese_is_segmented_into_words(tokenizer):
    assert words(tokenizer, "我想买红色的手机", "zh") == ["我", "想", "买", "红色", "的", "手机"]


def test_ids_next_to_chinese_stay_whole(tokenizer):
    tokens = words(tokenizer, "亲SR-204517到哪了", "zh")
    assert tokens[:2] == ["亲", "SR-204517"]
    assert "到" in tokens
    assert "RB123456785CN" in words(tokenizer, "单号RB123456785CN查不到")


def test_chinese_is_found_without_a_language_hint(tokenizer):
    assert words(tokenizer, "哈萨克斯坦的关税") == ["哈萨克斯坦", "的", "关税"]


def test_han_run_inside_another_language(tokenizer):
    assert words(tokenizer, "купить 耳机 xiaomi", "ru") == ["купить", "耳机", "xiaomi"]


def test_russian(tokenizer):
    assert words(tokenizer, "хочу наушники до 5000 руб, плиз", "ru") == [
        "хочу", "наушники", "до", "5000", "руб", ",", "плиз",
    ]


def test_arabic(tokenizer):
    assert words(tokenizer, "ابي سماعات بلوتوث، باللون الأحمر", "ar") == [
        "ابي", "سماعات", "بلوتوث", "،", "باللون", "الأحمر",
    ]


def test_english_keeps_order_ids(tokenizer):
    assert words(tokenizer, "where's SR-204517?", "en") == ["where", "'s", "SR-204517", "?"]


def test_lemma_is_lowercased(tokenizer):
    tokens = tokenizer.tokenize(Message(data={"text": "Где ЗАКАЗ", "language": "ru"}), "text")
    assert [t.lemma for t in tokens] == ["где", "заказ"]


def test_intent_names_are_not_segmented(tokenizer):
    message = Message(data={"text": "привет", "intent": "search_product"})
    tokenizer.process([message])
    assert [t.text for t in message.get("intent_tokens")] == ["search_product"]


def test_default_language_must_be_supported():
    with pytest.raises(ValueError):
        MultilingualTokenizer({**MultilingualTokenizer.get_default_config(), "default_language": "fr"})


def test_han_entity_words_are_learned_persisted_and_loaded(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    text = "手机寄乌兹会被海关扣吗"
    example = Message(
        data={
            "text": text,
            "intent": "ask_import_rules",
            "entities": [
                {"start": 0, "end": 2, "value": "手机", "entity": "product_category"},
                {"start": 3, "end": 5, "value": "乌兹", "entity": "country"},
            ],
        }
    )
    data = TrainingData([example], entity_synonyms={"巴铁": "PK", "Kazakhstan": "KZ"})
    storage = LocalModelStorage(tmp_path)
    resource = Resource("tokenizer")
    config = MultilingualTokenizer.get_default_config()
    context = ExecutionContext(GraphSchema({}), "test")

    trainer = MultilingualTokenizer.create(config, storage, resource, context)
    trainer.train(data)
    loaded = MultilingualTokenizer.load(config, storage, resource, context)

    assert loaded.learned_words == ["乌兹", "巴铁", "手机"]  # Han forms only
    assert words(loaded, text, "zh")[:4] == ["手机", "寄", "乌兹", "会"]
    assert "巴铁" in words(loaded, "有卖尿不湿的吗 寄巴铁", "zh")


def test_dictionary_compounds_split_around_learned_words():
    tokenizer = MultilingualTokenizer(
        MultilingualTokenizer.get_default_config(), learned_words=["手机", "电视", "包"]
    )
    assert words(tokenizer, "我想买手机", "zh") == ["我", "想", "买", "手机"]
    assert words(tokenizer, "电视屏幕碎了", "zh")[:2] == ["电视", "屏幕"]
    # single-character learned words never split other words
    assert "包裹" in words(tokenizer, "我的包裹到哪了", "zh")
