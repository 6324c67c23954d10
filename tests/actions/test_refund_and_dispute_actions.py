"""Journeys 4, 5 and 7 against the real backends: the refund and dispute forms' checks, their confirmation
and submission (once per question), and the handoff's pause."""

import asyncio

import pytest

from actions.clients.money import Money
from rasa_sdk.executor import CollectingDispatcher

from actions.human_handoff import ActionHumanHandoff
from tests.buyer_tokens import sign_buyer_token
from actions.open_dispute import ActionAskDisputeConfirmed, ActionSubmitDispute, ValidateDisputeForm
from actions.order_forms import ActionAskOrderNumber, ActionCancelForm
from common.reason_words import DISPUTE_REASONS, REFUND_REASONS, reason_in
from actions.request_refund import (ActionAskRefundAmount, ActionAskRefundConfirmed, ActionSubmitRefund,
                                    ValidateRefundForm, amount_in, goods_go_back)
from tests.actions.action_harness import run, run_with_events, slots_set, tracker_for


def token(buyer):
    return {"buyer_token": sign_buyer_token(buyer)}


def held_order(backends, buyer):
    """One of the buyer's orders whose payment is held (nothing asked about it yet)."""
    for order in backends.orders.orders(buyer, "en", open_only=False):
        if order.status in ("shipped", "delivered") and backends.escrow.state(buyer, order.number).state == "held":
            return order.number
    raise AssertionError(f"{buyer} has no held order")


def validate(form, slot, value, buyer=None, slots=None, text=None, intent="inform", language="en"):
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(text or str(value), intent, metadata=token(buyer) if buyer else {}, language=language,
                          slots=slots, active_loop=form.form)
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize("text,allowed,expected", [
    ("it arrived broken", REFUND_REASONS, "damaged"),
    ("收到的时候屏幕碎了", REFUND_REASONS, "damaged"),
    ("посылка так и не пришла", REFUND_REASONS, "not_received"),
    ("المنتج مقلد وليس أصليا", DISPUTE_REASONS, "counterfeit"),
    ("прислали не тот размер", REFUND_REASONS, "wrong_item"),
    ('/inform{"refund_reason": "changed_mind"}', REFUND_REASONS, "changed_mind"),
    ('/inform{"dispute_reason": "counterfeit"}', REFUND_REASONS, None),  # not a refund reason
    ("hello there", REFUND_REASONS, None),
    # as buyers type them
    ("亲，订单的耳机右耳木有声音，我要退款", REFUND_REASONS, "damaged"),
    ("盖子碎成渣了😭", REFUND_REASONS, "damaged"),
    ("ноут пришел без зарядки", REFUND_REASONS, "missing_parts"),
    ("one of the lid missing", REFUND_REASONS, "missing_parts"),
    ("seller dont reply and refuse to refund", DISPUTE_REASONS, "refund_refused"),
    ("我的order那双跑鞋 size 小了一号 穿不下", REFUND_REASONS, "wrong_item"),
    ("空气炸锅在海关卡了快半个月了", REFUND_REASONS, "not_received"),
    ("левое ухо вообще не играет только правое", REFUND_REASONS, "damaged"),
    ("в описании 2 аккумулятора и 30 бит, а в коробке один акб", DISPUTE_REASONS, "missing_parts"),
    ("无人机收到了可是盒子里只有机身，电池和遥控器都没有!!", DISPUTE_REASONS, "missing_parts"),
    ("i order M but they send XL", REFUND_REASONS, "wrong_item"),
    ("paid two weeks ago and seller still didnt ship it", REFUND_REASONS, "not_received"),
    ("这双鞋我申请退款卖家给拒了", DISPUTE_REASONS, "refund_refused"),
])
def test_reasons_are_read_in_every_language_and_from_buttons(text, allowed, expected):
    assert reason_in(text, allowed) == expected


@pytest.mark.parametrize("text,expected", [
    ("all of it", "full"), ("全部", "full"), ("всю сумму", "full"), ("المبلغ كامل", "full"),
    ("25.50", "25.50"), ("верните 1 200", "1200"), ("٥٠", "50"), ("maybe", None), ("كل الفلوس", "full"),
    ("все", "full"), ("всё", "full"), ("всего 20", "20"), ("ALL of it", "full"),
])
def test_refund_amounts_as_typed(text, expected):
    assert amount_in(text) == expected


def test_a_refund_is_checked_confirmed_and_sent_once(using):
    buyer = "buyer-kz-aidana"
    number = held_order(using, buyer)
    form = ValidateRefundForm()
    result, said = validate(form, "order_number", f"it's {number.lower()}", buyer)
    assert result["order_number"] == number and said == []
    slots = {"order_number": number}
    result, _ = validate(form, "refund_reason", "пришёл разбитым", buyer, slots, language="ru")
    assert result["refund_reason"] == "damaged"
    held = using.escrow.state(buyer, number).held
    too_much = held.amount_minor / 100 + 1
    result, said = validate(form, "refund_amount", str(too_much), buyer, slots)
    assert result["refund_amount"] is None and said == ["utter_refund_amount_too_high"]
    assert result["form_failures"] == 1
    result, said = validate(form, "refund_amount", "soon", buyer, {**slots, "form_failures": 1.0})
    assert said == ["utter_refund_amount_expected", "utter_form_offer_human"]  # the second miss offers a person
    part = held.amount_minor // 2
    result, said = validate(form, "refund_amount", f"{part / 100:.2f}", buyer, slots)
    assert result == {"refund_amount": str(part), "form_failures": 0.0, "refund_amount_asked": None}
    slots.update(refund_reason="damaged", refund_return=True, refund_amount=str(part))
    messages, events = run_with_events(ActionAskRefundConfirmed(), tracker_for(
        "", "affirm", metadata=token(buyer), slots=slots, active_loop="refund_form"))
    assert messages[0]["response"] == "utter_ask_refund_confirmed_return"
    assert messages[0]["amount"].startswith(f"{part // 100:,}")
    slots.update(slots_set(events), refund_confirmed=True)
    for _ in range(2):  # the same yes delivered twice
        messages, events = run_with_events(ActionSubmitRefund(), tracker_for("yes", "affirm", metadata=token(buyer),
                                                                             slots=slots))
        assert messages[0]["response"] in ("utter_refund_requested_return", "utter_refund_already_requested")
    assert messages[0]["response"] == "utter_refund_requested_return" and messages[0]["answer_due"]
    assert slots_set(events)["order_number"] is None  # the form's answers are forgotten
    state = using.escrow.state(buyer, number)
    assert state.state == "refund_requested"
    assert [(r.amount.amount_minor, r.reason, r.return_goods) for r in state.refund_requests] == [
        (part, "damaged", True)]
    result, said = validate(form, "order_number", number, buyer)  # a second refund on it is refused
    assert said == ["utter_refund_already_requested"] and result["requested_slot"] is None


