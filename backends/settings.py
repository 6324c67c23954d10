"""Backend settings, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet

from backends.escrow.policy import ProtectionPolicy

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "marketplace.db"
# The embedded default's key; the production profile sets SILKROAD_BACKEND_API_KEYS.
DEVELOPMENT_API_KEY = "silkroad-dev-key"


def _api_keys() -> FrozenSet[str]:
    raw = os.environ.get("SILKROAD_BACKEND_API_KEYS", DEVELOPMENT_API_KEY)
    keys = frozenset(key.strip() for key in raw.split(",") if key.strip())
    if not keys:
        raise ValueError("SILKROAD_BACKEND_API_KEYS is set but holds no key")
    return keys


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "SILKROAD_DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"
        )
    )
    # Connections this process may hold on PostgreSQL: a pool of db_pool_size kept open, up to db_max_overflow
    # more at peaks (the production profile sizes them so that all processes fit max_connections).
    db_pool_size: int = field(default_factory=lambda: int(os.environ.get("SILKROAD_DB_POOL_SIZE", "5")))
    db_max_overflow: int = field(default_factory=lambda: int(os.environ.get("SILKROAD_DB_MAX_OVERFLOW", "10")))
    api_keys: FrozenSet[str] = field(default_factory=_api_keys)
    # Rates older than this many days are reported as stale next to the price.
    max_rate_age_days: int = int(os.environ.get("SILKROAD_MAX_RATE_AGE_DAYS", "7"))
    # The shop's buyer-protection policy (SILKROAD_PROTECTION_* variables).
    protection_policy: ProtectionPolicy = field(default_factory=ProtectionPolicy)
    # The shop's chat page (/shop/chat): where the buyer's browser reaches Rasa's socket.io channel.
    rasa_url: str = field(default_factory=lambda: os.environ.get("SILKROAD_RASA_URL", "http://127.0.0.1:5005"))
    # Demo sign-in: /shop/chat?buyer=<id> signs that buyer in. The embedded demo turns it on
    # (scripts/run.sh); a real shop signs its own buyers in and leaves it off.
    demo_sign_in: bool = field(default_factory=lambda: os.environ.get("SILKROAD_DEMO_SIGN_IN", "0") == "1")
    # The account page's links to the assistant on the messaging apps (none shown when unset).
    telegram_bot_username: str = field(default_factory=lambda: os.environ.get("SILKROAD_TELEGRAM_BOT_USERNAME", ""))
    whatsapp_number: str = field(default_factory=lambda: os.environ.get("SILKROAD_WHATSAPP_NUMBER", ""))
    # The support desk: the team's hours in UTC, where the console reads Rasa's events ("sql:<URL of Rasa's
    # SQL event broker database>" or "amqp://...?queue=<name>"; empty: no console events), and where it
    # reaches Rasa's HTTP API to deliver agents' replies (and its --auth-token, if Rasa runs with one).
    support_hours: str = field(default_factory=lambda: os.environ.get("SILKROAD_SUPPORT_HOURS", "Mon-Sat 05:00-17:00"))
    rasa_events: str = field(default_factory=lambda: os.environ.get("SILKROAD_RASA_EVENTS", ""))
    rasa_api_url: str = field(default_factory=lambda: os.environ.get(
        "SILKROAD_RASA_API_URL", os.environ.get("SILKROAD_RASA_URL", "http://127.0.0.1:5005")))
    rasa_token: str = field(default_factory=lambda: os.environ.get("SILKROAD_RASA_TOKEN", ""))
    rasa_timeout: float = field(default_factory=lambda: float(os.environ.get("SILKROAD_RASA_TIMEOUT", "10")))

    def engine_options(self) -> dict:
        """make_engine's pool options for this process (SQLite keeps its own pool)."""
        if self.database_url.startswith("sqlite"):
            return {}
        return {"pool_size": self.db_pool_size, "max_overflow": self.db_max_overflow}


def load_settings() -> Settings:
    return Settings()
