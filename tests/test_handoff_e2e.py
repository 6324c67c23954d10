"""Journey 7 end to end (backends with the support desk, action server, Rasa publishing to its SQL event
broker): a buyer asks for a person and learns their place; while the conversation is handed off the bot
answers only to say, once (and again hours later), that a person will answer, and the buyer's messages reach
the console with the bot's understanding; an agent takes
the conversation, replies through the buyer's own channel (REST, Telegram, WhatsApp), hands it back, and the
bot answers again. A session that expires during a handoff does not wake the bot."""

import itertools
import re
import time
import uuid

import pytest
import requests

from tests.assistant_stack import AGENT_NAME, TELEGRAM_SECRET, WHATSAPP_PHONE_ID, eventually
from tests.channels.fake_platforms import FakeTelegram, FakeWhatsApp, telegram_update, whatsapp_notification
from tests.channels.test_whatsapp_e2e import post as post_whatsapp
from tests.servers import rasa_api, say, say_texts

QUEUE_PLACE = {"en": r"number (\d+) in the queue", "zh": r"排在第 (\d+) 位", "ru": r"номер в очереди: (\d+)",
               "ar": r"ترتيبك في قائمة الانتظار: (\d+)"}
ASK_FOR_A_PERSON = {"en": "I want to talk to a real person", "zh": "我要转人工客服", "ru": "позовите оператора",
                    "ar": "أريد التحدث مع موظف"}
UPDATE_IDS = itertools.count(50000)
CHAT_IDS = itertools.count(770000001)


def waiting_item(console, stack, conversation_id):
    def probe():
        items = console.get(f"{stack.shop_url}/console/api/queue", timeout=10).json()["waiting"]
        return next((item for item in items if item["conversation_id"] == conversation_id), None)
    return eventually(probe, what=f"{conversation_id} in the queue")


def transcript(console, stack, conversation_id):
    answer = console.get(f"{stack.shop_url}/console/api/conversations/{conversation_id}", timeout=10)
    answer.raise_for_status()
    return answer.json()


def user_lines(console, stack, conversation_id, at_least):
    lines = [e for e in transcript(console, stack, conversation_id)["events"] if e["kind"] == "user"]
    return lines if len(lines) >= at_least else None


