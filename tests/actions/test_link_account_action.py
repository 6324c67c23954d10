"""Linking a messaging chat with the one-time code, against the real backends: the order journeys then act
for that buyer in that chat, and only there; only a chat the platform proved may link."""

import pytest

from actions.clients.http import BackendConfig, BackendHttp
from actions.identity import identify
from actions.link_account import ActionLinkAccount
from common import development_secrets, sender_proof
from tests.actions.action_harness import as_the_channel_stores_it, run, tracker_for


def new_code(backends, buyer):
    """A code the shop issues on its account page (with the shop's key)."""
    shop = BackendHttp(BackendConfig(base_url=backends.account_links.http.config.base_url,
                                     api_key=development_secrets.BACKEND_API_KEYS["shop"]))
    return shop.post("/v1/account-links/codes", headers={"X-Buyer-Id": buyer})["code"]


def send(text, channel="telegram", sender="tg-5550101", entities=(), metadata=None, raw_metadata=False):
    return [m["response"] for m in run(ActionLinkAccount(), tracker_for(
        text, "link_account", entities=list(entities), channel=channel, sender=sender, metadata=metadata,
        raw_metadata=raw_metadata))]


def linked(using, channel, sender):
    return identify(as_the_channel_stores_it({}, channel, sender), channel, sender, using.account_links)


def test_a_code_links_the_chat_to_the_buyer(using):
    code = new_code(using, "buyer-uz-timur")
    typed = code.lower().replace("-", " ")  # as a buyer may type it
    assert send(f"my code is {typed}", sender="tg-5550101") == ["utter_account_linked"]
    identity = linked(using, "telegram", "tg-5550101")
    assert identity.buyer_id == "buyer-uz-timur" and identity.verified_by == "account_link"
    assert linked(using, "telegram", "tg-5550102") is None  # another Telegram user
    assert send(code, sender="tg-5550101") == ["utter_account_linked"]  # a resent code: already linked
    assert send(code, sender="tg-5550199") == ["utter_link_code_used"]  # somebody else cannot reuse it


@pytest.mark.parametrize("text,response", [
    ("ZZZZ-ZZZZ", "utter_link_code_invalid"),  # well formed, never issued
    ("link please", "utter_link_code_invalid"),
])
def test_wrong_codes_are_refused(using, text, response):
    assert send(text, channel="whatsapp", sender="79990001122") == [response]
    assert linked(using, "whatsapp", "79990001122") is None


def test_codes_are_for_messaging_apps_only(using):
    code = new_code(using, "buyer-uz-timur")
    assert send(code, channel="rest", sender="web-1") == ["utter_link_only_in_messaging_apps"]
    assert send(code, channel="whatsapp", sender="79990003344",
                entities=[{"entity": "link_code", "value": code}]) == ["utter_account_linked"]


def test_a_chat_the_platform_did_not_prove_cannot_link(using):
    """A forged tracker (or a message injected through Rasa's API) naming the Telegram channel and a chat id:
    without the channel's own proof, a proof signed with another secret, or a proof made for another chat, the
    code is not redeemed, and stays usable by its buyer."""
    code = new_code(using, "buyer-uz-timur")
    other_chat = as_the_channel_stores_it({}, "telegram", "tg-5550300")
    forged = {sender_proof.METADATA_KEY: sender_proof.sign("not-the-assistants-secret", "telegram", "tg-5550301",
                                                           platform_verified=True)}
    for metadata in ({}, forged, other_chat):
        assert send(code, sender="tg-5550301", metadata=metadata, raw_metadata=True) == \
            ["utter_link_only_in_messaging_apps"]
    assert send(code, sender="tg-5550301") == ["utter_account_linked"]
