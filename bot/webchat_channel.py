"""The web chat widget's channel: Rasa's socket.io channel (same events, same path), rendered for rasa-webchat
and closed to whoever is not the buyer's own page.

What it changes in Rasa's ``SocketIOInput``:

- Sessions are issued by the server (bot/web_sessions.py): ``session_request`` with a key this server issued
  resumes that session, anything else (no id, a conversation id, a guess) gets a new one. The socket joins the
  room of its own conversation only, and a message is always for the socket's own conversation: the
  ``session_id`` a message names cannot point it at another buyer's.
- Only the shop's pages may connect: a browser's connection from another origin is refused (the ``Origin`` of
  the socket.io handshake, polling or WebSocket, against ``SILKROAD_SHOP_ORIGINS``; the CORS headers are
  Rasa's, for the same origins); a packet is at most ``SILKROAD_MAX_REQUEST_BYTES``.
- Every message passes the channels' gate (bot/message_gate.py): length and rate limits with a notice in the
  buyer's language, the shop's buyer token (in the widget's ``customData``) verified and replaced by a proof.
- The message metadata is the widget's ``customData`` (the page puts the buyer's language and token there).
- A bot message that carries text and an image (a product in search results) is sent as a card (rasa-webchat's
  generic template: image, title, subtitle) instead of a text bubble followed by a loose image.
- With several Rasa processes (the production profile), ``client_manager_url`` (a Redis URL) makes the
  socket.io servers share their rooms through Redis (python-socketio's AsyncRedisManager): a message for a
  buyer whose socket another process holds (an agent's reply sent through any process's HTTP API) reaches them.
  ``client_manager_channel`` names the Redis channel (one per deployment).

credentials.yml::

    bot.webchat_channel.WebChatInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      # client_manager_url: redis://127.0.0.1:6379/0
      # client_manager_channel: silkroad-socketio
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.message_gate import MessageGate
from bot.settings import rasa_settings
from bot.web_sessions import WebSessions
from bot.webhook_guard import bind_gate_on_start

logger = logging.getLogger(__name__)

METADATA_KEY = "customData"
CONVERSATION = "conversation_id"


def product_card(message: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
    """The card for a message with text and an image and nothing to click, else None."""
    text, image = message.get("text"), message.get("image")
    if not (text and image) or message.get("buttons") or message.get("quick_replies"):
        return None
    title = message.get("title") if isinstance(message.get("title"), str) else None
    return {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "generic",
                "elements": [{"title": title or text, "subtitle": text if title else "",
                              "image_url": image, "buttons": []}],
            },
        }
    }


class WebChatOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        card = product_card(message)
        if card is None:
            await super().send_response(recipient_id, message)
            return
        await self._send_message(recipient_id, card)


def _metadata(data: Dict[str, Any], key: str) -> Any:
    metadata = data.get(key)
    if isinstance(metadata, str):  # some widgets send it as JSON text
        try:
            return json.loads(metadata)
        except ValueError:
            return None
    return metadata


class WebChatInput(InputChannel):
    """Rasa's socket.io channel (same name, same events) with server-issued sessions, the gate, and cards."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            session_persistence=credentials.get("session_persistence", True),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method", "HS256"),
            metadata_key=credentials.get("metadata_key", METADATA_KEY),
            client_manager_url=credentials.get("client_manager_url") or None,
            client_manager_channel=credentials.get("client_manager_channel") or "socketio",
        )

    def __init__(self, user_message_evt: Text = "user_uttered", bot_message_evt: Text = "bot_uttered",
                 namespace: Optional[Text] = None, session_persistence: bool = True,
                 socketio_path: Text = "/socket.io", jwt_key: Optional[Text] = None, jwt_method: Text = "HS256",
                 metadata_key: Text = METADATA_KEY, client_manager_url: Optional[Text] = None,
                 client_manager_channel: Text = "socketio") -> None:
        self.user_message_evt, self.bot_message_evt = user_message_evt, bot_message_evt
        self.namespace, self.session_persistence, self.socketio_path = namespace, session_persistence, socketio_path
        self.jwt_key, self.jwt_algorithm, self.metadata_key = jwt_key, jwt_method, metadata_key
        self.client_manager_url, self.client_manager_channel = client_manager_url, client_manager_channel
        self.settings = rasa_settings()
        self.sessions = WebSessions(self.settings.sender_proof_secret.get_secret_value())
        self.gate = MessageGate(self.name(), self.settings)
        self.sio: Optional[AsyncServer] = None

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def _server(self) -> AsyncServer:
        manager = None
        if self.client_manager_url:
            from socketio import AsyncRedisManager

            manager = AsyncRedisManager(self.client_manager_url, channel=self.client_manager_channel)
        # engine.io's own CORS headers off: Rasa's (--cors, the shop's origins) answer every route, and two
        # Access-Control-Allow-Origin headers would make browsers refuse both.
        return AsyncServer(async_mode="sanic", client_manager=manager, cors_allowed_origins=[],
                           max_http_buffer_size=self.settings.max_request_bytes)

    def _connection_allowed(self, environ: Dict, auth: Any) -> bool:
        origin = environ.get("HTTP_ORIGIN")
        if origin and origin.rstrip("/") not in {allowed.rstrip("/") for allowed in self.settings.origins}:
            logger.warning("socketio: a connection from %s refused (not a shop origin)", origin)
            return False
        if not self.jwt_key:
            return True
        token = auth.get("token") if isinstance(auth, dict) else None
        return bool(token) and rasa.core.channels.channel.decode_bearer_token(
            token, self.jwt_key, self.jwt_algorithm) is not None

    async def _bind(self, sid: Text, key: Any, new_if_unknown: bool) -> Optional[Text]:
        """The socket's conversation: the session of ``key`` if this server issued it, else a new one (or None
        when ``new_if_unknown`` is false). The socket joins that conversation's room, and no other."""
        sio = self.sio
        session = self.sessions.resume(key)
        if session is None and not new_if_unknown:
            return None
        session = session or self.sessions.new()
        conversation_id = session.conversation_id if self.session_persistence else sid
        previous = (await sio.get_session(sid, namespace=self.namespace)).get(CONVERSATION)
        if previous and previous != conversation_id:
            sio.leave_room(sid, previous, namespace=self.namespace)
        await sio.save_session(sid, {CONVERSATION: conversation_id}, namespace=self.namespace)
        if self.session_persistence:
            sio.enter_room(sid, conversation_id, namespace=self.namespace)
        await sio.emit("session_confirm", session.key, room=sid, namespace=self.namespace)
        return conversation_id

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self.sio = self._server()
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        bind_gate_on_start(socketio_webhook, self.gate)

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return self._connection_allowed(environ, auth)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            await self._bind(sid, data.get("session_id") if isinstance(data, dict) else None, new_if_unknown=True)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            if not isinstance(data, dict):
                return
            conversation_id = (await sio.get_session(sid, namespace=self.namespace)).get(CONVERSATION)
            if conversation_id is None:  # a message before session_request: only an issued key resumes
                conversation_id = await self._bind(sid, data.get("session_id"), new_if_unknown=False)
            if conversation_id is None:
                logger.info("socketio: a message without a session this server issued ignored (%s)", sid)
                return
            await self.gate.pass_on(conversation_id, data.get("message"), _metadata(data, self.metadata_key),
                                    WebChatOutput(sio, self.bot_message_evt), on_new_message)

        return socketio_webhook
