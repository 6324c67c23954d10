"""Telegram channel, built on Rasa's, for a bot that must start offline and trust nobody.

What it changes in Rasa 3.6's ``TelegramInput``:

- Starts without the internet: no ``setWebhook`` and no ``getMe`` call at start
  or per message (the stock one calls both). Register the webhook once with
  Telegram's ``setWebhook`` and a ``secret_token`` (the README shows how).
- Checks Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header on every update;
  a missing or wrong one is refused with 403 and nothing reaches the bot.
- The Bot API base URL is configurable (a self-hosted Bot API server, or a fake
  in tests) and every call has a timeout.
- ``language_code`` of the sender goes into the message metadata (the language
  hint), private chats only (an account link is per person, not per group).
- Buttons are inline keyboards (one button per row when they do not fit in
  one); pressing one answers the callback query and sends its payload. A
  payload longer than Telegram's 64 bytes falls back to the button's title.
- An update Telegram delivers again (same ``update_id``) is not answered twice.
- ``/start`` greets; ``/start CODE`` (a deep link ``t.me/<bot>?start=CODE``
  from the shop's account page) links the account with that one-time code.
- A product (text with a JPEG or PNG image) is one photo with a caption; an
  SVG (the seed catalog's tiles), or an image Telegram cannot fetch, leaves the
  text alone.

- Every message passes the channels' gate (bot/message_gate.py): length and rate limits with a notice in the
  buyer's language; the message carries a proof that Telegram authenticated its sender (the webhook's secret
  token), which account links need (actions/identity.py). Updates of any shape are answered 200 or 4xx, never 500.

Settings come from credentials.yml or, when absent there, the Rasa settings (bot/settings.py):
``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``, ``TELEGRAM_API_BASE_URL``
(default ``https://api.telegram.org``), ``TELEGRAM_TIMEOUT`` (seconds, 10),
``SILKROAD_PUBLIC_BASE_URL`` (where relative image paths are served from).
Without a token the channel is off: its webhook answers 404.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_settings import photo_url, setting, timeout_setting
from bot.message_gate import MessageGate
from bot.settings import rasa_settings, secret_value
from bot.webhook_guard import admitted_body, as_dict, channel_blueprint, recent_ids, same_secret

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_API_BASE_URL = "https://api.telegram.org"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit on an inline button's callback_data
BUTTONS_PER_ROW = 3
CAPTION_LIMIT = 1024
START_CODE = re.compile(r"^/start(?:@\w+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$")
SEND_ERRORS = (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError)


def command_to_intent(text: str) -> str:
    """``/start`` -> greet; ``/start CODE`` -> link the account with CODE; anything else as typed."""
    match = START_CODE.match(text.strip())
    if not match:
        return text
    code = match.group(1)
    return f'/link_account{{"link_code": "{code}"}}' if code else "/greet"


def callback_data(button: Dict[Text, Any]) -> str:
    payload = str(button.get("payload") or button.get("title") or "")
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        return payload
    title = str(button.get("title") or "").encode("utf-8")[:CALLBACK_DATA_LIMIT]
    return title.decode("utf-8", errors="ignore")


def inline_keyboard(buttons: List[Dict[Text, Any]]) -> InlineKeyboardMarkup:
    keys = [InlineKeyboardButton(str(b.get("title", "")), callback_data=callback_data(b)) for b in buttons]
    short = len(keys) <= BUTTONS_PER_ROW and all(len(key.text) <= 16 for key in keys)
    markup = InlineKeyboardMarkup()
    if short:
        markup.row(*keys)
    else:
        for key in keys:
            markup.row(key)
    return markup


class TelegramOutput(RasaTelegramOutput):
    """Rasa's Telegram output (an aiogram ``Bot``) on the Bot API at ``api_base_url``, with a timeout."""

    def __init__(self, access_token: Text, api_base_url: Text = DEFAULT_API_BASE_URL,
                 timeout: float = 10.0, public_base_url: Optional[Text] = None) -> None:
        # Rasa's __init__ would make a Bot on api.telegram.org with no timeout.
        Bot.__init__(self, access_token, timeout=timeout, server=TelegramAPIServer.from_base(api_base_url))
        self.public_base_url = public_base_url

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            await self._deliver(self.send_message(recipient_id, part), recipient_id)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._deliver(self.send_message(recipient_id, text, reply_markup=inline_keyboard(buttons)),
                            recipient_id)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        url = photo_url(image, self.public_base_url)
        if url:
            await self._deliver(self.send_photo(recipient_id, url), recipient_id)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        text, image = message.get("text"), message.get("image")
        url = photo_url(image, self.public_base_url) if image else None
        if text and url and len(text) <= CAPTION_LIMIT and not message.get("buttons"):
            try:
                await self.send_photo(recipient_id, url, caption=text)
                return
            except SEND_ERRORS as error:  # Telegram could not fetch the image: the text alone
                logger.warning("telegram: photo %s not sent to %s (%s); sending the text", url, recipient_id, error)
            await self.send_text_message(recipient_id, text)
            return
        await super().send_response(recipient_id, message)

    @staticmethod
    async def _deliver(call: Awaitable[Any], recipient_id: Text) -> None:
        try:
            await call
        except SEND_ERRORS as error:
            logger.error("telegram: message to %s not delivered: %s", recipient_id, error)


