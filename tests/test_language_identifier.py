from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_identifier import LanguageIdentifier


def make_component(**overrides):
    return LanguageIdentifier({**LanguageIdentifier.get_default_config(), **overrides})


def test_process_puts_language_in_the_parse_output():
    message = Message(data={"text": "где моя посылка", "metadata": None})
    make_component().process([message])
    output = message.as_dict(only_output_properties=True)
    assert output["language"] == "ru"
    assert output["language_source"] == "text"


def test_channel_metadata_wins():
    message = Message(data={"text": "where is my parcel", "metadata": {"language_code": "ar"}})
    make_component().process([message])
    assert message.get("language") == "ar"
    assert message.get("language_source") == "metadata"


def test_undecided_message_carries_no_language():
    message = Message(data={"text": "SR-204517", "metadata": {}})
    make_component().process([message])
    assert message.get("language") is None
    assert "language" not in message.as_dict(only_output_properties=True)


def test_training_examples_get_their_language_but_not_as_output():
    examples = [Message(data={"text": t, "intent": "greet"}) for t in ("你好", "привет", "مرحبا", "good morning all")]
    data = make_component().process_training_data(TrainingData(examples))
    assert [e.get("language") for e in data.training_examples] == ["zh", "ru", "ar", "en"]
    assert "language" not in examples[0].as_dict(only_output_properties=True)


def test_supported_languages_are_configurable():
    message = Message(data={"text": "где моя посылка"})
    make_component(supported_languages=["en"]).process([message])
    assert message.get("language") is None


def test_messages_without_text_are_left_alone():
    message = Message(data={"action_name": "utter_greet"})
    make_component().process([message])
    assert message.get("language") is None
