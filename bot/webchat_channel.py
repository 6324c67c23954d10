"""The web chat widget's channel: Rasa's socket.io channel, rendered for rasa-webchat.

Built on Rasa's ``SocketIOInput``; what it changes:

- The message metadata is the widget's ``customData`` (the page puts the buyer's
  language and the shop-signed buyer token there), so ``metadata_key`` defaults
  to ``customData``.
- A bot message that carries text and an image (a product in search results) is
  sent as a card (rasa-webchat's generic template: image, title, subtitle)
  instead of a text bubble followed by a loose image.

- With several Rasa processes (the production profile), ``client_manager_url`` (a Redis URL) makes the
  socket.io server share its rooms through Redis (python-socketio's AsyncRedisManager): a message for a
  buyer whose socket another process holds (an agent's reply sent through any process's HTTP API) reaches
  them. ``client_manager_channel`` names the Redis channel (one per deployment).

credentials.yml::

    bot.webchat_channel.WebChatInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      # client_manager_url: redis://127.0.0.1:6379/0
      # client_manager_channel: silkroad-socketio
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

METADATA_KEY = "customData"


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


class WebChatInput(SocketIOInput):
    """Rasa's socket.io channel (same name, same events) with the widget's metadata and cards."""

    client_manager_url: Optional[Text] = None
    client_manager_channel: Text = "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        credentials.setdefault("metadata_key", METADATA_KEY)
        credentials.setdefault("session_persistence", True)
        manager_url = credentials.pop("client_manager_url", None)
        manager_channel = credentials.pop("client_manager_channel", None)
        channel = super().from_credentials(credentials)
        channel.client_manager_url = manager_url or None
        channel.client_manager_channel = manager_channel or cls.client_manager_channel
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def answer_with_cards(message: UserMessage) -> None:
            message.output_channel = WebChatOutput(message.output_channel.sio, self.bot_message_evt)
            await on_new_message(message)

        blueprint = super().blueprint(answer_with_cards)
        if self.client_manager_url:
            from socketio import AsyncRedisManager

            # replaces the in-process manager before any socket connects (Rasa builds the server itself)
            self.sio.manager = AsyncRedisManager(self.client_manager_url, channel=self.client_manager_channel)
            self.sio.manager.set_server(self.sio)
        return blueprint

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None
