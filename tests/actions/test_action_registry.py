"""The action server registers exactly the custom actions the domain names (no base class, no stray)."""

from rasa.shared.core.domain import Domain
from rasa_sdk.executor import ActionExecutor

from tests.servers import ROOT


def test_the_action_server_serves_exactly_the_domains_custom_actions():
    executor = ActionExecutor()
    executor.register_package("actions")
    served = set(executor.actions)
    domain = Domain.load(str(ROOT / "domain"))
    custom = {name for name in domain.user_actions if not name.startswith("utter_")}
    assert served == custom, (sorted(served - custom), sorted(custom - served))
