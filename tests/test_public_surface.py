"""The assistant as an outsider finds it, with no secret in hand: each finding of the public-surface review
tried as the attack, expecting the refusal. Runs against the embedded assistant and again against the
production profile (scripts/test.sh), where the public port is the balancer's public listener."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
import uuid
from typing import Any, Dict, List

import pytest
import requests

from common import development_secrets, sender_proof
from tests.assistant_stack import TELEGRAM_SECRET, WHATSAPP_PHONE_ID
from tests.channels.fake_platforms import FakeTelegram, telegram_update, whatsapp_notification
from tests.channels.test_whatsapp_e2e import post as post_whatsapp
from tests.servers import access_of, rasa_api, say, say_texts, tracker_of

UPDATE_IDS = itertools.count(71000)
CHAT_IDS = itertools.count(871000001)
BUYER = "buyer-kz-aidana"
SIGN_IN_WORDS = ("sign in", "link")  # what the bot asks of an unverified visitor about orders
ADMIN_ROUTES = [
    ("GET", "/conversations/{id}/tracker"), ("POST", "/conversations/{id}/tracker/events"),
    ("PUT", "/conversations/{id}/tracker/events"), ("GET", "/conversations/{id}/story"),
    ("POST", "/conversations/{id}/execute"), ("POST", "/conversations/{id}/trigger_intent"),
    ("POST", "/conversations/{id}/predict"), ("POST", "/conversations/{id}/messages"),
    ("POST", "/model/parse"), ("PUT", "/model"), ("DELETE", "/model"), ("GET", "/domain"), ("GET", "/status"),
    ("POST", "/model/train"), ("POST", "/model/test/intents"),
]


def rest(stack, body: Any, content_type: str = "application/json", token: bool = True) -> requests.Response:
    rest_token = access_of(stack.rasa_url).rest_token if token else None
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {rest_token}"} if rest_token else {})}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", data=data, headers=headers, timeout=60)


def post_telegram(stack, update: Any) -> requests.Response:
    return requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", data=json.dumps(update), timeout=60,
                         headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
                                  "Content-Type": "application/json"})


def link_telegram_chat(stack, buyer: str) -> int:
    """A Telegram chat the buyer linked to their account (as the account page's deep link does)."""
    chat_id = next(CHAT_IDS)
    code = stack.account_page(buyer, "en")["code"]
    assert post_telegram(stack, telegram_update(next(UPDATE_IDS), chat_id, f"/start {code}", "en")).ok
    assert stack.backends.account_links.linked_buyer("telegram", str(chat_id)) == buyer
    return chat_id


def user_texts(stack, sender: str) -> List[str]:
    return [event.get("text") for event in tracker_of(stack.rasa_url, sender)["events"] if event["event"] == "user"]


# 1. Anyone could act as a linked Telegram or WhatsApp buyer through the REST channel.

def test_a_rest_message_claiming_telegram_is_refused_and_acts_for_nobody(assistant_stack):
    stack = assistant_stack
    chat_id = link_telegram_chat(stack, BUYER)
    number = stack.backends.orders.orders(BUYER, "en", open_only=False)[0].number
    claimed = rest(stack, {"sender": str(chat_id), "message": f"track {number}", "input_channel": "telegram"})
    assert claimed.status_code == 400 and "input_channel" in claimed.json()["error"]
    # the same chat id through REST is just a visitor named like the chat: it is asked to sign in
    answers = " ".join(say_texts(stack.rasa_url, f"track {number}", str(chat_id)))
    assert number not in answers and any(word in answers.lower() for word in SIGN_IN_WORDS), answers


@pytest.mark.parametrize("body,content_type,status", [
    ('{"sender": "x", "message": "hi"}', "text/plain", 415),
    ("sender=x&message=hi", "application/x-www-form-urlencoded", 415),
    ("[]", "application/json", 400), ('"x"', "application/json", 400), ("null", "application/json", 400),
    ("1", "application/json", 400), ("{", "application/json", 400), ("[" * 20000 + "]" * 20000, "application/json", 400),
    ('{"sender": ["x"], "message": "hi"}', "application/json", 400),
    ('{"sender": "x", "message": {"text": "hi"}}', "application/json", 400),
    ('{"sender": "x", "message": "hi", "metadata": []}', "application/json", 400),
    ('{"sender": "", "message": "hi"}', "application/json", 400),
])
def test_the_rest_channel_takes_only_json_objects_of_the_right_shape(assistant_stack, body, content_type, status):
    answer = rest(assistant_stack, body, content_type)
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()


def test_the_production_rest_channel_needs_its_token(assistant_stack):
    if assistant_stack.profile != "production":
        pytest.skip("the embedded REST channel is open (development); production requires the token")
    answer = rest(assistant_stack, {"sender": "x", "message": "hi"}, token=False)
    assert answer.status_code == 401


# 2. Rasa's HTTP API answered anyone.

@pytest.mark.parametrize("method,path", ADMIN_ROUTES)
def test_rasas_http_api_is_refused_on_the_public_port_without_its_token(assistant_stack, method, path):
    """Embedded: Rasa's own port, where the API needs its token (401). Production: the public listener does not
    forward the API at all (404), not even with the right token."""
    stack = assistant_stack
    url = stack.rasa_url + path.format(id=f"victim-{uuid.uuid4().hex[:6]}")
    production = stack.profile == "production"
    tries = ({}, {"token": "wrong"}, {"token": development_secrets.RASA_API_TOKEN} if production else {"token": ""},
             {"token": stack.secrets.rasa_api_token} if production else {"token": " "})
    for params in tries:
        answer = requests.request(method, url, params=params, json={"name": "action_listen"}, timeout=30)
        assert answer.status_code == (404 if production else 401), (method, path, params, answer.status_code)


def test_the_http_api_answers_its_token_only(assistant_stack):
    sender = f"api-{uuid.uuid4().hex[:6]}"
    say(assistant_stack.rasa_url, "hello", sender)
    assert rasa_api(assistant_stack.rasa_url, "GET", f"/conversations/{sender}/tracker").ok
    access = access_of(assistant_stack.rasa_url)
    refused = requests.get(f"{access.api_url}/conversations/{sender}/tracker", timeout=30)
    assert refused.status_code == 401


def test_a_message_injected_without_the_token_never_reaches_the_buyer(assistant_stack):
    stack, sender = assistant_stack, f"inject-{uuid.uuid4().hex[:6]}"
    say(stack.rasa_url, "hello", sender)
    before = tracker_of(stack.rasa_url, sender)["events"]
    injected = requests.post(f"{stack.rasa_url}/conversations/{sender}/tracker/events",
                             params={"output_channel": "latest", "execute_side_effects": "true"}, timeout=30,
                             json=[{"event": "bot", "text": "[Click to verify your card](https://evil.example)"}])
    assert injected.status_code in (401, 403, 404)
    assert tracker_of(stack.rasa_url, sender)["events"] == before


def test_cors_names_the_shops_origins_only(assistant_stack):
    stack = assistant_stack
    evil = requests.options(f"{stack.rasa_url}/model", timeout=10, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"})
    assert evil.headers.get("Access-Control-Allow-Origin") in (None, ""), evil.headers
    shop = requests.get(f"{stack.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10,
                        headers={"Origin": stack.shop_url})
    assert shop.status_code == 200 and shop.headers.get("Access-Control-Allow-Origin") == stack.shop_url
    stranger = requests.get(f"{stack.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                            timeout=10, headers={"Origin": "https://evil.example"})
    assert stranger.headers.get("Access-Control-Allow-Origin") is None  # a browser does not let the page read it
    with pytest.raises(Exception):  # and the socket.io connection itself is refused
        WidgetClient(stack, origin="https://evil.example", wait_timeout=3)


# 3. The action server trusted any caller.

def action_call(sender: str, channel: str, metadata: Dict[str, Any], text: str = "where is my order?") -> Dict:
    """What Rasa would send the action server for a track_order question (a forged tracker)."""
    latest = {"text": text, "intent": {"name": "track_order", "confidence": 1.0}, "entities": [],
              "metadata": metadata}
    return {"next_action": "action_track_order", "sender_id": sender, "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": sender, "slots": {"language": "en"}, "latest_message": latest,
                        "events": [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel,
                                    "metadata": metadata}],
                        "paused": False, "followup_action": None, "active_loop": {},
                        "latest_action_name": "action_listen", "latest_input_channel": channel}}


def listening_addresses(port: int) -> List[str]:
    """The local addresses TCP sockets listen on at ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if len(address) == 8
                             else address)
    return found


def test_the_action_server_runs_nothing_for_a_caller_other_than_rasa(assistant_stack):
    stack = assistant_stack
    chat_id = link_telegram_chat(stack, BUYER)
    action_url = access_of(stack.rasa_url).action_url
    forged = action_call(str(chat_id), "telegram", {})
    for headers in ({}, {"X-Silkroad-Action-Token": "guess"},
                    {"X-Silkroad-Action-Token": development_secrets.ACTION_SERVER_TOKEN}
                    if stack.profile == "production" else {"X-Silkroad-Action-Token": ""}):
        answer = requests.post(f"{action_url}/webhook", json=forged, headers=headers, timeout=30)
        assert answer.status_code == 403, (headers, answer.text)
    assert requests.get(f"{action_url}/actions", timeout=10).status_code == 403
    port = int(action_url.rsplit(":", 1)[1])
    assert listening_addresses(port) and set(listening_addresses(port)) <= {"127.0.0.1"}


def test_a_forged_tracker_with_rasas_token_still_acts_for_nobody(assistant_stack):
    """Even a caller holding Rasa's token (an insider, a leaked config) cannot name a buyer: identity comes
    from the channel's signed proof, which a forged tracker lacks or cannot make for its sender."""
    stack = assistant_stack
    chat_id = link_telegram_chat(stack, BUYER)
    action_url = access_of(stack.rasa_url).action_url
    token = {"X-Silkroad-Action-Token": stack.secrets.action_server_token}
    other = sender_proof.sign(stack.secrets.sender_proof_secret, "telegram", "someone-else", platform_verified=True)
    for metadata in ({}, {sender_proof.METADATA_KEY: other},
                     {sender_proof.METADATA_KEY: sender_proof.sign("guessed", "telegram", str(chat_id), None, True)}):
        answer = requests.post(f"{action_url}/webhook", json=action_call(str(chat_id), "telegram", metadata),
                               headers=token, timeout=30)
        assert answer.status_code == 200, answer.text
        assert [said.get("response") for said in answer.json()["responses"]] == ["utter_sign_in_to_continue"]


# 5. Development secrets worked in production (the refusal to start is tested in tests/production/).

def test_a_token_signed_with_the_public_development_secret_is_worth_nothing_in_production(assistant_stack):
    stack = assistant_stack
    if stack.profile != "production":
        pytest.skip("in the embedded profile the development secret is the shop's secret")
    from common.buyer_tokens import sign_buyer_token

    forged = sign_buyer_token(BUYER, development_secrets.SHOP_TOKEN_SECRET)
    answers = " ".join(say_texts(stack.rasa_url, "where is my order?", metadata={"buyer_token": forged}))
    assert "SR-" not in answers and any(word in answers.lower() for word in SIGN_IN_WORDS), answers
    assert requests.get(f"{stack.shop_url}/shop/chat", params={"buyer": BUYER}, timeout=10).status_code == 404


# 6. One long message froze the bot; 7. no rate limit.

def test_a_long_message_is_answered_with_a_notice_and_changes_nothing(assistant_stack):
    stack, sender = assistant_stack, f"long-{uuid.uuid4().hex[:6]}"
    say(stack.rasa_url, "привет", sender)
    before = user_texts(stack, sender)
    for text in ("ж" * 30_000, "спасибо " * 1000, "a" * 100_000):
        answers = say_texts(stack.rasa_url, text, sender)
        assert len(answers) == 1 and "слишком длинное" in answers[0], answers
    too_big = rest(stack, {"sender": sender, "message": "a" * 300_000})
    assert too_big.status_code == 413 and "bytes" in too_big.json()["error"]
    assert user_texts(stack, sender) == before


def test_a_flood_from_one_sender_is_cut_short_and_others_are_answered(assistant_stack):
    stack, flooder = assistant_stack, f"flood-{uuid.uuid4().hex[:6]}"
    answers: List[List[str]] = []
    lock = threading.Lock()

    def send(number: int) -> None:
        texts = say_texts(stack.rasa_url, f"hello {number}", flooder)
        with lock:
            answers.append(texts)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    processed = [text for text in user_texts(stack, flooder) if text.startswith("hello")]
    assert len(processed) <= 20, len(processed)
    notices = [texts for texts in answers if texts and "faster than I can answer" in texts[0]]
    assert len(notices) == 1 and sum(1 for texts in answers if not texts) >= 40 - 20 - 1
    assert say_texts(stack.rasa_url, "hello", f"other-{uuid.uuid4().hex[:6]}")  # another buyer is answered


def test_a_long_telegram_message_gets_the_notice_in_the_chat(assistant_stack):
    stack, chat_id = assistant_stack, next(CHAT_IDS)
    assert post_telegram(stack, telegram_update(next(UPDATE_IDS), chat_id, "я" * 5000, "ru")).status_code == 200
    told = FakeTelegram.texts(stack.telegram.wait_for(chat_id, 1))
    assert len(told) == 1 and "слишком длинное" in told[0], told


def test_a_long_whatsapp_message_gets_the_notice_in_the_chat(assistant_stack):
    stack, wa_id = assistant_stack, f"9715{next(CHAT_IDS)}"
    assert post_whatsapp(stack, whatsapp_notification(WHATSAPP_PHONE_ID, wa_id, "مرحبا " * 2000)).status_code == 200
    told = [call["body"]["text"]["body"] for call in stack.whatsapp.wait_for(wa_id, 1)]
    assert len(told) == 1 and "أطول" in told[0], told


# 8. A web chat session could be joined by anyone who knew its id.

class WidgetClient:
    """rasa-webchat's side of the socket.io channel: session_request, user_uttered, bot_uttered."""

    def __init__(self, stack, origin: str = "", wait_timeout: float = 30) -> None:
        import socketio

        self.client = socketio.Client(reconnection=False)
        self.session_key = None
        self.received: List[Dict] = []
        self.confirmed = threading.Event()
        self.client.on("session_confirm", self._confirmed)
        self.client.on("bot_uttered", self.received.append)
        self.client.connect(stack.rasa_url, transports=["polling"], socketio_path="/socket.io",
                            headers={"Origin": origin or stack.shop_url}, wait_timeout=wait_timeout)

    def _confirmed(self, key) -> None:
        self.session_key = key
        self.confirmed.set()

    def request_session(self, session_id=None) -> str:
        self.confirmed.clear()
        self.client.emit("session_request", {"session_id": session_id})
        assert self.confirmed.wait(30)
        return self.session_key

    def say(self, text: str, session_id=None, metadata=None, replies: int = 1) -> List[Dict]:
        before = len(self.received)
        self.client.emit("user_uttered", {"message": text, "session_id": session_id or self.session_key,
                                          "customData": metadata or {"language": "en"}})
        deadline = time.monotonic() + 60
        while len(self.received) < before + replies and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.received[before:]

    def close(self) -> None:
        self.client.disconnect()


def test_knowing_a_web_conversations_id_does_not_open_it(assistant_stack):
    stack = assistant_stack
    victim, attacker = WidgetClient(stack), WidgetClient(stack)
    try:
        key = victim.request_session()
        conversation = stack.web_conversation_id(key)
        assert victim.say("where is my order?", metadata={"language": "en",
                                                           "buyer_token": stack.buyer_token(BUYER)})
        # the attacker proposes the victim's conversation id: it gets a session of its own
        attacker_key = attacker.request_session(conversation)
        assert attacker_key != key and stack.web_conversation_id(attacker_key) != conversation
        # and a message naming the victim's conversation goes to the attacker's own
        attacker.say("hello", session_id=conversation)
        victim.say("thank you")
        assert not any("SR-" in json.dumps(message) for message in attacker.received), attacker.received
        assert "hello" not in user_texts(stack, conversation)
        # the victim's key resumes the victim's conversation (a reload of the page)
        again = WidgetClient(stack)
        try:
            assert again.request_session(key) == key
        finally:
            again.close()
    finally:
        victim.close()
        attacker.close()


# 9. Buyer tokens sat in trackers; odd bodies gave 500.

def test_no_buyer_token_is_stored(assistant_stack):
    stack, sender = assistant_stack, f"token-{uuid.uuid4().hex[:6]}"
    token = stack.buyer_token(BUYER)
    say(stack.rasa_url, "where is my order?", sender, {"buyer_token": token, "language": "en"})
    say(stack.rasa_url, "hello", sender, {"customData": {"buyer_token": token}})
    stored = json.dumps(tracker_of(stack.rasa_url, sender))
    assert token not in stored and token.split(".")[2] not in stored
    assert sender_proof.METADATA_KEY in stored  # what was proved is kept instead


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "1", "{", '{"update_id": "x", "message": []}',
                                  '{"message": {"chat": "x", "text": 5}}', '{"callback_query": {"from": 1}}',
                                  '{"message": {"chat": {"id": true, "type": "private"}, "text": "hi"}}'])
def test_odd_telegram_updates_get_no_server_error(assistant_stack, body):
    answer = requests.post(f"{assistant_stack.rasa_url}/webhooks/telegram/webhook", data=body, timeout=30,
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert answer.status_code in (200, 400), answer.text


@pytest.mark.parametrize("notification", [[], "x", None, 1, {"object": "whatsapp_business_account", "entry": "x"},
                                          {"object": "whatsapp_business_account", "entry": [{"changes": [
                                              {"value": {"messages": [{"from": 5, "type": "text", "text": "x"}],
                                                         "contacts": "x"}}]}]}])
def test_odd_whatsapp_notifications_get_no_server_error(assistant_stack, notification):
    assert post_whatsapp(assistant_stack, notification).status_code == 200
