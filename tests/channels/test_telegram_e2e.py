"""Telegram end to end: real Bot API updates posted to Rasa's webhook, answers read at a fake Bot API.

The channel started without the internet (the fake saw no setWebhook or getMe); a forged or missing
secret token is refused; in each language a buyer opens the deep link on the shop's account page (which
makes Telegram send /start CODE), asks for their order, gets their orders as an inline keyboard, presses one
and reads its status in their language.
"""

import itertools

import pytest
import requests

from tests.assistant_stack import TELEGRAM_SECRET
from tests.channels.fake_platforms import FakeTelegram, telegram_update
from tests.channels.journeys import BUYERS, DETECTOR, in_language, order_number_of, status_word

UPDATE_IDS = itertools.count(1000)
CHAT_IDS = itertools.count(880000001)


def post(stack, update, secret=TELEGRAM_SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60)


def send(stack, chat_id, language_code, text=None, callback_data=None, update=None):
    """One update; the bot's calls to the Bot API that it caused (those naming the chat)."""
    before = len(stack.telegram.calls_to(chat_id))
    update = update or telegram_update(next(UPDATE_IDS), chat_id, text, language_code, callback_data)
    answer = post(stack, update)
    assert answer.status_code == 200, answer.text
    return stack.telegram.wait_for(chat_id, before + 1)[before:]


def test_the_channel_started_offline(channel_stack):
    methods = {call["method"] for call in channel_stack.telegram.calls}
    assert not methods & {"setWebhook", "getMe", "deleteWebhook"}


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM_SECRET + "x"])
def test_a_forged_update_is_refused(channel_stack, secret):
    chat_id = next(CHAT_IDS)
    answer = post(channel_stack, telegram_update(next(UPDATE_IDS), chat_id, "/start", "en"), secret=secret)
    assert answer.status_code == 403
    assert channel_stack.telegram.wait_for(chat_id, 1, timeout=2) == []


@pytest.mark.parametrize("language", sorted(BUYERS))
def test_a_linked_buyer_tracks_an_order_in_their_language(channel_stack, language):
    stack = channel_stack
    buyer, question, _, language_code = BUYERS[language]
    chat_id = next(CHAT_IDS)

    # Before linking, order questions are answered with how to link (never with someone's orders).
    unlinked = FakeTelegram.texts(send(stack, chat_id, language_code, question))
    assert unlinked and in_language(unlinked, language) and "SR-" not in " ".join(unlinked), unlinked

    # The shop's account page links to t.me/<bot>?start=<code>; Telegram then sends "/start <code>".
    deep_link = stack.account_page(buyer, language)["telegram"]
    assert deep_link.startswith("https://t.me/SilkRoadTestBot?")
    linked = send(stack, chat_id, language_code, f"/start {stack.query_value(deep_link, 'start')}")
    assert stack.backends.account_links.linked_buyer("telegram", str(chat_id)) == buyer
    assert in_language(FakeTelegram.texts(linked), language), linked

    offered = send(stack, chat_id, language_code, question)
    keyboards = [c["params"]["reply_markup"]["inline_keyboard"] for c in offered if "reply_markup" in c["params"]]
    assert keyboards, offered
    first = keyboards[-1][0][0]
    assert first["callback_data"].startswith("/track_order") and len(first["callback_data"].encode()) <= 64

    number = order_number_of(first["callback_data"])
    press = telegram_update(next(UPDATE_IDS), chat_id, language_code=language_code,
                            callback_data=first["callback_data"])
    texts = FakeTelegram.texts(send(stack, chat_id, language_code, update=press))
    answered = [c for c in stack.telegram.calls if c["method"] == "answerCallbackQuery"]
    assert press["callback_query"]["id"] in [c["params"]["callback_query_id"] for c in answered]  # stops spinning
    assert texts and number in texts[0] and status_word(stack.backends, buyer, number, language) in texts[0], texts
    assert in_language(texts, language), texts


def test_start_without_a_code_greets_in_the_users_language(channel_stack):
    chat_id = next(CHAT_IDS)
    texts = FakeTelegram.texts(send(channel_stack, chat_id, "ru", "/start"))
    assert texts and in_language(texts, "ru") and any(DETECTOR.from_text(t) == "ru" for t in texts), texts


def test_group_chats_are_not_answered(channel_stack):
    chat_id = -next(CHAT_IDS)
    answer = post(channel_stack, telegram_update(next(UPDATE_IDS), chat_id, "where is my order?", "en",
                                                 chat_type="group"))
    assert answer.status_code == 200
    assert channel_stack.telegram.wait_for(chat_id, 1, timeout=2) == []


def test_an_update_delivered_twice_is_answered_once(channel_stack):
    chat_id = next(CHAT_IDS)
    update = telegram_update(next(UPDATE_IDS), chat_id, "/start", "en")
    assert post(channel_stack, update).status_code == 200
    answers = len(channel_stack.telegram.wait_for(chat_id, 1))
    assert answers >= 1
    assert post(channel_stack, update).status_code == 200
    assert len(channel_stack.telegram.wait_for(chat_id, answers + 1, timeout=3)) == answers
