"""The catalog and currency HTTP API, on SQLite and PostgreSQL."""

import pytest

from tests.backends.conftest import api_client, key_of

KEY = key_of("assistant")


@pytest.fixture
def client(loaded, database_url):
    with api_client(loaded, database_url) as client:
        yield client


def test_health_needs_no_key(client):
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "wrong"}])
def test_calls_without_a_valid_key_are_refused(client, headers):
    reply = client.get("/v1/catalog/search", params={"q": "phone"}, headers=headers)
    assert reply.status_code == 401
    assert reply.json()["error"] == "unauthorized"


def test_search_in_russian_shows_russian_titles_and_tenge(client):
    reply = client.get("/v1/catalog/search", headers=KEY,
                       params={"q": "наушники", "language": "ru", "currency": "KZT"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["total"] == 2
    first = body["results"][0]
    assert first["sku"] == "HP-001" and first["title"] == "Беспроводные наушники Soundwave A40"
    assert first["price"] == {"amount_minor": 19900, "currency": "CNY"}
    # 199.00 CNY / 7.20 * 480 = 13,266.67 KZT
    assert first["buyer_price"] == {"amount_minor": 1326667, "currency": "KZT", "rate_as_of": "2026-11-01"}


def test_price_range_is_in_the_buyers_currency(client):
    # 199.00 CNY = 103.65 SAR and 599.00 CNY = 311.98 SAR at the seed rates
    reply = client.get("/v1/catalog/search", headers=KEY,
                       params={"q": "سماعات", "currency": "SAR", "max_price": 20000})
    assert [r["sku"] for r in reply.json()["results"]] == ["HP-001"]


def test_unknown_title_language_falls_back_to_english(client):
    body = client.get("/v1/catalog/products/PH-001", headers=KEY, params={"language": "sw"}).json()
    assert (body["title"], body["title_language"]) == ("Nova X5 Smartphone 256GB", "en")
    assert body["description"] == "Comes with free earbuds in the box."


@pytest.mark.parametrize(
    "params, status, error",
    [
        ({"q": "x", "currency": "XXX"}, 400, "unknown_currency"),
        ({"q": "x", "max_price": 100}, 400, "bad_request"),
        ({"q": "x", "currency": "USD", "min_price": 500, "max_price": 100}, 400, "bad_request"),
        ({"q": "x", "limit": 0}, 422, "invalid_request"),
        ({"q": "x", "min_price": -1, "currency": "USD"}, 422, "invalid_request"),
        ({"q": "x" * 201}, 422, "invalid_request"),
    ],
)
def test_bad_input_gets_a_clear_4xx(client, params, status, error):
    reply = client.get("/v1/catalog/search", headers=KEY, params=params)
    assert reply.status_code == status
    assert reply.json()["error"] == error
    assert reply.json()["message"]


def test_unknown_product_is_404(client):
    reply = client.get("/v1/catalog/products/NOPE-1", headers=KEY)
    assert (reply.status_code, reply.json()["error"]) == (404, "not_found")


def test_categories_are_named_in_the_language(client):
    body = client.get("/v1/catalog/categories", headers=KEY, params={"language": "zh"}).json()
    assert {c["slug"]: c["name"] for c in body} == {"headphones": "耳机", "phone": "手机"}


@pytest.mark.parametrize("text,slug", [
    ("нужны беспроводные наушники до 20 тыщ", "headphones"), ("有木有便宜点的手机", "phone"),
    ("looking for a PHONE under 300", "phone"), ("hello, how are you", None),
])
def test_the_category_a_sentence_names(client, text, slug):
    reply = client.get("/v1/catalog/categories/named", headers=KEY, params={"text": text})
    assert reply.status_code == 200
    assert reply.json()["category"] == slug


def test_the_longest_phrase_said_decides():
    from backends.catalog.category_words import Phrase, category_named
    from backends.catalog.search_text import query_terms

    phrases = [Phrase(slug, text, tuple(query_terms(text))) for slug, text in (
        ("phone", "телефон"), ("phone_accessories", "чехол для телефона"), ("baby_products", "婴儿车"))]
    assert category_named("нужен чехол для телефона", phrases).slug == "phone_accessories"
    assert category_named("нужен телефон", phrases).slug == "phone"
    assert category_named("婴儿车有吗", phrases).slug == "baby_products"
    assert category_named("", phrases) is None


def test_a_currency_names_no_category():
    from backends.catalog.category_words import Phrase, category_named
    from backends.catalog.search_text import query_terms

    phrases = [Phrase("toys", "dolls", tuple(query_terms("dolls")))]
    assert category_named("around 150 dollar first order, how much duty?", phrases) is None  # no "doll"
    assert category_named("any dolls for my daughter", phrases).slug == "toys"


def test_currency_conversion(client):
    body = client.get("/v1/currency/convert", headers=KEY,
                      params={"amount_minor": 72000, "from": "CNY", "to": "RUB"}).json()
    assert body["result"] == {"amount_minor": 920000, "currency": "RUB", "rate_as_of": "2026-11-01"}
    rates = client.get("/v1/currency/rates", headers=KEY).json()
    assert {"currency": "SAR", "units_per_usd": "3.75", "as_of": "2026-11-01"}.items() <= next(
        r for r in rates if r["currency"] == "SAR").items()


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    routes = {route.path for route in client.app.routes if getattr(route, "include_in_schema", False)}
    assert routes == set(paths)
    assert {"/v1/catalog/search", "/v1/catalog/products/{sku}", "/v1/catalog/categories",
            "/v1/currency/rates", "/v1/currency/convert", "/v1/buyers/me", "/v1/orders",
            "/v1/orders/{number}", "/v1/shipments/{tracking_number}", "/health"} <= set(paths)
    for path, operations in paths.items():
        for operation in operations.values():
            assert operation.get("summary"), f"{path} has no summary"


def test_every_product_image_is_served_in_the_language_of_the_search(client):
    results = client.get("/v1/catalog/search", headers=KEY, params={"q": "", "limit": 50, "language": "ar"}
                         ).json()["results"]
    assert results
    for product in results:
        assert product["image_url"].endswith("?language=ar")
        image = client.get(product["image_url"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/svg+xml"
        assert image.text.startswith("<svg") and 'direction="rtl"' in image.text
    assert client.get("/media/categories/nope.svg").status_code == 404


def test_image_labels_are_escaped():
    from backends.api.media_routes import category_tile

    assert "&lt;b&gt;" in category_tile("x", "<b>", right_to_left=False)


def test_a_short_stem_names_its_inflections_not_every_longer_word():
    from backends.catalog.category_words import Phrase, category_named
    from backends.catalog.search_text import query_terms

    phrases = [Phrase(slug, text, tuple(query_terms(text))) for slug, text in (
        ("clothing", "платье"), ("shoes", "кроссовки"), ("shoes", "sendal"))]
    assert category_named("а пошлину за них платить придется?", phrases) is None  # to pay, not a dress
    assert category_named("i send it to my brother", phrases) is None  # the bare stem of "sendal" is a word too
    assert category_named("sendal murah", phrases).slug == "shoes"
    assert category_named("платья есть?", phrases).slug == "clothing"
    assert category_named("с кроссовками что", phrases).slug == "shoes"  # a long stem: any ending
