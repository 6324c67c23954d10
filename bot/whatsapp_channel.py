"""WhatsApp channel on the WhatsApp Business Cloud API (Meta's Graph API).

- ``GET /webhooks/whatsapp/webhook``: Meta's verification handshake
  (``hub.mode=subscribe``, ``hub.verify_token``, ``hub.challenge``).
- ``POST /webhooks/whatsapp/webhook``: message notifications. Every call must
  carry ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app
  secret>``; a missing or wrong signature is refused with 403 and nothing
  reaches the bot. Text messages, interactive button and list replies (their id
  is the button's payload) and template quick replies are handled; delivery
  statuses are acknowledged and ignored. Meta delivers at least once: a message
  id seen lately (by this process) is not answered again.
- Replies: ``POST {api_base_url}/{api_version}/{phone_number_id}/messages`` with
  the access token; text, up to three short buttons as interactive reply
  buttons, more or longer ones as an interactive list, a product (text with an
  image) as an image with a caption. Every call has a timeout.

- Every message passes the channels' gate (bot/message_gate.py): length and rate limits with a notice in the
  buyer's language; the message carries a proof that Meta authenticated its sender (the signature), which
  account links need (actions/identity.py). Notifications of any shape are answered 200 or 4xx, never 500.

Settings come from credentials.yml or, when absent there, the Rasa settings (bot/settings.py):
``WHATSAPP_ACCESS_TOKEN``, ``WHATSAPP_PHONE_NUMBER_ID``, ``WHATSAPP_APP_SECRET``,
``WHATSAPP_VERIFY_TOKEN``, ``WHATSAPP_API_BASE_URL`` (default
``https://graph.facebook.com``), ``WHATSAPP_API_VERSION`` (``v21.0``),
``WHATSAPP_TIMEOUT`` (seconds, 10), ``SILKROAD_PUBLIC_BASE_URL``.
Without an access token the channel is off: its webhook answers 404.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_settings import photo_url, setting, timeout_setting
from bot.message_gate import MessageGate
from bot.settings import rasa_settings, secret_value
from bot.webhook_guard import admitted_body, as_dict, channel_blueprint, recent_ids, same_secret

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_API_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v21.0"
# The Cloud API's limits on interactive messages.
MAX_REPLY_BUTTONS, REPLY_TITLE_LIMIT = 3, 20
MAX_LIST_ROWS, ROW_TITLE_LIMIT, ROW_DESCRIPTION_LIMIT, SECTION_TITLE_LIMIT = 10, 24, 72, 24
BODY_LIMIT, TEXT_LIMIT, CAPTION_LIMIT, PAYLOAD_LIMIT = 1024, 4096, 1024, 256
LIST_BUTTON_LABEL = "☰"


def signature_of(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def interactive_message(text: str, buttons: List[Dict[Text, Any]]) -> Dict[str, Any]:
    """Reply buttons when they fit (3, 20 characters), else a list (10 rows; the rest dropped)."""
    options = [(str(b.get("payload") or b.get("title") or "")[:PAYLOAD_LIMIT], str(b.get("title") or ""))
               for b in buttons]
    body = {"text": _clip(text or "…", BODY_LIMIT)}
    if len(options) <= MAX_REPLY_BUTTONS and all(len(title) <= REPLY_TITLE_LIMIT for _, title in options):
        return {"type": "button", "body": body, "action": {"buttons": [
            {"type": "reply", "reply": {"id": payload, "title": title}} for payload, title in options]}}
    if len(options) > MAX_LIST_ROWS:
        logger.warning("whatsapp: %d options, a list shows %d", len(options), MAX_LIST_ROWS)
    rows = []
    for payload, title in options[:MAX_LIST_ROWS]:
        row = {"id": payload, "title": _clip(title, ROW_TITLE_LIMIT)}
        if len(title) > ROW_TITLE_LIMIT:
            row["description"] = _clip(title, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    section = {"title": _clip(text or "…", SECTION_TITLE_LIMIT), "rows": rows}
    return {"type": "list", "body": body, "action": {"button": LIST_BUTTON_LABEL, "sections": [section]}}


class WhatsAppOutput(OutputChannel):
    """Sends the bot's messages through the Cloud API's /messages endpoint."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    def __init__(self, access_token: str, phone_number_id: str, api_base_url: str = DEFAULT_API_BASE_URL,
                 api_version: str = DEFAULT_API_VERSION, timeout: float = 10.0,
                 public_base_url: Optional[str] = None) -> None:
        self.access_token = access_token
        self.messages_url = f"{api_base_url.rstrip('/')}/{api_version}/{phone_number_id}/messages"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.public_base_url = public_base_url
        self._session: Optional[aiohttp.ClientSession] = None  # made on first use, in the server's event loop

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post(self, recipient_id: Text, kind: str, content: Dict[str, Any]) -> bool:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient_id,
                "type": kind, kind: content}
        try:
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession(timeout=self.timeout)
            async with self._session.post(self.messages_url, json=body,
                                          headers={"Authorization": f"Bearer {self.access_token}"}) as answer:
                if answer.status < 300:
                    return True
                logger.error("whatsapp: %s to %s refused: %s %s", kind, recipient_id, answer.status,
                             (await answer.text())[:500])
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("whatsapp: %s to %s not delivered: %s", kind, recipient_id, error)
        return False

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            await self._post(recipient_id, "text", {"body": _clip(part, TEXT_LIMIT), "preview_url": False})

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._post(recipient_id, "interactive", interactive_message(text, buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        url = photo_url(image, self.public_base_url)
        if url:
            await self._post(recipient_id, "image", {"link": url})

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        text, image = message.get("text"), message.get("image")
        url = photo_url(image, self.public_base_url) if image else None
        if text and url and len(text) <= CAPTION_LIMIT and not message.get("buttons"):
            if not await self._post(recipient_id, "image", {"link": url, "caption": text}):
                await self.send_text_message(recipient_id, text)
            return
        await super().send_response(recipient_id, message)


def incoming_messages(notification: Any) -> Iterator[Dict[str, Any]]:
    """Each message in a webhook notification: sender (wa_id), text (or a button's payload), name, message id.
    Fields of the wrong type count as absent."""
    notification = as_dict(notification)
    if notification.get("object") != "whatsapp_business_account":
        return
    for entry in _list(notification.get("entry")):
        for change in _list(as_dict(entry).get("changes")):
            value = as_dict(as_dict(change).get("value"))
            names = {}
            for contact in map(as_dict, _list(value.get("contacts"))):
                name = as_dict(contact.get("profile")).get("name")
                if isinstance(contact.get("wa_id"), str) and isinstance(name, str):
                    names[contact["wa_id"]] = name
            for message in map(as_dict, _list(value.get("messages"))):
                text, sender, message_id = message_text(message), message.get("from"), message.get("id")
                if isinstance(text, str) and text and isinstance(sender, str) and sender.strip():
                    yield {"sender": sender.strip(), "text": text, "name": names.get(sender),
                           "message_id": message_id if isinstance(message_id, str) else None}


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def message_text(message: Dict[str, Any]) -> Optional[str]:
    kind = message.get("type")
    if kind == "text":
        return as_dict(message.get("text")).get("body")
    if kind == "interactive":
        interactive = as_dict(message.get("interactive"))
        reply = as_dict(interactive.get("button_reply")) or as_dict(interactive.get("list_reply"))
        return reply.get("id") or reply.get("title")
    if kind == "button":
        button = as_dict(message.get("button"))
        return button.get("payload") or button.get("text")
    return None


class WhatsAppInput(InputChannel):
    """``/webhooks/whatsapp/webhook``: Meta's handshake (GET) and signed notifications (POST)."""

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials, settings = credentials or {}, rasa_settings()
        return cls(
            access_token=setting(credentials, "access_token", secret_value(settings.whatsapp_access_token)),
            phone_number_id=setting(credentials, "phone_number_id", settings.whatsapp_phone_number_id),
            app_secret=setting(credentials, "app_secret", secret_value(settings.whatsapp_app_secret)),
            verify_token=setting(credentials, "verify_token", secret_value(settings.whatsapp_verify_token)),
            api_base_url=setting(credentials, "api_base_url", settings.whatsapp_api_base_url) or DEFAULT_API_BASE_URL,
            api_version=setting(credentials, "api_version", settings.whatsapp_api_version) or DEFAULT_API_VERSION,
            timeout=timeout_setting(credentials, "WHATSAPP_TIMEOUT", settings.whatsapp_timeout),
            public_base_url=setting(credentials, "public_base_url", settings.public_base_url),
        )

    def __init__(self, access_token: Optional[str], phone_number_id: Optional[str], app_secret: Optional[str],
                 verify_token: Optional[str], api_base_url: str = DEFAULT_API_BASE_URL,
                 api_version: str = DEFAULT_API_VERSION, timeout: float = 10.0,
                 public_base_url: Optional[str] = None) -> None:
        if access_token:
            missing = [name for name, value in (("WHATSAPP_PHONE_NUMBER_ID", phone_number_id),
                                                ("WHATSAPP_APP_SECRET", app_secret),
                                                ("WHATSAPP_VERIFY_TOKEN", verify_token)) if not value]
            if missing:
                raise ValueError(f"whatsapp: set {', '.join(missing)} with the access token")
        else:
            logger.info("whatsapp: no access token (WHATSAPP_ACCESS_TOKEN); the channel is off")
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.api_base_url = api_base_url
        self.api_version = api_version
        self.timeout = timeout
        self.public_base_url = public_base_url
        self.seen = recent_ids("whatsapp")
        self.gate = MessageGate(self.name(), rasa_settings())
        self._output: Optional[WhatsAppOutput] = None

    def get_output_channel(self) -> Optional[WhatsAppOutput]:
        if not self.access_token:
            return None
        if self._output is None:  # one per process: its HTTP session is reused for every reply
            self._output = WhatsAppOutput(self.access_token, self.phone_number_id, self.api_base_url,
                                          self.api_version, self.timeout, self.public_base_url)
        return self._output

    def signature_matches(self, request: Request) -> bool:
        if not self.app_secret:
            return False
        return same_secret(request.headers.get(SIGNATURE_HEADER), signature_of(request.body or b"", self.app_secret))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        whatsapp_webhook = channel_blueprint("whatsapp_webhook", self.gate, lambda: bool(self.access_token))

        @whatsapp_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.access_token:
                return response.json({"error": "the WhatsApp channel is not configured"}, status=404)
            if request.args.get("hub.mode") == "subscribe" and same_secret(request.args.get("hub.verify_token"),
                                                                            self.verify_token):
                return response.text(request.args.get("hub.challenge") or "")
            return response.json({"error": "forbidden"}, status=403)

        @whatsapp_webhook.route("/webhook", methods=["POST"])
        async def notification(request: Request) -> HTTPResponse:
            out_channel = self.get_output_channel()
            admitted, body = admitted_body(request, "WhatsApp", out_channel is not None, self.signature_matches,
                                           SIGNATURE_HEADER)
            if not admitted:
                return body
            for incoming in incoming_messages(body):
                if not self.seen.first_time(incoming["message_id"]):
                    logger.info("whatsapp: message %s delivered again; answered already", incoming["message_id"])
                    continue
                try:
                    await self._handle(incoming, out_channel, on_new_message)
                except Exception:  # 200 all the same: Meta would resend the notification for days
                    logger.exception("whatsapp: message %s failed", incoming["message_id"])
            return response.json({"status": "ok"})

        return whatsapp_webhook

    async def _handle(self, incoming: Dict[str, Any], out_channel: WhatsAppOutput,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        sender = incoming["sender"]
        metadata = {"whatsapp_profile_name": incoming["name"], "whatsapp_message_id": incoming["message_id"]}
        await self.gate.pass_on(sender, incoming["text"], {k: v for k, v in metadata.items() if v}, out_channel,
                                on_new_message, platform_verified=True)
