"""The shop's chat page: the widget's configuration, demo sign-in only when switched on, local files only."""

import json
import re

import pytest
from fastapi.testclient import TestClient

from backends.api.app import create_app
from backends.settings import ROOT
from common.buyer_tokens import verify_buyer_token
from common.development_secrets import SHOP_TOKEN_SECRET
from tests.backends.conftest import key_of, settings_for


def client(demo_sign_in, rasa_url="http://127.0.0.1:5005"):
    settings = settings_for("sqlite://", rasa_url=rasa_url, demo_sign_in=demo_sign_in)
    return TestClient(create_app(settings))


def config_of(page):
    return json.loads(re.search(r'<script id="chat-config" type="application/json">(.*?)</script>', page, re.S)
                      .group(1))


def test_a_guest_page_tells_the_widget_where_rasa_is_and_no_token():
    page = client(False, rasa_url="https://chat.shop.example").get("/shop/chat")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert config_of(page.text) == {"socketUrl": "https://chat.shop.example", "buyerToken": None}
    assert "cdn" not in page.text.lower() and "/shop/static/webchat.js" in page.text


def test_demo_sign_in_signs_a_token_the_assistant_accepts():
    page = client(True).get("/shop/chat", params={"buyer": "buyer-sa-noura", "lang": "ar"})
    assert verify_buyer_token(config_of(page.text)["buyerToken"], SHOP_TOKEN_SECRET).buyer_id == "buyer-sa-noura"


@pytest.mark.parametrize("buyer", ["buyer-sa-noura", "</script><script>alert(1)</script>"])
def test_demo_sign_in_is_refused_when_off_or_malformed(buyer):
    demo_on = buyer != "buyer-sa-noura"
    answer = client(demo_on).get("/shop/chat", params={"buyer": buyer})
    assert answer.status_code == 404 and "<script>" not in answer.text


def test_a_rasa_url_cannot_close_the_script_element():
    page = client(False, rasa_url="http://x/</script><script>alert(1)</script>").get("/shop/chat").text
    assert page.count("</script>") == 3  # the config, the widget and the page script: nothing injected
    assert config_of(page)["socketUrl"] == "http://x/</script><script>alert(1)</script>"


def test_the_page_s_files_are_served_and_nothing_else():
    shop = client(False)
    for name, kind in (("chat.js", "javascript"), ("chat.css", "text/css"), ("webchat.js", "javascript")):
        answer = shop.get(f"/shop/static/{name}")
        assert answer.status_code == 200 and kind in answer.headers["content-type"], name
    assert shop.get("/shop/static/..%2F..%2Fbackends%2Fsettings.py").status_code == 404
    assert shop.get("/shop/static/package.json").status_code == 404


@pytest.fixture
def account_client(loaded, database_url):
    from backends.db import session_scope
    from backends.seed.demo_orders import load_demo_orders

    with session_scope(loaded) as session:
        load_demo_orders(session)
    settings = settings_for(database_url, demo_sign_in=True, telegram_bot_username="SilkRoadBot",
                            whatsapp_number="15550001111")
    with TestClient(create_app(settings, loaded)) as client:
        yield client


def test_the_account_page_gives_a_code_that_links_a_messaging_app(account_client):
    page = account_client.get("/shop/account", params={"buyer": "buyer-sa-noura", "lang": "ar"})
    assert page.status_code == 200 and 'dir="rtl"' in page.text and "واتساب" in page.text
    code = re.search(r'id="link-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page.text).group(1)
    assert f'href="https://t.me/SilkRoadBot?start={code}"' in page.text
    assert f'href="https://wa.me/15550001111?text={code}"' in page.text
    linked = account_client.post("/v1/account-links/redeem", headers=key_of("assistant"),
                                 json={"code": code, "channel": "telegram", "channel_user_id": "42"})
    assert linked.status_code == 200 and linked.json()["buyer"]["external_id"] == "buyer-sa-noura"
    assert account_client.get("/shop/account", params={"buyer": "buyer-nobody"}).status_code == 404


def test_the_shop_s_pages_let_the_widget_reach_rasa_and_nothing_else():
    shop = client(False, rasa_url="https://chat.shop.example/socket")
    for path in ("/shop/chat", "/shop/static/chat.js", "/shop/static/nothing.js"):
        answer = shop.get(path)
        policy = answer.headers["content-security-policy"]
        assert "connect-src 'self' https://chat.shop.example wss://chat.shop.example;" in policy, path
        assert "script-src 'self';" in policy and "style-src 'self' 'unsafe-inline';" in policy  # the widget's styles
        assert "img-src 'self' data: https:;" in policy and "frame-ancestors 'self'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
    local = client(False).get("/shop/chat").headers["content-security-policy"]
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005;" in local
    assert "content-security-policy" not in shop.get("/health").headers


def test_the_account_page_carries_the_shop_s_policy(account_client):
    page = account_client.get("/shop/account", params={"buyer": "buyer-sa-noura"})
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "same-origin"  # the code in its links is not sent onwards


def test_a_rasa_url_cannot_write_into_the_shop_s_policy():
    policy = client(False, rasa_url="http://x; script-src * 'unsafe-eval'").get("/shop/chat").headers[
        "content-security-policy"]
    assert "unsafe-eval" not in policy and "script-src 'self';" in policy


def test_the_shop_s_pages_keep_no_inline_script_the_policy_would_block():
    for name in ("chat.html", "account.html"):
        page = (ROOT / "web" / name).read_text()
        scripts = [tag.split(">", 1)[0] for tag in page.split("<script")[1:]]
        assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts), (name, scripts)
        assert "<style" not in page and " style=" not in page, name
