"""Fuzz the public channels while a canary buyer talks normally, and print what came back.

    python -m scripts.fuzz_channels --start --messages 10000                       # its own embedded assistant
    python -m scripts.fuzz_channels --start --profile production --messages 10000  # its own production profile
    python -m scripts.fuzz_channels --rasa-url http://127.0.0.1:5005 --api-token ... --shop-origin ... \\
        [--rest-token ...] [--telegram-secret ...] [--whatsapp-app-secret ...]   # a running assistant

Generated messages go round the channels: REST, socket.io (the web widget's events) and the Telegram and
WhatsApp webhooks (with their secret token and signature, so they reach the bot). They are very long,
unspaced, full of control characters, lone surrogates, emoji, right-to-left marks and mixed scripts, intent
payloads and markup, or not messages at all: non-object JSON, wrongly typed fields, deep nesting, huge
metadata, invalid UTF-8. Now and then one sender sends a burst faster than the rate limit allows. Meanwhile a canary
buyer sends an ordinary question through REST every ``--canary-every`` seconds (3.5: a person's pace, within
the per-sender rate limit).

The run passes (exit 0) when no answer was a server error (5xx) or a dropped connection, Rasa's health check
answers at the end (no process died), every canary question was answered within ``--max-canary-seconds`` (no
freeze), and every conversation the fuzzer wrote to loads through Rasa's HTTP API. ``--start`` uses the test
suite's stack (tests/assistant_stack.py: fake Telegram and WhatsApp APIs on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import logging
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

import requests

CHANNELS = ("rest", "socketio", "telegram", "whatsapp")
PHRASES = ["hello", "where is my order?", "I'm looking for headphones under 50 dollars", "привет",
           "где мой заказ SR-204517", "你好", "我的包裹到哪了", "مرحبا", "أين طلبي", "what is the customs duty in Kazakhstan",
           "talk to a person", "thank you", "/greet", "/track_order{\"order_id\": \"SR-204517\"}", "/human_handoff",
           "/link_account{\"link_code\": \"AAAA-BBBB\"}", "<script>alert(1)</script>", "[pay here](javascript:x)",
           "' OR 1=1 --", "{{7*7}} ${7*7}", "", "   "]
UNITS = ["a", "ж", "中", "ب", "😀", "(", "1,", "a.", "a@", "👩‍👩‍👧‍👦", "\u200f", "\u202e", "é", "\u0301", "SR-"]
NO_DATA = object()  # an event sent with no data at all
SOCKET_ANSWER_WAIT = 0.6  # seconds a socket.io sender waits for the bot's answer before its next message
CANARY_QUESTIONS_PER_BUYER = 8
BURST_EVERY, BURST_MESSAGES = 400, 30  # a burst of 30 messages from one sender, every 400 messages
SLOWEST_KEPT = 8  # the slowest requests the report names
MESSAGES_PER_WIDGET = 15  # then a new connection and session, as the REST senders take turns (the rate limit)
MARKS = ["\u200f", "\u200e", "\u202e", "\u2066", "\ufeff", "\u200b", "\u00ad"]


# ----------------------------------------------------------------------------------------------- generators


class Generator:
    """Fuzzed texts and bodies, reproducible from the seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def text(self) -> str:
        kind = self.rng.randrange(9)
        rng = self.rng
        if kind == 0:
            return rng.choice(PHRASES)
        if kind == 1:  # long and unspaced
            return rng.choice(UNITS) * rng.choice([500, 2_500, 20_000, 120_000])
        if kind == 2:  # control characters in a phrase
            return "".join(rng.choice([c, chr(rng.randrange(0, 32)), "\x7f", "\x85"]) for c in rng.choice(PHRASES))
        if kind == 3:  # lone surrogates
            return rng.choice(PHRASES) + chr(rng.randrange(0xD800, 0xE000)) + rng.choice(PHRASES)
        if kind == 4:  # right-to-left marks and mixed scripts
            return "".join(rng.choice(MARKS) + rng.choice(PHRASES) for _ in range(rng.randrange(1, 6)))
        if kind == 5:  # random code points, any plane
            return "".join(chr(rng.choice([rng.randrange(32, 0xD800), rng.randrange(0xE000, 0x110000)]))
                           for _ in range(rng.randrange(1, 400)))
        if kind == 6:  # many words
            return " ".join(rng.choice(PHRASES) for _ in range(rng.randrange(10, 600)))
        if kind == 7:  # emoji only
            return "".join(rng.choice(["😀", "👍🏽", "🇰🇿", "❤️", "👩‍💻"]) for _ in range(rng.randrange(1, 3000)))
        return rng.choice(PHRASES) + " " + rng.choice(UNITS) * rng.randrange(1, 3000)

    def odd_value(self) -> Any:
        return self.rng.choice([None, 0, -1, 1.5, float("1e308"), True, [], {}, "x", ["x"], {"a": {"b": [1]}},
                                "0" * 5000, [[[[[]]]]]])

    def metadata(self) -> Any:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:
            return {"language": rng.choice(["en", "ru", "zh", "ar", "xx", "", "en-US", 5])}
        if kind == 1:  # huge
            return {"blob": "x" * rng.choice([5_000, 100_000]), "language": "ru"}
        if kind == 2:  # deep
            nested: Any = "x"
            for _ in range(rng.choice([10, 200])):
                nested = {"k": nested}
            return nested
        if kind == 3:  # claims
            return {"buyer_token": rng.choice(["forged", "a.b.c", "x" * 10_000]),
                    "silkroad_sender": {"v": 1, "channel": "telegram", "buyer_id": "buyer-kz-aidana",
                                        "platform_verified": True, "issued_at": 0, "expires_at": 2 ** 40,
                                        "mac": "0" * 64},
                    "customData": {"buyer_token": "forged"}}
        if kind == 4:
            return self.odd_value()
        return {str(i): self.odd_value() for i in range(rng.randrange(1, 200))}

    def rest_body(self, sender: str) -> Tuple[bytes, str]:
        """(body, content type) of a REST call."""
        rng = self.rng
        kind = rng.randrange(12)
        if kind < 5:
            body: Any = {"sender": sender, "message": self.text()}
            if rng.random() < 0.5:
                body["metadata"] = self.metadata()
        elif kind == 5:
            body = rng.choice([[], "x", None, 1, True, [{"sender": sender, "message": "hi"}]])
        elif kind == 6:
            body = {"sender": rng.choice([sender, self.odd_value()]), "message": self.odd_value(),
                    "metadata": self.odd_value()}
        elif kind == 7:
            body = {"sender": sender, "message": "track SR-204517", "input_channel": rng.choice(
                ["telegram", "whatsapp", "socketio", 5, None, "rest"])}
        elif kind == 8:
            return rng.choice([b"{", b"\xff\xfe\xfd", b"[" * 30_000 + b"]" * 30_000, b"", b"null" * 1000]), \
                "application/json"
        elif kind == 9:
            return json.dumps({"sender": sender, "message": "hi"}).encode(), rng.choice(
                ["text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin-1"])
        elif kind == 10:
            body = {"sender": sender, "message": self.text(), "extra": {"x": self.odd_value()}, "stream": True}
        else:
            body = {"sender": "x" * rng.choice([129, 10_000]), "message": "hi"}
        return json.dumps(body).encode("utf-8", "surrogatepass"), "application/json"

    def telegram_update(self, update_id: int, chat_id: int) -> Any:
        rng = self.rng
        user = {"id": chat_id, "is_bot": False, "first_name": "F", "language_code": rng.choice(["ru", "en", 5, None])}
        chat: Any = {"id": chat_id, "type": rng.choice(["private"] * 6 + ["group", 5])}
        kind = rng.randrange(8)
        if kind < 4:
            return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "chat": chat, "from": user,
                                                          "text": self.text()}}
        if kind == 4:
            return {"update_id": update_id, "callback_query": {"id": rng.choice(["1", 5, None]), "from": user,
                                                                 "message": {"chat": chat}, "data": self.text()[:200]}}
        if kind == 5:
            return {"update_id": self.odd_value(), "message": {"chat": self.odd_value(), "text": self.odd_value(),
                                                               "from": self.odd_value()}}
        if kind == 6:
            return self.odd_value()
        return {"update_id": update_id, "edited_message": {"chat": chat, "text": "edited"}}

    def whatsapp_notification(self, wa_id: str, phone_id: str) -> Any:
        rng = self.rng
        message: Dict[str, Any] = {"from": wa_id, "id": f"wamid.fuzz{uuid.uuid4().hex}", "type": "text",
                                   "text": {"body": self.text()}}
        kind = rng.randrange(7)
        if kind == 4:
            message = {"from": wa_id, "id": f"wamid.fuzz{uuid.uuid4().hex}", "type": "interactive",
                       "interactive": {"type": "button_reply", "button_reply": {"id": self.text()[:300],
                                                                               "title": self.odd_value()}}}
        elif kind == 5:
            message = {key: self.odd_value() for key in ("from", "id", "type", "text")}
        elif kind == 6:
            return rng.choice([self.odd_value(), {"object": "whatsapp_business_account", "entry": self.odd_value()}])
        return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages",
                "value": {"metadata": {"phone_number_id": phone_id},
                          "contacts": rng.choice([[{"profile": {"name": "F"}, "wa_id": wa_id}], self.odd_value()]),
                          "messages": [message]}}]}]}

    def socket_event(self, session_key: Optional[str]) -> Tuple[str, Any]:
        rng = self.rng
        kind = rng.randrange(6)
        if kind < 3:
            return "user_uttered", {"message": self.text(), "session_id": session_key,
                                    "customData": self.metadata() if rng.random() < 0.5 else {"language": "en"}}
        if kind == 3:
            return "user_uttered", rng.choice([self.odd_value(), {"message": self.odd_value(),
                                                                  "session_id": self.odd_value(),
                                                                  "customData": "{not json"}])
        if kind == 4:
            return "session_request", rng.choice([self.odd_value(), {"session_id": self.odd_value()}, NO_DATA])
        return "user_uttered", {"message": "hello", "session_id": f"web-{uuid.uuid4().hex}"}


