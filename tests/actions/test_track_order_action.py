"""action_track_order against the real backends: the buyer's own orders only, in the buyer's language."""


from datetime import datetime, timedelta, timezone

from actions import conversation
from actions.clients.http import BackendConfig
from actions.clients.marketplace import Marketplace
from tests.buyer_tokens import sign_buyer_token
import pytest

from actions.track_order import ActionTrackOrder, order_asked_about, order_number_of
from tests.actions.action_harness import run, run_with_events, tracker_for
from tests.servers import free_port




def as_buyer(buyer_id):
    return {"buyer_token": sign_buyer_token(buyer_id)}


def responses(messages):
    return [m["response"] for m in messages]


@pytest.mark.parametrize("text,expected", [
    ("الطلب SR-900059 وصلني مشكورين، بس SR-900060 شو صار عليه؟ صار له اسبوع ما تحرك", "SR-900060"),
    ("where is SR-900001? SR-900002 came fine", "SR-900001"),
    ("SR-900001 came, 900002 still not moving", "SR-900002"),  # no question: the last named
    ("where is SR-900001?", None),  # one order: the action reads it as it always has
])
def test_of_several_orders_the_one_asked_about_is_tracked(text, expected):
    assert order_asked_about(text) == expected


def test_an_order_inside_a_refund_is_the_one_a_question_in_between_tracks(using):
    buyer = "buyer-kz-aidana"
    number = next(o.number for o in using.orders.orders(buyer, "ru") if o.status == "shipped")
    tracker = tracker_for("а через сколько дней обычно отправляют?", "track_order", metadata=as_buyer(buyer),
                          language="ru", slots={"order_number": number}, active_loop="refund_form")
    messages = run(ActionTrackOrder(), tracker)
    assert responses(messages)[0] == "utter_order_status" and messages[0]["order_id"] == number


def test_an_unverified_visitor_is_asked_to_sign_in(using):
    messages = run(ActionTrackOrder(), tracker_for("where is my order SR-204517", "track_order"))
    assert responses(messages) == ["utter_sign_in_to_continue"]


def test_without_a_number_the_open_orders_are_offered_as_buttons(using):
    messages = run(ActionTrackOrder(), tracker_for("where is my parcel", "track_order", metadata=as_buyer(
        "buyer-kz-aidana"), language="ru"))
    assert responses(messages) == ["utter_which_order"]
    numbers = {o.number for o in using.orders.orders("buyer-kz-aidana", "ru")}
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads and all(p.startswith("/track_order{") for p in payloads)
    assert {p.split('"')[3] for p in payloads} <= numbers


def test_an_order_in_customs_is_explained_with_the_countrys_rule(using):
    buyer = "buyer-kz-aidana"
    customs = next(o for o in using.orders.orders(buyer, "ru")
                   if o.status == "shipped" and using.orders.order(buyer, o.number, "ru").shipments[-1].latest.code
                   == "import_customs")
    typed = customs.number.replace("-", "").lower()  # "sr204517": typed loosely
    messages = run(ActionTrackOrder(), tracker_for(f"где заказ {typed}", "track_order", metadata=as_buyer(buyer),
                                                   entities=[{"entity": "order_id", "value": typed}], language="ru"))
    eta = using.orders.order(buyer, customs.number, "ru").shipments[-1].eta
    late = eta < datetime.now(timezone.utc).date()
    assert responses(messages) == ["utter_order_status", "utter_parcel_latest_event",
                                   "utter_parcel_late" if late else "utter_parcel_eta",
                                   "utter_parcel_at_customs_threshold"]
    assert messages[0]["order_id"] == customs.number and messages[0]["status"] == "в пути"
    assert messages[1]["event"] == "на таможне страны назначения"
    assert messages[3]["threshold"] == "200.00 EUR" and messages[3]["per"] == "за посылку"
    assert messages[3]["country_name"] == "Казахстан"


def test_another_buyers_order_is_not_found_and_reveals_nothing(using):
    theirs = using.orders.orders("buyer-sa-noura", "ar")[0].number
    messages = run(ActionTrackOrder(), tracker_for(f"where is {theirs}", "track_order",
                                                   entities=[{"entity": "order_id", "value": theirs}],
                                                   metadata=as_buyer("buyer-kz-aidana")))
    assert responses(messages) == ["utter_order_not_found"] and messages[0]["order_id"] == theirs


