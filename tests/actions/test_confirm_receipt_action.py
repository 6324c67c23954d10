"""Journey 3 against the real backends: an explicit yes releases the escrow exactly once."""

import pytest

from actions.confirm_receipt import ActionAskConfirmReceipt, ActionConfirmReceipt
from common.reason_words import reports_a_problem
from tests.buyer_tokens import sign_buyer_token
from tests.actions.action_harness import run, run_with_events, slots_set, tracker_for




def token(buyer):
    return {"buyer_token": sign_buyer_token(buyer)}


def order_in(backends, buyer, status):
    return next(o.number for o in backends.orders.orders(buyer, "en", open_only=False) if o.status == status)


def ask(buyer, number=None, language="en"):
    entities = [{"entity": "order_id", "value": number}] if number else []
    return run_with_events(ActionAskConfirmReceipt(), tracker_for(
        f"I received {number or 'my order'}", "confirm_receipt", entities=entities, metadata=token(buyer),
        language=language))


def say_yes(buyer, slots, language="en", text="yes"):
    return run(ActionConfirmReceipt(), tracker_for(text, "affirm", metadata=token(buyer), language=language,
                                                   slots=slots))


def test_the_question_shows_the_amount_and_a_yes_releases_once(using, console):
    buyer = "buyer-ru-dmitry"
    number = order_in(using, buyer, "delivered")
    messages, events = ask(buyer, number, "ru")
    assert messages[0]["response"] == "utter_confirm_receipt_question"
    held = using.escrow.state(buyer, number).held
    assert messages[0]["amount"].endswith(held.currency) and messages[0]["order_id"] == number
    slots = slots_set(events)
    assert slots["pending_release"] == number and slots["pending_release_key"]
    assert [m["response"] for m in say_yes(buyer, slots, "ru")] == ["utter_receipt_confirmed"]
    again = say_yes(buyer, slots, "ru")  # the same yes delivered twice
    assert [m["response"] for m in again] == ["utter_receipt_confirmed"]
    state = using.escrow.state(buyer, number)
    assert state.state == "released" and state.released_to_seller == state.amount
    audit = console.get(f"/console/api/orders/{number}/escrow/audit")
    assert [e["action"] for e in audit].count("release") == 1
    assert [m["response"] for m in ask(buyer, number)[0]] == ["utter_receipt_already_confirmed"]


@pytest.mark.parametrize("status,response", [
    ("disputed", "utter_receipt_refused_disputed"),
    ("refund_requested", "utter_receipt_refused_refund_pending"),
    ("paid", "utter_receipt_not_delivered_yet"),  # not shipped: it cannot have arrived
    ("refunded", "utter_receipt_refused_closed"),
])
def test_orders_that_cannot_be_confirmed_are_refused_with_the_reason(using, status, response):
    buyer = next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-uz-timur",
                             "buyer-ae-omar", "buyer-eg-mariam", "buyer-id-putri", "buyer-my-hafiz")
                 if any(o.status == status for o in using.orders.orders(b, "en", open_only=False)))
    messages, events = ask(buyer, order_in(using, buyer, status))
    assert [m["response"] for m in messages] == [response]
    assert slots_set(events)["pending_release"] is None


def test_a_shipped_order_in_the_buyers_hands_can_be_confirmed(using):
    """The tracking still says "shipped", the buyer has the parcel: their yes delivers and releases it."""
    buyer = next(b for b in ("buyer-ru-dmitry", "buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua")
                 if any(o.status == "shipped" for o in using.orders.orders(b, "en")))
    number = order_in(using, buyer, "shipped")
    messages, events = ask(buyer, number)
    assert [m["response"] for m in messages] == ["utter_confirm_receipt_question"]
    assert [m["response"] for m in say_yes(buyer, slots_set(events))] == ["utter_receipt_confirmed"]
    assert using.escrow.state(buyer, number).state == "released"
    assert next(o for o in using.orders.orders(buyer, "en", open_only=False) if o.number == number).status \
        == "completed"


def test_a_yes_that_names_another_order_asks_which_and_releases_nothing(using):
    buyer = next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-ae-omar", "buyer-eg-mariam")
                 if {"delivered", "shipped"} <= {o.status for o in using.orders.orders(b, "en")})
    number = order_in(using, buyer, "delivered")
    _, events = ask(buyer, number)
    other = order_in(using, buyer, "shipped")
    said = say_yes(buyer, slots_set(events), text=f"ok confirm, but the other one {other} not yet, dont touch it")
    assert [m["response"] for m in said] == ["utter_which_order_to_confirm"]
    assert {b["payload"].split('"')[-2] for b in said[0]["buttons"]} == {number, other}
    assert using.escrow.state(buyer, number).state == "held" and using.escrow.state(buyer, other).state == "held"


