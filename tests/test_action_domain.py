"""Rasa sends the domain only to the actions that read it (endpoints.yml's ``enable_selective_domain``): the
forms' validation actions, which take their required slots from it. Every other action gets the tracker alone,
and one that reads the domain must be listed here and get it."""

import inspect
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import read_endpoint_config
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.forms import FormValidationAction

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "domain"))


def registered_actions():
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor.actions


def test_the_endpoint_sends_the_domain_selectively(monkeypatch):
    monkeypatch.setenv("SILKROAD_ACTION_SERVER_TOKEN", "t")
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint.kwargs.get("enable_selective_domain") is True


@pytest.mark.parametrize("name", sorted(registered_actions()))
def test_an_action_gets_the_domain_exactly_when_it_reads_it(name):
    action = registered_actions()[name].__self__
    needs_domain = isinstance(action, FormValidationAction)
    assert DOMAIN.does_custom_action_explicitly_need_domain(name) is needs_domain, name
    if not needs_domain:  # no other action looks into the domain it is passed
        source = inspect.getsource(type(action))
        assert "domain[" not in source and "domain.get(" not in source, name


def test_the_request_carries_the_domain_only_for_form_validation(monkeypatch):
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://127.0.0.1:9/webhook", enable_selective_domain=True)
    tracker = DialogueStateTracker.from_events("buyer", [], slots=DOMAIN.slots)
    search = RemoteAction("action_search_products", endpoint)._action_call_format(tracker, DOMAIN)
    validation = RemoteAction("validate_search_form", endpoint)._action_call_format(tracker, DOMAIN)
    assert "domain" not in search
    assert validation["domain"]["forms"]["search_form"]["required_slots"]