class TelegramInput(RasaTelegramInput):
    """``POST /webhooks/telegram/webhook``: Telegram's updates, secret-token checked."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials, settings = credentials or {}, rasa_settings()
        return cls(
            access_token=setting(credentials, "access_token", secret_value(settings.telegram_bot_token)),
            secret_token=setting(credentials, "secret_token", secret_value(settings.telegram_webhook_secret)),
            api_base_url=setting(credentials, "api_base_url", settings.telegram_api_base_url) or DEFAULT_API_BASE_URL,
            timeout=timeout_setting(credentials, "TELEGRAM_TIMEOUT", settings.telegram_timeout),
            public_base_url=setting(credentials, "public_base_url", settings.public_base_url),
        )

    def __init__(self, access_token: Optional[Text], secret_token: Optional[Text],
                 api_base_url: Text = DEFAULT_API_BASE_URL, timeout: float = 10.0,
                 public_base_url: Optional[Text] = None) -> None:
        # Rasa's __init__ takes a bot username to check with getMe on every update; the secret token replaces it.
        if access_token and not secret_token:
            raise ValueError("telegram: set a webhook secret token (TELEGRAM_WEBHOOK_SECRET) with the bot token")
        self.access_token = access_token
        self.secret_token = secret_token
        self.api_base_url = api_base_url
        self.timeout = timeout
        self.public_base_url = public_base_url
        self._output: Optional[TelegramOutput] = None
        self.seen = recent_ids("telegram")
        self.gate = MessageGate(self.name(), rasa_settings())
        if not access_token:
            logger.info("telegram: no bot token (TELEGRAM_BOT_TOKEN); the channel is off")

    def get_output_channel(self) -> Optional[TelegramOutput]:
        if not self.access_token:
            return None
        if self._output is None:
            self._output = TelegramOutput(self.access_token, self.api_base_url, self.timeout, self.public_base_url)
        return self._output

    def secret_matches(self, request: Request) -> bool:
        return same_secret(request.headers.get(SECRET_HEADER), self.secret_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = channel_blueprint("telegram_webhook", self.gate, lambda: bool(self.access_token))

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            out_channel = self.get_output_channel()
            admitted, update = admitted_body(request, "Telegram", out_channel is not None, self.secret_matches,
                                             SECRET_HEADER)
            if not admitted:
                return update
            update = as_dict(update)
            update_id = update.get("update_id")
            if not self.seen.first_time(str(update_id) if isinstance(update_id, (int, str)) else None):
                logger.info("telegram: update %s delivered again; answered already", update_id)
                return response.json({"status": "ok"})
            try:
                await self._handle(update, out_channel, on_new_message)
            except Exception:  # answered 200 all the same: Telegram would resend the update again and again
                logger.exception("telegram: update %s failed", update_id)
            return response.json({"status": "ok"})

        return telegram_webhook

    async def _handle(self, update: Dict[str, Any], out_channel: TelegramOutput,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        incoming = await self._incoming(update, out_channel)
        if incoming is None:
            return
        chat_id, text, metadata = incoming
        await self.gate.pass_on(chat_id, text, metadata, out_channel, on_new_message, platform_verified=True)

    async def _incoming(self, update: Dict[str, Any], out_channel: TelegramOutput
                        ) -> Optional[Tuple[str, str, Dict[str, Any]]]:
        """(chat id, text, metadata) of the message an update carries, or None (edits, groups, stickers, ...)."""
        callback = as_dict(update.get("callback_query"))
        if callback:
            message, sender, text = as_dict(callback.get("message")), as_dict(callback.get("from")), callback.get("data")
            if isinstance(callback.get("id"), str):
                try:
                    await out_channel.answer_callback_query(callback["id"])
                except SEND_ERRORS as error:
                    logger.warning("telegram: callback query not answered: %s", error)
        else:
            message = as_dict(update.get("message"))
            sender, text = as_dict(message.get("from")), message.get("text")
            if isinstance(text, str):
                text = command_to_intent(text)
        chat = as_dict(message.get("chat"))
        chat_id = chat.get("id")
        if not isinstance(text, str) or not text.strip() or chat.get("type") != "private" \
                or not isinstance(chat_id, (int, str)) or isinstance(chat_id, bool) or not str(chat_id).strip():
            return None
        metadata = {"language_code": sender.get("language_code"), "telegram_user_id": sender.get("id")}
        return str(chat_id), text, {k: v for k, v in metadata.items() if isinstance(v, (str, int))}