def test_a_tracking_number_finds_its_order(using):
    order = next(o for o in using.orders.orders("buyer-cn-lihua", "zh") if o.status == "shipped")
    tracking = using.orders.order("buyer-cn-lihua", order.number, "zh").shipments[-1].tracking_number
    messages = run(ActionTrackOrder(), tracker_for(f"{tracking} 到哪了", "track_order", language="zh",
                                                   entities=[{"entity": "tracking_number", "value": tracking}],
                                                   metadata=as_buyer("buyer-cn-lihua")))
    assert messages[0]["response"] == "utter_order_status" and messages[0]["order_id"] == order.number


def test_when_the_backends_are_away_the_buyer_gets_an_apology_and_a_human(monkeypatch):
    away = Marketplace(BackendConfig(base_url=f"http://127.0.0.1:{free_port()}", attempts=1))
    monkeypatch.setattr(conversation, "marketplace", lambda: away)
    messages = run(ActionTrackOrder(), tracker_for("where is SR-204517", "track_order",
                                                   metadata=as_buyer("buyer-kz-aidana")))
    assert responses(messages) == ["utter_backend_unavailable"]


def test_six_digits_without_the_prefix_name_the_order(using):
    order = next(o for o in using.orders.orders("buyer-sa-noura", "ar") if o.status == "shipped")
    digits = order.number[3:].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    messages, events = run_with_events(ActionTrackOrder(), tracker_for(
        f"الطلب رقم {digits} وين وصل", "track_order", metadata=as_buyer("buyer-sa-noura"), language="ar"))
    assert messages[0]["response"] == "utter_order_status" and messages[0]["order_id"] == order.number
    assert {"event": "slot", "name": "order_in_focus", "value": order.number, "timestamp": None} in events


def test_a_follow_up_is_about_the_order_in_focus_and_the_other_one_about_the_other(using):
    buyer = "buyer-kz-aidana"
    open_orders = [o.number for o in using.orders.orders(buyer, "ru") if o.status in ("placed", "paid", "shipped")]
    focus = open_orders[0]
    messages = run(ActionTrackOrder(), tracker_for("ну когда уже придет", "track_order", metadata=as_buyer(buyer),
                                                   language="ru", slots={"order_in_focus": focus}))
    assert messages[0]["order_id"] == focus
    messages = run(ActionTrackOrder(), tracker_for("а другой заказ?", "track_order", metadata=as_buyer(buyer),
                                                   language="ru", slots={"order_in_focus": focus}))
    if len(open_orders) == 2:
        assert messages[0]["order_id"] == open_orders[1]
    else:  # several others: which one is asked
        assert responses(messages) == ["utter_which_order"]


def test_a_passed_eta_is_said_with_the_next_steps(using, monkeypatch):
    from actions import track_order

    buyer = "buyer-cn-lihua"
    order = next(o for o in using.orders.orders(buyer, "zh") if o.status == "shipped")
    eta = using.orders.order(buyer, order.number, "zh").shipments[-1].eta

    class Clock(datetime):
        moment = None

        @classmethod
        def now(cls, tz=None):
            return cls.moment

    monkeypatch.setattr(track_order, "datetime", Clock)
    for moment, expected in ((eta + timedelta(days=3), "utter_parcel_late"), (eta - timedelta(days=1),
                                                                               "utter_parcel_eta")):
        Clock.moment = datetime(moment.year, moment.month, moment.day, 12, tzinfo=timezone.utc)
        messages = run(ActionTrackOrder(), tracker_for(f"{order.number} 到哪了", "track_order", language="zh",
                                                       metadata=as_buyer(buyer)))
        said = [m for m in messages if m["response"] in ("utter_parcel_late", "utter_parcel_eta")]
        assert said[0]["response"] == expected and said[0]["eta"] == eta.isoformat()
        if expected == "utter_parcel_late":
            assert said[0]["order_id"] == order.number


def test_a_tracking_number_the_nlu_did_not_tag_is_read_from_the_text(using):
    order = next(o for o in using.orders.orders("buyer-cn-lihua", "en") if o.status == "shipped")
    tracking = using.orders.order("buyer-cn-lihua", order.number, "en").shipments[-1].tracking_number
    messages = run(ActionTrackOrder(), tracker_for(f"my order stuck in customs?? tracking no {tracking.lower()}",
                                                   "track_order", metadata=as_buyer("buyer-cn-lihua")))
    assert messages[0]["response"] == "utter_order_status" and messages[0]["order_id"] == order.number


