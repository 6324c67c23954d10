"""Romanized Russian and Arabic read back into their scripts (bot/romanization.py, bot/romanized_text_reader.py):
the letter tables, the vote between the romanized language and the Latin-script ones, what is never touched,
and the NLU component trained, saved and loaded as a served model does."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.romanization import (LATIN, RomanizedReader, Vocabulary, load_schemes, vocabulary_scores,
                              wordfreq_lists)
from bot.romanized_text_reader import ROMANIZED_TEXT, RomanizedTextReader, lexicon_texts, words_by_language

SCHEMES = load_schemes()
RU, AR = SCHEMES["ru"], SCHEMES["ar"]

# A small vocabulary, as training would score it (zipf-like numbers), for the rules alone.
SMALL = {
    "ru": {"привет": 8.0, "где": 9.0, "мой": 8.5, "заказ": 9.0, "здравствуйте": 7.0, "нет": 9.0, "фото": 7.0,
           "как": 9.5, "до": 9.0, "долларов": 6.0, "наушники": 6.5},
    "ar": {"عايزة": 7.0, "اعرف": 7.0, "بتاعي": 6.5, "وصل": 8.0, "فين": 7.0, "توصيل": 7.0, "الفلوس": 6.0,
           "فلوس": 6.0, "كل": 9.0, "حالة": 8.7},
    LATIN: {"order": 8.0, "hello": 8.4, "where": 9.0, "is": 9.5, "my": 9.3, "shoes": 7.0, "for": 9.5, "men": 7.5,
            "kak": 4.7, "net": 4.8, "ok": 8.0, "max": 6.0, "budget": 6.5},
}


@pytest.fixture(scope="module")
def small_reader():
    return RomanizedReader(SCHEMES, Vocabulary(SMALL, SCHEMES))


def test_russian_letters_and_the_key_that_compares_spellings():
    assert RU.spellings("privet") == ["привет"]
    assert RU.spellings("moy") == ["мой"]  # y after a vowel is й
    assert RU.spellings("dzhinsy") == ["джинсы"]
    assert RU.key(RU.spellings("zdravstvuite")[0]) == RU.key("здравствуйте")  # й and и compare equal
    assert RU.key("заказывать") == RU.key(RU.spellings("zakazyvat")[0])  # a soft sign left out
    assert RU.key("ищу") == RU.key(RU.spellings("ishu")[0])


def test_arabizi_letters_digits_and_the_loose_key():
    assert AR.spellings("3ayza")[0].startswith("ع")
    assert "ح" in AR.spellings("7ad")[0]
    assert AR.key("عايزة") in {AR.key(spelling) for spelling in AR.spellings("3ayza")}
    assert AR.key("وصل") == AR.key(AR.spellings("wesel")[0])  # ص and س compare equal
    assert AR.key("كل", loose=True) == AR.key(AR.spellings("kol")[0], loose=True)
    assert all(AR.is_digit_word(word) for word in ["3ayza", "7ad", "hadfa3", "a7tajha", "yeb2a"])
    assert not any(AR.is_digit_word(word) for word in ["ps5", "iphone15", "mp3", "s23", "a4", "100"])
    assert not RU.is_digit_word("3ayza")  # Russian reads no digits


def test_a_romanized_message_is_read_back(small_reader):
    reading = small_reader.read("privet, gde moy zakaz?")
    assert (reading.language, reading.text) == ("ru", "привет, где мой заказ?")
    reading = small_reader.read("3ayza a3raf el order beta3i wesel fen")
    assert reading.language == "ar"
    assert reading.text == "عايزة اعرف el order بتاعي وصل فين"  # "order" is kept, "el" with it


def test_prefixes_written_apart_join_the_word_they_belong_to(small_reader):
    assert small_reader.read("w el twseel fen").text == "والتوصيل فين"
    assert small_reader.read("kol el felos").text == "كل الفلوس"


@pytest.mark.parametrize("text", [
    "where is my order", "hello", "shoes for men", "ok", "kak", "net",  # English, or a Latin word too
    "SR-204517", "https://example.com/gde/moy/zakaz", "PS5 max budget",  # nothing to read
    "где мой заказ", "أين طلبي", "我的订单", "привет privet",  # another script already
    "",
])
def test_what_is_not_romanized_is_left_alone(small_reader, text):
    assert small_reader.read(text) is None


def test_order_numbers_links_and_acronyms_inside_a_romanized_message_stay(small_reader):
    reading = small_reader.read("privet, gde moy zakaz SR-204517 https://t.me/gde DJI")
    assert reading.text == "привет, где мой заказ SR-204517 https://t.me/gde DJI"


def test_a_word_the_language_does_not_know_is_spelled_letter_by_letter(small_reader):
    assert small_reader.read("privet, naushnikami").text == "привет, наушниками"


def test_a_malformed_scheme_is_an_error(tmp_path):
    path = tmp_path / "romanization.yml"
    path.write_text("xx:\n  script: latin\n", encoding="utf-8")
    with pytest.raises(ValueError, match="xx"):
        load_schemes(path)


@pytest.fixture(scope="module")
def full_reader():
    """The vocabulary as training builds it: the lexicons' words and the word-frequency lists."""
    scripts = {"cyrillic": "ru", "arabic": "ar"}
    words = words_by_language(lexicon_texts() + ["где мой заказ", "عايز اعرف الاوردر فين"], scripts)
    return RomanizedReader(SCHEMES, Vocabulary(vocabulary_scores(words, SCHEMES), SCHEMES))


