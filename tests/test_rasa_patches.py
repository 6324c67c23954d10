"""bot/rasa_patches.py: Rasa's action-response check with a validator built once gives the same verdicts and
errors as Rasa's own."""

from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

RASA_VALIDATE = RemoteAction._validate_action_result

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
    with mock.patch.object(RemoteAction, "_validate_action_result", RASA_VALIDATE):
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


def test_the_rasa_server_applies_the_fixes(monkeypatch):
    """bot/server.py installs them before Rasa starts."""
    from bot import server

    calls = []
    monkeypatch.setattr("sys.argv", ["python -m bot.server"])  # main() sets them for Rasa: restored after
    monkeypatch.delenv(server.ACTION_TOKEN_VARIABLE, raising=False)
    monkeypatch.delenv("SANIC_REQUEST_MAX_SIZE", raising=False)
    monkeypatch.setattr(rasa_patches, "apply", lambda: calls.append("apply"))
    monkeypatch.setattr("rasa.__main__.main", lambda: calls.append("rasa"))
    assert server.main(["--model", "models/none.tar.gz"]) == 0
    assert calls == ["apply", "rasa"]
