import pytest

from actions import conversation
from actions.clients.http import BackendConfig
from actions.clients.marketplace import Marketplace
from tests.actions.backend_process import running_backends


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    """The clients over backends of their own (a freshly seeded database) for each test module; the support
    team is at work round the clock (tests do not depend on the hour they run)."""
    with running_backends(tmp_path_factory.mktemp("backends"), env={"SILKROAD_SUPPORT_HOURS": "Mon-Sun 00:00-24:00"}) \
            as url:
        yield Marketplace(BackendConfig(base_url=url, api_key="silkroad-dev-key"))


@pytest.fixture
def using(monkeypatch, backends):
    """The actions talk to those backends."""
    monkeypatch.setattr(conversation, "marketplace", lambda: backends)
    return backends
