"""bot/rasa_patches.py: Rasa's action-response check with a validator built once gives the same verdicts and
errors as Rasa's own; the SQL event broker writes the same rows, one commit a save."""

import asyncio
import json
from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import Event

from bot import rasa_patches

RASA_VALIDATE = RemoteAction._validate_action_result
RASA_STREAM_NEW_EVENTS = TrackerStore._stream_new_events
RASA_EXTRACT_SLOTS = ActionExtractSlots.run
RASA_RESOLVE_BY_TYPE = Event.__dict__["resolve_by_type"]

GOOD = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "ru", "timestamp": None}],
     "responses": [{"response": "utter_greet"}, {"text": "hi", "buttons": []}]},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"name": "language"}]},  # an event without its type
    {"events": [{"event": "slot", "name": "language", "value": "ru"}], "responses": ["text"]},
    [],
]


@pytest.fixture
def patched():
    with mock.patch.object(RemoteAction, "_validate_action_result", RASA_VALIDATE), \
            mock.patch.object(TrackerStore, "_stream_new_events", RASA_STREAM_NEW_EVENTS), \
            mock.patch.object(ActionExtractSlots, "run", RASA_EXTRACT_SLOTS), \
            mock.patch.object(Event, "resolve_by_type", RASA_RESOLVE_BY_TYPE):
        rasa_patches._applied = False
        rasa_patches.apply()
        yield RemoteAction("action_x", None)
    rasa_patches._applied = False


@pytest.mark.parametrize("answer", GOOD)
def test_a_valid_answer_passes_as_with_rasa(patched, answer):
    assert RASA_VALIDATE(patched, answer) is True
    assert patched._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", BAD)
def test_an_invalid_answer_raises_rasas_error(patched, answer):
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        RASA_VALIDATE(patched, answer)
    with pytest.raises(jsonschema.ValidationError) as our_error:
        patched._validate_action_result(answer)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message


def test_the_schema_is_checked_and_the_validator_built_once(patched):
    rasa_patches.action_response_validator.cache_clear()
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    with mock.patch.object(validator_class, "check_schema", wraps=validator_class.check_schema) as check:
        for _ in range(5):
            patched._validate_action_result(GOOD[-1])
    assert check.call_count == 1


# -- the SQL event broker: one transaction a turn ----------------------------------------------------------

def _turn(sender_id):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender_id, slots=[])
    for event in [ActionExecuted("action_listen"), UserUttered("привет", {"name": "greet", "confidence": 1.0}),
                  SlotSet("language", "ru"), ActionExecuted("utter_greet"), BotUttered("Здравствуйте!"),
                  ActionExecuted("action_listen")]:
        tracker.update(event)
    return tracker


def _rows(broker):
    with broker.session_scope() as session:
        return [(row.sender_id, json.loads(row.data)) for row in
                session.query(broker.SQLBrokerEvent).order_by(broker.SQLBrokerEvent.id)]


def _saved(tmp_path, name, stream_new_events):
    import sqlalchemy
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.events import UserUttered

    broker = SQLEventBroker(db=str(tmp_path / f"{name}.db"))
    commits = []
    sqlalchemy.event.listen(broker.engine, "commit", lambda _connection: commits.append(1))
    store = InMemoryTrackerStore(domain=None, event_broker=broker)
    with mock.patch.object(TrackerStore, "_stream_new_events", stream_new_events):
        asyncio.run(store.save(_turn("buyer-1")))
        tracker = _turn("buyer-1")
        tracker.update(UserUttered("ещё"))
        asyncio.run(store.save(tracker))
    return _rows(broker), len(commits)


def test_the_sql_broker_gets_a_turns_events_in_one_commit_with_the_same_rows(tmp_path):
    rasa_rows, rasa_commits = _saved(tmp_path, "rasa", RASA_STREAM_NEW_EVENTS)
    our_rows, our_commits = _saved(tmp_path, "ours", rasa_patches._stream_new_events)
    for rows in (rasa_rows, our_rows):
        for _, event in rows:
            event.pop("timestamp", None)
    assert our_rows == rasa_rows
    assert len(rasa_rows) == 7 and rasa_commits == 7
    assert our_commits == 2  # one a save


def test_another_broker_still_gets_one_publish_per_event():
    from rasa.core.brokers.broker import EventBroker
    from rasa.shared.core.events import ActionExecuted, UserUttered

    class Collecting(EventBroker):
        def __init__(self):
            self.published = []

        def publish(self, event):
            self.published.append(event)

    broker = Collecting()
    asyncio.run(rasa_patches._stream_new_events(None, broker, [UserUttered("hi"), ActionExecuted("utter_x")], "b"))
    assert [(event["sender_id"], event["event"]) for event in broker.published] == [("b", "user"), ("b", "action")]



def test_the_postgresql_schema_is_checked_until_found_once(monkeypatch):
    from rasa.core import tracker_store

    checks = []

    def rasas_check(session):
        checks.append(session)
        if session == "missing":
            raise ValueError("shop1_tracker")

    monkeypatch.setattr(rasa_patches, "_rasa_ensure_schema_exists", rasas_check)
    monkeypatch.setattr(rasa_patches, "_schemas_found", set())
    monkeypatch.setenv("POSTGRESQL_SCHEMA", "shop1_tracker")
    with pytest.raises(ValueError):  # not there yet: Rasa's refusal, and it is asked again next time
        rasa_patches._ensure_schema_exists_once("missing")
    rasa_patches._ensure_schema_exists_once("s1")
    rasa_patches._ensure_schema_exists_once("s2")
    assert checks == ["missing", "s1"]
    monkeypatch.delenv("POSTGRESQL_SCHEMA")
    rasa_patches._ensure_schema_exists_once("s3")  # no schema configured: nothing to check, as with Rasa
    assert checks == ["missing", "s1"]
    assert callable(tracker_store.ensure_schema_exists)


def _every_event_type_name():
    from rasa.shared.utils.common import all_subclasses

    return sorted({subclass.type_name for subclass in all_subclasses(Event)})


def test_every_event_type_resolves_to_rasas_class(patched):
    rasas = RASA_RESOLVE_BY_TYPE.__func__
    names = _every_event_type_name()
    assert len(names) > 20 and "user" in names and "slot" in names
    for name in names:
        assert Event.resolve_by_type(name) is rasas(name)
    event = Event.from_parameters({"event": "slot", "name": "language", "value": "ar", "timestamp": 3.0})
    assert (event.key, event.value, event.timestamp) == ("language", "ar", 3.0)


def test_unknown_event_types_are_answered_as_rasa_answers_them(patched):
    from rasa.shared.core.events import UserUttered

    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found(patched):
    from rasa.shared.core.events import SlotSet

    assert Event.resolve_by_type("slot") is SlotSet  # the table is built now

    class ShopNote(SlotSet):
        type_name = "silkroad_test_shop_note"

    assert Event.resolve_by_type("silkroad_test_shop_note") is ShopNote


def test_installing_again_keeps_rasas_own_functions_for_the_replacements_to_call(patched):
    from rasa.core.processor import MessageProcessor

    first = rasa_patches._rasa_parse_message
    rasa_patches._applied = False
    rasa_patches.apply()
    assert rasa_patches._rasa_parse_message is first is not rasa_patches._parse_message
    assert MessageProcessor.parse_message is rasa_patches._parse_message
    assert rasa_patches._rasa_run_prediction_loop is not rasa_patches._run_prediction_loop
