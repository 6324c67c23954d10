"""The gate every channel puts a buyer's message through (no Rasa): clean text, bounded work, a notice in the
buyer's language, and identity only from what the channel proved."""

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.message_gate import Admitted, MessageGate, Refused, clean_metadata, clean_text
from bot.notices import MESSAGE_TOO_LONG, SLOW_DOWN, notice_text
from bot.rate_limits import LocalRateLimit, RedisRateLimit
from bot.settings import RasaSettings
from bot.web_sessions import WebSessions
from common import sender_proof
from common.buyer_tokens import sign_buyer_token

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain"))
SETTINGS = RasaSettings(max_message_characters=200, rate_limit_messages=3, rate_limit_seconds=60)
SECRET = SETTINGS.sender_proof_secret.get_secret_value()
REDIS = "redis://127.0.0.1:6379/0"


class FakeTracker:
    def __init__(self, language):
        self.language = language

    def get_slot(self, name):
        return self.language if name == "language" else None


class FakeTrackerStore:
    """Conversations and their language slot, as Rasa's tracker store answers (one may fail)."""

    languages = {"ru-buyer": "ru"}

    async def retrieve(self, sender_id):
        if sender_id == "store-away":
            raise ConnectionError("the database is away")
        language = self.languages.get(sender_id)
        return FakeTracker(language) if language else None


class FakeApp:
    class ctx:  # noqa: N801 - the shape of Sanic's app.ctx
        class agent:  # noqa: N801
            domain = DOMAIN
            tracker_store = FakeTrackerStore()


def gate(channel="rest", limit=None):
    made = MessageGate(channel, SETTINGS, limit or LocalRateLimit(3, 60))
    made.bind(FakeApp)
    return made


def notice(doors, refused, sender="buyer-1"):
    return asyncio.run(doors.notice(refused, sender))


def variation(response, language):
    return notice_text(DOMAIN, response, language)


def test_text_loses_control_characters_and_lone_surrogates_but_keeps_lines():
    assert clean_text("a\x00b\x07c\u0085d\ttab\nline\r") == "abcd\ttab\nline\r"
    assert clean_text("x\ud800y\udfffz") == "x\ufffdy\ufffdz"
    assert clean_text("\u200f مرحبا 😀 你好") == "\u200f مرحبا 😀 你好"  # RTL marks, emoji, mixed scripts stay


@pytest.mark.parametrize("language,text", [("en", "hello "), ("ru", "привет "), ("zh", "你好"), ("ar", "مرحبا ")])
def test_a_long_message_is_not_processed_and_the_buyer_is_told_in_their_language(language, text):
    doors = gate()
    refused = doors.admit("buyer-1", text * 200)
    assert refused == Refused("too_long", MESSAGE_TOO_LONG, language)
    assert notice(doors, refused) == variation(MESSAGE_TOO_LONG, language)


def test_a_message_with_no_language_of_its_own_is_answered_in_the_conversations():
    doors = gate()
    refused = doors.admit("ru-buyer", "a" * 300)
    assert refused.language is None
    assert notice(doors, refused, "ru-buyer") == variation(MESSAGE_TOO_LONG, "ru")
    assert notice(doors, refused, "new-buyer") == variation(MESSAGE_TOO_LONG, "en")
    assert notice(doors, refused, "store-away") == variation(MESSAGE_TOO_LONG, "en")  # no store: still told


def test_the_limit_is_on_characters_after_cleaning():
    assert isinstance(gate().admit("b", "a" * 200), Admitted)
    assert isinstance(gate().admit("b", "a" * 200 + "\x00" * 50), Admitted)
    assert isinstance(gate().admit("b", "a" * 201), Refused)


def test_a_fast_sender_is_told_once_then_ignored_and_others_are_not_affected():
    doors = gate()
    assert all(isinstance(doors.admit("fast", f"message {n}"), Admitted) for n in range(3))
    told = doors.admit("fast", "привет ещё раз")
    assert told == Refused("rate_limited", SLOW_DOWN, "ru") and notice(doors, told) == variation(SLOW_DOWN, "ru")
    silent = [doors.admit("fast", "again") for _ in range(5)]
    assert all(refused.notice is None and notice(doors, refused) is None for refused in silent)
    assert isinstance(doors.admit("another buyer", "hello"), Admitted)


def test_the_local_rate_limit_forgets_the_oldest_senders_first_and_counts_windows():
    now = [0.0]
    limit = LocalRateLimit(2, 10, max_senders=100, clock=lambda: now[0])
    for sender in range(500):
        limit.check(str(sender))
    assert len(limit) == 100
    assert [limit.check("a").allowed for _ in range(3)] == [True, True, False]
    now[0] = 10.0  # a new window
    assert limit.check("a").allowed


