"""The backends' settings (API, shop pages, support console, auto-release job): one object, read from the
environment once (``SILKROAD_*``; docs/configuration.md lists them)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, FrozenSet, List

from pydantic import Field, SecretStr, validator

from common import api_keys, development_secrets
from common.settings import SilkroadSettings, secret, split_list
from backends.escrow.policy import ProtectionPolicy

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "marketplace.db"


class Settings(SilkroadSettings):
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # Connections this process may hold on PostgreSQL: a pool of db_pool_size kept open, up to db_max_overflow
    # more at peaks (the production profile sizes them so that all processes fit max_connections).
    db_pool_size: int = Field(5, ge=1)
    db_max_overflow: int = Field(10, ge=0)
    # The API's keys, as hashes: "<kind>:sha256:<hex>,..." (common/api_keys.py); the development keys' by default.
    backend_api_keys: SecretStr = Field(SecretStr(api_keys.DEVELOPMENT_ENTRIES),
                                        secret=True, how="make each with: python -m common.secrets new-key <kind>")
    # Rates older than this many days are reported as stale next to the price.
    max_rate_age_days: int = Field(7, ge=1)
    # The shop's buyer-protection policy.
    protection_days: int = Field(15, ge=1, le=365)
    protection_extension_days: int = Field(15, ge=1, le=365)
    protection_resume_grace_days: int = Field(3, ge=1, le=365)
    refund_answer_days: int = Field(3, ge=1, le=365)
    dispute_answer_days: int = Field(2, ge=1, le=365)
    delivery_clock_skew_seconds: int = Field(600, ge=0, le=86400)
    # Demo sign-in's shop: it signs the demo buyers' tokens with the secret Rasa's channels verify them with
    # (only with demo sign-in, so never in production: a real shop signs its own buyers' tokens).
    shop_token_secret: SecretStr = SecretStr(development_secrets.SHOP_TOKEN_SECRET)
    # The shop's chat page (/shop/chat): where the buyer's browser reaches Rasa's socket.io channel.
    rasa_url: str = "http://127.0.0.1:5005"
    # Where the shop's pages and the console are reached from outside (their origin: the console's Origin check).
    public_base_url: str = "http://127.0.0.1:8000"
    # Demo sign-in: /shop/chat?buyer=<id> signs that buyer in. The embedded demo turns it on (scripts/run.sh);
    # a real shop signs its own buyers in. Never on in production.
    demo_sign_in: bool = False
    # The demo agent scripts/run.sh makes (embedded only: python -m backends.support.staff add-demo).
    demo_agent_password: SecretStr = SecretStr(development_secrets.DEMO_AGENT_PASSWORD)
    # The account page's links to the assistant on the messaging apps (none shown when unset).
    telegram_bot_username: str = ""
    whatsapp_number: str = ""
    # The support desk: the team's hours in UTC, where the console reads Rasa's events ("sql:<URL of Rasa's
    # SQL event broker database>" or "amqp://...?queue=<name>"; empty: no console events), and where it
    # reaches Rasa's HTTP API (internal) with Rasa's API token to deliver agents' replies.
    support_hours: str = "Mon-Sat 05:00-17:00"
    rasa_events: str = ""
    rasa_api_url: str = ""
    rasa_api_token: SecretStr = secret(development_secrets.RASA_API_TOKEN)
    rasa_timeout: float = Field(10.0, gt=0)
    # Proxies (IP addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed: the console's sign-in
    # throttle sees the client behind them and its cookie is Secure when they say the client used https.
    trusted_proxies: str = ""

    @validator("rasa_api_url", always=True)
    def _api_url_defaults_to_rasa_url(cls, value: str, values: Dict) -> str:
        return value or values.get("rasa_url", "")

    @validator("backend_api_keys")
    def _well_formed_keys(cls, value: SecretStr) -> SecretStr:
        api_keys.parse(value.get_secret_value())  # raises, saying what an entry looks like
        return value

    @property
    def api_keys(self) -> Dict[str, FrozenSet[str]]:
        """{kind of caller: digests of its keys}."""
        return api_keys.parse(self.backend_api_keys.get_secret_value())

    @property
    def protection_policy(self) -> ProtectionPolicy:
        return ProtectionPolicy(self.protection_days, self.protection_extension_days,
                                self.protection_resume_grace_days, self.refund_answer_days, self.dispute_answer_days,
                                delivery_clock_skew_seconds=self.delivery_clock_skew_seconds)

    @property
    def trusted_proxy_addresses(self) -> FrozenSet[str]:
        return frozenset(split_list(self.trusted_proxies))

    def production_problems(self) -> List[str]:
        problems = super().production_problems()
        digests = [digest for kind_digests in self.api_keys.values() for digest in kind_digests]
        if any(digest in api_keys.DEVELOPMENT_DIGESTS for digest in digests):
            problems.append("SILKROAD_BACKEND_API_KEYS holds a development key's entry (make each with: "
                            "python -m common.secrets new-key <kind>)")
        if self.demo_sign_in:
            problems.append("SILKROAD_DEMO_SIGN_IN is on: anyone could sign in as any buyer (a real shop signs its "
                            "own buyers in)")
        if self.database_url.startswith("sqlite"):
            problems.append("SILKROAD_DATABASE_URL is SQLite: the production profile runs on PostgreSQL")
        return problems

    def engine_options(self) -> dict:
        """make_engine's pool options for this process (SQLite keeps its own pool)."""
        if self.database_url.startswith("sqlite"):
            return {}
        return {"pool_size": self.db_pool_size, "max_overflow": self.db_max_overflow}


def load_settings() -> Settings:
    return Settings()