def test_a_no_at_the_end_sends_nothing(using):
    buyer = "buyer-sa-noura"
    number = held_order(using, buyer)
    slots = {"order_number": number, "refund_reason": "changed_mind", "refund_return": True,
             "refund_amount": "full", "refund_confirmed": False, "refund_key": "k-no"}
    assert [m["response"] for m in run(ActionSubmitRefund(), tracker_for("no", "deny", metadata=token(buyer),
                                                                         slots=slots))] == ["utter_request_not_sent"]
    assert using.escrow.state(buyer, number).state == "held"


def test_another_buyers_order_is_not_found_and_left_alone(using):
    theirs = held_order(using, "buyer-ae-omar")
    result, said = validate(ValidateRefundForm(), "order_number", theirs, "buyer-my-hafiz")
    assert said == ["utter_order_not_found"] and result["order_number"] is None
    forged = {"order_number": theirs, "refund_reason": "damaged", "refund_return": False, "refund_amount": "full",
              "refund_confirmed": True, "refund_key": "forged"}
    said = run(ActionSubmitRefund(), tracker_for("yes", "affirm", metadata=token("buyer-my-hafiz"), slots=forged))
    assert [m["response"] for m in said] == ["utter_order_not_found"]
    assert using.escrow.state("buyer-ae-omar", theirs).state == "held"


def test_a_guest_is_asked_to_sign_in_and_the_form_ends(using):
    messages, events = run_with_events(ActionAskOrderNumber(), tracker_for("refund", "request_refund",
                                                                           active_loop="refund_form"))
    assert [m["response"] for m in messages] == ["utter_sign_in_to_continue"]
    assert slots_set(events) == {"requested_slot": None}


def test_the_order_question_offers_the_buyers_eligible_orders(using):
    buyer = "buyer-kz-aidana"
    messages, _ = run_with_events(ActionAskOrderNumber(), tracker_for("refund", "request_refund",
                                                                      metadata=token(buyer),
                                                                      active_loop="dispute_form"))
    assert messages[0]["response"] == "utter_ask_order_number"
    offered = {b["payload"].split('"')[3] for b in messages[0]["buttons"]}
    mine = {o.number for o in using.orders.orders(buyer, "en")}
    assert offered and offered <= mine


def test_a_dispute_is_opened_with_its_case_number_and_stops_the_clock(using, console):
    buyer = "buyer-eg-mariam"
    number = held_order(using, buyer)
    form = ValidateDisputeForm()
    assert validate(form, "dispute_reason", "السلعة مقلدة", buyer, language="ar")[0]["dispute_reason"] == \
        "counterfeit"
    result, said = validate(form, "dispute_description", "bad", buyer)
    assert result["dispute_description"] is None and said == ["utter_dispute_description_expected"]
    result, said = validate(form, "dispute_evidence", "I have some photos", buyer)
    assert said == ["utter_dispute_evidence_expected"]
    result, _ = validate(form, "dispute_evidence", "see https://img.example/1.jpg and https://img.example/2.jpg.",
                         buyer)
    assert result["dispute_evidence"] == "https://img.example/1.jpg https://img.example/2.jpg"
    assert validate(form, "dispute_evidence", "none", buyer, intent="deny")[0]["dispute_evidence"] == "none"
    assert validate(form, "dispute_evidence", "open dispute pls", buyer)[0]["dispute_evidence"] == "none"  # go on
    gives_up = "有聊天截图 不过不会弄链接 算了吧"  # has screenshots, cannot make links, forget it
    assert validate(form, "dispute_evidence", gives_up, buyer, language="zh") == ({"dispute_evidence": "none",
                                                                                   "form_failures": 0.0}, [])
    asked_once = validate(form, "dispute_evidence", "I have some photos", buyer, slots={"form_failures": 1.0})
    assert asked_once == ({"dispute_evidence": "none", "form_failures": 0.0}, [])
    slots = {"order_number": number, "dispute_reason": "counterfeit",
             "dispute_description": "The logo is printed crooked and the serial number is not valid.",
             "dispute_evidence": result["dispute_evidence"]}
    messages, events = run_with_events(ActionAskDisputeConfirmed(), tracker_for(
        "", "inform", metadata=token(buyer), slots=slots, language="ar", active_loop="dispute_form"))
    assert messages[0]["response"] == "utter_ask_dispute_confirmed" and messages[0]["evidence_count"] == "2"
    slots.update(slots_set(events), dispute_confirmed=True)
    messages = run(ActionSubmitDispute(), tracker_for("نعم", "affirm", metadata=token(buyer), slots=slots,
                                                      language="ar"))
    assert messages[0]["response"] == "utter_dispute_opened"
    state = using.escrow.state(buyer, number)
    assert state.state == "disputed" and messages[0]["case_number"] == state.dispute_case
    assert state.auto_release_at is None and messages[0]["answer_due"]
    dispute = console.get(f"/console/api/disputes/{state.dispute_case}")
    assert [e["reference"] for e in dispute["evidence"]] == ["https://img.example/1.jpg",
                                                             "https://img.example/2.jpg"]


def test_asking_for_a_person_pauses_and_leaves_the_form(using):
    messages, events = run_with_events(ActionHumanHandoff(), tracker_for(
        "operator please", "human_handoff", slots={"order_number": "SR-204517"}, active_loop="refund_form"))
    assert [m["response"] for m in messages] == ["utter_handoff_queued"]
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "pause" and "active_loop" in kinds
    assert slots_set(events)["handoff_reason"] == "buyer_request"
    assert slots_set(events)["order_number"] is None


def test_stopping_a_form_forgets_its_answers():
    messages, events = run_with_events(ActionCancelForm(), tracker_for(
        "no", "deny", slots={"order_number": "SR-204517", "dispute_reason": "damaged"}, active_loop="dispute_form"))
    assert [m["response"] for m in messages] == ["utter_form_cancelled"]
    assert slots_set(events)["dispute_reason"] is None
    assert (events[0]["event"], events[0]["name"]) == ("active_loop", None)


