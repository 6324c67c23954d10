"""Linking a messaging account with a one-time code, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from backends.db import session_scope
from backends.identity import account_links
from backends.models import AccountLinkCode, Buyer
from backends.models.base import utc_now
from tests.backends.conftest import api_client, key_of

SHOP, ASSISTANT = key_of("shop"), key_of("assistant")


@pytest.fixture
def buyers(sessions):
    with session_scope(sessions) as session:
        for external_id in ("buyer-a", "buyer-b"):
            session.add(Buyer(external_id=external_id, name=external_id, country="KZ", language="ru",
                              currency="KZT"))
    return sessions


@pytest.fixture
def client(buyers, database_url):
    with api_client(buyers, database_url) as client:
        yield client


def new_code(client, buyer="buyer-a"):
    reply = client.post("/v1/account-links/codes", headers={**SHOP, "X-Buyer-Id": buyer})
    assert reply.status_code == 200
    return reply.json()["code"]


def redeem(client, code, user="tg-1001", channel="telegram"):
    return client.post("/v1/account-links/redeem", headers=ASSISTANT,
                       json={"code": code, "channel": channel, "channel_user_id": user})


def linked_buyer(client, user="tg-1001"):
    return client.get(f"/v1/account-links/telegram/{user}", headers=ASSISTANT).json()["buyer"]["external_id"]


def test_a_code_links_the_account_once(client):
    code = new_code(client)
    assert len(code) == 9 and code[4] == "-"
    reply = redeem(client, code.lower().replace("-", " "))  # typed loosely in a chat
    assert reply.status_code == 200 and reply.json()["buyer"]["external_id"] == "buyer-a"
    assert linked_buyer(client) == "buyer-a"
    again = redeem(client, code, user="tg-2002")
    assert (again.status_code, again.json()["error"]) == (409, "code_used")
    assert client.get("/v1/account-links/telegram/tg-2002", headers=ASSISTANT).status_code == 404


def test_relinking_moves_the_account_and_unlinking_removes_it(client):
    redeem(client, new_code(client, "buyer-a"))
    assert redeem(client, new_code(client, "buyer-b")).status_code == 200
    assert linked_buyer(client) == "buyer-b"
    assert client.delete("/v1/account-links/telegram/tg-1001", headers=SHOP).status_code == 204  # from the account page
    assert client.get("/v1/account-links/telegram/tg-1001", headers=ASSISTANT).status_code == 404
    assert client.delete("/v1/account-links/telegram/tg-1001", headers=ASSISTANT).status_code == 404


def test_a_new_code_replaces_the_unused_one(client):
    old = new_code(client)
    fresh = new_code(client)
    assert redeem(client, old).json()["error"] == "invalid_code"
    assert redeem(client, fresh).status_code == 200


@pytest.mark.parametrize("body,status,error", [
    ({"code": "ZZZZ-ZZZZ", "channel": "telegram", "channel_user_id": "u"}, 404, "invalid_code"),
    ({"code": "12", "channel": "telegram", "channel_user_id": "u"}, 404, "invalid_code"),
    ({"code": "ABCD-EFGH", "channel": "web", "channel_user_id": "u"}, 400, "channel_not_linkable"),
    ({"code": "ABCD-EFGH", "channel": "telegram"}, 422, "invalid_request"),
])
def test_bad_redemptions_are_refused_clearly(client, body, status, error):
    reply = client.post("/v1/account-links/redeem", headers=ASSISTANT, json=body)
    assert (reply.status_code, reply.json()["error"]) == (status, error) and reply.json()["message"]


def test_an_expired_code_does_not_link(buyers):
    with session_scope(buyers) as session:
        buyer = session.execute(select(Buyer).where(Buyer.external_id == "buyer-a")).scalar_one()
        code, _ = account_links.issue_code(session, buyer.id, utc_now() - timedelta(minutes=11))
    with session_scope(buyers) as session:
        with pytest.raises(account_links.LinkError) as error:
            account_links.redeem(session, code, "whatsapp", "+77010000000", utc_now())
        assert error.value.code == "code_expired"


def test_only_the_hash_of_a_code_is_stored(client, buyers):
    code = new_code(client)
    with session_scope(buyers) as session:
        stored = session.execute(select(AccountLinkCode.code_sha256)).scalars().all()
    assert stored and all(code.replace("-", "") not in value for value in stored)


def test_codes_are_issued_only_to_a_known_buyer(client):
    assert client.post("/v1/account-links/codes", headers=SHOP).status_code == 401
    assert client.post("/v1/account-links/codes", headers={**SHOP, "X-Buyer-Id": "nobody"}).status_code == 401


def test_the_assistant_cannot_mint_a_code_nor_the_shop_redeem_one(client, buyers):
    """A leaked assistant key must not link an attacker's chat account to any buyer it names: codes come from
    the shop's account page only."""
    minted = client.post("/v1/account-links/codes", headers={**ASSISTANT, "X-Buyer-Id": "buyer-a"})
    assert (minted.status_code, minted.json()["error"]) == (403, "caller_not_allowed")
    with session_scope(buyers) as session:
        assert session.execute(select(AccountLinkCode)).first() is None
    body = {"code": new_code(client), "channel": "telegram", "channel_user_id": "tg-9"}
    assert client.post("/v1/account-links/redeem", headers=SHOP, json=body).status_code == 403
    assert client.get("/v1/account-links/telegram/tg-9", headers=SHOP).status_code == 403