@pytest.mark.parametrize("typed, language, contains", [
    ("ishu krossovki dlya bega muzhskie 43 razmer", "ru", "кроссовки для бега"),
    ("zdravstvuite, skolko tamozhnya beret?", "ru", "сколько таможня"),
    ("mne prishel ne tot tovar", "ru", "не тот товар"),
    ("da, otkryvaite", "ru", "открывайте"),
    ("law 3ayez headphones men china le masr, hadfa3 gamarek kam?", "ar", "جمارك كام"),
    ("la msh harga3ha", "ar", "مش"),
    ("3ayza akalem 7ad mn customer service", "ar", "customer service"),
])
def test_buyers_romanized_messages_with_the_real_word_lists(full_reader, typed, language, contains):
    reading = full_reader.read(typed)
    assert reading is not None and reading.language == language
    assert contains in reading.text


@pytest.mark.parametrize("typed", [
    "hello", "hi, hello", "give me an agent now", "bluetooth headphones under 100 dollars", "shoes for men",
    "I need a net for fishing", "do you ship to russia", "ok makasih kak", "iya buka aja", "terima kasih",
    "selamat pagi", "the screen is scratched and the seller won't answer", "yes go ahead", "kak",
])
def test_english_and_the_other_latin_languages_are_not_read(full_reader, typed):
    assert full_reader.read(typed) is None


def test_the_frequency_lists_ship_with_the_package():
    lists = wordfreq_lists(["en", "ru", "ar", "xx"])
    assert set(lists) == {"en", "ru", "ar"}  # an unknown language is left out
    assert lists["ru"]["привет"] > 3 and lists["en"]["hello"] > 3


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("romanized")
    config = RomanizedTextReader.get_default_config()
    component = RomanizedTextReader.create(config, storage, resource, ExecutionContext(None))
    component.train(TrainingData([Message(data={"text": text, "intent": "x"})
                                  for text in ["где мой заказ", "привет", "عايز اعرف فين الاوردر"]]))
    return RomanizedTextReader.load(config, storage, resource, ExecutionContext(None))  # as a served model does


def test_the_component_replaces_the_text_and_keeps_what_was_typed(served):
    message, = served.process([Message(data={"text": "privet, gde moy zakaz?"})])
    assert message.get("text") == "привет, где мой заказ?"
    assert message.get(ROMANIZED_TEXT) == "privet, gde moy zakaz?"
    assert {"text", ROMANIZED_TEXT} <= set(message.as_dict(only_output_properties=True))


@pytest.mark.parametrize("text", ["/affirm", "/inform{\"order_id\": \"SR-1\"}", "where is my parcel", "где заказ"])
def test_the_component_leaves_payloads_and_other_messages(served, text):
    message, = served.process([Message(data={"text": text})])
    assert message.get("text") == text and message.get(ROMANIZED_TEXT) is None


def test_an_untrained_component_reads_nothing(tmp_path):
    config = RomanizedTextReader.get_default_config()
    component = RomanizedTextReader.load(config, LocalModelStorage(tmp_path), Resource("none"),
                                         ExecutionContext(None))
    message, = component.process([Message(data={"text": "privet"})])
    assert message.get("text") == "privet"


def test_an_unknown_language_in_the_config_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="xx"):
        RomanizedTextReader({"languages": ["xx"], "latin_languages": ["en"]}, LocalModelStorage(tmp_path),
                            Resource("bad"))
