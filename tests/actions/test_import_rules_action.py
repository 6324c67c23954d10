"""Journey 6 against the real backends: thresholds, VAT, a category's duty and restrictions, an estimate."""

import pytest

from actions import conversation
from actions.ask_import_rules import ActionImportRules
from actions.clients.http import BackendConfig
from actions.clients.marketplace import Marketplace
from tests.buyer_tokens import sign_buyer_token
from tests.actions.action_harness import run_with_events, slots_set, tracker_for
from tests.servers import free_port




def entities(**values):
    return [{"entity": name, "value": value} for name, value in values.items()]


def ask(text, language="en", metadata=None, slots=None, **found):
    return run_with_events(ActionImportRules(), tracker_for(text, "ask_import_rules", entities=entities(**found),
                                                            metadata=metadata, language=language, slots=slots))


def test_a_country_and_a_category_in_russian(using):
    messages, events = ask("пошлина на телефоны в Казахстан", "ru", country="KZ", product_category="phone")
    responses = [m["response"] for m in messages]
    assert responses[:3] == ["utter_import_duty_threshold", "utter_import_vat", "utter_import_category_duty"]
    assert messages[0]["threshold"] == "200.00 EUR" and messages[0]["per"] == "за посылку"
    assert messages[0]["country_name"] == "Казахстан" and messages[0]["source"] and messages[0]["as_of"]
    assert "utter_import_item_restricted" in responses  # lithium batteries
    assert slots_set(events) == {"destination_country": "KZ", "import_category": "phone", "import_price": None,
                                 "import_currency": None}


def test_a_follow_up_keeps_the_price_and_the_product_and_takes_a_currency(using):
    first, events = ask("yo quick q - if i buy a 300 dollar phone how much customs in kazakhstan")
    assert slots_set(events)["import_price"] == "300 USD" and slots_set(events)["import_category"] == "phone"
    kept = {"import_price": "300 USD", "import_category": "phone", "destination_country": "KZ"}
    messages, events = ask("and to russia?", slots=kept)
    estimate = messages[-1]
    assert estimate["price"] == "300.00 USD" and estimate["total"].endswith("RUB")
    assert slots_set(events)["destination_country"] == "RU"  # found among the words, the NLU tagged nothing
    messages, events = ask("в рублях?", "ru", slots={**kept, "destination_country": "RU"})
    assert messages[-1]["price"] == "300.00 USD" and messages[-1]["total"].endswith("RUB")
    assert slots_set(events)["import_currency"] == "RUB"
    messages, _ = ask("sorry not 2500, its 1800 aed after discount", slots={**kept, "destination_country": "AE"})
    assert messages[-1]["price"] == "1,800.00 AED"
    messages, _ = ask("ابي اعرف كم بدفع جمارك على جوال سعره ٣٠٠ دولار اذا طلبته للسعوديه", "ar")
    assert messages[-1]["response"] in ("utter_import_estimate", "utter_import_estimate_incomplete")
    assert messages[-1]["total"].endswith("SAR")


def test_an_estimate_for_an_amount(using):
    messages, _ = ask("duty on a 1500 yuan phone to Saudi Arabia", country="SA", product_category="phone",
                      amount="1500", currency="CNY")
    estimate = messages[-1]
    assert estimate["response"] in ("utter_import_estimate", "utter_import_estimate_incomplete")
    assert estimate["price"] == "1,500.00 CNY" and estimate["total"].endswith("SAR")


def test_without_a_country_a_visitor_is_asked_and_a_buyer_gets_their_own(using):
    messages, events = ask("what is the import duty on laptops", product_category="laptop")
    assert [m["response"] for m in messages] == ["utter_ask_destination_country"]
    assert slots_set(events) == {"import_category": "laptop", "import_price": None, "import_currency": None}
    messages, _ = ask("import rules?", metadata={"buyer_token": sign_buyer_token("buyer-sa-noura")}, language="ar")
    assert messages[0]["response"] == "utter_import_duty_threshold" and messages[0]["threshold"] == "1,000.00 SAR"


def test_a_follow_up_keeps_the_country(using):
    messages, _ = ask("and for drones?", slots={"destination_country": "EG"}, product_category="drone")
    assert "utter_import_item_prohibited" in [m["response"] for m in messages]


