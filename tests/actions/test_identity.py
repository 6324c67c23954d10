"""A buyer is known by a shop-signed token or a linked messaging account, never by a sender id."""

import pytest

from actions.clients.account_links import AccountLinksClient
from actions.clients.http import BackendConfig, BackendHttp, BackendUnavailable
from actions.identity import identify, verify_buyer_token
from tests.buyer_tokens import sign_buyer_token
from tests.servers import free_port


def test_a_signed_token_names_the_buyer():
    assert verify_buyer_token(sign_buyer_token("buyer-kz-aidana")) == "buyer-kz-aidana"


@pytest.mark.parametrize("token", [
    sign_buyer_token("buyer-kz-aidana", secret="not-the-shops-secret-but-long-enough-0123"),   # forged
    sign_buyer_token("buyer-kz-aidana", lifetime_seconds=-10),             # expired
    "not.a.token", "",
])
def test_forged_expired_and_malformed_tokens_name_nobody(token):
    assert verify_buyer_token(token) is None


def test_metadata_token_from_the_page_or_the_widget(monkeypatch):
    offline = AccountLinksClient(BackendHttp(BackendConfig(base_url=f"http://127.0.0.1:{free_port()}", attempts=1)))
    token = sign_buyer_token("buyer-sa-noura")
    assert identify({"buyer_token": token}, "rest", "anyone", offline).buyer_id == "buyer-sa-noura"
    assert identify({"customData": {"buyer_token": token, "language": "ar"}}, "socketio", "x", offline).verified_by \
        == "token"
    assert identify({}, "rest", "buyer-sa-noura", offline) is None  # a sender id proves nothing
    assert identify({"buyer_token": "forged"}, "socketio", "x", offline) is None
    with pytest.raises(BackendUnavailable):  # a messaging user is looked up; the backend is away
        identify({}, "telegram", "1001", offline)


def test_a_linked_telegram_account_acts_for_its_buyer(backends):
    links, backend = backends.account_links, backends.account_links.http
    assert identify({}, "telegram", "777001", links) is None
    code = backend.post("/v1/account-links/codes", headers={"X-Buyer-Id": "buyer-kz-aidana"})["code"]
    backend.post("/v1/account-links/redeem", {"code": code, "channel": "telegram", "channel_user_id": "777001"})
    identity = identify({}, "telegram", "777001", links)
    assert (identity.buyer_id, identity.verified_by) == ("buyer-kz-aidana", "account_link")
    assert identify({}, "whatsapp", "777001", links) is None  # the link is per platform