def test_a_yes_in_its_own_sentence_and_a_no_beside_the_other_order_releases_the_asked_one(using):
    buyer = next(b for b in ("buyer-my-hafiz", "buyer-ru-dmitry")  # whose delivered orders no other test needs
                 if {"delivered", "shipped"} <= {o.status for o in using.orders.orders(b, "en")})
    number = order_in(using, buyer, "delivered")
    _, events = ask(buyer, number)
    other = order_in(using, buyer, "shipped")
    text = f"подтверждаю получение по нему. а второй {other} ещё едет, его пока не трогайте"
    said = say_yes(buyer, slots_set(events), text=text)
    assert [m["response"] for m in said] == ["utter_receipt_confirmed"] and said[0]["order_id"] == number
    assert using.escrow.state(buyer, number).state == "released" and using.escrow.state(buyer, other).state == "held"


@pytest.mark.parametrize("text,language", [("the bag I received {number} has a stain, the strap is coming loose", "en"),
                                           ("收到了 {number} 但是屏幕碎了", "zh")])
def test_goods_received_with_a_problem_are_offered_a_refund_or_a_dispute_not_a_release(using, text, language):
    buyer = "buyer-kz-aidana"
    number = order_in(using, buyer, "delivered")
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker_for(
        text.format(number=number), "confirm_receipt", entities=[{"entity": "order_id", "value": number}],
        metadata=token(buyer), language=language))
    assert [m["response"] for m in messages] == ["utter_receipt_problem_reported"] and messages[0]["order_id"] == number
    assert slots_set(events)["pending_release"] is None and slots_set(events)["order_in_focus"] == number
    assert using.escrow.state(buyer, number).state == "held"


def test_a_problem_told_before_the_order_was_picked_is_still_a_problem(using):
    """"the blender's lid came cracked" (several orders came: "Which order?"), then the order's button: the
    payment is not offered for release, a refund or a dispute is."""
    buyer = "buyer-kz-aidana"
    number = order_in(using, buyer, "delivered")
    payload = f'/confirm_receipt{{"order_id": "{number}"}}'
    tracker = tracker_for(payload, "confirm_receipt", entities=[{"entity": "order_id", "value": number}],
                          metadata=token(buyer))
    tracker.events[:0] = [{"event": "user", "text": "the blender's lid came cracked, glass everywhere"},
                          {"event": "bot", "text": "Which order?",
                           "metadata": {"utter_action": "utter_which_order_to_confirm"}}]
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker)
    assert [m["response"] for m in messages] == ["utter_receipt_problem_reported"] and messages[0]["order_id"] == number
    assert using.escrow.state(buyer, number).state == "held"


def test_a_yes_that_tells_a_problem_releases_nothing(using):
    buyer = "buyer-kz-aidana"
    number = order_in(using, buyer, "delivered")
    _, events = ask(buyer, number)
    said = run(ActionConfirmReceipt(), tracker_for(
        "ok the box came but one of the glass lid cracked right across and the frying pan got dent also", "affirm",
        metadata=token(buyer), slots=slots_set(events)))
    assert [m["response"] for m in said] == ["utter_receipt_problem_reported"]
    assert using.escrow.state(buyer, number).state == "held"


def test_a_problem_only_supposed_or_waved_through_is_no_report():
    assert not reports_a_problem("а если я подтвержу а потом сломается, вернуть можно будет?")  # what if it breaks
    assert not reports_a_problem("received it, small scratch but fine, go ahead and confirm")
    assert reports_a_problem("the bag came, it has a stain and the strap is coming loose")
    assert reports_a_problem("我买的智能手表跟描述不一样。页面上说有GPS，可以打电话，实际上都没有")  # "可以" is the story's


def test_an_order_on_its_way_that_the_buyer_says_has_not_come_is_not_offered(using):
    buyer = next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-ae-omar")
                 if any(o.status == "shipped" for o in using.orders.orders(b, "en")))
    shipped = order_in(using, buyer, "shipped")
    tracker = tracker_for(f"الثاني {shipped} لسا ما وصل عادي بستناه", "inform", language="ar", metadata=token(buyer),
                          entities=[{"entity": "order_id", "value": shipped}])
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker)
    assert [m["response"] for m in messages] == ["utter_receipt_wait_for_arrival"]
    assert slots_set(events)["pending_release"] is None


