"""A buyer is known by what a channel proved (a shop-signed token it verified, or a messaging platform that
authenticated the sender and a linked account), never by a sender id or a channel's name."""

import pytest

from actions.clients.account_links import AccountLinksClient
from actions.clients.http import BackendConfig, BackendHttp, BackendUnavailable
from actions.identity import identify, platform_verified
from common import sender_proof
from common.development_secrets import BACKEND_API_KEYS
from tests.actions.action_harness import as_the_channel_stores_it
from tests.buyer_tokens import sign_buyer_token
from tests.servers import free_port


def offline_links() -> AccountLinksClient:
    return AccountLinksClient(BackendHttp(BackendConfig(base_url=f"http://127.0.0.1:{free_port()}", attempts=1)))


def test_a_token_the_channel_verified_names_its_buyer():
    token = sign_buyer_token("buyer-sa-noura")
    for channel, metadata in (("rest", {"buyer_token": token}),
                              ("socketio", {"customData": {"buyer_token": token, "language": "ar"}})):
        stored = as_the_channel_stores_it(metadata, channel, "web-7")
        identity = identify(stored, channel, "web-7", offline_links())
        assert (identity.buyer_id, identity.verified_by) == ("buyer-sa-noura", "token")
        assert identify(stored, channel, "web-8", offline_links()) is None  # the proof is for web-7 only
        assert identify(stored, "telegram", "web-7", offline_links()) is None  # and for its own channel


@pytest.mark.parametrize("token", [
    sign_buyer_token("buyer-kz-aidana", secret="not-the-shops-secret-but-long-enough-0123"),   # forged
    sign_buyer_token("buyer-kz-aidana", lifetime_seconds=-10),             # expired
    "not.a.token", "",
])
def test_forged_expired_and_malformed_tokens_name_nobody(token):
    stored = as_the_channel_stores_it({"buyer_token": token}, "socketio", "x")
    assert identify(stored, "socketio", "x", offline_links()) is None


def test_a_sender_id_or_a_raw_token_proves_nothing():
    token = sign_buyer_token("buyer-sa-noura")
    assert identify({}, "rest", "buyer-sa-noura", offline_links()) is None
    assert identify({"buyer_token": token}, "rest", "x", offline_links()) is None  # not through a channel
    claimed = {sender_proof.METADATA_KEY: sender_proof.sign("guessed-secret", "rest", "x", buyer_id="buyer-sa-noura")}
    assert identify(claimed, "rest", "x", offline_links()) is None


def test_a_messaging_user_is_looked_up_only_when_the_platform_proved_them():
    proved = as_the_channel_stores_it({}, "telegram", "1001")
    assert platform_verified(proved, "telegram", "1001") and not platform_verified({}, "telegram", "1001")
    with pytest.raises(BackendUnavailable):  # a proved messaging user is looked up; the backend is away
        identify(proved, "telegram", "1001", offline_links())
    assert identify({}, "telegram", "1001", offline_links()) is None  # no proof: no lookup at all
    rest_proof = as_the_channel_stores_it({}, "rest", "1001")
    assert not platform_verified(rest_proof, "rest", "1001")


def test_a_linked_telegram_account_acts_for_its_buyer(backends):
    links, backend = backends.account_links, backends.account_links.http
    shop = BackendHttp(BackendConfig(base_url=backend.config.base_url, api_key=BACKEND_API_KEYS["shop"]))
    proved = as_the_channel_stores_it({}, "telegram", "777001")
    assert identify(proved, "telegram", "777001", links) is None
    code = shop.post("/v1/account-links/codes", headers={"X-Buyer-Id": "buyer-kz-aidana"})["code"]  # the shop's page
    backend.post("/v1/account-links/redeem", {"code": code, "channel": "telegram", "channel_user_id": "777001"})
    identity = identify(proved, "telegram", "777001", links)
    assert (identity.buyer_id, identity.verified_by) == ("buyer-kz-aidana", "account_link")
    assert identify({}, "telegram", "777001", links) is None  # the same chat id without the platform's proof
    proved_whatsapp = as_the_channel_stores_it({}, "whatsapp", "777001")
    assert identify(proved_whatsapp, "whatsapp", "777001", links) is None  # the link is per platform