# ------------------------------------------------------------------------------------------------- targets


@dataclass
class Target:
    rasa_url: str
    api_url: str
    api_token: str
    shop_origin: str
    rest_token: Optional[str] = None
    telegram_secret: Optional[str] = None
    whatsapp_app_secret: Optional[str] = None
    whatsapp_phone_id: str = "109876543210"


@dataclass
class Report:
    statuses: Dict[str, Counter] = field(default_factory=lambda: {channel: Counter() for channel in CHANNELS})
    canary_seconds: List[float] = field(default_factory=list)
    canary_unanswered: int = 0
    senders: Dict[str, set] = field(default_factory=lambda: {channel: set() for channel in CHANNELS})
    trackers_loaded: int = 0
    trackers_failed: List[str] = field(default_factory=list)
    alive_at_end: bool = False
    slowest: List[Tuple[float, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, seconds: float, channel: str, body: bytes) -> None:
        """Keeps the slowest requests (what the server spent longest on), with the start of their body."""
        with self.lock:
            self.slowest.append((seconds, channel, body[:120].decode("utf-8", "replace")))
            self.slowest.sort(reverse=True)
            del self.slowest[SLOWEST_KEPT:]

    def record(self, channel: str, outcome: str, sender: Optional[str] = None) -> None:
        with self.lock:
            self.statuses[channel][outcome] += 1
            if sender is not None:
                self.senders[channel].add(sender)

    @property
    def server_errors(self) -> int:
        return sum(count for counter in self.statuses.values() for outcome, count in counter.items()
                   if outcome.startswith("5") or outcome in ("connection_error", "timeout", "disconnected"))

    def passed(self, max_canary_seconds: float) -> bool:
        return (self.server_errors == 0 and self.alive_at_end and self.canary_unanswered == 0
                and not self.trackers_failed and max(self.canary_seconds, default=0) <= max_canary_seconds)

    def format(self, max_canary_seconds: float) -> str:
        lines = [f"fuzzed for {self.seconds:.0f} s"]
        for channel in CHANNELS:
            counts = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(self.statuses[channel].items()))
            lines.append(f"  {channel:9} {sum(self.statuses[channel].values()):6} sent ({counts})")
        lines.append(f"server errors and dropped connections: {self.server_errors}")
        lines.append(f"processes alive at the end (Rasa's health answered): {self.alive_at_end}")
        if self.canary_seconds:
            ordered = sorted(self.canary_seconds)
            slow = sum(1 for seconds in ordered if seconds > max_canary_seconds)
            lines.append(f"canary: {len(ordered)} answered, {self.canary_unanswered} not; seconds p50 "
                         f"{statistics.median(ordered):.3f}, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.3f}, "
                         f"max {ordered[-1]:.3f}; {slow} over the limit of {max_canary_seconds:.1f}")
        lines.append("slowest requests: " + "; ".join(f"{seconds:.2f} s {channel} {body[:60]!r}"
                                                       for seconds, channel, body in self.slowest))
        lines.append(f"trackers loaded: {self.trackers_loaded}, failed: {len(self.trackers_failed)} "
                     f"{self.trackers_failed[:5]}")
        lines.append("PASSED" if self.passed(max_canary_seconds) else "FAILED")
        return "\n".join(lines)


