"""Fixes to Rasa 3.6.21's own code, applied by every Rasa process this project starts (bot/server.py), never by
editing site-packages.

- The action server's answer is checked against Rasa's response schema with a validator built once. Rasa
  calls ``jsonschema.validate(result, schema)`` on every custom action call, which checks the schema itself
  and builds a new validator each time: about 30 ms a call on this project's 2-core machine, a quarter of a
  turn (measured with ``python -m scripts.profile_turn``; upstream: rasa#11717). Same schema, same
  ``ValidationError`` with the same message when an answer is malformed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

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


def apply() -> None:
    """Installs the fixes (once per process)."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    _applied = True