def test_a_yes_about_other_goods_than_the_orders_releases_nothing(using):
    buyer = next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-ae-omar", "buyer-eg-mariam")
                 if any(o.status == "delivered" for o in using.orders.orders(b, "en")))
    number = order_in(using, buyer, "delivered")
    asked = next(o for o in using.orders.orders(buyer, "en") if o.number == number)
    other = next(c for c in ("drone", "furniture", "tv", "medicines", "pet_supplies") if c not in asked.categories)
    _, events = ask(buyer, number)
    said = run(ActionConfirmReceipt(), tracker_for(f"yes confirm the {other}", "affirm", metadata=token(buyer),
                                                   slots=slots_set(events),
                                                   entities=[{"entity": "product_category", "value": other}]))
    assert [m["response"] for m in said] in (["utter_which_order_to_confirm"], ["utter_no_order_to_confirm"])
    assert using.escrow.state(buyer, number).state == "held"


def test_a_yes_that_corrects_the_order_asks_about_the_order_meant(using):
    buyer = next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-ae-omar", "buyer-eg-mariam")
                 if {"delivered", "shipped"} <= {o.status for o in using.orders.orders(b, "en")})
    shipped, delivered = order_in(using, buyer, "shipped"), order_in(using, buyer, "delivered")
    _, events = ask(buyer, shipped)
    said = run(ActionConfirmReceipt(), tracker_for(f"اوه لحظة، هذا بعده ما وصل 😅 قصدي {delivered}، هذا اللي استلمته امس",
                                                   "affirm", metadata=token(buyer), language="ar",
                                                   slots=slots_set(events)))
    assert [m["response"] for m in said] == ["utter_confirm_receipt_question"] and said[0]["order_id"] == delivered
    assert using.escrow.state(buyer, shipped).state == "held" and using.escrow.state(buyer, delivered).state == "held"
    _, events = ask(buyer, delivered)
    no = run(ActionConfirmReceipt(), tracker_for(f"dont confirm {delivered} yet pls", "affirm", metadata=token(buyer),
                                                 slots=slots_set(events)))
    assert [m["response"] for m in no] == ["utter_which_order_to_confirm"]  # a no in it: nothing released
    assert using.escrow.state(buyer, delivered).state == "held"


def test_the_goods_are_read_only_when_there_is_a_choice():
    """One order it can be needs no reading of the message (no catalog call); two do."""
    from types import SimpleNamespace

    from actions.confirm_receipt import order_to_confirm

    def order(number, status, categories=("lighting",)):
        return SimpleNamespace(number=number, status=status, categories=list(categories), placed_at=number)

    def unread():
        raise AssertionError("the goods were read")

    assert order_to_confirm([order("SR-1", "delivered"), order("SR-2", "paid")], unread) == "SR-1"
    assert order_to_confirm([order("SR-2", "paid")], unread) is None
    two = [order("SR-1", "delivered"), order("SR-3", "shipped", ("phone",))]
    assert order_to_confirm(two, lambda: ["phone"]) == "SR-3"
    assert order_to_confirm(two, lambda: []) == "SR-1"  # the only delivered one


def test_a_yes_without_a_question_releases_nothing(using):
    assert [m["response"] for m in say_yes("buyer-kz-aidana", {})] == ["utter_how_can_i_help"]


def test_another_buyers_order_cannot_be_confirmed(using):
    theirs = order_in(using, "buyer-ae-omar", "delivered")
    messages, _ = ask("buyer-my-hafiz", theirs)
    assert [m["response"] for m in messages] == ["utter_order_not_found"]
    forged = say_yes("buyer-my-hafiz", {"pending_release": theirs, "pending_release_key": "k"})
    assert [m["response"] for m in forged] == ["utter_order_not_found"]
    assert using.escrow.state("buyer-ae-omar", theirs).state == "held"