def test_the_amount_question_names_what_is_held_and_offers_all_of_it(using):
    buyer = "buyer-my-hafiz"
    number = held_order(using, buyer)
    held = using.escrow.state(buyer, number).held
    messages, _ = run_with_events(ActionAskRefundAmount(), tracker_for(
        "no", "deny", metadata=token(buyer), slots={"order_number": number}, active_loop="refund_form"))
    assert messages[0]["response"] == "utter_ask_refund_amount" and messages[0]["held"].endswith(held.currency)
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/inform{"refund_amount": "full"}']


def test_the_opening_messages_order_is_taken_once_and_later_answers_are_not_reread():
    form = ValidateRefundForm()
    opening = tracker_for("a refund for sr 204517 please", "request_refund", active_loop="refund_form")
    assert form.extract_order_number(CollectingDispatcher(), opening, {}) == {"order_number": "SR-204517"}
    later = tracker_for("SR-204517 arrived broken", "inform", active_loop="refund_form",
                        slots={"requested_slot": "refund_reason", "order_number": "SR-118930"})
    later.events.insert(0, {"event": "user", "text": "refund SR-118930 pls"})  # the order the buyer named
    assert form.extract_order_number(CollectingDispatcher(), later, {}) == {}


def test_an_order_the_bot_picked_gives_way_to_the_one_the_buyer_names():
    """Picked by the goods named ("standing desk ... only 1 leg"), not named by the buyer: a number named later is
    the order meant, correction word or not; one the buyer named (typed or by a button) stays without one."""
    form = ValidateDisputeForm()
    slots = {"requested_slot": "dispute_reason", "order_number": "SR-900006"}
    named = tracker_for("i want dispute for SR-900033, RM1,250 i pay for half desk meh?", "inform",
                        active_loop="dispute_form", slots=slots)
    named.events.insert(0, {"event": "user", "text": "standing desk arrive already but only the table top and 1 leg"})
    assert form.extract_order_number(CollectingDispatcher(), named, {}) == {"order_number": "SR-900033"}
    for earlier in ("dispute for 900006 pls", '/inform{"order_number": "SR-900006"}'):
        kept = tracker_for("the other one SR-900033 is fine", "inform", active_loop="dispute_form", slots=slots)
        kept.events.insert(0, {"event": "user", "text": earlier})
        assert form.extract_order_number(CollectingDispatcher(), kept, {}) == {}, earlier


def test_all_of_the_payment_asked_for_in_the_opening_message_is_not_asked_again():
    form = ValidateRefundForm()
    for text in ("我要申请退款订单号是900091玩具少了零件 你们全部退给我吧", "верните все деньги за заказ SR-204517",
                 "عايزة refund كل الفلوس", "please give me my money back, all of it. I never got anything"):
        opening = tracker_for(text, "request_refund", active_loop="refund_form")
        assert form.extract_refund_amount(CollectingDispatcher(), opening, {}) == {"refund_amount": "full"}, text
    # an amount with its currency is the amount asked for (validated and converted as a typed answer is)
    for text in ("a refund of 20 dollars for SR-204517, all broken", "锅还能用 退我50块意思一下就行",
                 "сковородка с вмятиной, верните 500р и забыли"):
        partial = tracker_for(text, "request_refund", active_loop="refund_form")
        assert form.extract_refund_amount(CollectingDispatcher(), partial, {}) == {"refund_amount": text}, text
    # a number that is not money (a size, an order number) is not an amount
    for text in ("I ordered size 38 and got 40, refund please", "refund for SR-204517 please",
                 "верните деньги, всё сломалось"):  # "everything broke": no amount
        other = tracker_for(text, "request_refund", active_loop="refund_form")
        assert form.extract_refund_amount(CollectingDispatcher(), other, {}) == {}, text
    later = tracker_for("all the money", "inform", active_loop="refund_form",
                        slots={"requested_slot": "refund_reason", "refund_amount": "500"})
    assert form.extract_refund_amount(CollectingDispatcher(), later, {}) == {}


def test_the_reason_question_offers_the_forms_reasons_in_the_buyers_language():
    from actions.open_dispute import ActionAskDisputeReason
    from actions.request_refund import ActionAskRefundReason

    messages = run(ActionAskDisputeReason(), tracker_for("", "open_dispute", language="zh"))
    assert messages[0]["response"] == "utter_ask_dispute_reason"
    assert [reason_in(b["payload"], DISPUTE_REASONS) for b in messages[0]["buttons"]] == list(DISPUTE_REASONS)
    assert "假货" in [b["title"] for b in messages[0]["buttons"]]
    refund = run(ActionAskRefundReason(), tracker_for("", "request_refund", language="ru"))[0]
    assert len(refund["buttons"]) == len(REFUND_REASONS) and refund["buttons"][0]["title"] == "Не получил заказ"


def test_the_order_named_again_is_no_answer_and_no_mistake():
    """"заказ SR-900053" to "What went wrong?" or "Will you send it back?" about that order: asked again, without
    reproach (another answer that is neither a yes nor a no is told what is expected)."""
    slots = {"order_number": "SR-900053"}
    for form, slot in ((ValidateDisputeForm(), "dispute_reason"), (ValidateRefundForm(), "refund_reason")):
        for text in ("заказ SR-900053", "вот номер SR-900053", "номер 900053"):
            assert validate(form, slot, text, slots=slots, language="ru") == ({slot: None}, []), text
    form = ValidateRefundForm()
    asked = tracker_for("заказ SR-900053", "inform", active_loop="refund_form", language="ru",
                        slots={**slots, "requested_slot": "refund_return"})
    assert form.extract_refund_return(CollectingDispatcher(), asked, {}) == {"refund_return": None}
    never_came = tracker_for("ما وصلني اصلاً، شو برجع؟", "inform", active_loop="refund_form", language="ar",
                             slots={**slots, "requested_slot": "refund_return"})
    assert form.extract_refund_return(CollectingDispatcher(), never_came, {}) == {"refund_return": False}
    on_its_way = tracker_for("还没到呢 退款的话多久能到账啊？", "inform", active_loop="refund_form", language="zh",
                             slots={**slots, "requested_slot": "refund_return"})
    assert form.extract_refund_return(CollectingDispatcher(), on_its_way, {}) == {"refund_return": None}
    assert validate(form, "refund_return", None, slots=slots, text="заказ SR-900053") == ({"refund_return": None}, [])
    _, said = validate(form, "refund_return", None, slots=slots, text="hmm the box is big")
    assert said == ["utter_yes_or_no_expected"]


