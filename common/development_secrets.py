"""Every development secret, defined once. They are public (they are in this repository): the embedded profile
runs with them so that a fresh clone works with no set-up; the production profile refuses to start while any
setting still holds one of them (common/settings.py).

Make real ones with ``python -m common.secrets`` (docs/security.md)."""

from __future__ import annotations

from typing import Dict, FrozenSet

# The shop signs its buyers' tokens with it; Rasa's channels verify them.
SHOP_TOKEN_SECRET = "silkroad-development-shop-token-secret"
# Rasa's HTTP API (--auth-token): the console and the tests send it.
RASA_API_TOKEN = "silkroad-development-rasa-api-token"
# Rasa sends it to the action server with every call; the action server runs nothing without it.
ACTION_SERVER_TOKEN = "silkroad-development-action-server-token"
# Rasa's channels sign what the platform or the shop proved about a message's sender (common/sender_proof.py)
# and the web widget's session keys; the action server checks the proofs.
SENDER_PROOF_SECRET = "silkroad-development-sender-proof-secret"
# The backends' API keys, one per kind of caller (backends/api/callers.py).
BACKEND_API_KEYS: Dict[str, str] = {
    "assistant": "silkroad-dev-assistant-key",
    "shop": "silkroad-dev-shop-key",
    "seller_portal": "silkroad-dev-seller-portal-key",
    "carrier": "silkroad-dev-carrier-key",
    "payments": "silkroad-dev-payments-key",
    "scheduler": "silkroad-dev-scheduler-key",
}
# The demo support agent's password (``agent``), made by scripts/run.sh in the embedded profile only.
DEMO_AGENT_PASSWORD = "silkroad-agent"

VALUES: FrozenSet[str] = frozenset({SHOP_TOKEN_SECRET, RASA_API_TOKEN, ACTION_SERVER_TOKEN, SENDER_PROOF_SECRET,
                                    DEMO_AGENT_PASSWORD, *BACKEND_API_KEYS.values()})


def is_development_value(value: str) -> bool:
    return value in VALUES