class Widget:
    """A web widget's socket.io connection with its server-issued session; its handlers run on the client's own
    thread, so what they learn is kept here, not in thread-local state."""

    def __init__(self, target: "Target") -> None:
        import socketio

        logging.getLogger("engineio.client").setLevel(logging.CRITICAL)  # each closed connection says so, loudly

        self.client = socketio.Client(reconnection=False)
        self.session_key: Optional[str] = None
        self.sent = 1
        self.answered = threading.Event()
        confirmed = threading.Event()

        def on_confirm(key) -> None:
            self.session_key = key
            confirmed.set()

        self.client.on("session_confirm", on_confirm)
        self.client.on("bot_uttered", lambda _message: self.answered.set())
        self.client.connect(target.rasa_url, transports=["polling"], headers={"Origin": target.shop_origin},
                            wait_timeout=30)
        self.client.emit("session_request", {"session_id": None})
        confirmed.wait(30)


class Fuzzer:
    def __init__(self, target: Target, messages: int, seed: int = 0, concurrency: int = 1, senders: int = 200,
                 timeout: float = 60.0, max_packet_bytes: int = 262144) -> None:
        self.target, self.messages, self.seed = target, messages, seed
        self.max_packet_bytes = max_packet_bytes  # the server's SILKROAD_MAX_REQUEST_BYTES
        self.concurrency, self.senders, self.timeout = concurrency, senders, timeout
        self.report = Report()
        self._numbers = itertools.count()
        self._update_ids = itertools.count(10_000_000 + seed * 1_000_000)
        self._local = threading.local()

    # -- one message per channel -----------------------------------------------------------------------

    def _http(self) -> requests.Session:
        if not hasattr(self._local, "http"):
            self._local.http = requests.Session()
        return self._local.http

    def _post(self, channel: str, url: str, body: bytes, headers: Dict[str, str], sender: Optional[str]) -> None:
        try:
            started = time.perf_counter()
            answer = self._http().post(url, data=body, headers=headers, timeout=self.timeout)
            self.report.record(channel, str(answer.status_code), sender if answer.status_code == 200 else None)
            self.report.timed(time.perf_counter() - started, channel, body)
        except requests.Timeout:
            self.report.record(channel, "timeout")
        except requests.ConnectionError:
            self.report.record(channel, "connection_error")

    def rest(self, generator: Generator, number: int) -> None:
        if number % BURST_EVERY == 0:
            self._burst(number)
            return
        sender = f"fuzz-rest-{self.seed}-{number % self.senders}"
        body, content_type = generator.rest_body(sender)
        self._post("rest", f"{self.target.rasa_url}/webhooks/rest/webhook", body,
                   {"Content-Type": content_type, **self._rest_authorization()}, sender)

    def _rest_authorization(self) -> Dict[str, str]:
        """The REST channel's token, when it needs one (the production profile)."""
        return {"Authorization": f"Bearer {self.target.rest_token}"} if self.target.rest_token else {}

    def _burst(self, number: int) -> None:
        """One sender's messages, one right after the other, beyond the rate limit (the rest are refused)."""
        sender = f"fuzz-burst-{self.seed}-{number}"
        headers = {"Content-Type": "application/json", **self._rest_authorization()}
        for count in range(BURST_MESSAGES):
            body = json.dumps({"sender": sender, "message": f"hello {count}"}).encode()
            self._post("rest", f"{self.target.rasa_url}/webhooks/rest/webhook", body, headers, sender)

    def telegram(self, generator: Generator, number: int) -> None:
        chat_id = 990_000_000 + self.seed * 1000 + number % self.senders
        update = generator.telegram_update(next(self._update_ids), chat_id)
        headers = {"Content-Type": "application/json"}
        if self.target.telegram_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.target.telegram_secret
        self._post("telegram", f"{self.target.rasa_url}/webhooks/telegram/webhook",
                   json.dumps(update).encode("utf-8", "surrogatepass"), headers, str(chat_id))

    def whatsapp(self, generator: Generator, number: int) -> None:
        wa_id = f"99{self.seed:03d}{number % self.senders:07d}"
        body = json.dumps(generator.whatsapp_notification(wa_id, self.target.whatsapp_phone_id)).encode(
            "utf-8", "surrogatepass")
        headers = {"Content-Type": "application/json"}
        if self.target.whatsapp_app_secret:
            headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(self.target.whatsapp_app_secret.encode(), body,
                                                                  hashlib.sha256).hexdigest()
        self._post("whatsapp", f"{self.target.rasa_url}/webhooks/whatsapp/webhook", body, headers, wa_id)

    def socketio(self, generator: Generator, number: int) -> None:
        widget = self._widget()
        if widget is None:
            return
        event, data = generator.socket_event(widget.session_key)
        # the packet's framing adds a little to the JSON: near the limit counts as over it
        oversized = data is not NO_DATA and len(json.dumps(data)) > self.max_packet_bytes - 1024
        try:
            widget.answered.clear()
            widget.client.emit(event) if data is NO_DATA else widget.client.emit(event, data)
            # a widget's buyer waits for the answer; one refused or ignored gets none (then a second is enough)
            widget.answered.wait(SOCKET_ANSWER_WAIT)
            if widget.client.connected:
                self.report.record("socketio", "emitted")
            elif oversized:  # engine.io closes a connection whose packet is over its limit, as the widget's would be
                self.report.record("socketio", "refused_over_limit")
            else:
                size = len(json.dumps(data)) if data is not NO_DATA else 0
                self.report.record("socketio", f"disconnected ({event}, {size} bytes)")
        except Exception as error:  # noqa: BLE001 - the connection dropped under us
            self.report.record("socketio", f"disconnected ({type(error).__name__})")
            self._local.widget = None

    def _widget(self) -> Optional["Widget"]:
        """This thread's widget connection (a new one when the last was closed or has sent its share)."""
        widget = getattr(self._local, "widget", None)
        if widget is not None and widget.client.connected and widget.sent < MESSAGES_PER_WIDGET:
            widget.sent += 1
            return widget
        if widget is not None and widget.client.connected:
            widget.client.disconnect()
        try:
            self._local.widget = Widget(self.target)
        except Exception as error:  # noqa: BLE001
            self.report.record("socketio", f"connect_failed ({type(error).__name__})")
            self._local.widget = None
        return self._local.widget

    # -- the run ---------------------------------------------------------------------------------------

    def _worker(self, worker: int, stop: threading.Event) -> None:
        generator = Generator(f"{self.seed}-{worker}")
        senders = [self.rest, self.socketio, self.telegram, self.whatsapp]
        while not stop.is_set():
            number = next(self._numbers)
            if number >= self.messages:
                break
            senders[number % len(senders)](generator, number)
        widget = getattr(self._local, "widget", None)
        if widget is not None:
            widget.client.disconnect()

    def _canary(self, stop: threading.Event, every: float) -> None:
        """A buyer after another (a new conversation every few questions, as people come and go) asking ordinary
        questions at a person's pace; each answer's wait is measured."""
        headers = self._rest_authorization()
        questions = ["hello", "what is the customs duty in Kazakhstan", "I'm looking for headphones", "thank you"]
        run = uuid.uuid4().hex[:6]
        asked = itertools.count()
        while not stop.wait(every):
            number = next(asked)
            sender = f"canary-{run}-{number // CANARY_QUESTIONS_PER_BUYER}"
            question = questions[number % len(questions)]
            started = time.perf_counter()
            try:
                answer = requests.post(f"{self.target.rasa_url}/webhooks/rest/webhook", headers=headers,
                                       json={"sender": sender, "message": question}, timeout=self.timeout)
                answered = answer.status_code == 200 and bool(answer.json())
            except requests.RequestException:
                answered = False
            with self.report.lock:
                if answered:
                    self.report.canary_seconds.append(time.perf_counter() - started)
                else:
                    self.report.canary_unanswered += 1

    def run(self, canary_every: float = 3.5) -> Report:
        started = time.perf_counter()
        stop = threading.Event()
        canary = threading.Thread(target=self._canary, args=(stop, canary_every), daemon=True)
        workers = [threading.Thread(target=self._worker, args=(index, stop), daemon=True)
                   for index in range(self.concurrency)]
        canary.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stop.set()
        canary.join(timeout=self.timeout + 5)
        self.report.seconds = time.perf_counter() - started
        self._check_after()
        return self.report

    def _check_after(self) -> None:
        try:
            self.report.alive_at_end = requests.get(f"{self.target.rasa_url}/", timeout=30).ok
        except requests.RequestException:
            self.report.alive_at_end = False
        for channel in ("rest", "telegram", "whatsapp"):
            for sender in sorted(self.report.senders[channel]):
                try:
                    answer = requests.get(f"{self.target.api_url}/conversations/{sender}/tracker",
                                          params={"token": self.target.api_token}, timeout=60)
                    answer.json()
                    ok = answer.status_code == 200
                except (requests.RequestException, ValueError):
                    ok = False
                if ok:
                    self.report.trackers_loaded += 1
                else:
                    self.report.trackers_failed.append(f"{channel}:{sender}")


