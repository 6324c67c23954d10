"""The API's public surface, walked route by route: each key is one kind of caller, reaches only the routes meant
for it, may send only its own identity headers and channels; no body, however malformed, makes a 500."""

import re

import pytest
from fastapi.routing import APIRoute

from backends.api.callers import KINDS, CallerNotAllowed
from common import api_keys
from tests.backends.conftest import API_KEYS, api_client, key_of, sign_in_staff
from tests.backends.escrow.orders_for_escrow import make_orders

EVERY = frozenset(api_keys.KINDS)
BUYERS = frozenset({"assistant", "shop"})
ESCROW = "/v1/escrow/{number}"
# Who may call each route of the API: adding a route means deciding this.
ACCESS = {
    **{("GET", path): EVERY for path in (
        "/v1/catalog/search", "/v1/catalog/products/{sku}", "/v1/catalog/categories", "/v1/catalog/categories/named",
        "/v1/currency/rates",
        "/v1/currency/convert", "/v1/import-rules/countries", "/v1/import-rules/countries/{country}",
        "/v1/import-rules/countries/{country}/categories/{category}", "/v1/import-rules/items/{item}",
        "/v1/import-rules/landed-cost", ESCROW)},
    **{("GET", path): BUYERS for path in (
        "/v1/buyers/me", "/v1/orders", "/v1/orders/{number}", "/v1/shipments/{tracking_number}")},
    ("POST", "/v1/import-rules/landed-costs"): EVERY,  # a read with a body: a page of estimates
    ("POST", ESCROW + "/fund"): {"payments"},
    ("POST", ESCROW + "/delivery"): {"carrier"},
    # The state machine decides these by the actor's role (a buyer's, a seller's): every key reaches them.
    **{("POST", ESCROW + action): EVERY for action in (
        "/release", "/protection/extend", "/refund-request", "/refund-request/approve", "/refund-request/reject",
        "/refund-request/withdraw", "/dispute", "/dispute/messages", "/dispute/evidence")},
    ("GET", "/v1/disputes/{case_number}"): {"assistant", "shop", "seller_portal"},
    ("POST", "/v1/escrow-jobs/auto-release"): {"scheduler"},
    ("POST", "/v1/shipments/{tracking_number}/events"): {"carrier"},
    ("POST", "/v1/account-links/codes"): {"shop"},
    ("POST", "/v1/account-links/redeem"): {"assistant"},
    ("GET", "/v1/account-links/{channel}/{channel_user_id}"): {"assistant"},
    ("DELETE", "/v1/account-links/{channel}/{channel_user_id}"): {"assistant", "shop"},
    ("POST", "/v1/support/handoffs"): {"assistant"},
}
# Routes without a key: a browser's (pages, images, the console with its own sign-in) and the health check.
OPEN_PREFIXES = ("/health", "/docs", "/redoc", "/openapi.json", "/media/", "/shop/", "/console")


@pytest.fixture
def client(sessions, database_url):
    make_orders(sessions, 1)  # buyer-t and seller-t exist
    with api_client(sessions, database_url) as client:
        yield client


def as_kind(kind):
    """A well-behaved call by that kind of caller: its key and the identity it acts for."""
    identity = {"buyer": {"X-Buyer-Id": "buyer-t"}, "seller": {"X-Seller-Id": "seller-t"}, "service": {}}
    return {**key_of(kind), **identity[KINDS[kind].acts_for], "Idempotency-Key": "k-1"}


def url_of(path):
    return re.sub(r"\{[^}]+\}", "none", path)


def routes(app, prefix=""):
    return [(method, route) for route in app.routes if isinstance(route, APIRoute) and route.path.startswith(prefix)
            for method in sorted(route.methods)]


def call(client, method, path, headers, **body):
    return client.request(method, url_of(path), headers=headers, **body)


def test_every_api_route_says_who_may_call_it(client):
    assert {(method, route.path) for method, route in routes(client.app, "/v1/")} == set(ACCESS)
    assert set(KINDS) == set(api_keys.KINDS)
    for _, route in routes(client.app):
        assert route.path.startswith("/v1/") or route.path.startswith(OPEN_PREFIXES), route.path


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "wrong"}, {"X-Api-Key": ""},
                                     {"X-Api-Key": api_keys.key_digest(API_KEYS["assistant"])}])  # its hash is no key
def test_every_api_route_refuses_a_missing_or_wrong_key(client, headers):
    for method, route in routes(client.app, "/v1/"):
        answer = call(client, method, route.path, {**headers, "X-Buyer-Id": "buyer-t"}, json={})
        assert (answer.status_code, answer.json()["message"]) == (401, "missing or invalid X-Api-Key"), route.path


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_key_reaches_only_the_routes_of_its_kind(client, kind):
    for (method, path), allowed in sorted(ACCESS.items()):
        answer = call(client, method, path, as_kind(kind), json={})
        refused = answer.status_code == 403 and answer.json()["error"] == CallerNotAllowed.code
        assert refused == (kind not in allowed), (kind, method, path, answer.status_code, answer.text)


@pytest.mark.parametrize("kind,header,value", [
    *[(kind, "X-Buyer-Id", "buyer-t") for kind in sorted(EVERY - BUYERS)],
    *[(kind, "X-Seller-Id", "seller-t") for kind in sorted(EVERY - {"seller_portal"})],
    *[(kind, "X-Service-Id", kind) for kind in ("assistant", "shop", "seller_portal")],
    ("carrier", "X-Service-Id", "payments"), ("scheduler", "X-Service-Id", "carrier"),
    *[(kind, "X-Staff-Id", "agent-1") for kind in sorted(EVERY)],
])
def test_a_key_cannot_claim_another_kinds_identity(client, kind, header, value):
    answer = client.get("/v1/catalog/categories", headers={**key_of(kind), header: value})
    assert (answer.status_code, answer.json()["error"]) == (403, CallerNotAllowed.code)
    assert header in answer.json()["message"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_key_claims_only_its_own_channels(client, kind):
    for channel in ("web", "telegram", "whatsapp", "rest", "api", "carrier", "payments", "job", "console", "seed",
                    "fax"):
        answer = client.get("/v1/catalog/categories", headers={**key_of(kind), "X-Channel": channel})
        assert (answer.status_code == 200) == (channel in KINDS[kind].channels), (kind, channel)


NON_OBJECT_BODIES = {"list": b"[]", "string": b'"x"', "null": b"null", "number": b"1", "not json": b"{not json",
                     "pairs": b'[["note", "x"], ["body", "x"]]'}  # pydantic alone would read pairs as an object


def post_routes(app):
    """Every POST route, signing out last (the console's routes are called signed in)."""
    found = [route for method, route in routes(app) if method == "POST"]
    return sorted(found, key=lambda route: route.path == "/console/api/logout")


@pytest.mark.parametrize("body", sorted(NON_OBJECT_BODIES))
def test_no_post_route_answers_a_non_object_body_with_a_500(client, sessions, body):
    sign_in_staff(client, sessions)
    for route in post_routes(client.app):
        kind = sorted(ACCESS.get(("POST", route.path), EVERY))[0]
        headers = {**as_kind(kind), "Content-Type": "application/json"}
        answer = call(client, "POST", route.path, headers, content=NON_OBJECT_BODIES[body])
        assert answer.status_code < 500, (route.path, answer.text)
        takes_a_body = route.body_field is not None
        no_body_at_all = body == "null" and takes_a_body and not route.body_field.required  # null: as no body
        if takes_a_body and not no_body_at_all:
            assert answer.status_code in (400, 422) and answer.json()["message"], (route.path, answer.text)