def test_a_price_of_goods_the_country_prohibits_gets_no_duty_but_is_answered(using):
    messages, _ = ask("дрон за 800$, в сумах сколько?", "ru", slots={"destination_country": "UZ"},
                      product_category="drone")
    responses = [m["response"] for m in messages]
    assert "utter_import_item_prohibited" in responses and "utter_import_estimate" not in responses
    assert messages[-1]["response"] == "utter_import_estimate_prohibited" and messages[-1]["price"] == "800.00 USD"


def test_a_country_without_rules_and_the_backends_away(using, monkeypatch):
    messages, events = ask("import rules for the USA", country="US")
    assert [m["response"] for m in messages] == ["utter_import_rules_unknown_country"]
    assert slots_set(events)["destination_country"] is None
    away = Marketplace(BackendConfig(base_url=f"http://127.0.0.1:{free_port()}", attempts=1))
    monkeypatch.setattr(conversation, "marketplace", lambda: away)
    messages, _ = ask("import rules for Russia", country="RU")
    assert [m["response"] for m in messages] == ["utter_backend_unavailable"]


def test_a_question_right_after_search_results_is_about_the_searched_products(using):
    tracker = tracker_for("а пошлину за них платить придется?", "ask_import_rules", language="ru",
                          slots={"search_category": "smartwatch", "import_category": "clothing",
                                 "search_destination": "RU"})
    latest = tracker.events[-1]
    shown = {"event": "bot", "text": "Показать ещё?", "metadata": {"utter_action": "utter_search_refine_more"}}
    tracker.events[:] = [{"event": "user", "text": "смарт часы", "parse_data": {}}, shown, latest]
    messages, events = run_with_events(ActionImportRules(), tracker)
    assert slots_set(events)["import_category"] == "smartwatch"  # not the clothing asked about long before
    assert slots_set(events)["destination_country"] == "RU"  # where the search's products go
    assert messages[0]["country_name"] == "Россия"
    tracker.events[:] = [{"event": "user", "text": "смарт часы", "parse_data": {}}, latest]  # no results shown
    _, events = run_with_events(ActionImportRules(), tracker)
    assert slots_set(events)["import_category"] == "clothing"


def test_a_question_while_the_search_asks_its_questions_is_about_the_search(using):
    """"عايز اجيب درون من برا ب 300$", then at "where to?" "هدفع جمارك كام في مصر؟": the drone at 300 USD."""
    tracker = tracker_for("هدفع جمارك كام في مصر؟", "ask_import_rules", language="ar", active_loop="search_form",
                          entities=entities(country="EG"),
                          slots={"search_category": "drone", "search_budget": "300", "search_currency": "USD",
                                 "requested_slot": "search_destination"})
    messages, events = run_with_events(ActionImportRules(), tracker)
    assert slots_set(events)["import_category"] == "drone" and slots_set(events)["import_price"] == "300 USD"
    assert "utter_import_category_duty" in [m["response"] for m in messages] or \
        "utter_import_category_duty_unknown" in [m["response"] for m in messages]
    anything = tracker_for("هدفع جمارك كام في مصر؟", "ask_import_rules", language="ar", active_loop="search_form",
                           entities=entities(country="EG"), slots={"search_category": "drone", "search_budget": "any"})
    _, events = run_with_events(ActionImportRules(), anything)
    assert slots_set(events)["import_price"] is None  # "any price" is no price


@pytest.mark.parametrize("text,country", [
    ("sorry not UAE, i send it to my brother in riyadh. saudi", "SA"), ("يعني كازاخستان مب تركيا", "KZ"),
    ("не в Турцию, а в Казахстан", "KZ"), ("不是迪拜 是沙特", "SA"), ("from China to Egypt", "EG"),
    ("i mean Saudi, not UAE", "SA"), ("to Kazakhstan", "KZ"),
])
def test_the_destination_is_the_country_not_taken_back_nor_the_origin(text, country):
    from actions.conversation import destination_of
    assert destination_of(tracker_for(text, "ask_import_rules")) == country


