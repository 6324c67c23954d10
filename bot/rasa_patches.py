"""Fixes to Rasa 3.6.21's own code, applied by every Rasa process this project starts (bot/server.py), never by
editing site-packages.

- The action server's answer is checked against Rasa's response schema with a validator built once. Rasa
  calls ``jsonschema.validate(result, schema)`` on every custom action call, which checks the schema itself
  and builds a new validator each time: about 30 ms a call on this project's 2-core machine, a quarter of a
  turn (measured with ``python -m scripts.profile_turn``; upstream: rasa#11717). Same schema, same
  ``ValidationError`` with the same message when an answer is malformed.
- The SQL event broker (the embedded run's, which the support console follows) gets a turn's new events in one
  transaction: Rasa's tracker store publishes them one by one, and the broker commits each (on SQLite a
  synchronous write per event, ten or more a turn). Same rows, same order; other brokers (RabbitMQ in
  production) still get one publish per event.
- The SQL tracker store checks that its PostgreSQL schema exists once per process, not at the start of every
  database session (two extra round trips a turn: one for reading the tracker, one for saving it).
- An event's class is found by its type name in a table built once (and again when a name is not in it), where
  Rasa walked every subclass of ``Event`` (``inspect.isabstract`` on each) for every event it turned back from
  a dict: reading a tracker of 60 events from the SQL tracker store spent most of its time there.
- A message is read as the answer to the question the bot just asked (``bot/form_answers.py``): Rasa's
  ``MessageProcessor.parse_message`` has the conversation's tracker, and its result goes through
  ``reinterpret_for_tracker`` before the dialogue policies see it.
- A paused conversation (waiting for a person) is not silent to a buyer who writes: Rasa's prediction loop
  runs ``action_waiting_notice`` when ``bot/waiting_buyer.py`` says the buyer is due a notice.
- The ``language`` slot is set by Rasa's own slot extraction from the message's parse data
  (``bot/language_slot.py``), where a custom action called over HTTP after every message used to do it.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any, Dict, List

_applied = False


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """A validator for Rasa's action-response schema, built (and the schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action endpoint "
        f"is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def publish_in_one_transaction(broker: Any, bodies: List[Dict[str, Any]]) -> None:
    """``bodies`` as the SQL event broker's rows (what its ``publish`` writes for each), committed once."""
    with broker.session_scope() as session:
        session.add_all([broker.SQLBrokerEvent(sender_id=body.get("sender_id"), data=json.dumps(body))
                         for body in bodies])
        session.commit()


async def _stream_new_events(self: Any, event_broker: Any, new_events: List[Any], sender_id: str) -> None:
    from rasa.core.brokers.sql import SQLEventBroker

    bodies = [{"sender_id": sender_id, **event.as_dict()} for event in new_events]
    if isinstance(event_broker, SQLEventBroker) and type(event_broker).publish is SQLEventBroker.publish:
        if bodies:
            publish_in_one_transaction(event_broker, bodies)
        return
    for body in bodies:
        event_broker.publish(body)


