"""The REST channel (``POST /webhooks/rest/webhook``), built for callers Rasa cannot vouch for.

What it changes in Rasa's ``RestInput``:

- It speaks for itself only: the message's channel is always ``rest`` (Rasa's takes ``input_channel`` from
  the body, so anyone could claim to be a Telegram or WhatsApp user; such a body is refused here).
- Only ``Content-Type: application/json`` with a JSON object: ``sender`` (1-128 characters), ``message``
  (text) and, optionally, ``metadata`` (an object). A web page cannot send that across origins without the
  shop's CORS permission, and malformed bodies get a 4xx saying what is wrong, never a 500.
- With a token (``SILKROAD_REST_CHANNEL_TOKEN``, or ``token`` in credentials.yml) every call must carry
  ``Authorization: Bearer <token>``. The production profile runs it only with a token.
- Every message passes the channels' gate (bot/message_gate.py): length and rate limits, answered with a
  notice in the buyer's language, and identity only from a valid shop token in the metadata.

Answers are Rasa's: a JSON list of the bot's messages.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.message_gate import Admitted, MessageGate
from bot.settings import rasa_settings, secret_value
from bot.webhook_guard import channel_blueprint, same_secret

logger = logging.getLogger(__name__)

MAX_SENDER_LENGTH = 128


class BadRequest(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def message_fields(request: Request, max_bytes: int) -> Dict[str, Any]:
    """``sender``, ``message`` and ``metadata`` of a well-formed call, else BadRequest saying what is wrong."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest("send JSON: Content-Type: application/json", 415)
    body = request.body or b""
    if len(body) > max_bytes:
        raise BadRequest(f"the body is over {max_bytes} bytes", 413)
    try:
        call = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise BadRequest("the body is not JSON") from None
    if not isinstance(call, dict):
        raise BadRequest("the body must be a JSON object: {\"sender\": ..., \"message\": ...}")
    sender, text, metadata = call.get("sender"), call.get("message"), call.get("metadata")
    if not isinstance(sender, str) or not 1 <= len(sender.strip()) <= MAX_SENDER_LENGTH:
        raise BadRequest(f"sender must be text of 1 to {MAX_SENDER_LENGTH} characters")
    if not isinstance(text, str):
        raise BadRequest("message must be text")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("metadata must be a JSON object")
    if call.get("input_channel") not in (None, "rest"):
        raise BadRequest("input_channel cannot be chosen: this is the rest channel")
    return {"sender": sender.strip(), "text": text, "metadata": metadata or {}}


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        settings = rasa_settings()
        token = (credentials or {}).get("token") or secret_value(settings.rest_channel_token)
        if settings.production and not token:
            logger.warning("rest: off (the production profile runs it only with SILKROAD_REST_CHANNEL_TOKEN)")
        return cls(token=token, enabled=bool(token) or not settings.production)

    def __init__(self, token: Optional[str] = None, enabled: bool = True) -> None:
        self.token = token
        self.enabled = enabled
        self.settings = rasa_settings()
        self.gate = MessageGate(self.name(), self.settings)

    def authorized(self, request: Request) -> bool:
        if not self.token:
            return True
        given = request.headers.get("authorization") or ""
        return given.startswith("Bearer ") and same_secret(given[len("Bearer "):], self.token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest_webhook = channel_blueprint("rest_webhook", self.gate, lambda: self.enabled)

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": "the rest channel is off"}, status=404)
            if not self.authorized(request):
                return response.json({"error": "unauthorized: Authorization: Bearer <token>"}, status=401)
            try:
                fields = message_fields(request, self.settings.max_request_bytes)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=problem.status)
            return response.json(await self.answer(fields, on_new_message))

        return rest_webhook

    async def answer(self, fields: Dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
                     ) -> List[Dict[str, Any]]:
        sender = fields["sender"]
        admission = self.gate.admit(sender, fields["text"], fields["metadata"])
        if not isinstance(admission, Admitted):
            notice = await self.gate.notice(admission, sender)
            return [{"recipient_id": sender, "text": notice}] if notice else []
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(admission.text, collector, sender, input_channel=self.name(),
                                             metadata=admission.metadata))
        except Exception:  # the buyer gets what was said before the failure, as with Rasa's own channel
            logger.exception("rest: message from %s failed", sender)
        return collector.messages