@pytest.mark.parametrize("text,language", [("да, открывайте", "ru"), ("yes go ahead", "en"), ("是的，提交吧", "zh"),
                                           ("ايوه افتح", "ar"), ("i want to open a dispute please", "en")])
def test_a_yes_to_the_reason_question_asks_for_the_reason_again(text, language):
    """The buyer confirms before being asked to ("да, открывайте" while the bot asks what went wrong), or asks for
    the journey again: no reason "other" is made of it, the question is asked again."""
    for form, slot in ((ValidateDisputeForm(), "dispute_reason"), (ValidateRefundForm(), "refund_reason")):
        result, said = validate(form, slot, text, slots={"order_number": "SR-900053"}, language=language)
        assert result[slot] is None and said == ["utter_reason_expected"], (slot, result)
    result, _ = validate(ValidateDisputeForm(), "dispute_reason", "да, не пришел он", language="ru",
                         slots={"order_number": "SR-900053"})
    assert result["dispute_reason"] == "not_received"  # a yes that names the reason is that reason
    result, said = validate(ValidateRefundForm(), "refund_reason", "отправлю обратно без проблем, коробка есть",
                            language="ru", slots={"order_number": "SR-900053"})
    assert result["refund_reason"] is None and said == ["utter_reason_expected"]  # the return's answer


def test_a_yes_or_no_question_takes_only_a_yes_or_a_no():
    form = ValidateRefundForm()
    assert validate(form, "refund_return", True)[0] == {"refund_return": True, "form_failures": 0.0}
    result, said = validate(form, "refund_confirmed", "perhaps", slots={"form_failures": 1.0})
    assert result["refund_confirmed"] is None and said == ["utter_yes_or_no_expected", "utter_form_offer_human"]


