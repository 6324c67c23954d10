"""Fakes of the Telegram Bot API and the WhatsApp Cloud API on 127.0.0.1, for tests.

Each records what the connector sent and answers as the real API does (the
shapes aiogram and the Cloud API's clients read). Telegram refuses SVG photos
and WhatsApp refuses a wrong access token, as the real ones do.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

from aiohttp import web

from tests.servers import free_port


class FakePlatform:
    """An aiohttp app in a thread of its own; ``calls`` holds what it received, in order."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def app(self) -> web.Application:
        raise NotImplementedError

    def record(self, call: Dict[str, Any]) -> None:
        with self._lock:
            self.calls.append(call)

    def calls_to(self, recipient: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [c for c in self.calls if str(c.get("recipient")) == str(recipient)]

    def wait_for(self, recipient: str, count: int, timeout: float = 30) -> List[Dict[str, Any]]:
        """The recipient's calls once there are ``count`` of them (the bot answers after the webhook returns)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls_to(recipient)
            if len(calls) >= count:
                return calls
            time.sleep(0.1)
        return self.calls_to(recipient)

    @contextmanager
    def running(self) -> Iterator["FakePlatform"]:
        # The server's loop runs in its own thread from the start: the test's thread may have a loop running
        # (Playwright's sync API keeps one).
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        runner = web.AppRunner(self.app())
        asyncio.run_coroutine_threadsafe(runner.setup(), loop).result(timeout=10)
        asyncio.run_coroutine_threadsafe(web.TCPSite(runner, "127.0.0.1", self.port).start(), loop).result(timeout=10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)


class FakeTelegram(FakePlatform):
    """``POST /bot<token>/<method>``: sendMessage, sendPhoto, answerCallbackQuery, ..."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.method)
        return app

    async def method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        name = request.match_info["method"]
        params = dict(await request.post())
        if "reply_markup" in params:
            params["reply_markup"] = json.loads(params["reply_markup"])
        self.record({"method": name, "recipient": params.get("chat_id"), "params": params})
        if name == "answerCallbackQuery":
            return web.json_response({"ok": True, "result": True})
        photo = str(params.get("photo", "")).lower()
        if name == "sendPhoto" and (photo.endswith(".svg") or "unreachable" in photo):
            return web.json_response({"ok": False, "error_code": 400, "description":
                                      "Bad Request: wrong file identifier/HTTP URL specified"}, status=400)
        message = {"message_id": next(self._ids), "date": int(time.time()),
                   "chat": {"id": int(params.get("chat_id", 0)), "type": "private"}}
        if "text" in params:
            message["text"] = params["text"]
        return web.json_response({"ok": True, "result": message})

    @staticmethod
    def texts(calls: List[Dict[str, Any]]) -> List[str]:
        return [c["params"].get("text") or c["params"].get("caption") or "" for c in calls
                if c["method"] in ("sendMessage", "sendPhoto")]


class FakeWhatsApp(FakePlatform):
    """``POST /<version>/<phone number id>/messages`` with a bearer token."""

    def __init__(self, access_token: str, phone_number_id: str, version: str = "v21.0") -> None:
        super().__init__()
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.version = version

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{version}/{phone}/messages", self.messages)
        return app

    async def messages(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return web.json_response({"error": {"message": "Invalid OAuth access token.", "code": 190}}, status=401)
        if request.match_info["phone"] != self.phone_number_id or request.match_info["version"] != self.version:
            return web.json_response({"error": {"message": "Unsupported post request.", "code": 100}}, status=400)
        body = await request.json()
        self.record({"recipient": body.get("to"), "type": body.get("type"), "body": body})
        return web.json_response({"messaging_product": "whatsapp",
                                  "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                                  "messages": [{"id": f"wamid.fake{next(self._ids)}"}]})

    @staticmethod
    def texts(calls: List[Dict[str, Any]]) -> List[str]:
        out = []
        for call in calls:
            body = call["body"]
            kind = body.get("type")
            if kind == "text":
                out.append(body["text"]["body"])
            elif kind == "interactive":
                out.append(body["interactive"]["body"]["text"])
            elif kind == "image":
                out.append(body["image"].get("caption", ""))
        return out


def telegram_update(update_id: int, chat_id: int, text: Optional[str] = None, language_code: str = "en",
                    callback_data: Optional[str] = None, chat_type: str = "private") -> Dict[str, Any]:
    """A real Bot API update: a text message, or a press of an inline button."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": language_code}
    chat = {"id": chat_id, "type": chat_type, "first_name": "Test"}
    if callback_data is not None:
        return {"update_id": update_id, "callback_query": {
            "id": str(update_id * 7), "from": user, "chat_instance": "1",
            "message": {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": user, "text": "…"},
            "data": callback_data}}
    return {"update_id": update_id, "message": {"message_id": update_id, "date": int(time.time()), "chat": chat,
                                                 "from": user, "text": text}}


def whatsapp_notification(phone_number_id: str, wa_id: str, text: Optional[str] = None,
                          button: Optional[Dict[str, str]] = None, name: str = "Test") -> Dict[str, Any]:
    """A real Cloud API webhook notification: a text message, or a reply button pressed."""
    message: Dict[str, Any] = {"from": wa_id, "id": f"wamid.in{time.time_ns()}", "timestamp": str(int(time.time()))}
    if button is not None:
        message.update(type="interactive", interactive={"type": "button_reply", "button_reply": button})
    else:
        message.update(type="text", text={"body": text})
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-1", "changes": [{"field": "messages",
            "value": {"messaging_product": "whatsapp",
                      "metadata": {"display_phone_number": "15550001111", "phone_number_id": phone_number_id},
                      "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                      "messages": [message]}}]}]}
