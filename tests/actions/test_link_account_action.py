"""Linking a messaging chat with the one-time code, against the real backends: the order journeys then act
for that buyer in that chat, and only there."""

import pytest

from actions.identity import identify
from actions.link_account import ActionLinkAccount
from tests.actions.action_harness import run, tracker_for


def new_code(backends, buyer):
    return backends.account_links.http.post("/v1/account-links/codes", headers={"X-Buyer-Id": buyer})["code"]


def send(text, channel="telegram", sender="tg-5550101", entities=()):
    return [m["response"] for m in run(ActionLinkAccount(), tracker_for(text, "link_account", entities=list(entities),
                                                                        channel=channel, sender=sender))]


def test_a_code_links_the_chat_to_the_buyer(using):
    code = new_code(using, "buyer-uz-timur")
    typed = code.lower().replace("-", " ")  # as a buyer may type it
    assert send(f"my code is {typed}", sender="tg-5550101") == ["utter_account_linked"]
    identity = identify({}, "telegram", "tg-5550101", using.account_links)
    assert identity.buyer_id == "buyer-uz-timur" and identity.verified_by == "account_link"
    assert identify({}, "telegram", "tg-5550102", using.account_links) is None  # another Telegram user
    assert send(code, sender="tg-5550101") == ["utter_account_linked"]  # a resent code: already linked
    assert send(code, sender="tg-5550199") == ["utter_link_code_used"]  # somebody else cannot reuse it


@pytest.mark.parametrize("text,response", [
    ("ZZZZ-ZZZZ", "utter_link_code_invalid"),  # well formed, never issued
    ("link please", "utter_link_code_invalid"),
])
def test_wrong_codes_are_refused(using, text, response):
    assert send(text, channel="whatsapp", sender="79990001122") == [response]
    assert identify({}, "whatsapp", "79990001122", using.account_links) is None


def test_codes_are_for_messaging_apps_only(using):
    code = new_code(using, "buyer-uz-timur")
    assert send(code, channel="rest", sender="web-1") == ["utter_link_only_in_messaging_apps"]
    assert send(code, channel="whatsapp", sender="79990003344",
                entities=[{"entity": "link_code", "value": code}]) == ["utter_account_linked"]
