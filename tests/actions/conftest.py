import pytest

from actions import conversation
from actions.clients.http import BackendConfig
from actions.clients.marketplace import Marketplace
from common.development_secrets import BACKEND_API_KEYS
from tests.actions.backend_process import ConsoleSession, add_console_agent, running_backends


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    """The clients over backends of their own (a freshly seeded database, a console agent) for each test module,
    with the assistant's key; the support team is at work round the clock (tests do not depend on the hour they
    run)."""
    with running_backends(tmp_path_factory.mktemp("backends"), env={"SILKROAD_SUPPORT_HOURS": "Mon-Sun 00:00-24:00"},
                          before_start=add_console_agent) as url:
        yield Marketplace(BackendConfig(base_url=url, api_key=BACKEND_API_KEYS["assistant"]))


@pytest.fixture
def console(backends):
    """Staff's view of those backends: a signed-in console session."""
    return ConsoleSession(backends.escrow.http.config.base_url)


@pytest.fixture
def using(monkeypatch, backends):
    """The actions talk to those backends."""
    monkeypatch.setattr(conversation, "marketplace", lambda: backends)
    return backends