# --------------------------------------------------------------------------------------------------- CLI


@contextmanager
def started_assistant(profile: str) -> Iterator[Target]:
    """An assistant of its own: the test suite's stack (fake Telegram and WhatsApp APIs on 127.0.0.1)."""
    import tempfile
    from pathlib import Path

    from scripts.train_model import ensure_model
    from tests.assistant_stack import (
        TELEGRAM_SECRET, WHATSAPP_APP_SECRET, WHATSAPP_PHONE_ID, running_assistant_stack,
        running_production_assistant_stack,
    )
    from tests.servers import access_of

    start = running_production_assistant_stack if profile == "production" else running_assistant_stack
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="silkroad-fuzz-")))
        assistant = stack.enter_context(start(ensure_model(), workdir))
        access = access_of(assistant.rasa_url)
        yield Target(assistant.rasa_url, access.api_url, access.api_token, assistant.shop_url, access.rest_token,
                     TELEGRAM_SECRET, WHATSAPP_APP_SECRET, WHATSAPP_PHONE_ID)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.fuzz_channels", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=1, help="fuzzing threads (default 1)")
    parser.add_argument("--max-packet-bytes", type=int, default=262144,
                        help="the server's SILKROAD_MAX_REQUEST_BYTES: a larger socket.io packet closes the connection")
    parser.add_argument("--canary-every", type=float, default=3.5,
                        help="seconds between canary questions (a person's pace, within the rate limit)")
    parser.add_argument("--max-canary-seconds", type=float, default=1.0)
    parser.add_argument("--start", action="store_true", help="start an assistant of its own")
    parser.add_argument("--profile", choices=["embedded", "production"], default="embedded")
    parser.add_argument("--rasa-url")
    parser.add_argument("--api-url", help="Rasa's HTTP API (default: --rasa-url)")
    parser.add_argument("--api-token")
    parser.add_argument("--shop-origin", default="http://127.0.0.1:8000")
    parser.add_argument("--rest-token")
    parser.add_argument("--telegram-secret")
    parser.add_argument("--whatsapp-app-secret")
    parser.add_argument("--whatsapp-phone-id", default="109876543210")
    args = parser.parse_args(argv)
    if not args.start and not (args.rasa_url and args.api_token):
        parser.error("give --start, or --rasa-url and --api-token of a running assistant")
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)

    def fuzz(target: Target) -> Report:
        report = Fuzzer(target, args.messages, args.seed, args.concurrency,
                        max_packet_bytes=args.max_packet_bytes).run(args.canary_every)
        print(report.format(args.max_canary_seconds))
        return report

    if args.start:
        with started_assistant(args.profile) as target:
            report = fuzz(target)
    else:
        report = fuzz(Target(args.rasa_url.rstrip("/"), (args.api_url or args.rasa_url).rstrip("/"), args.api_token,
                             args.shop_origin, args.rest_token, args.telegram_secret, args.whatsapp_app_secret,
                             args.whatsapp_phone_id))
    return 0 if report.passed(args.max_canary_seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