async def _extract_slots(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
    """Rasa's slot extraction, then the language slot from the latest message (bot/language_slot.py)."""
    from rasa.shared.core.events import SlotSet

    from bot.language_slot import LANGUAGE_SLOT, language_to_set

    events = await _rasa_extract_slots(self, output_channel, nlg, tracker, domain)
    if not any(slot.name == LANGUAGE_SLOT for slot in domain.slots):
        return events
    if any(isinstance(event, SlotSet) and event.key == LANGUAGE_SLOT for event in events):
        return events
    latest = tracker.latest_message.parse_data if tracker.latest_message else None
    language = language_to_set(latest, tracker.get_slot(LANGUAGE_SLOT))
    return events if language is None else [*events, SlotSet(LANGUAGE_SLOT, language)]


_event_classes: Dict[str, Any] = {}


def _resolve_event_type(type_name: str, default: Any = None) -> Any:
    """``Event.resolve_by_type``: the same class (the first subclass with that type name, in Rasa's order)."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    event_class = _event_classes.get(type_name)
    if event_class is None:
        classes: Dict[str, Any] = {}
        for subclass in all_subclasses(Event):
            classes.setdefault(subclass.type_name, subclass)
        _event_classes.clear()
        _event_classes.update(classes)
        event_class = _event_classes.get(type_name)
    if event_class is not None:
        return event_class
    if type_name == "topic":
        return None  # Rasa's backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


async def _parse_message(self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True) -> Any:
    """Rasa's parse, then the answer read with the question asked in mind (bot/form_answers.py)."""
    from bot.form_answers import reinterpret_for_tracker

    parse_data = await _rasa_parse_message(self, message, tracker, only_output_properties)
    return reinterpret_for_tracker(parse_data, tracker)


_rasa_parse_message: Any = None
_rasa_extract_slots: Any = None
_rasa_run_prediction_loop: Any = None
_rasa_ensure_schema_exists: Any = None
_schemas_found: set = set()


def _ensure_schema_exists_once(session: Any) -> None:
    """Rasa's check that ``POSTGRESQL_SCHEMA`` exists, made until it has once succeeded in this process."""
    import os

    schema = os.environ.get("POSTGRESQL_SCHEMA")
    if not schema or schema in _schemas_found:
        return
    _rasa_ensure_schema_exists(session)
    _schemas_found.add(schema)


async def _run_prediction_loop(self: Any, output_channel: Any, tracker: Any) -> None:
    """Rasa's loop, except on a paused conversation (waiting for a person): there the buyer may get a notice
    that a person will answer (bot/waiting_buyer.py) instead of silence."""
    if tracker.is_paused() and not self._should_handle_message(tracker):
        await _notify_waiting_buyer(self, output_channel, tracker)
        return
    await _rasa_run_prediction_loop(self, output_channel, tracker)


async def _notify_waiting_buyer(self: Any, output_channel: Any, tracker: Any) -> None:
    from rasa.core.actions.action import action_for_name_or_text
    from rasa.core.policies.policy import PolicyPrediction

    from bot.settings import rasa_settings
    from bot.waiting_buyer import WAITING_NOTICE_ACTION, should_notify

    remind_after = rasa_settings().waiting_reminder_hours * 3600
    if not should_notify(list(tracker.events), time.time(), remind_after):
        return
    action = action_for_name_or_text(WAITING_NOTICE_ACTION, self.domain, self.action_endpoint)
    prediction = PolicyPrediction.for_action_name(self.domain, WAITING_NOTICE_ACTION)
    await self._run_action(action, tracker, output_channel, self.nlg, prediction)


def apply() -> None:
    """Installs the fixes (once per process)."""
    global _applied, _rasa_extract_slots, _rasa_ensure_schema_exists, _rasa_parse_message
    global _rasa_run_prediction_loop
    if _applied:
        return
    from rasa.core import tracker_store
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_type)
    TrackerStore._stream_new_events = _stream_new_events
    _rasa_ensure_schema_exists = _swap(tracker_store, "ensure_schema_exists", _ensure_schema_exists_once)
    _rasa_parse_message = _swap(MessageProcessor, "parse_message", _parse_message)
    _rasa_run_prediction_loop = _swap(MessageProcessor, "_run_prediction_loop", _run_prediction_loop)
    _rasa_extract_slots = _swap(ActionExtractSlots, "run", _extract_slots)
    _applied = True


_originals: Dict[Any, Any] = {}


def _swap(owner: Any, name: str, replacement: Any) -> Any:
    """Puts ``replacement`` in the place of Rasa's ``owner.name`` and gives Rasa's back, for the replacement to
    call; installing again (a test resets ``_applied``) keeps Rasa's, never the replacement itself."""
    current = getattr(owner, name)
    if current is not replacement:
        _originals[(owner, name)] = current
        setattr(owner, name, replacement)
    return _originals[(owner, name)]
