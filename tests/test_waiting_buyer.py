"""bot/waiting_buyer.py: when a buyer waiting for a person gets a notice."""

from types import SimpleNamespace

from bot.waiting_buyer import should_notify

HOUR = 3600.0


def bot(name=None, at=0.0, agent=None):
    metadata = {"utter_action": name} if name else {}
    if agent:
        metadata["agent"] = agent
    return SimpleNamespace(type_name="bot", metadata=metadata, timestamp=at)


def user(at=0.0):
    return SimpleNamespace(type_name="user", metadata={}, timestamp=at)


PAUSE = SimpleNamespace(type_name="pause", metadata={}, timestamp=0.0)
HANDED_OFF = [user(0), bot("utter_handoff_queued", 1), PAUSE]


def test_the_first_message_after_the_handoff_is_answered_once():
    assert should_notify([*HANDED_OFF, user(60)], now=60, remind_after_seconds=2 * HOUR)
    noticed = [*HANDED_OFF, user(60), bot("utter_handoff_still_waiting", 61)]
    assert not should_notify([*noticed, user(120)], now=120, remind_after_seconds=2 * HOUR)


def test_hours_later_the_buyer_is_told_again():
    noticed = [*HANDED_OFF, user(60), bot("utter_handoff_still_waiting", 61)]
    assert should_notify([*noticed, user(61 + 2 * HOUR)], now=61 + 2 * HOUR, remind_after_seconds=2 * HOUR)
    assert not should_notify([*noticed, user(HOUR)], now=HOUR, remind_after_seconds=2 * HOUR)


def test_once_an_agent_has_written_the_bot_says_nothing():
    answered = [*HANDED_OFF, user(60), bot("utter_handoff_still_waiting", 61), bot(at=90, agent="amina")]
    assert not should_notify([*answered, user(5 * HOUR)], now=5 * HOUR, remind_after_seconds=2 * HOUR)
