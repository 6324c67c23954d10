"""What every channel does with a buyer's message before Rasa sees it: bounded work, and identity only from
what the channel itself proved.

- The text is cleaned (control characters and lone surrogates, which no database stores, are removed or
  replaced) and must be at most ``max_message_characters`` long; the metadata must be a small JSON object.
- A sender may send ``rate_limit_messages`` per ``rate_limit_seconds`` (bot/rate_limits.py).
- A message refused for either reason is not processed at all (the conversation stays as it was); the buyer is
  told why once, in their language, with the channel's notice responses (domain/responses/channel_notices.yml).
- The shop's buyer token (``buyer_token``, also inside rasa-webchat's ``customData``) is verified here and
  dropped: trackers and the event broker never hold it. What was proved (the buyer it named, or that the
  messaging platform authenticated the sender) goes into the metadata as a signed sender proof bound to this
  channel and sender id (common/sender_proof.py); anything a caller put under that key is removed first.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional, Union

from rasa.core.channels.channel import OutputChannel, UserMessage

from common import buyer_tokens, sender_proof
from bot.language_detection import LanguageDetector
from bot.notices import MESSAGE_TOO_LONG, SLOW_DOWN, notice_text
from bot.rate_limits import RateLimit, rate_limit_for
from bot.settings import RasaSettings

logger = logging.getLogger(__name__)

# C0 and C1 control characters but tab, line feed and carriage return; NUL included (PostgreSQL refuses it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
TOKEN_KEY = "buyer_token"
NESTED_KEYS = ("customData", "custom_data")
LANGUAGE_KEYS = ("language", "language_code", "locale", "lang")
MAX_METADATA_DEPTH = 4
MAX_LIST_ITEMS = 50
MAX_KEY_LENGTH = 64
# Where the language of a refused message is read from: its beginning is enough, and bounded.
LANGUAGE_SAMPLE = 300


def clean_text(text: str) -> str:
    """The text without control characters (tabs and line breaks stay) and with lone surrogates replaced."""
    return _LONE_SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def _clean_value(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= MAX_METADATA_DEPTH:
        return None
    if isinstance(value, dict):
        return {clean_text(key)[:MAX_KEY_LENGTH]: _clean_value(item, depth + 1)
                for key, item in value.items() if isinstance(key, str)}
    if isinstance(value, list):
        return [_clean_value(item, depth + 1) for item in value[:MAX_LIST_ITEMS]]
    return None


def _hints(metadata: Dict[str, Any]) -> Dict[str, str]:
    """The language hints and buyer token of a metadata object, each at most 4 KB."""
    return {key: metadata[key][:4096] for key in (*LANGUAGE_KEYS, TOKEN_KEY) if isinstance(metadata.get(key), str)}


def clean_metadata(metadata: Any, max_bytes: int) -> Dict[str, Any]:
    """A JSON object of at most ``max_bytes`` (a larger one: only its language hints and buyer token are kept)."""
    if not isinstance(metadata, dict):
        return {}
    cleaned = _clean_value(metadata, 0)
    if len(json.dumps(cleaned, ensure_ascii=False)) <= max_bytes:
        return cleaned
    logger.warning("metadata over %d bytes: only its language hints and buyer token kept", max_bytes)
    kept: Dict[str, Any] = _hints(cleaned)
    for nested in NESTED_KEYS:
        if isinstance(cleaned.get(nested), dict):
            kept[nested] = _hints(cleaned[nested])
    return kept if len(json.dumps(kept, ensure_ascii=False)) <= max_bytes else {}


@dataclass(frozen=True)
class Admitted:
    text: str
    metadata: Dict[str, Any]


@dataclass(frozen=True)
class Refused:
    reason: str  # too_long | rate_limited
    notice: Optional[str]  # the response to answer with; None: nothing (the sender was told already)
    language: Optional[str] = None  # the language the message itself shows, if any


class MessageGate:
    """The gate of one channel (``channel``: the name Rasa knows it by, as the tracker records it)."""

    def __init__(self, channel: str, settings: RasaSettings, rate_limit: Optional[RateLimit] = None) -> None:
        self.channel = channel
        self.settings = settings
        self.rate_limit = rate_limit or rate_limit_for(channel, settings.rate_limit_messages,
                                                       settings.rate_limit_seconds, settings.channel_redis_url,
                                                       settings.instance)
        self.detector = LanguageDetector()
        self.agent: Callable[[], Any] = lambda: None

    def bind(self, app: Any) -> None:
        """Notices are read from the domain of the model the Rasa app serves, in the conversation's language."""
        self.agent = lambda: getattr(app.ctx, "agent", None)

    def admit(self, sender_id: str, text: Any, metadata: Any = None,
              platform_verified: bool = False) -> Union[Admitted, Refused]:
        text = clean_text(text if isinstance(text, str) else "").strip()
        metadata = clean_metadata(metadata, self.settings.max_metadata_bytes)
        verdict = self.rate_limit.check(sender_id)
        if not verdict.allowed:
            logger.warning("%s: %s sends too fast; message not processed", self.channel, sender_id)
            return Refused("rate_limited", SLOW_DOWN if verdict.first_refusal else None,
                           self._language(text, metadata))
        if len(text) > self.settings.max_message_characters:
            logger.warning("%s: a message of %d characters from %s not processed", self.channel, len(text),
                           sender_id)
            return Refused("too_long", MESSAGE_TOO_LONG, self._language(text, metadata))
        return Admitted(text, self.with_sender_proof(sender_id, metadata, platform_verified))

    def with_sender_proof(self, sender_id: str, metadata: Dict[str, Any], platform_verified: bool) -> Dict[str, Any]:
        """The metadata without any buyer token or claimed proof, with this channel's own proof."""
        metadata = dict(metadata)
        token = metadata.pop(TOKEN_KEY, None)
        metadata.pop(sender_proof.METADATA_KEY, None)
        for nested in NESTED_KEYS:
            if isinstance(metadata.get(nested), dict):
                inner = dict(metadata[nested])
                token = token or inner.get(TOKEN_KEY)
                inner.pop(TOKEN_KEY, None)
                inner.pop(sender_proof.METADATA_KEY, None)
                metadata[nested] = inner
        claims = buyer_tokens.verify_buyer_token(token, self.settings.shop_token_secret.get_secret_value()) \
            if token else None
        if token and claims is None:
            logger.info("%s: a forged, expired or malformed buyer token from %s ignored", self.channel, sender_id)
        metadata[sender_proof.METADATA_KEY] = sender_proof.sign(
            self.settings.sender_proof_secret.get_secret_value(), self.channel, sender_id,
            buyer_id=claims.buyer_id if claims else None, platform_verified=platform_verified,
            expires_at=claims.expires_at if claims else None)
        return metadata

    async def pass_on(self, sender_id: str, text: Any, metadata: Any, output: OutputChannel,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]], platform_verified: bool = False) -> None:
        """Hands an admitted message to Rasa; otherwise tells the sender why (once), through ``output``."""
        admission = self.admit(sender_id, text, metadata, platform_verified)
        if isinstance(admission, Admitted):
            await on_new_message(UserMessage(admission.text, output, sender_id, input_channel=self.channel,
                                             metadata=admission.metadata))
            return
        notice = await self.notice(admission, sender_id)
        if notice:
            await output.send_text_message(sender_id, notice)

    def _language(self, text: str, metadata: Dict[str, Any]) -> Optional[str]:
        return self.detector.from_metadata(metadata) or self.detector.from_text(text[:LANGUAGE_SAMPLE])

    async def notice(self, refused: Refused, sender_id: str) -> Optional[str]:
        """What to tell the sender of a refused message: in the language the message shows, else the
        conversation's (its ``language`` slot), else the default one; None when nothing is to be said."""
        if refused.notice is None:
            return None
        agent = self.agent()
        language = refused.language or await self._conversation_language(agent, sender_id)
        return notice_text(getattr(agent, "domain", None), refused.notice, language)

    @staticmethod
    async def _conversation_language(agent: Any, sender_id: str) -> Optional[str]:
        try:
            tracker = await agent.tracker_store.retrieve(sender_id)
        except Exception as error:  # noqa: BLE001 - the store away: the notice goes in the default language
            logger.warning("notice: the conversation of %s could not be read (%s)", sender_id, error)
            return None
        return tracker.get_slot("language") if tracker is not None else None
