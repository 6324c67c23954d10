"""The Rasa server's settings (its launcher, bot/server.py, and the channels in bot/): one object, read from the
environment once. Telegram's and WhatsApp's own settings keep their platform names (TELEGRAM_*, WHATSAPP_*);
credentials.yml may give them instead (it wins)."""

from __future__ import annotations

from functools import lru_cache
from typing import List, Optional
from urllib.parse import urlparse

from pydantic import Field, SecretStr

from common import development_secrets
from common.settings import SilkroadSettings, secret, split_list

DEFAULT_SHOP_ORIGINS = "http://127.0.0.1:8000,http://localhost:8000"


class RasaSettings(SilkroadSettings):
    # Rasa's HTTP API (trackers, events, execute, model, domain) answers only calls with this token.
    rasa_api_token: SecretStr = secret(development_secrets.RASA_API_TOKEN)
    # Rasa sends it to the action server with every call (the X-Silkroad-Action-Token header, endpoints.yml).
    action_server_token: SecretStr = secret(development_secrets.ACTION_SERVER_TOKEN)
    # Verifies the shop's buyer tokens where a message enters (the token itself is not kept).
    shop_token_secret: SecretStr = secret(development_secrets.SHOP_TOKEN_SECRET)
    # Signs what a channel proved about a sender (common/sender_proof.py) and the web widget's session keys.
    sender_proof_secret: SecretStr = secret(development_secrets.SENDER_PROOF_SECRET)
    # The shop's origins (comma-separated): the only pages whose scripts may reach Rasa (CORS, socket.io).
    shop_origins: str = DEFAULT_SHOP_ORIGINS
    # The REST channel: with a token, every call must carry "Authorization: Bearer <token>". The production
    # profile turns the channel off unless a token is set.
    rest_channel_token: Optional[SecretStr] = None
    # Bounded work per message, on every channel: longer messages are not processed (a notice answers).
    max_message_characters: int = Field(1000, ge=100, le=20000)
    # Bytes of a channel request's body (webhooks, socket.io packets; a larger one is refused, 413) and of a
    # message's metadata. Room for a message far over the character limit, which is answered with the notice.
    max_request_bytes: int = Field(262144, ge=4096, le=1048576)
    max_metadata_bytes: int = Field(4096, ge=512, le=65536)
    # A buyer who writes while waiting for a person gets a notice once, and again after this many hours.
    waiting_reminder_hours: float = Field(2.0, gt=0, le=72)
    # Per sender and channel: at most this many messages in this many seconds; more are not processed.
    rate_limit_messages: int = Field(20, ge=1)
    rate_limit_seconds: int = Field(60, ge=1)
    # Where the channels of several Rasa processes share what they remember (delivered ids, message counts);
    # empty: in each process.
    channel_redis_url: str = ""
    instance: str = "silkroad"
    # Where relative image paths are served from (messaging apps fetch product photos there).
    public_base_url: str = ""
    # Telegram and WhatsApp (credentials.yml may give them instead).
    telegram_bot_token: Optional[SecretStr] = Field(None, env="TELEGRAM_BOT_TOKEN")
    telegram_webhook_secret: Optional[SecretStr] = Field(None, env="TELEGRAM_WEBHOOK_SECRET")
    telegram_api_base_url: str = Field("", env="TELEGRAM_API_BASE_URL")
    telegram_timeout: float = Field(10.0, gt=0, env="TELEGRAM_TIMEOUT")
    whatsapp_access_token: Optional[SecretStr] = Field(None, env="WHATSAPP_ACCESS_TOKEN")
    whatsapp_phone_number_id: str = Field("", env="WHATSAPP_PHONE_NUMBER_ID")
    whatsapp_app_secret: Optional[SecretStr] = Field(None, env="WHATSAPP_APP_SECRET")
    whatsapp_verify_token: Optional[SecretStr] = Field(None, env="WHATSAPP_VERIFY_TOKEN")
    whatsapp_api_base_url: str = Field("", env="WHATSAPP_API_BASE_URL")
    whatsapp_api_version: str = Field("", env="WHATSAPP_API_VERSION")
    whatsapp_timeout: float = Field(10.0, gt=0, env="WHATSAPP_TIMEOUT")

    @property
    def origins(self) -> List[str]:
        return split_list(self.shop_origins)

    def production_problems(self) -> List[str]:
        problems = super().production_problems()
        for origin in self.origins:
            parsed = urlparse(origin)
            if origin == "*" or parsed.scheme not in ("http", "https") or not parsed.hostname:
                problems.append(f"SILKROAD_SHOP_ORIGINS: {origin!r} is not a shop's origin (scheme://host[:port])")
        if not self.origins:
            problems.append("SILKROAD_SHOP_ORIGINS is empty: name the shop's origins (the web widget's pages)")
        token = self.rest_channel_token.get_secret_value() if self.rest_channel_token else ""
        if token and len(token) < 24:
            problems.append("SILKROAD_REST_CHANNEL_TOKEN is too short (make one with: python -m common.secrets new)")
        return problems


@lru_cache(maxsize=1)
def rasa_settings() -> RasaSettings:
    """The settings of this Rasa process, read once (the channels share them)."""
    return RasaSettings()


def secret_value(value: Optional[SecretStr]) -> Optional[str]:
    text = value.get_secret_value() if value is not None else ""
    return text or None
