"""Secrets for a throw-away deployment of the production profile (the tests' and the benchmarks'): new random
ones each time, since the profile refuses the public development ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

from common import api_keys, development_secrets
from common.secrets import new_secret


@dataclass(frozen=True)
class DeploymentSecrets:
    """The secrets an assistant runs with, and the environment that gives them to its processes."""

    rasa_api_token: str
    action_server_token: str
    shop_token_secret: str
    sender_proof_secret: str
    backend_keys: Dict[str, str]
    rest_token: Optional[str] = None

    @classmethod
    def development(cls) -> "DeploymentSecrets":
        """The public development secrets (what the embedded profile runs with)."""
        return cls(development_secrets.RASA_API_TOKEN, development_secrets.ACTION_SERVER_TOKEN,
                   development_secrets.SHOP_TOKEN_SECRET, development_secrets.SENDER_PROOF_SECRET,
                   dict(development_secrets.BACKEND_API_KEYS))

    @classmethod
    def random(cls) -> "DeploymentSecrets":
        return cls(new_secret(), new_secret(), new_secret(), new_secret(),
                   {kind: new_secret() for kind in api_keys.KINDS}, rest_token=new_secret())

    def environment(self) -> Dict[str, str]:
        """What every process is given (each reads the settings it knows)."""
        environment = {"SILKROAD_RASA_API_TOKEN": self.rasa_api_token,
                       "SILKROAD_ACTION_SERVER_TOKEN": self.action_server_token,
                       "SILKROAD_SHOP_TOKEN_SECRET": self.shop_token_secret,
                       "SILKROAD_SENDER_PROOF_SECRET": self.sender_proof_secret,
                       "SILKROAD_BACKEND_API_KEYS": api_keys.entries(self.backend_keys),
                       "SILKROAD_BACKEND_API_KEY": self.backend_keys["assistant"]}
        if self.rest_token:
            environment["SILKROAD_REST_CHANNEL_TOKEN"] = self.rest_token
        return environment
