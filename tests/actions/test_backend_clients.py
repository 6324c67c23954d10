"""The typed backend clients against the real backends, and their timeouts and retries against fakes."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from actions.clients.http import BackendConfig, BackendHttp, BackendUnavailable, NotFound, Refused, Rejected
from actions.clients.money import Money
from tests.servers import free_port


def an_order(backends, buyer, status):
    return next(o.number for o in backends.orders.orders(buyer, "en", open_only=False) if o.status == status)


def test_search_in_russian_with_prices_in_tenge(backends):
    page = backends.catalog.search("наушники", language="ru", currency="KZT", limit=3)
    assert page.total >= 3 and len(page.results) == 3
    assert all(hit.category == "headphones" and hit.buyer_price.currency == "KZT" for hit in page.results)
    assert any("\u0400" <= ch <= "\u04ff" for ch in page.results[0].title)


def test_a_buyer_reads_their_orders_and_nobody_elses(backends):
    profile = backends.orders.buyer("buyer-kz-aidana")
    assert (profile.country, profile.currency) == ("KZ", "KZT")
    orders = backends.orders.orders("buyer-kz-aidana", "ru")
    assert orders and all(o.buyer_total.currency == "KZT" for o in orders)
    detail = backends.orders.order("buyer-kz-aidana", orders[0].number, "ru")
    assert detail.number == orders[0].number
    theirs = backends.orders.orders("buyer-sa-noura", "ar")[0].number
    with pytest.raises(NotFound):
        backends.orders.order("buyer-kz-aidana", theirs, "ru")
    with pytest.raises(NotFound):
        backends.escrow.state("buyer-kz-aidana", theirs)


def test_confirming_receipt_twice_with_one_key_pays_once(backends):
    number = an_order(backends, "buyer-ae-omar", "delivered")
    first = backends.escrow.confirm_receipt("buyer-ae-omar", number, key="k-confirm", channel="web")
    again = backends.escrow.confirm_receipt("buyer-ae-omar", number, key="k-confirm", channel="web")
    assert first == again and first.state == "released"
    assert first.released_to_seller == first.amount
    with pytest.raises(Refused) as refused:
        backends.escrow.confirm_receipt("buyer-ae-omar", number, key="k-other", channel="web")
    assert refused.value.code == "already_released"


def test_refund_and_dispute_requests(backends):
    buyers = ["buyer-ru-dmitry", "buyer-sa-noura", "buyer-cn-lihua", "buyer-my-hafiz", "buyer-eg-mariam"]
    delivered = [(b, o.number) for b in buyers for o in backends.orders.orders(b, "en") if o.status == "delivered"]
    (buyer, number), (buyer2, number2) = delivered[:2]
    state = backends.escrow.request_refund(buyer, number, "k-refund", "damaged", description="cracked")
    assert state.state == "refund_requested" and state.refund_requests[0].amount == state.amount
    state = backends.escrow.open_dispute(buyer2, number2, "k-dispute", "not_as_described", "wrong colour",
                                            evidence=["https://img.example/1.jpg"])
    assert state.state == "disputed" and state.dispute_case.startswith("DS-")
    with pytest.raises(Rejected):
        backends.escrow.request_refund(buyer2, number2, "k-bad", "because")


def test_landed_cost_explained_in_arabic(backends):
    cost = backends.import_rules.landed_cost("SA", "headphones", Money(129_900, "CNY"), shipping_minor=3_000,
                                                buyer_currency="SAR", language="ar")
    assert cost.buyer_total.currency == "SAR" and cost.total.amount_minor > 0
    assert any("لا رسوم جمركية" in text for text in cost.explanations)


def test_a_page_of_landed_costs_in_one_call(backends):
    parcels = [("headphones", Money(129_900, "CNY")), ("phone", Money(99_900, "USD"))]
    page = backends.import_rules.landed_costs("SA", parcels, buyer_currency="SAR", language="ar")
    one_by_one = [backends.import_rules.landed_cost("SA", category, price, buyer_currency="SAR", language="ar")
                  for category, price in parcels]
    assert page == one_by_one
    assert backends.import_rules.landed_costs("SA", []) == []
    assert backends.import_rules.landed_costs("SA", [("spaceships", Money(100, "USD"))]) == [None]


# ------------------------------------------------------------ failure paths


class Script:
    """A fake backend answering from a list of (status, body); it records every request."""

    def __init__(self, replies):
        self.replies, self.requests = list(replies), []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                script.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                status, body = script.replies.pop(0) if len(script.replies) > 1 else script.replies[0]
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


def fast(url, attempts=3):
    return BackendHttp(BackendConfig(base_url=url, api_key="k", connect_timeout=0.5, read_timeout=0.5,
                                     attempts=attempts, backoff=0.01))


def test_a_read_is_retried_after_a_server_error():
    script = Script([(503, {"error": "busy", "message": "try again"}), (200, {"ok": True})])
    try:
        assert fast(script.url).get("/v1/anything") == {"ok": True}
        assert len(script.requests) == 2
    finally:
        script.close()


def test_a_retried_write_carries_the_same_idempotency_key():
    script = Script([(502, {}), (504, {}), (200, {"done": 1})])
    try:
        assert fast(script.url).post("/v1/escrow/SR-1/release") == {"done": 1}
        keys = {headers["Idempotency-Key"] for _m, _p, headers, _b in script.requests}
        assert len(script.requests) == 3 and len(keys) == 1
    finally:
        script.close()


@pytest.mark.parametrize("status,error", [(422, Rejected), (404, NotFound), (409, Refused), (401, Rejected)])
def test_client_errors_are_not_retried(status, error):
    script = Script([(status, {"error": "some_code", "message": "why"})])
    try:
        with pytest.raises(error) as raised:
            fast(script.url).get("/v1/anything")
        assert (raised.value.code, raised.value.status, len(script.requests)) == ("some_code", status, 1)
    finally:
        script.close()


def test_a_server_that_never_answers_times_out_on_every_attempt():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        with pytest.raises(BackendUnavailable):
            fast(f"http://127.0.0.1:{listener.getsockname()[1]}", attempts=2).get("/v1/slow")
    finally:
        listener.close()


def test_no_server_at_all_is_unavailable():
    with pytest.raises(BackendUnavailable):
        fast(f"http://127.0.0.1:{free_port()}", attempts=2).get("/health")


def cached(url, seconds):
    return BackendHttp(BackendConfig(base_url=url, api_key="k", connect_timeout=0.5, read_timeout=0.5,
                                     attempts=1, cache_seconds=seconds))


def test_slow_changing_reads_come_from_the_cache_but_other_reads_do_not():
    script = Script([(200, {"v": 1}), (200, {"v": 2}), (200, {"v": 3}), (200, {"v": 4})])
    try:
        http = cached(script.url, 300)
        first = http.get_slow_changing("/v1/catalog/categories", {"language": "en"})
        first["v"] = "changed by the caller"  # a caller's change does not reach the next caller
        assert http.get_slow_changing("/v1/catalog/categories", {"language": "en"}) == {"v": 1}
        assert http.get_slow_changing("/v1/catalog/categories", {"language": "ru"}) == {"v": 2}
        assert http.get("/v1/catalog/categories", {"language": "en"}) == {"v": 3}  # a plain read always asks
        assert len(script.requests) == 3
        uncached = cached(script.url, 0)
        assert uncached.get_slow_changing("/x") == {"v": 4} and uncached.get_slow_changing("/x") == {"v": 4}
        assert len(script.requests) == 5
    finally:
        script.close()


def test_a_failed_slow_changing_read_is_not_cached():
    script = Script([(404, {"error": "not_found", "message": "no such country"}), (200, {"country": "KZ"})])
    try:
        http = cached(script.url, 300)
        with pytest.raises(NotFound):
            http.get_slow_changing("/v1/import-rules/countries/KZ")
        assert http.get_slow_changing("/v1/import-rules/countries/KZ") == {"country": "KZ"}
    finally:
        script.close()