def act(console, stack, conversation_id, action, **body):
    answer = console.post(f"{stack.shop_url}/console/api/conversations/{conversation_id}/{action}", json=body,
                          timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("language", ["en", "zh", "ru", "ar"])
def test_a_person_on_request_silence_meanwhile_and_the_bot_back_after(assistant_stack, language):
    stack, sender = assistant_stack, f"handoff-{language}-{uuid.uuid4().hex[:8]}"
    told = say_texts(stack.rasa_url, ASK_FOR_A_PERSON[language], sender)
    assert len(told) == 1 and re.search(QUEUE_PLACE[language], told[0]), told
    assert stack.tracker(sender)["paused"]

    # While handed off the bot answers only to say, once, that a person will answer (and the place now); the
    # messages are kept for the agent.
    notice = say_texts(stack.rasa_url, "where is my order SR-204517?", sender)
    # (in the language of the message: the buyer wrote English)
    assert len(notice) == 1 and re.search(QUEUE_PLACE["en"], notice[0]) and notice != told, notice
    assert say(stack.rasa_url, "hello??", sender) == []

    console = stack.console()
    item = waiting_item(console, stack, sender)
    assert (item["reason"], item["language"], item["channel"]) == ("buyer_request", language, "rest")
    assert int(re.search(QUEUE_PLACE[language], told[0]).group(1)) >= item["queue_position"] >= 1
    lines = eventually(lambda: user_lines(console, stack, sender, at_least=3), what="the messages in the console")
    assert [line["text"] for line in lines[-2:]] == ["where is my order SR-204517?", "hello??"]
    assert lines[0]["intent"] == "human_handoff" and lines[-2]["intent"] == "track_order"
    assert {"entity": "order_id", "value": "SR-204517"} in lines[-2]["entities"]

    taken = act(console, stack, sender, "take")
    assert taken["status"] == "active" and taken["mine"]
    act(console, stack, sender, "reply", text="Hello, this is Amina from support.")
    bot_events = [e for e in stack.tracker(sender)["events"] if e["event"] == "bot"]
    assert bot_events[-1]["text"] == "Hello, this is Amina from support."
    assert bot_events[-1]["metadata"]["agent"] == AGENT_NAME
    assert say(stack.rasa_url, "thanks Amina", sender) == []  # a person is there: the bot says nothing
    eventually(lambda: any(e["kind"] == "agent" for e in transcript(console, stack, sender)["events"]),
               what="the agent's reply in the transcript")

    act(console, stack, sender, "hand-back", note="explained the delivery; bot can take it from here")
    tracker = stack.tracker(sender)
    assert not tracker["paused"]
    assert tracker["events"][-1]["event"] == "action" and tracker["events"][-1]["name"] == "action_listen"
    answer = say_texts(stack.rasa_url, "where is my order?", sender)
    assert answer and answer[0], "the bot did not answer after the hand-back"
    assert not stack.tracker(sender)["paused"]


def test_a_session_that_expires_during_a_handoff_keeps_the_conversation_with_a_person(assistant_stack):
    stack, sender = assistant_stack, f"expiry-{uuid.uuid4().hex[:8]}"
    assert say(stack.rasa_url, "operator please", sender)
    # The buyer's last message is made two hours old: the next one starts a new session.
    two_hours_ago = time.time() - 7200
    rasa_api(stack.rasa_url, "POST", f"/conversations/{sender}/tracker/events", json=[
        {"event": "user", "text": "still there?", "timestamp": two_hours_ago,
         "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}}]).raise_for_status()
    told = say_texts(stack.rasa_url, "hello, anyone?", sender)  # hours later: told again a person will answer
    assert len(told) == 1 and re.search(QUEUE_PLACE["en"], told[0]), told
    assert say(stack.rasa_url, "hello??", sender) == []
    tracker = stack.tracker(sender)
    kinds = [e["event"] for e in tracker["events"]]
    started = len(kinds) - 1 - kinds[::-1].index("session_started")
    assert "pause" in kinds[started:] and tracker["paused"], kinds[-8:]
    assert tracker["slots"]["language"] == "en"  # what the buyer told before is kept


def test_a_third_message_not_understood_hands_over(assistant_stack):
    stack, sender = assistant_stack, f"fallback-{uuid.uuid4().hex[:8]}"
    for _ in range(3):  # not understood, as NLU reports it (which texts NLU fails on is the NLU tests' matter)
        answers = say_texts(stack.rasa_url, "/nlu_fallback", sender)
    assert re.search(QUEUE_PLACE["en"], answers[-1]), answers
    console = stack.console()
    assert waiting_item(console, stack, sender)["reason"] == "repeated_fallback"


def test_an_agents_reply_reaches_telegram(assistant_stack):
    stack, chat_id = assistant_stack, next(CHAT_IDS)
    update = telegram_update(next(UPDATE_IDS), chat_id, "позовите оператора", "ru")
    requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", json=update, timeout=60,
                  headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}).raise_for_status()
    told = FakeTelegram.texts(stack.telegram.wait_for(chat_id, 1))
    assert re.search(QUEUE_PLACE["ru"], told[0]), told
    console = stack.console()
    item = waiting_item(console, stack, str(chat_id))
    assert (item["channel"], item["language"]) == ("telegram", "ru")
    act(console, stack, str(chat_id), "take")
    act(console, stack, str(chat_id), "reply", text="Здравствуйте! Я Амина из поддержки.")
    texts = FakeTelegram.texts(stack.telegram.wait_for(chat_id, 2))
    assert texts[-1] == "Здравствуйте! Я Амина из поддержки."
    act(console, stack, str(chat_id), "close")
    texts = FakeTelegram.texts(stack.telegram.wait_for(chat_id, 4))
    assert "завершила этот разговор" in texts[2] and "от 1 (плохо) до 5 (отлично)" in texts[3], texts


def test_an_agents_reply_reaches_whatsapp(assistant_stack):
    stack, wa_id = assistant_stack, f"62812{uuid.uuid4().int % 10**7:07d}"
    post_whatsapp(stack, whatsapp_notification(WHATSAPP_PHONE_ID, wa_id, "I need a human agent please"))
    told = FakeWhatsApp.texts(stack.whatsapp.wait_for(wa_id, 1))
    assert re.search(QUEUE_PLACE["en"], told[0]), told
    console = stack.console()
    assert waiting_item(console, stack, wa_id)["channel"] == "whatsapp"
    act(console, stack, wa_id, "take")
    act(console, stack, wa_id, "reply", text="Hi, Amina here. Let me check.")
    assert FakeWhatsApp.texts(stack.whatsapp.wait_for(wa_id, 2))[-1] == "Hi, Amina here. Let me check."
    act(console, stack, wa_id, "hand-back", note="nothing to do")
    assert "Silk Road Assistant again" in FakeWhatsApp.texts(stack.whatsapp.wait_for(wa_id, 3))[-1]
