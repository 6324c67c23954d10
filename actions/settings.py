"""The action server's settings: one object, read from the environment once."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr

from common import development_secrets
from common.settings import SilkroadSettings, secret


class ActionServerSettings(SilkroadSettings):
    # Where the action server listens: the loopback by default (Rasa reaches it; the internet does not).
    action_server_host: str = "127.0.0.1"
    action_server_port: int = Field(5055, ge=1, le=65535)
    # Actions run on this many threads (actions/action_threads.py): a slow backend call holds one of them.
    action_threads: int = Field(8, ge=1, le=64)
    # Rasa sends this token with every call; nothing runs without it.
    action_server_token: SecretStr = secret(development_secrets.ACTION_SERVER_TOKEN)
    # Checks the channels' sender proofs (common/sender_proof.py): who a message's sender was proved to be.
    sender_proof_secret: SecretStr = secret(development_secrets.SENDER_PROOF_SECRET)
    # The marketplace backends, with the assistant's API key.
    backend_url: str = "http://127.0.0.1:8000"
    backend_api_key: SecretStr = secret(development_secrets.BACKEND_API_KEYS["assistant"],
                                        how="make one with: python -m common.secrets new-key assistant")
    backend_connect_timeout: float = Field(2.0, gt=0)
    backend_read_timeout: float = Field(5.0, gt=0)
    # Slow-changing backend data (categories, countries' import rules) is reused for this long; 0: never.
    backend_cache_seconds: float = Field(300.0, ge=0, le=86400)


@lru_cache(maxsize=1)
def action_settings() -> ActionServerSettings:
    """The settings of this action-server process, read once."""
    return ActionServerSettings()
