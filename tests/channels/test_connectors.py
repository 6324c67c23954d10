"""The channel connectors' own logic, and their output channels against the fake platforms (no Rasa)."""

import asyncio
import hashlib
import hmac
import uuid

import pytest

from bot.channel_settings import photo_url, timeout_setting
from bot.settings import rasa_settings
from bot.telegram_channel import TelegramInput, TelegramOutput, callback_data, command_to_intent, inline_keyboard
from bot.webchat_channel import product_card
from bot.webhook_guard import RecentIds, SharedRecentIds, recent_ids
from bot.whatsapp_channel import WhatsAppInput, WhatsAppOutput, incoming_messages, interactive_message, signature_of
from tests.channels.fake_platforms import FakeTelegram, FakeWhatsApp, whatsapp_notification

REDIS = "redis://127.0.0.1:6379/0"

TOKEN = "7000000002:AAUnitTestToken_abcdefghijklmnopqrs"


@pytest.mark.parametrize("text,expected", [
    ("/start", "/greet"),
    ("/start@SilkRoadBot", "/greet"),
    ("/start K7P2-QX9M", '/link_account{"link_code": "K7P2-QX9M"}'),
    ("/start bad code with spaces", "/start bad code with spaces"),
    ('/start x"}', '/start x"}'),  # nothing but the code's alphabet reaches the payload
    ("where is my order?", "where is my order?"),
])
def test_start_commands_become_intents(text, expected):
    assert command_to_intent(text) == expected


def test_callback_data_stays_within_64_bytes():
    short = {"title": "SR-204517", "payload": '/track_order{"order_id": "SR-204517"}'}
    assert callback_data(short) == short["payload"]
    long = {"title": "Возврат денег за заказ", "payload": "/inform" + '{"x": "' + "y" * 80 + '"}'}
    data = callback_data(long)
    assert len(data.encode()) <= 64 and data == "Возврат денег за заказ"
    cyrillic_title = {"title": "Ж" * 40, "payload": "/x" * 40}
    assert len(callback_data(cyrillic_title).encode()) <= 64  # cut on a character boundary


def test_inline_keyboard_layout():
    few = inline_keyboard([{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])
    assert [[b.text for b in row] for row in few.inline_keyboard] == [["Yes", "No"]]
    many = inline_keyboard([{"title": f"SR-20451{i} · Wireless headphones", "payload": f"/p{i}"} for i in range(5)])
    assert len(many.inline_keyboard) == 5 and all(len(row) == 1 for row in many.inline_keyboard)


def test_whatsapp_reply_buttons_and_lists():
    buttons = interactive_message("Confirm?", [{"title": "Yes", "payload": "/affirm"},
                                               {"title": "No", "payload": "/deny"}])
    assert buttons["type"] == "button"
    assert [b["reply"] for b in buttons["action"]["buttons"]] == [{"id": "/affirm", "title": "Yes"},
                                                                  {"id": "/deny", "title": "No"}]
    options = [{"title": f"SR-20451{i} · Wireless headphones with a long name", "payload": f"/p{i}"}
               for i in range(12)]
    listed = interactive_message("Which order?", options)
    rows = listed["action"]["sections"][0]["rows"]
    assert listed["type"] == "list" and len(rows) == 10 and listed["action"]["button"]
    assert all(len(r["title"]) <= 24 and len(r["description"]) <= 72 for r in rows)
    assert rows[0]["id"] == "/p0"


def test_whatsapp_notifications_are_read():
    notification = whatsapp_notification("1", "971500000009", "hello")
    assert [(m["sender"], m["text"], m["name"]) for m in incoming_messages(notification)] == [
        ("971500000009", "hello", "Test")]
    pressed = whatsapp_notification("1", "971500000009", button={"id": "/affirm", "title": "Yes"})
    assert [m["text"] for m in incoming_messages(pressed)] == ["/affirm"]
    listed = whatsapp_notification("1", "971500000009", "x")
    listed["entry"][0]["changes"][0]["value"]["messages"][0] = {
        "from": "971500000009", "id": "wamid.2", "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": "/p3", "title": "SR-204513"}}}
    assert [m["text"] for m in incoming_messages(listed)] == ["/p3"]
    status = whatsapp_notification("1", "971500000009", "x")
    value = status["entry"][0]["changes"][0]["value"]
    value.pop("messages")
    value["statuses"] = [{"id": "wamid.1", "status": "delivered", "recipient_id": "971500000009"}]
    assert list(incoming_messages(status)) == []
    assert list(incoming_messages({"object": "page", "entry": []})) == []
    assert list(incoming_messages(["not", "a", "dict"])) == []


