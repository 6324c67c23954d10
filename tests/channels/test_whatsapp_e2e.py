"""WhatsApp end to end: real Cloud API notifications, signed as Meta signs them, posted to Rasa's webhook;
answers read at a fake Graph API.

The verification handshake answers the challenge only to the right verify token; a notification with a
missing or wrong X-Hub-Signature-256 is refused; in each language a buyer links the number by typing the
code, asks for their order, gets their orders as interactive buttons or a list, picks one and reads its
status in their language.
"""

import itertools
import json

import pytest
import requests

from bot.whatsapp_channel import signature_of
from tests.assistant_stack import WHATSAPP_APP_SECRET, WHATSAPP_PHONE_ID, WHATSAPP_VERIFY_TOKEN
from tests.channels.fake_platforms import FakeWhatsApp, whatsapp_notification
from tests.channels.journeys import BUYERS, in_language, order_number_of, status_word

NUMBERS = itertools.count(971500000001)


def webhook(stack):
    return f"{stack.rasa_url}/webhooks/whatsapp/webhook"


def post(stack, notification, secret=WHATSAPP_APP_SECRET, signature=None):
    body = json.dumps(notification).encode()
    headers = {"Content-Type": "application/json"}
    if signature is None and secret is not None:
        signature = signature_of(body, secret)
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(webhook(stack), data=body, headers=headers, timeout=60)


def send(stack, wa_id, text=None, button=None):
    """One message; the bot's calls to the Cloud API that it caused."""
    before = len(stack.whatsapp.calls_to(wa_id))
    answer = post(stack, whatsapp_notification(WHATSAPP_PHONE_ID, wa_id, text, button))
    assert answer.status_code == 200, answer.text
    return stack.whatsapp.wait_for(wa_id, before + 1)[before:]


def test_the_verification_handshake(channel_stack):
    params = {"hub.mode": "subscribe", "hub.verify_token": WHATSAPP_VERIFY_TOKEN, "hub.challenge": "1158201444"}
    answer = requests.get(webhook(channel_stack), params=params, timeout=10)
    assert answer.status_code == 200 and answer.text == "1158201444"
    for wrong in ({**params, "hub.verify_token": "guess"}, {**params, "hub.mode": "unsubscribe"},
                  {"hub.challenge": "1"}):
        answer = requests.get(webhook(channel_stack), params=wrong, timeout=10)
        assert answer.status_code == 403 and "1158201444" not in answer.text


@pytest.mark.parametrize("how", ["missing", "other secret", "other body", "not hex"])
def test_a_forged_notification_is_refused(channel_stack, how):
    wa_id = str(next(NUMBERS))
    notification = whatsapp_notification(WHATSAPP_PHONE_ID, wa_id, "where is my order?")
    if how == "missing":
        answer = post(channel_stack, notification, secret=None)
    elif how == "other secret":
        answer = post(channel_stack, notification, secret="not-the-app-secret")
    elif how == "other body":
        answer = post(channel_stack, notification, signature=signature_of(b"{}", WHATSAPP_APP_SECRET))
    else:
        answer = post(channel_stack, notification, signature="sha256=zz")
    assert answer.status_code == 403
    assert channel_stack.whatsapp.wait_for(wa_id, 1, timeout=2) == []


@pytest.mark.parametrize("language", sorted(BUYERS))
def test_a_linked_buyer_tracks_an_order_in_their_language(channel_stack, language):
    stack = channel_stack
    buyer, question, code_message, _ = BUYERS[language]
    wa_id = str(next(NUMBERS))

    unlinked = FakeWhatsApp.texts(send(stack, wa_id, question))
    assert unlinked and in_language(unlinked, language) and "SR-" not in " ".join(unlinked), unlinked

    account = stack.account_page(buyer, language)  # its wa.me link carries the code as the message to send
    assert stack.query_value(account["whatsapp"], "text") == account["code"]
    linked = send(stack, wa_id, code_message.format(code=account["code"]))
    assert stack.backends.account_links.linked_buyer("whatsapp", wa_id) == buyer, FakeWhatsApp.texts(linked)
    assert in_language(FakeWhatsApp.texts(linked), language), linked

    offered = [c["body"]["interactive"] for c in send(stack, wa_id, question) if c["type"] == "interactive"]
    assert offered, FakeWhatsApp.texts(stack.whatsapp.calls_to(wa_id))
    interactive = offered[-1]
    if interactive["type"] == "button":
        choice = interactive["action"]["buttons"][0]["reply"]
    else:
        rows = interactive["action"]["sections"][0]["rows"]
        assert all(len(row["title"]) <= 24 for row in rows) and len(rows) <= 10
        choice = rows[0]
    assert choice["id"].startswith("/track_order")

    number = order_number_of(choice["id"])
    texts = FakeWhatsApp.texts(send(stack, wa_id, button={"id": choice["id"], "title": choice["title"]}))
    assert texts and number in texts[0] and status_word(stack.backends, buyer, number, language) in texts[0], texts
    assert in_language(texts, language), texts


def test_a_message_delivered_twice_is_answered_once(channel_stack):
    wa_id = str(next(NUMBERS))
    notification = whatsapp_notification(WHATSAPP_PHONE_ID, wa_id, "hello")
    assert post(channel_stack, notification).status_code == 200
    answers = len(channel_stack.whatsapp.wait_for(wa_id, 1))
    assert answers >= 1
    assert post(channel_stack, notification).status_code == 200
    assert len(channel_stack.whatsapp.wait_for(wa_id, answers + 1, timeout=3)) == answers