def test_an_amount_in_the_buyers_currency_is_converted_and_both_are_confirmed(using):
    from tests.actions.action_harness import tracker_for as make_tracker

    buyer = "buyer-my-hafiz"
    number = held_order(using, buyer)
    held = using.escrow.state(buyer, number).held
    asked = using.currency.convert(Money(held.amount_minor // 3, held.currency), "MYR")
    typed = f"{asked.amount_minor / 100:.2f}"
    form = ValidateRefundForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(f"{typed} ringgit", "inform", metadata=token(buyer), slots={"order_number": number},
                           active_loop="refund_form", entities=[{"entity": "currency", "value": "MYR"}])
    result = form.validate_refund_amount(f"{typed} ringgit", dispatcher, tracker, {})
    expected = using.currency.convert(Money(asked.amount_minor, "MYR"), held.currency).amount_minor
    assert result["refund_amount"] == str(expected) and abs(expected - held.amount_minor // 3) <= 2
    assert result["refund_amount_asked"] == f"{typed} MYR" and dispatcher.messages == []
    slots = {"order_number": number, "refund_reason": "damaged", "refund_return": False, **result}
    messages, _ = run_with_events(ActionAskRefundConfirmed(), make_tracker(
        "", "affirm", metadata=token(buyer), slots=slots, active_loop="refund_form"))
    assert messages[0]["amount"].startswith(f"{typed} MYR ≈ ") and messages[0]["amount"].endswith(held.currency)


def test_an_amount_in_a_currency_without_a_rate_is_asked_again_with_the_reason(using):
    from tests.actions.action_harness import tracker_for as make_tracker

    buyer = "buyer-my-hafiz"
    number = held_order(using, buyer)
    form = ValidateRefundForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("50 bitcoins", "inform", metadata=token(buyer), slots={"order_number": number},
                           active_loop="refund_form", entities=[{"entity": "currency", "value": "BTC"}])
    result = form.validate_refund_amount("50 bitcoins", dispatcher, tracker, {})
    assert result["refund_amount"] is None
    said = [m["response"] for m in dispatcher.messages]
    assert said[0] == "utter_refund_currency_unknown" and dispatcher.messages[0]["currency"] == "BTC"


def test_leaving_the_refund_form_for_a_dispute_forgets_its_answers_but_keeps_the_order():
    from actions.order_forms import ActionLeaveForm
    from tests.actions.action_harness import run_with_events, slots_set

    tracker = tracker_for("давайте спор откроем", "open_dispute", active_loop="refund_form",
                          slots={"order_number": "SR-204517", "refund_reason": "damaged", "refund_return": True,
                                 "requested_slot": "refund_amount"})
    messages, events = run_with_events(ActionLeaveForm(), tracker)
    assert messages == []  # silent: the dispute form speaks next
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    slots = slots_set(events)
    assert slots["order_number"] == "SR-204517" and slots["requested_slot"] is None
    assert slots["refund_reason"] is None and slots["refund_return"] is None and slots["refund_amount"] is None


def test_a_request_right_after_a_status_report_is_about_that_order():
    form = ValidateRefundForm()
    tracker = tracker_for("咋还没发 卖家是不是忘了", "open_dispute", active_loop="dispute_form",
                          slots={"order_in_focus": "SR-900080"}, language="zh")
    latest = tracker.events[-1]
    status = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_order_status"}}
    tracker.events[:] = [{"event": "user", "text": "900080 发货了没", "parse_data": {}}, status, latest]
    assert form.extract_order_number(CollectingDispatcher(), tracker, {}) == {"order_number": "SR-900080"}
    greeted = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_greet"}}
    tracker.events[:] = [{"event": "user", "text": "hi", "parse_data": {}}, greeted, latest]
    assert form.extract_order_number(CollectingDispatcher(), tracker, {}) == {}  # long ago: asked again


def _newest_of(orders, category, statuses):
    matching = [o for o in orders if category in o.categories and o.status in statuses]
    return max(matching, key=lambda o: o.placed_at).number


def test_the_goods_named_pick_the_newest_order_the_form_can_act_on(using):
    buyer = "buyer-kz-aidana"
    orders = using.orders.orders(buyer, "en")
    statuses = ("paid", "shipped", "delivered")
    category = next(c for o in orders if o.status in statuses for c in o.categories)
    expected = _newest_of(orders, category, statuses)
    named = [{"entity": "product_category", "value": category}]
    opening = tracker_for(f"the {category} I ordered came broken, I want my money back", "request_refund",
                          entities=named, metadata=token(buyer), active_loop="refund_form")
    assert ValidateRefundForm().extract_order_number(CollectingDispatcher(), opening, {}) == {"order_number": expected}
    # asked which order, the buyer answers with what they want: the goods they named just before decide
    answer = tracker_for("i want my money back", "request_refund", metadata=token(buyer), active_loop="refund_form",
                         slots={"requested_slot": "order_number"})
    earlier = {"event": "user", "text": f"my {category} came broken",
               "parse_data": {"text": f"my {category} came broken", "entities": named}}
    answer.events[:0] = [earlier, {"event": "bot", "text": "which order?"}]
    assert ValidateRefundForm().extract_order_number(CollectingDispatcher(), answer, {}) == {"order_number": expected}
    # a number typed is the buyer's answer, whatever they named before
    typed = tracker_for("SR-204517", "inform", metadata=token(buyer), active_loop="refund_form",
                        slots={"requested_slot": "order_number"})
    typed.events[:0] = [earlier]
    assert ValidateRefundForm().extract_order_number(CollectingDispatcher(), typed, {}) == {}


def test_goods_no_order_has_leave_the_question_to_the_buyer(using):
    buyer = "buyer-kz-aidana"
    owned = {c for o in using.orders.orders(buyer, "en") for c in o.categories}
    absent = next(c for c in ("medicines", "pet_supplies", "food", "books", "batteries") if c not in owned)
    opening = tracker_for(f"refund for the {absent}", "request_refund", metadata=token(buyer),
                          entities=[{"entity": "product_category", "value": absent}], active_loop="refund_form")
    assert ValidateRefundForm().extract_order_number(CollectingDispatcher(), opening, {}) == {}


def test_every_language_names_every_reason_and_no_phrase_names_two():
    import yaml

    from common.reason_words import OTHER_CHOICE, REASON_WORDS
    from common.spelling import fold

    data = yaml.safe_load(REASON_WORDS.read_text(encoding="utf-8"))
    codes = set(DISPUTE_REASONS) | set(REFUND_REASONS)
    assert set(data) == {"en", "zh", "ru", "ar"}
    for language, reasons in data.items():
        assert set(reasons) <= codes | {OTHER_CHOICE}, language
        assert codes - {"other"} | {OTHER_CHOICE} <= set(reasons), f"{language} lacks {codes - set(reasons)}"
        seen = {}
        for code, phrases in reasons.items():
            for phrase in phrases:
                assert seen.setdefault(fold(phrase), code) == code, f"{language}: {phrase!r} names two reasons"


@pytest.mark.parametrize("text,expected", [
    ("面霜用了两天脸上起疹子了，过敏了能退吗", "other"),  # other's own words name it in a request
    ("seller wants extra money before he ships", "other"),
    ("别的都好 就是想退款", None),  # the words that only pick "something else" do not
    ("хочу вернуть деньги по другой причине, другое", None),
    ("the earbuds is FAKE. not original", "counterfeit"),
])
def test_a_request_names_other_only_by_its_own_words(text, expected):
    from common.reason_words import names_a_reason

    assert names_a_reason(text, DISPUTE_REASONS) == expected


@pytest.mark.parametrize("text,expected", [
    ("the air fryer i bought cannot turn on, plug in the light also no", "damaged"),
    ("the sole a bit peeling at the front, still can wear tho", "damaged"),
    ("наушники вообще не заряжаются, левый вообще мертвый", "damaged"),
    ("на рукаве зацепка и шов кривой", "damaged"),
    ("洗了一次就掉色 袖子都染粉了", "damaged"),
    ("الجهه اليسار ماتشتغل ابد", "damaged"),
    ("طلبت عبايه من شهر ونص ولا وصلت", "not_received"),
    ("заказывал черные джинсы а пришли розовые шорты", "wrong_item"),
    ("заказывал наушники, а пришли сломанные", "damaged"),  # the damage, not the gap between two clauses
    ("i ordered the black one but got a white one", "wrong_item"),
    ("сколько стоит доставка", None), ("stainless steel bottle", None), ("不用寄回了", None),
    ("it is not on time", None), ("I want a refund please", None),
])
def test_reasons_built_from_parts_are_read_by_their_patterns(text, expected):
    assert reason_in(text, REFUND_REASONS) == expected


def test_every_reason_pattern_compiles_and_names_a_known_reason():
    from common.reason_words import reason_patterns

    patterns = reason_patterns()
    assert set(patterns) <= set(DISPUTE_REASONS) | set(REFUND_REASONS)
    assert {"damaged", "not_received", "wrong_item"} <= set(patterns)


def test_evidence_links_in_the_opening_message_are_not_asked_for_again():
    form = ValidateDisputeForm()
    opening = tracker_for("SR-900016 是假货！！我要开争议 照片在这 https://imgur.com/a/xK29fQ", "open_dispute",
                          active_loop="dispute_form", language="zh")
    assert form.extract_dispute_evidence(CollectingDispatcher(), opening, {}) == {
        "dispute_evidence": "https://imgur.com/a/xK29fQ"}
    no_link = tracker_for("the bag is fake, open a dispute", "open_dispute", active_loop="dispute_form")
    assert form.extract_dispute_evidence(CollectingDispatcher(), no_link, {}) == {}
    later = tracker_for("see https://imgur.com/a/1", "inform", active_loop="dispute_form",
                        slots={"requested_slot": "dispute_description"})
    assert form.extract_dispute_evidence(CollectingDispatcher(), later, {}) == {}  # the question's own answer later


def test_an_order_corrected_while_another_question_is_open_replaces_the_first():
    """With what the first order said for itself ("nothing to send back": not shipped) forgotten."""
    form = ValidateRefundForm()
    slots = {"requested_slot": "refund_reason", "order_number": "SR-900054"}
    meant = {"order_number": "SR-900053", "refund_return": None}
    corrected = tracker_for("لا لا سوري غلطت 🙏 الصحيح SR-900053، الساعة الذكية", "inform", active_loop="refund_form",
                            slots=slots, language="ar")
    assert form.extract_order_number(CollectingDispatcher(), corrected, {}) == meant
    sorry = tracker_for("sorry, wrong one, I mean SR-900053", "inform", active_loop="refund_form", slots=slots)
    assert form.extract_order_number(CollectingDispatcher(), sorry, {}) == meant
    dispute = ValidateDisputeForm().extract_order_number(CollectingDispatcher(), sorry, {})
    assert dispute == {"order_number": "SR-900053"}  # the dispute keeps nothing of the order's own
    same = tracker_for("sorry, it is SR-900054 yes", "inform", active_loop="refund_form", slots=slots)
    assert form.extract_order_number(CollectingDispatcher(), same, {}) == {}
    both = tracker_for("стоп, не тот номер скинул, SR-900054 это другой заказ, он ещё в пути. Телевизор это SR-900053",
                       "inform", active_loop="refund_form", slots=slots, language="ru")
    assert form.extract_order_number(CollectingDispatcher(), both, {}) == meant  # the one not held, named first or not


def test_keeping_the_item_said_in_the_opening_message_is_not_asked_again():
    form = ValidateRefundForm()
    for text in ("استلمت التابلت لكن العلبة ناقصة الشاحن. الجهاز شغال ولن أرجعه، أريد استرداد جزئي بقيمة 80 درهم",
                 "锅本身还能用 不想退货了太麻烦 申请个部分退款吧", "сковородка с вмятиной, возвращать ее не буду, верните 500р"):
        opening = tracker_for(text, "request_refund", active_loop="refund_form")
        assert form.extract_refund_return(CollectingDispatcher(), opening, {}) == {"refund_return": False}, text


def _held_order_in(backends, status):
    """(buyer, order) of a demo buyer's order in ``status`` whose payment is held (other tests use some)."""
    for buyer in ("buyer-ru-dmitry", "buyer-uz-timur", "buyer-eg-mariam", "buyer-my-hafiz", "buyer-kz-aidana"):
        for order in backends.orders.orders(buyer, "en", open_only=False):
            if order.status == status and backends.escrow.state(buyer, order.number).state == "held":
                return buyer, order.number
    raise AssertionError(f"no held {status} order")


def test_goods_that_never_arrived_are_not_asked_back(using):
    form = ValidateRefundForm()
    domain_slots = ["order_number", "refund_reason", "refund_return", "refund_amount", "refund_confirmed"]

    def required(slots):
        tracker = tracker_for("", "inform", active_loop="refund_form", slots=slots)
        return asyncio.run(form.required_slots(domain_slots, CollectingDispatcher(), tracker, {}))

    assert "refund_return" not in required({"refund_reason": "not_received"})  # "nothing to return, never got it"
    assert "refund_return" in required({"refund_reason": "damaged"})
    assert not goods_go_back(tracker_for("", "inform", slots={"refund_reason": "not_received", "refund_return": True}))
    assert goods_go_back(tracker_for("", "inform", slots={"refund_reason": "damaged", "refund_return": True}))
    buyer, not_shipped = _held_order_in(using, "paid")
    result, _ = validate(form, "order_number", not_shipped, buyer)
    assert result["order_number"] == not_shipped and result["refund_return"] is False  # not shipped: nothing to send
    buyer, on_its_way = _held_order_in(using, "shipped")  # refused at the door or sent back when it comes: asked
    result, _ = validate(form, "order_number", on_its_way, buyer)
    assert result["order_number"] == on_its_way and "refund_return" not in result
    buyer, delivered = _held_order_in(using, "delivered")
    result, _ = validate(form, "order_number", delivered, buyer)
    assert result["order_number"] == delivered and "refund_return" not in result


def test_what_an_answer_says_beyond_its_question_is_taken():
    """The answer to "what went wrong?" that also says the goods stay and how much to refund."""
    form = ValidateRefundForm()
    reason_asked = {"requested_slot": "refund_reason", "order_number": "SR-900053"}
    answer = tracker_for("الساعة شغالة بس الشاشة فيها خدش واضح من الشحن. مب لازم ارجعها، بس ابا تعويض ٥٠ درهم", "inform",
                         active_loop="refund_form", slots=reason_asked, language="ar")
    assert form.extract_refund_return(CollectingDispatcher(), answer, {}) == {"refund_return": False}
    assert form.extract_refund_amount(CollectingDispatcher(), answer, {})["refund_amount"] == answer.latest_message[
        "text"]  # "ابا تعويض ٥٠ درهم": the amount it asks back, read and converted as the amount's answer
    corrected = tracker_for("хотя нет, 150 тыщ сум давайте, она ж совсем не то что заказывал", "inform",
                            active_loop="refund_form", language="ru",
                            slots={**reason_asked, "refund_amount": "верните хотя бы 100 000 сум"})
    assert form.extract_refund_amount(CollectingDispatcher(), corrected, {}) == {"refund_amount": "150000 UZS"}
    again = tracker_for("哦不对 退50 掉色这么严重30太少了", "inform", active_loop="refund_form", language="zh",
                        slots={**reason_asked, "refund_amount": "衣服我自己留着穿吧 退我30块就行"})
    assert form.extract_refund_amount(CollectingDispatcher(), again, {}) == {"refund_amount": "50 CNY"}  # as before
    validated = tracker_for("哦不对 退50", "inform", active_loop="refund_form", language="zh",  # 3000 minor units
                            slots={**reason_asked, "refund_amount": "3000", "refund_amount_asked": None})
    assert form.extract_refund_amount(CollectingDispatcher(), validated, {}) == {"refund_amount": "50"}  # held currency
    in_roubles = tracker_for("не, стоп, 1,5к давайте", "inform", active_loop="refund_form", language="ru",
                             slots={**reason_asked, "refund_amount": "7826", "refund_amount_asked": "1,000.00 RUB",
                                    "requested_slot": "refund_confirmed"})
    assert form.extract_refund_amount(CollectingDispatcher(), in_roubles, {}) == {"refund_amount": "1500 RUB"}
    confirming = tracker_for("не, стоп, 1,5к давайте, 1к это мало за такое", "inform", active_loop="refund_form",
                             language="ru", slots={"requested_slot": "refund_confirmed", "order_number": "SR-900053",
                                                   "refund_amount": "верните часть денег рублей 1к"})
    assert form.extract_refund_amount(CollectingDispatcher(), confirming, {}) == {"refund_amount": "1500 RUB"}
    all_of_it = tracker_for("actually no forget that. now the screen also has a dead pixel. I want full refund and I "
                            "will send it back", "inform", active_loop="refund_form",
                            slots={"requested_slot": "refund_confirmed", "order_number": "SR-900053",
                                   "refund_amount": "15000"})
    assert form.extract_refund_amount(CollectingDispatcher(), all_of_it, {}) == {"refund_amount": "full"}
    order_asked = tracker_for("订单SR-900002，一直没收到，物流也不更新了，钱全部退给我吧", "inform", active_loop="refund_form",
                              language="zh", slots={"requested_slot": "order_number"})
    assert form.extract_refund_amount(CollectingDispatcher(), order_asked, {}) == {"refund_amount": "full"}
    assert form.extract_refund_reason(CollectingDispatcher(), order_asked, {})["refund_reason"] == "not_received"
    paid = tracker_for("I paid 50 dollars and it broke after a day", "inform", active_loop="refund_form",
                       slots=reason_asked)  # an amount told as part of the story asks for nothing
    assert form.extract_refund_amount(CollectingDispatcher(), paid, {}) == {}
    kept = tracker_for("东西我留着 退一百五吧", "deny", active_loop="refund_form", language="zh",
                       slots={"requested_slot": "refund_return", "order_number": "SR-900053"})
    assert form.extract_refund_amount(CollectingDispatcher(), kept, {}) == {"refund_amount": "150 CNY"}  # asked back
    digits_only = tracker_for("退钱 900023 这个单", "inform", active_loop="refund_form", language="zh",
                              slots={"requested_slot": "order_number"})  # the order's digits are no amount
    assert form.extract_refund_amount(CollectingDispatcher(), digits_only, {}) == {}
    amount_asked = tracker_for("sorry, make it 40 dollars", "inform", active_loop="refund_form",
                               slots={**reason_asked, "requested_slot": "refund_amount"})
    assert form.extract_refund_amount(CollectingDispatcher(), amount_asked, {}) == {}  # the question's own answer


def test_an_order_taken_back_is_no_reason():
    for form, slot in ((ValidateRefundForm(), "refund_reason"), (ValidateDisputeForm(), "dispute_reason")):
        text = "لا لا سوري غلطت 🙏 الصحيح SR-900053، الساعة الذكية"
        result, said = validate(form, slot, text, slots={"order_number": "SR-900053"}, language="ar")
        assert result == {slot: None} and said == [], slot
        result, _ = validate(form, slot, "it came broken", slots={"order_number": "SR-900053"})
        assert result[slot] == "damaged"


@pytest.mark.parametrize("text,expected", [
    ("200 dirham... no sorry, all of it. full money back", ("full", None)),
    ("верните 10 000 тг... хотя нет, давайте всю сумму, мне эти сандалии даром не нужны", ("full", None)),
    ("退两百块 嗯…不对 三百吧 划痕挺明显的", ("300", "CNY")),
    ("SR-900123 还是没收到 退我200块", ("200", "CNY")),
    ("all of it.. no wait, 50 MYR is enough", ("50", "MYR")),
    ("100 MYR, all of it would be too much", ("100", "MYR")),  # nothing taken back: the amount
    ("200 AED, not all of it", ("200", "AED")),  # all of it is what the "not" takes back
    ("全部 三百九全退", ("full", None)),  # a full refund in so many words, the figure taken for the price
    ("верните 5000 тенге, не всю сумму", ("5000", "KZT")),
    # "everything" sent back is the goods, not the money
    ("i dont want to send everything back, its too much hassle. just refund me 150 pounds for the broken ones",
     ("150", "EGP")),
    ("i want everything back", ("full", None)),
])
def test_an_amount_taken_back_for_all_of_it(text, expected):
    from actions.request_refund import typed_amount

    assert typed_amount(text) == expected


def test_a_typed_answer_is_read_as_the_nlu_read_it():
    """Rasa fills a slot from the text as typed; the NLU read a romanized message back into its script."""
    from actions.conversation import answer_as_read

    tracker = tracker_for("vse dengi", "inform", language="ru")
    tracker.latest_message["text"] = "все деньги"  # as bot/romanized_text_reader.py leaves the parse data
    assert answer_as_read("vse dengi", tracker) == "все деньги"
    assert answer_as_read("full", tracker) == "full"  # a value that is not the message (a button's)
    form = ValidateDisputeForm()
    dispatcher = CollectingDispatcher()
    reason = tracker_for("ne prishel", "inform", language="ru", active_loop="dispute_form")
    reason.latest_message["text"] = "не пришел"
    assert form.validate_dispute_reason("ne prishel", dispatcher, reason, {})["dispute_reason"] == "not_received"


def test_an_amount_alone_is_asked_for_in_the_home_currency_of_a_language_spoken_in_one_country():
    from actions.request_refund import amount_with_currency

    assert amount_with_currency("退我1k 我就不退货了", "CNY") == {"refund_amount": "1000 CNY"}
    assert amount_with_currency("我花了300买的 屏幕坏了 要退款", "CNY") == {}  # an amount in the story
    assert amount_with_currency("refund me 50", None) == {}  # no one currency: asked
    assert amount_with_currency("退50块", "CNY") == {"refund_amount": "退50块"}


def test_keeping_the_goods_said_in_another_answer_changes_the_return():
    from actions.request_refund import ValidateRefundForm

    said = "لا استني.. مش هرجعه، الشحن هيكلفني اكتر من تمنه. خليها refund جزئي ١٥٠ جنيه وخلاص"
    tracker = tracker_for(said, "inform", language="ar", slots={"refund_return": True,
                                                               "requested_slot": "refund_amount"})
    assert ValidateRefundForm().extract_refund_return(CollectingDispatcher(), tracker, {}) == {"refund_return": False}
    back = tracker_for("i keep it", "inform", slots={"refund_return": False, "requested_slot": "refund_amount"})
    assert ValidateRefundForm().extract_refund_return(CollectingDispatcher(), back, {}) == {}  # already said
    asked = tracker_for("i keep it", "inform", slots={"refund_return": True, "requested_slot": "refund_return"})
    assert ValidateRefundForm().extract_refund_return(CollectingDispatcher(), asked, {}) == {}  # its own question


def test_a_bare_amount_asked_back_is_in_the_verified_buyers_own_currency(using):
    from actions.request_refund import ValidateRefundForm

    said = "заказ SR-900000, левое ухо не играет. назад слать не хочу, верните хоть полторы тыщи и разойдемся"
    tracker = tracker_for(said, "request_refund", metadata=token("buyer-ru-dmitry"), language="ru",
                          active_loop="refund_form")
    form = ValidateRefundForm()
    assert form.extract_refund_amount(CollectingDispatcher(), tracker, {}) == {"refund_amount": "1500 RUB"}
    assert form.extract_refund_return(CollectingDispatcher(), tracker, {}) == {"refund_return": False}
    guest = tracker_for(said, "request_refund", language="ru", active_loop="refund_form")
    assert form.extract_refund_amount(CollectingDispatcher(), guest, {}) == {}  # Russian: no one currency


@pytest.mark.parametrize("text, half", [
    ("just refund me half the price can?", True), ("退一半吧", True), ("نص المبلغ بس", True), ("half", True),
    ("верните половину", True), ("i paid 120 usd. half back please", True),  # a clause's first words
    ("نطلب استرداد مبلغ جزئي، وصلت 12 وحدة من أصل 50 تالفة", False),  # a count is no half
    ("half of the box was empty", False), ("用了一半 想退", False), ("جبته بنص السعر", False),  # a story's half
    ("مش عايز نص المبلغ، عايز الفلوس كلها", False), ("不要退一半，全部退", False),  # a half refused
    ("لا، ابي نص المبلغ", True),  # a no in the clause before is not the half's
])
def test_half_of_the_payment_is_asked_in_so_many_words(text, half):
    from actions.request_refund import says_half

    assert says_half(text) is half


@pytest.mark.parametrize("text, typed", [
    ("just refund me half the price", ("half", None)),  # half of what is held
    ("paid RM 179.80, just refund me half the price", ("89.9", "MYR")),  # a figure before it is the story's
    ("refund me half, i paid 400 aed", ("200", "AED")),  # a figure told as paid, after it
    ("я заплатила 5000, верните половину", ("2500", None)),
    ("ابي نص المبلغ يعني ١٥٠ درهم", ("150", "AED")),  # a figure after it is what the half comes to
    ("i want 40 dollars, so refund me half the price", ("40", "USD")),  # a figure asked for is the amount
    ("مش عايز نص المبلغ، عايز الفلوس كلها", ("full", None)),
    ("can refund half? dress nya 300rb so 150rb aja", ("150000", "IDR")),  # the price, then what half comes to
])
def test_a_half_is_of_the_price_paid_and_a_figure_asked_is_the_amount(text, typed):
    from actions.request_refund import typed_amount

    assert typed_amount(text) == typed


def test_a_refund_refused_told_later_becomes_the_disputes_reason():
    from actions.open_dispute import ValidateDisputeForm

    told = "продавцу написал на возврат, он отказал, говорит сами сломали. ничего я не ломал"
    later = tracker_for(told, "inform", language="ru", active_loop="dispute_form",
                        slots={"dispute_reason": "damaged", "requested_slot": "dispute_evidence"})
    form = ValidateDisputeForm()
    assert form.extract_dispute_reason(CollectingDispatcher(), later, {}) == {"dispute_reason": "refund_refused"}
    other = tracker_for("нет фото", "inform", language="ru", active_loop="dispute_form",
                        slots={"dispute_reason": "damaged", "requested_slot": "dispute_evidence"})
    assert form.extract_dispute_reason(CollectingDispatcher(), other, {}) == {}
    opening = tracker_for("часы сломались, я попросил возврат, продавец отказал", "open_dispute", language="ru",
                          active_loop="dispute_form")
    assert form.extract_dispute_reason(CollectingDispatcher(), opening, {})["dispute_reason"] == "refund_refused"


def test_half_is_of_the_price_the_buyer_says_they_paid_else_of_what_is_held():
    from actions.request_refund import HALF, typed_amount

    assert typed_amount("paid RM 179.80, lid cracked, just refund me half the price") == ("89.9", "MYR")
    assert typed_amount("هو كان ب ١٨٠٠ جنيه، عايزة نص المبلغ") == ("900", "EGP")
    assert typed_amount("just refund me half the price") == (HALF, None)


def test_half_asked_before_the_order_was_known_is_checked_once_it_is_and_a_figure_asked_again(using):
    """"just refund me half the price", then "Which order?": half of that order's payment, not asked again; a
    figure said before the order was known ("верните 3 тыщи") is asked again once it is."""
    form = ValidateRefundForm()
    buyer, number = _held_order_in(using, "delivered")
    held = using.escrow.state(buyer, number).held

    def order_answered(opening):
        tracker = tracker_for(number, "inform", metadata=token(buyer), active_loop="refund_form",
                              slots={"requested_slot": "order_number"})
        tracker.events[:0] = [{"event": "user", "text": opening}, {"event": "active_loop", "name": "refund_form"}]
        return form.validate_order_number(number, CollectingDispatcher(), tracker, {})

    half = order_answered("the lamp came cracked, just refund me half the price")
    assert half["order_number"] == number and half["refund_amount"] == str(max(held.amount_minor // 2, 1))
    assert "refund_amount" not in order_answered("хочу частичный возврат, оставлю себе. верните 3 тыщи")


def test_a_refund_after_the_receipt_question_is_about_the_order_it_asked_about():
    form = ValidateRefundForm()
    tracker = tracker_for("хочу частичный возврат. верните 300 тыщ", "request_refund", language="ru",
                          active_loop="refund_form", slots={"pending_release": "SR-900042"})
    tracker.events.insert(0, {"event": "bot", "metadata": {"utter_action": "utter_confirm_receipt_question"}})
    assert form.extract_order_number(CollectingDispatcher(), tracker, {}) == {"order_number": "SR-900042"}


@pytest.mark.parametrize("text, typed", [
    ("i keep the 4 no need return. pls refund for the 2 missing, 50rb", ("50000", "IDR")),  # counts beside money
    ("eh wait salah itung. set price 120rb, 6 pcs so 20rb each, jadi 40rb aja", ("40000", "IDR")),  # price, each
    ("вернуть 500, заплатил 1500 руб", ("500", "RUB")),  # the price paid is not the amount
    ("how much can refund? i paid RM89 + shipping 12. if partial i want at least 40 ringgit", ("40", "MYR")),
])
def test_a_refund_amount_is_not_a_price_paid_a_price_of_one_or_a_count(text, typed):
    from actions.request_refund import typed_amount

    assert typed_amount(text) == typed


def test_a_price_alone_in_a_request_asks_for_no_amount():
    from actions.request_refund import amount_with_currency, typed_amount

    assert amount_with_currency("mau refund SR-900020 dong, dress too small, harga 189rb", "IDR") == {}
    # a figure with its currency in the story, asked for by no word: the price (the amount is asked)
    for story in ("заказывала платье за 4500 руб, пришло не того размера, хочу вернуть деньги",
                  "наушники за 90 долларов не работают, хочу вернуть"):
        assert amount_with_currency(story, "RUB") == {}, story
    for asked in ("купила куртку за 15 тыс тенге, молния сломалась. хочу вернуть хотя бы 5000 тенге",
                  "أريد استرداد جزئي بقيمة 80 درهم"):  # asked for, or a part asked for
        assert amount_with_currency(asked, "KZT") == {"refund_amount": asked}, asked
    assert typed_amount("купила куртку за 15 тыс тенге, молния сломалась. хочу вернуть хотя бы 5000") == (
        "5000", "KZT")
    both = "refund 50rb aja, harga 189rb"
    assert amount_with_currency(both, "IDR") == {"refund_amount": both}