def test_recent_message_ids_are_remembered_up_to_a_limit():
    seen = RecentIds(size=2)
    assert seen.first_time("a") and seen.first_time("b") and not seen.first_time("a")
    assert seen.first_time("c")  # "a" is forgotten now
    assert seen.first_time("a") and seen.first_time(None) and seen.first_time(None)


def test_ids_seen_by_one_process_are_dropped_by_another_through_redis(monkeypatch):
    prefix = f"test-seen-{uuid.uuid4().hex[:8]}:"
    first, second = SharedRecentIds(REDIS, prefix), SharedRecentIds(REDIS, prefix)  # two Rasa workers
    try:
        assert first.first_time("u-1") and not second.first_time("u-1") and not first.first_time("u-1")
        assert second.first_time("u-2") and first.first_time(None)
        assert 0 < first.red.ttl(prefix + "u-1") <= 24 * 3600
    finally:
        first.red.delete(prefix + "u-1", prefix + "u-2")
    assert SharedRecentIds("redis://127.0.0.1:1/0", prefix).first_time("u-3")  # Redis away: let through
    monkeypatch.delenv("SILKROAD_CHANNEL_REDIS_URL", raising=False)
    rasa_settings.cache_clear()
    assert isinstance(recent_ids("telegram"), RecentIds)
    monkeypatch.setenv("SILKROAD_CHANNEL_REDIS_URL", REDIS)
    monkeypatch.setenv("SILKROAD_INSTANCE", "shop7")
    rasa_settings.cache_clear()
    shared = recent_ids("whatsapp")
    assert isinstance(shared, SharedRecentIds) and shared.prefix == "shop7:seen:whatsapp:"


def test_signature_is_meta_s_hmac_sha256():
    body = b'{"object": "whatsapp_business_account"}'
    assert signature_of(body, "secret") == "sha256=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("url,base,expected", [
    ("https://cdn.example/p/1.jpg", None, "https://cdn.example/p/1.jpg"),
    ("/media/p/1.PNG", "https://shop.example", "https://shop.example/media/p/1.PNG"),
    ("/media/p/1.png", None, None),  # a path with nowhere public to serve it from
    ("/media/categories/audio.svg", "https://shop.example", None),  # the platforms show no SVG
    ("ftp://x/1.jpg", None, None),
    (None, "https://shop.example", None),
])
def test_photo_urls(url, base, expected):
    assert photo_url(url, base) == expected


def test_settings_are_checked():
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramInput.from_credentials({"access_token": TOKEN})
    with pytest.raises(ValueError, match="WHATSAPP_APP_SECRET"):
        WhatsAppInput.from_credentials({"access_token": "t", "phone_number_id": "1", "verify_token": "v"})
    with pytest.raises(ValueError, match="seconds"):
        timeout_setting({"timeout": "soon"}, "TELEGRAM_TIMEOUT", 10.0)
    assert timeout_setting({}, "TELEGRAM_TIMEOUT", 7.0) == 7.0 and timeout_setting({"timeout": 3}, "x", 7.0) == 3.0
    assert TelegramInput.from_credentials(None).get_output_channel() is None  # off without a token
    assert WhatsAppInput.from_credentials({}).get_output_channel() is None


