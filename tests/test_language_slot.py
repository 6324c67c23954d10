"""The ``language`` slot follows the buyer inside Rasa's slot extraction (bot/language_slot.py, installed by
bot/rasa_patches.py): what the message says wins, metadata only when the conversation has no language yet,
and no action server is called."""

import asyncio
from pathlib import Path
from unittest import mock

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.language_slot import language_to_set

DOMAIN = Domain.load(str(Path(__file__).resolve().parent.parent / "domain"))


def test_sets_the_detected_language():
    assert language_to_set({"text": "привет", "language": "ru"}, None) == "ru"


def test_switching_language_mid_conversation():
    assert language_to_set({"text": "مرحبا", "language": "ar"}, "ru") == "ar"


def test_keeps_the_slot_when_the_message_tells_nothing():
    assert language_to_set({"text": "SR-204517"}, "zh") is None
    assert language_to_set({"text": "ok", "language": None}, "ru") is None
    assert language_to_set({}, "ru") is None
    assert language_to_set(None, "ru") is None


def test_a_short_latin_reply_keeps_the_conversations_language():
    assert language_to_set({"text": "ok confirm 👍", "language": "en", "language_source": "text"}, "zh") is None
    assert language_to_set({"text": "full refund SR-204517", "language": "en", "language_source": "text"}, "ru") is None


def test_a_latin_sentence_or_the_channel_switches():
    sentence = {"text": "can you answer in english", "language": "en", "language_source": "text"}
    assert language_to_set(sentence, "zh") == "en"
    assert language_to_set({"text": "ok", "language": "en", "language_source": "metadata"}, "zh") == "en"
    assert language_to_set({"text": "ok thanks", "language": "en", "language_source": "text"}, None) == "en"


def test_no_change_when_unchanged():
    assert language_to_set({"text": "где заказ", "language": "ru"}, "ru") is None


def test_metadata_only_when_the_conversation_has_no_language():
    start = {"text": "/start LINK-CODE", "metadata": {"language_code": "ru-RU"}}
    assert language_to_set(start, None) == "ru"
    assert language_to_set(start, "ar") is None
    assert language_to_set({"text": "/start", "metadata": {"language_code": "xx"}}, None) is None
    assert language_to_set({"text": "/start", "metadata": "not an object"}, None) is None


@pytest.fixture
def extract_slots():
    """Rasa's slot extraction with the project's patches, and no action server at all (endpoint None)."""
    with mock.patch.object(ActionExtractSlots, "run", rasa_patches._rasa_extract_slots or ActionExtractSlots.run):
        rasa_patches._applied = False
        rasa_patches.apply()

        def run(tracker):
            return asyncio.run(ActionExtractSlots(None).run(
                CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN))
        yield run
    rasa_patches._applied = False


def tracker_after(parse_data, language=None):
    tracker = DialogueStateTracker.from_events("buyer", [], slots=DOMAIN.slots)
    if language:
        tracker.update(SlotSet("language", language))
    tracker.update(UserUttered(parse_data.get("text"), parse_data.get("intent"), [], parse_data,
                               metadata=parse_data.get("metadata")))
    return tracker


def test_rasa_sets_the_slot_from_the_parse_data(extract_slots):
    events = extract_slots(tracker_after({"text": "где мой заказ", "intent": {"name": "track_order"},
                                          "language": "ru"}))
    assert SlotSet("language", "ru") in events


def test_rasa_keeps_the_slot_for_a_message_that_tells_nothing(extract_slots):
    tracker = tracker_after({"text": "SR-204517", "intent": {"name": "inform"}}, language="zh")
    assert not [e for e in extract_slots(tracker) if isinstance(e, SlotSet) and e.key == "language"]


def test_rasa_takes_the_channels_language_for_a_first_payload(extract_slots):
    tracker = tracker_after({"text": "/start CODE", "intent": {"name": "link_account"},
                             "metadata": {"language_code": "ar"}})
    assert SlotSet("language", "ar") in extract_slots(tracker)
