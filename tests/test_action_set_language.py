from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionSetLanguage


def tracker(latest_message, language_slot=None):
    return Tracker(
        sender_id="buyer",
        slots={"language": language_slot},
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(latest_message, language_slot=None):
    return ActionSetLanguage().run(CollectingDispatcher(), tracker(latest_message, language_slot), {})


def test_sets_the_detected_language():
    assert run({"text": "привет", "language": "ru"}) == [
        {"event": "slot", "timestamp": None, "name": "language", "value": "ru"}
    ]


def test_switching_language_mid_conversation():
    assert run({"text": "مرحبا", "language": "ar"}, language_slot="ru")[0]["value"] == "ar"


def test_keeps_the_slot_when_the_message_tells_nothing():
    assert run({"text": "SR-204517"}, language_slot="zh") == []
    assert run({"text": "ok", "language": None}, language_slot="ru") == []
    assert run({}, language_slot="ru") == []


def test_no_event_when_unchanged():
    assert run({"text": "где заказ", "language": "ru"}, language_slot="ru") == []