def test_the_goods_named_say_which_delivered_order_was_received(using):
    buyer, delivered = next((buyer, delivered) for buyer in ("buyer-eg-mariam", "buyer-kz-aidana", "buyer-sa-noura",
                                                             "buyer-ru-dmitry", "buyer-cn-lihua")
                            for delivered in [[o for o in using.orders.orders(buyer, "en") if o.status == "delivered"]]
                            if delivered)
    category = delivered[0].categories[0]
    confirmable = [o for o in using.orders.orders(buyer, "en") if o.status in ("delivered", "shipped")]
    expected = max((o for o in confirmable if category in o.categories), key=lambda o: o.placed_at).number
    tracker = tracker_for(f"the {category} came, works great, pay the seller", "confirm_receipt",
                          entities=[{"entity": "product_category", "value": category}], metadata=token(buyer))
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker)
    assert slots_set(events).get("pending_release") in (expected, None)
    assert messages[0].get("order_id") == expected


def _after(response, tracker):
    """``tracker`` as if the bot's last answer before its latest message was ``response``."""
    tracker.events.insert(0, {"event": "bot", "text": "", "metadata": {"utter_action": response}})
    return tracker


def _with_orders_to_choose(using):
    return next(b for b in ("buyer-kz-aidana", "buyer-sa-noura", "buyer-cn-lihua", "buyer-ae-omar", "buyer-eg-mariam",
                            "buyer-ru-dmitry", "buyer-id-putri", "buyer-my-hafiz")
                if sum(o.status in ("delivered", "shipped") for o in using.orders.orders(b, "en")) > 1)


def test_an_answer_that_is_neither_yes_nor_no_is_asked_again_about_the_same_order(using):
    buyer = _with_orders_to_choose(using)
    number = order_in(using, buyer, "shipped")  # not the one a message naming no order would be taken for
    text = "wait, let me open the box first, i will confirm later"
    slots = {"pending_release": number, "pending_release_key": "key-1"}
    messages, events = run_with_events(ActionAskConfirmReceipt(), _after("utter_confirm_receipt_question", tracker_for(
        text, "inform", metadata=token(buyer), slots=slots)))
    assert [m["response"] for m in messages] == ["utter_confirm_receipt_question"] and messages[0]["order_id"] == number
    assert slots_set(events)["pending_release"] == number and slots_set(events)["pending_release_key"] != "key-1"
    # asked nothing just before, the same words are not about that order
    messages = run(ActionAskConfirmReceipt(), _after("utter_greet", tracker_for(text, "inform", metadata=token(buyer),
                                                                                 slots=slots)))
    assert messages[0].get("order_id") != number
    assert using.escrow.state(buyer, number).state == "held"


def test_a_confirmation_right_after_an_orders_tracking_is_about_that_order(using):
    buyer = _with_orders_to_choose(using)
    number = order_in(using, buyer, "shipped")
    tracker = _after("utter_parcel_eta", tracker_for("all fine, i picked it up yesterday, i confirm", "confirm_receipt",
                                                     metadata=token(buyer), slots={"order_in_focus": number}))
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker)
    assert [m["response"] for m in messages] == ["utter_confirm_receipt_question"]
    assert slots_set(events)["pending_release"] == number


def test_a_delivered_order_the_buyer_says_never_came_is_not_offered_for_release(using):
    buyer = next(b for b in ("buyer-eg-mariam", "buyer-sa-noura", "buyer-cn-lihua", "buyer-kz-aidana")
                 if any(o.status == "delivered" for o in using.orders.orders(b, "en")))
    number = order_in(using, buyer, "delivered")
    tracker = tracker_for(f"الاوردر {number} مكتوب عليه delivered بس والله ما استلمت حاجه", "confirm_receipt",
                          language="ar", metadata=token(buyer), entities=[{"entity": "order_id", "value": number}])
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracker)
    assert [m["response"] for m in messages] == ["utter_receipt_delivered_not_arrived"]
    assert not slots_set(events).get("pending_release") and using.escrow.state(buyer, number).state == "held"


def test_the_receipt_question_is_asked_again_about_its_order_after_a_question_in_between(using):
    buyer = _with_orders_to_choose(using)
    number = order_in(using, buyer, "shipped")
    other = order_in(using, buyer, "paid")
    slots = {"pending_release": number, "pending_release_key": "key-1", "order_in_focus": other}
    tracked = _after("utter_order_status", tracker_for(f"بس الاوردر التاني {other} لسا ما وصل، فين لحد دلوقتي؟",
                                                       "track_order", metadata=token(buyer), slots=slots,
                                                       language="ar"))  # "not come yet" is about the other one
    messages, events = run_with_events(ActionAskConfirmReceipt(), tracked)
    assert [m["response"] for m in messages] == ["utter_confirm_receipt_question"] and messages[0]["order_id"] == number
    assert slots_set(events)["pending_release"] == number