def test_the_redis_rate_limit_is_shared_by_every_process():
    prefix = f"test-{uuid.uuid4().hex}:"
    first, second = RedisRateLimit(REDIS, prefix, 3, 60), RedisRateLimit(REDIS, prefix, 3, 60)
    verdicts = [limit.check("buyer") for limit in (first, second, first, second, first)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert [v.first_refusal for v in verdicts] == [False, False, False, True, False]
    away = RedisRateLimit("redis://127.0.0.1:1/0", prefix, 1, 60)
    assert away.check("buyer").allowed and away.check("buyer").allowed  # Redis away: never refuse a buyer


def test_a_buyer_token_is_verified_dropped_and_replaced_by_the_channels_proof():
    token = sign_buyer_token("buyer-sa-noura", SETTINGS.shop_token_secret.get_secret_value())
    for metadata in ({"buyer_token": token}, {"customData": {"buyer_token": token, "language": "ar"}}):
        admitted = gate("socketio").admit("web-1", "hi", metadata)
        assert token not in json.dumps(admitted.metadata)
        proof = sender_proof.verify(SECRET, admitted.metadata[sender_proof.METADATA_KEY], "socketio", "web-1")
        assert proof.buyer_id == "buyer-sa-noura" and not proof.platform_verified


@pytest.mark.parametrize("metadata", [
    {"buyer_token": sign_buyer_token("buyer-sa-noura", "the-public-development-secret-is-not-this-0")},
    {"buyer_token": "forged"},
    {sender_proof.METADATA_KEY: sender_proof.sign(SECRET, "rest", "victim", buyer_id="buyer-sa-noura")},
    {sender_proof.METADATA_KEY: sender_proof.sign(SECRET, "telegram", "attacker", platform_verified=True)},
    {"customData": {sender_proof.METADATA_KEY: sender_proof.sign(SECRET, "rest", "attacker", buyer_id="x")}},
])
def test_what_a_caller_claims_names_nobody(metadata):
    admitted = gate("rest").admit("attacker", "track my order", metadata)
    proof = sender_proof.verify(SECRET, admitted.metadata[sender_proof.METADATA_KEY], "rest", "attacker")
    assert proof.buyer_id is None and not proof.platform_verified
    assert sender_proof.METADATA_KEY not in admitted.metadata.get("customData", {})  # no claim is passed on


def test_a_messaging_platforms_message_carries_its_proof():
    admitted = gate("telegram").admit("1001", "hello", {"language_code": "ru"}, platform_verified=True)
    proof = sender_proof.verify(SECRET, admitted.metadata[sender_proof.METADATA_KEY], "telegram", "1001")
    assert proof.platform_verified and admitted.metadata["language_code"] == "ru"


@pytest.mark.parametrize("metadata", [None, [], "x", 5, {"a": float("nan"), "b": [1] * 1000, "c": {"d": {"e": {}}}},
                                      {"language": "ru", "junk": "x" * 10_000}, {1: "non-string key"}])
def test_any_metadata_becomes_a_small_json_object(metadata):
    cleaned = clean_metadata(metadata, SETTINGS.max_metadata_bytes)
    assert isinstance(cleaned, dict) and len(json.dumps(cleaned)) <= SETTINGS.max_metadata_bytes
    json.dumps(cleaned, allow_nan=False)
    if isinstance(metadata, dict) and "junk" in metadata:
        assert cleaned == {"language": "ru"}  # too large: its language is kept


def test_web_sessions_are_issued_by_the_server_and_ids_do_not_open_them():
    sessions = WebSessions(SECRET)
    session = sessions.new()
    assert sessions.resume(session.key) == session
    assert session.key not in session.conversation_id
    tampered = session.key[:-1] + ("1" if session.key.endswith("0") else "0")  # one character off, never the key
    for guess in (session.conversation_id, tampered, "x" * 65, None, 5, session.key + "x"):
        assert sessions.resume(guess) is None
    assert WebSessions("another secret").resume(session.key) is None
    assert sessions.new().conversation_id != session.conversation_id


def test_every_notice_speaks_every_language():
    for response in (MESSAGE_TOO_LONG, SLOW_DOWN):
        texts = {language: variation(response, language) for language in ("en", "zh", "ru", "ar")}
        assert len(set(texts.values())) == 4 and variation(response, "xx") == texts["en"]
    assert notice_text(None, MESSAGE_TOO_LONG, "en") is None