def test_product_cards_for_the_web_widget():
    card = product_card({"text": "Headphones: 120.00 SAR.", "image": "/media/categories/audio.svg",
                         "title": "Headphones"})
    element = card["attachment"]["payload"]["elements"][0]
    assert card["attachment"]["payload"]["template_type"] == "generic"
    assert element == {"title": "Headphones", "subtitle": "Headphones: 120.00 SAR.",
                       "image_url": "/media/categories/audio.svg", "buttons": []}
    assert product_card({"text": "Pick one", "image": "/x.png", "buttons": [{"title": "a", "payload": "/a"}]}) is None
    assert product_card({"text": "Just text"}) is None


def test_telegram_output_sends_photos_with_captions_and_falls_back_to_text():
    fake = FakeTelegram(TOKEN)
    with fake.running():
        async def scenario():
            output = TelegramOutput(TOKEN, fake.url, timeout=5, public_base_url="https://shop.example")
            await output.send_response("42", {"text": "Headphones: 120 SAR", "image": "/media/p/1.png"})
            await output.send_response("42", {"text": "Cable: 5 SAR", "image": "https://x/unreachable.png"})
            await output.send_response("42", {"text": "Tile: 7 SAR", "image": "/media/categories/audio.svg"})
            await output.send_response("42", {"text": "Which?", "buttons": [{"title": "A", "payload": "/a"}]})
            await output.session.close()
        asyncio.run(scenario())
    calls = fake.calls_to("42")
    assert [(c["method"], c["params"].get("caption") or c["params"].get("text")) for c in calls] == [
        ("sendPhoto", "Headphones: 120 SAR"),
        ("sendPhoto", "Cable: 5 SAR"),  # refused by Telegram ...
        ("sendMessage", "Cable: 5 SAR"),  # ... so the text goes alone
        ("sendMessage", "Tile: 7 SAR"),  # SVG: never offered as a photo
        ("sendMessage", "Which?"),
    ]
    assert calls[0]["params"]["photo"] == "https://shop.example/media/p/1.png"
    assert calls[-1]["params"]["reply_markup"] == {"inline_keyboard": [[{"text": "A", "callback_data": "/a"}]]}


def test_telegram_output_survives_an_api_that_is_down():
    async def scenario():
        output = TelegramOutput(TOKEN, "http://127.0.0.1:9", timeout=2)  # nothing listens on port 9
        await output.send_text_message("42", "hello")  # logged, not raised: the webhook still answers
        await output.session.close()
    asyncio.run(scenario())


def test_whatsapp_output_against_the_fake_cloud_api():
    fake = FakeWhatsApp("token", "555")
    with fake.running():
        async def scenario():
            output = WhatsAppOutput("token", "555", fake.url, timeout=5, public_base_url="https://shop.example")
            await output.send_response("97150", {"text": "Headphones: 120 SAR", "image": "/media/p/1.png"})
            await output.send_response("97150", {"text": "Yes or no?", "buttons": [
                {"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]})
            await output.send_text_message("97150", "one\n\ntwo")
            await output.close()
            wrong = WhatsAppOutput("stolen", "555", fake.url, timeout=5)
            await wrong.send_text_message("97150", "never delivered")
            await wrong.close()
        asyncio.run(scenario())
    calls = fake.calls_to("97150")
    assert [c["type"] for c in calls] == ["image", "interactive", "text", "text"]
    assert calls[0]["body"]["image"] == {"link": "https://shop.example/media/p/1.png", "caption": "Headphones: 120 SAR"}
    assert calls[1]["body"]["interactive"]["type"] == "button"
    assert FakeWhatsApp.texts(calls) == ["Headphones: 120 SAR", "Yes or no?", "one", "two"]


def test_the_telegram_channel_builds_without_touching_the_network():
    """Rasa 3.6's own channel calls setWebhook on api.telegram.org here and fails offline; ours calls nothing."""
    channel = TelegramInput.from_credentials({"access_token": TOKEN, "secret_token": "s"})
    assert channel.api_base_url == "https://api.telegram.org"
    output = channel.get_output_channel()
    assert output is channel.get_output_channel()  # one Bot (one HTTP session) per process
    assert channel.blueprint(lambda message: None) is not None
    assert output._session is None  # no HTTP session was even opened