def test_words_the_catalog_has_no_category_for_keep_the_category_asked_before(using):
    kept = {"import_category": "cosmetics", "destination_country": "RU"}
    messages, events = ask("口红面霜眼影这些，加起来大概两百美元，关税大概多少呀", "zh", slots=kept,
                           product_category="口红面霜眼影")  # a value the NLU could not map to a category
    responses = [m["response"] for m in messages]
    assert "utter_backend_unavailable" not in responses
    assert "utter_import_category_duty" in responses and slots_set(events)["import_category"] == "cosmetics"
    assert messages[-1]["response"] in ("utter_import_estimate", "utter_import_estimate_incomplete")
    assert messages[-1]["price"] == "200.00 USD"


def test_a_price_in_a_message_not_understood_counts_for_the_question_after_it(using):
    story = "we have a beauty shop in Almaty, first batch would be creams and serums, around 1.2 million tenge in total"
    tracker = tracker_for("What are the import rules for Kazakhstan for cosmetics, and how much duty for that?",
                          "ask_import_rules", entities=entities(country="KZ", product_category="cosmetics"))
    tracker.events[:0] = [{"event": "user", "text": story, "parse_data": {"text": story}},
                          {"event": "bot", "text": "Sorry?", "metadata": {"utter_action": "utter_ask_rephrase"}}]
    messages, events = run_with_events(ActionImportRules(), tracker)
    assert messages[-1]["response"] in ("utter_import_estimate", "utter_import_estimate_incomplete")
    assert messages[-1]["price"] == "1,200,000.00 KZT" and slots_set(events)["import_price"] == "1200000.0 KZT"
    understood = tracker_for("how much duty for that?", "ask_import_rules",
                             entities=entities(country="KZ", product_category="cosmetics"))
    understood.events[:0] = [{"event": "user", "text": story, "parse_data": {"text": story}},
                             {"event": "bot", "text": "Hi", "metadata": {"utter_action": "utter_greet"}}]
    messages, _ = run_with_events(ActionImportRules(), understood)
    assert messages[-1]["response"] not in ("utter_import_estimate", "utter_import_estimate_incomplete")


def test_goods_named_in_a_message_not_served_count_for_the_question_after_it(using):
    """"想给她寄点维生素 鱼油什么的" (out of scope), then "乌兹别克斯坦让进吗 东西大概值五百块": the vitamins' rules."""
    story = "我表妹在塔什干读书 想给她寄点维生素 鱼油什么的"
    tracker = tracker_for("乌兹别克斯坦让进吗 东西大概值五百块 要交关税不", "ask_import_rules", language="zh",
                          entities=entities(country="UZ"))
    tracker.events[:0] = [{"event": "user", "text": story, "parse_data": {"text": story}},
                          {"event": "bot", "text": "Sorry", "metadata": {"utter_action": "utter_out_of_scope"}}]
    _, events = run_with_events(ActionImportRules(), tracker)
    assert slots_set(events)["import_category"] == "medicines"
    greeted = tracker_for("乌兹别克斯坦让进吗", "ask_import_rules", language="zh", entities=entities(country="UZ"))
    greeted.events[:0] = [{"event": "user", "text": story, "parse_data": {"text": story}},
                          {"event": "bot", "text": "Hi", "metadata": {"utter_action": "utter_greet"}}]
    _, events = run_with_events(ActionImportRules(), greeted)
    assert slots_set(events).get("import_category") != "medicines"  # answered: that message was its own


def test_a_colour_named_beside_a_duty_question_after_results_stays_with_the_search(using):
    tracker = tracker_for("brown is fine. btw will I pay customs on top?", "ask_import_rules",
                          slots={"search_category": "shoes", "search_destination": "KZ"})
    latest = tracker.events[-1]
    shown = {"event": "bot", "text": "Want to see more?", "metadata": {"utter_action": "utter_search_refine"}}
    tracker.events[:] = [{"event": "user", "text": "hiking boots", "parse_data": {}}, shown, latest]
    _, events = run_with_events(ActionImportRules(), tracker)
    assert slots_set(events)["search_color"] == "brown"
    tracker.events[:] = [{"event": "user", "text": "hiking boots", "parse_data": {}}, latest]  # no results shown
    _, events = run_with_events(ActionImportRules(), tracker)
    assert "search_color" not in slots_set(events)