def test_the_goods_a_message_names_pick_the_order_when_one_has_them(using):
    buyer = "buyer-kz-aidana"
    orders = using.orders.orders(buyer, "en")
    assert all(o.categories for o in orders)  # the summaries say what the orders hold
    by_category = {}
    for order in orders:
        for category in order.categories:
            by_category.setdefault(category, []).append(order)
    single = next(c for c, found in by_category.items() if len(found) == 1)
    only = by_category[single][0]
    messages = run(ActionTrackOrder(), tracker_for("the one I ordered from china, so slow", "track_order",
                                                   entities=[{"entity": "product_category", "value": single}],
                                                   metadata=as_buyer(buyer)))
    assert messages[0]["response"] == "utter_order_status" and messages[0]["order_id"] == only.number
    several = next((c for c, found in by_category.items()
                    if len([o for o in found if o.status in ("placed", "paid", "shipped")]) > 1), None)
    if several:  # goods of several open orders: which one is asked
        messages = run(ActionTrackOrder(), tracker_for("where are they", "track_order", metadata=as_buyer(buyer),
                                                       entities=[{"entity": "product_category", "value": several}]))
        assert responses(messages) == ["utter_which_order"]


def test_goods_named_in_the_buyers_words_are_found_by_the_catalog(using):
    buyer = "buyer-kz-aidana"
    orders = using.orders.orders(buyer, "en")
    counts = {}
    for order in orders:
        for category in order.categories:
            counts[category] = counts.get(category, 0) + 1
    category = next(c for c, n in counts.items() if n == 1)
    name = next(c["name"] for c in using.catalog.categories("en") if c["slug"] == category)
    order = next(o for o in orders if category in o.categories)
    messages = run(ActionTrackOrder(), tracker_for(f"where are my {name.lower()}", "track_order",
                                                   metadata=as_buyer(buyer)))
    assert messages[0]["response"] == "utter_order_status" and messages[0]["order_id"] == order.number


def test_the_newest_order_of_the_goods_named_in_a_state_that_allows_the_request():
    from actions.clients.money import Money
    from actions.clients.orders import OrderSummary
    from actions.track_order import newest_order_of_goods

    now = datetime.now(timezone.utc)

    def order(number, status, categories, days_ago):
        return OrderSummary(number, status, "b2c", now - timedelta(days=days_ago), Money(100, "CNY"), None, "KZ",
                            "seller", ["goods"], categories)

    orders = [order("SR-000001", "delivered", ["lighting"], 30), order("SR-000002", "delivered", ["lighting"], 3),
              order("SR-000003", "shipped", ["lighting"], 1), order("SR-000004", "delivered", ["tv"], 2)]
    assert newest_order_of_goods(orders, ["lighting"], ("delivered",)) == "SR-000002"
    assert newest_order_of_goods(orders, ["lighting"], ("paid", "shipped", "delivered")) == "SR-000003"
    assert newest_order_of_goods(orders, ["shoes", "tv"], ("delivered",)) == "SR-000004"  # the first any order has
    assert newest_order_of_goods(orders, ["shoes"], ("delivered",)) is None
    assert newest_order_of_goods(orders, [], ("delivered",)) is None


@pytest.mark.parametrize("text, number", [
    ("订单是SR-900054… 不对不对 是SR-900053 那双跑鞋", "SR-900053"), ("заказ 900054, ой не, 900053", "SR-900053"),
    ("SR-900054 sorry i mean SR-900053", "SR-900053"),
    ("SR-900054 not SR-900053", "SR-900054"),  # the second is the one taken back
    ("SR-900054 и SR-900053", "SR-900054"),  # no correction: the first
])
def test_the_order_number_meant_is_the_one_put_right(text, number):
    assert order_number_of(text, bare=True) == number


@pytest.mark.parametrize("text, held, meant", [
    ("订单是SR-900001… 不对不对 是SR-900000 那双跑鞋", "SR-900000", "SR-900000"),  # the correction between decides
    ("订单是SR-900001… 不对不对 是SR-900000 那双跑鞋", "SR-900001", "SR-900000"),
    ("стоп, не тот номер скинул, SR-900043 это другой заказ, он ещё в пути. Телевизор это SR-900042", "SR-900043",
     "SR-900042"),  # the correction before both: the one not held
    ("sorry, wrong one, I mean SR-900053", "SR-900054", "SR-900053"),
])
def test_the_order_meant_by_a_message_that_puts_it_right(text, held, meant):
    from actions.track_order import order_meant

    assert order_meant(text, held) == meant
