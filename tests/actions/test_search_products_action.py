"""Journey 1 against the real backends: results in the buyer's language and currency with a duty estimate,
refined by "show more", "cheaper" and a colour; a useful answer when nothing matches."""

import pytest

from rasa_sdk.executor import CollectingDispatcher

from tests.buyer_tokens import sign_buyer_token
from actions.search_products import ActionSearchProducts, ActionStartSearch, ValidateSearchForm, budget_in
from tests.actions.action_harness import run_with_events, slots_set, tracker_for


def token(buyer):
    return {"buyer_token": sign_buyer_token(buyer)}


def search(text, intent, slots, entities=(), buyer=None, language="en"):
    tracker = tracker_for(text, intent, entities=list(entities), metadata=token(buyer) if buyer else {},
                          language=language, slots=slots)
    messages, events = run_with_events(ActionSearchProducts(), tracker)
    return messages, {**slots, **slots_set(events)}


def hits(messages):
    return [m for m in messages if m["response"].startswith("utter_search_hit")]


def test_the_opening_message_fills_what_it_says_and_forgets_the_last_search():
    entities = [{"entity": "product_category", "value": "headphones"}, {"entity": "amount", "value": "50"},
                {"entity": "currency", "value": "usd"}]
    _, events = run_with_events(ActionStartSearch(), tracker_for("headphones under 50 usd", "search_product",
                                                                 entities=entities,
                                                                 slots={"search_color": "red"}))
    slots = slots_set(events)
    assert (slots["search_category"], slots["search_budget"], slots["search_currency"]) == ("headphones", "50",
                                                                                            "USD")
    assert slots["search_color"] is None and slots["search_destination"] is None


def test_a_verified_buyer_gets_prices_in_their_currency_and_duty_in_their_country(using):
    slots = {"search_category": "headphones", "search_budget": "any"}
    messages, slots = search("ok", "inform", slots, buyer="buyer-kz-aidana", language="ru")
    assert messages[0]["response"] == "utter_search_results" and messages[0]["first"] == "1"
    shown = hits(messages)
    assert len(shown) == 5 and all(m["price"].endswith("KZT") for m in shown)
    assert all(m["country"] == "Казахстан" for m in shown) and all(m["image"] for m in shown)
    titles = {m["title"] for m in shown}
    page = using.catalog.search(category="headphones", language="ru", currency="KZT", limit=5)
    assert titles == {hit.title for hit in page.results}  # the Russian titles, as the catalog has them
    assert slots["search_destination"] == "KZ"

    more, slots_after_more = search("show more", "show_more", slots, buyer="buyer-kz-aidana", language="ru")
    assert more[0]["first"] == "6" and not titles & {m["title"] for m in hits(more)}

    already, _ = search("дешевле", "ask_cheaper", slots, buyer="buyer-kz-aidana", language="ru")
    assert [m["response"] for m in already] == ["utter_search_already_cheapest"]  # page one is the cheapest

    cheaper, after = search("дешевле", "ask_cheaper", slots_after_more, buyer="buyer-kz-aidana", language="ru")
    cheapest = int(slots_after_more["search_cheapest"])  # the cheapest of page two
    prices = [int(float(m["price"].split()[0].replace(",", "")) * 100) for m in hits(cheaper)]
    assert prices and all(price < cheapest for price in prices), (prices, cheapest)
    assert after["search_offset"] == 0.0 and float(after["search_budget"]) * 100 < cheapest
    again, _ = search("в чёрном", "inform", after, entities=[{"entity": "color", "value": "black"}],
                      buyer="buyer-kz-aidana", language="ru")  # the lower budget stays
    assert all(int(float(m["price"].split()[0].replace(",", "")) * 100) < cheapest for m in hits(again))


def test_a_colour_refines_the_same_search(using):
    slots = {"search_category": "phone", "search_budget": "any", "search_destination": "SA"}
    messages, slots = search("in black", "inform", slots, entities=[{"entity": "color", "value": "black"}])
    assert slots["search_color"] == "black" and hits(messages)
    black = using.catalog.search(category="phone", color="black", currency="SAR", limit=5)
    assert {m["title"] for m in hits(messages)} == {hit.title for hit in black.results}
    assert all(m["price"].endswith("SAR") for m in hits(messages))  # a guest's currency is the destination's
    moved, slots = search("to Egypt", "inform", slots, entities=[{"entity": "country", "value": "EG"}])
    assert slots["search_destination"] == "EG" and slots["search_color"] == "black"
    assert all(m["price"].endswith("EGP") and m["country"] for m in hits(moved))  # the new destination's money


def test_nothing_cheaper_keeps_the_budget(using):
    slots = {"search_category": "laptop", "search_budget": "any", "search_destination": "MY"}
    _, slots = search("ok", "inform", slots)
    already, after = search("cheaper", "ask_cheaper", slots)
    assert [m["response"] for m in already] == ["utter_search_already_cheapest"]
    assert after["search_budget"] == "any"
    again, _ = search("ok", "inform", after)
    assert len(hits(again)) == 5


def test_a_cheaper_search_that_names_its_budget_takes_it(using):
    slots = {"search_category": "laptop", "search_budget": "any", "search_destination": "MY"}
    _, slots = search("ok", "inform", slots)
    messages, after = search("anything under 10 USD?", "ask_cheaper", slots,
                             entities=[{"entity": "amount", "value": "10"}, {"entity": "currency", "value": "usd"}])
    assert (after["search_budget"], after["search_currency"]) == ("10", "USD")  # nothing under it: the closest above
    assert messages[0]["response"] == "utter_search_over_budget" and hits(messages)


def test_nothing_found_says_what_to_try(using):
    slots = {"search_category": "zzqx flux capacitor", "search_budget": "any", "search_destination": "AE"}
    messages, _ = search("ok", "inform", slots)
    assert [m["response"] for m in messages] == ["utter_search_no_results"]
    slots = {"search_category": "laptop", "search_color": "yellow", "search_budget": "1", "search_currency": "USD",
             "search_destination": "AE"}
    messages, _ = search("ok", "inform", slots)  # no yellow laptop at any price
    assert [m["response"] for m in messages] == ["utter_search_nothing_in_budget"]


def test_nothing_within_the_budget_shows_the_closest_above_it_and_says_so(using):
    slots = {"search_category": "laptop", "search_budget": "1", "search_currency": "USD", "search_destination": "AE"}
    messages, after = search("ok", "inform", slots)
    assert messages[0]["response"] == "utter_search_over_budget" and messages[0]["budget"].startswith("1.00")
    shown = hits(messages)
    above = using.catalog.search(category="laptop", currency="USD", min_price=101, limit=5)
    assert shown and [m["title"] for m in shown] == [hit.title for hit in above.results]  # the cheapest above
    assert after["search_budget"] == "1" and messages[-1]["response"].startswith("utter_search_refine")
    pink, after = search("a pink one?", "inform", {**slots, "search_budget": "100"},
                         entities=[{"entity": "color", "value": "pink"}])
    assert pink[0]["response"] == "utter_search_over_budget" and after["search_color"] == "pink"
    assert len(hits(pink)) == 1


def test_a_feature_asked_for_ranks_the_products_that_have_it_first(using):
    slots = {"search_category": "headphones", "search_budget": "15000", "search_currency": "KZT",
             "search_destination": "KZ", "search_words": "ищу наушники до 15 000 тг"}
    messages, after = search("беспроводные обязательно, с проводами не надо", "inform", slots, language="ru")
    assert "беспроводные" in after["search_words"] and "проводами" not in after["search_words"]
    assert "беспроводные" in hits(messages)[0]["title"].lower()
    unchanged, after = search("ok", "inform", {**slots, "search_color": "white"}, language="ru")
    assert after["search_words"] == slots["search_words"]  # no feature named: the words stay


def test_another_product_named_instead_starts_its_search(using):
    slots = {"search_category": "laptop", "search_budget": "300000", "search_currency": "KZT",
             "search_destination": "KZ", "search_color": "black"}
    entities = [{"entity": "product_category", "value": "laptop"}, {"entity": "product_category", "value": "tablet"},
                {"entity": "amount", "value": "150 000"}, {"entity": "currency", "value": "KZT"}]
    messages, after = search("хотя не, ноут дорого выйдет. давай лучше планшет, до 150 000 тг", "inform", slots,
                             entities=entities, language="ru")
    assert after["search_category"] == "tablet" and after["search_budget"] == "150000"
    assert after["search_color"] is None  # the laptop's colour is not the tablet's
    tablets = using.catalog.search(category="tablet", language="ru", currency="KZT", max_price=15000000, limit=5)
    assert {m["title"] for m in hits(messages)} <= {hit.title for hit in tablets.results} and hits(messages)


def test_the_destination_is_asked_only_when_the_profile_lacks_it(using):
    import asyncio

    form = ValidateSearchForm()
    slots_of = ["search_category", "search_budget", "search_destination"]
    guest = tracker_for("x", "inform", active_loop="search_form")
    buyer = tracker_for("x", "inform", metadata=token("buyer-ru-dmitry"), active_loop="search_form")
    assert asyncio.run(form.required_slots(slots_of, CollectingDispatcher(), guest, {})) == slots_of
    assert asyncio.run(form.required_slots(slots_of, CollectingDispatcher(), buyer, {})) == slots_of[:2]


def test_budgets_as_typed():
    assert [budget_in(t) for t in ("any", "不限", "15 000", "до 5к", "abc")] == ["any", "any", "15000", "5000",
                                                                                  None]


def test_the_catalog_names_the_category_the_nlu_missed_and_the_budget_is_the_most_to_pay(using):
    _, events = run_with_events(ActionStartSearch(), tracker_for(
        "salom. powerbank kerak 20000 mah, до 300 000 сум, доставка Ташкент", "search_product", language="ru"))
    slots = slots_set(events)
    assert (slots["search_category"], slots["search_budget"], slots["search_currency"]) == ("batteries", "300000",
                                                                                            "UZS")
    assert slots["search_destination"] == "UZ" and "powerbank" in slots["search_words"]
    _, events = run_with_events(ActionStartSearch(), tracker_for("你好 宝宝推车有推荐的吗 两千以内", "search_product",
                                                                 language="zh"))
    assert (slots_set(events)["search_category"], slots_set(events)["search_budget"]) == ("baby_products", "2000")


def test_a_colour_or_a_destination_instead_of_a_budget_is_taken_and_the_budget_asked_again(using):
    form = ValidateSearchForm()
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("有没有黑色的", "inform", entities=[{"entity": "color", "value": "black"}], language="zh",
                          slots={"requested_slot": "search_budget"}, active_loop="search_form")
    answer = form.validate_search_budget("有没有黑色的", dispatcher, tracker, {})
    assert answer == {"search_color": "black", "search_budget": None} and dispatcher.messages == []
    tracker = tracker_for("мне до двух тысяч рублей", "inform", language="ru",
                          slots={"requested_slot": "search_budget"}, active_loop="search_form")
    assert form.validate_search_budget("мне до 2 тысяч рублей", dispatcher, tracker, {})["search_currency"] == "RUB"


def test_a_colour_at_the_destination_question_is_taken_even_untagged_and_the_destination_asked_again(using):
    form = ValidateSearchForm()
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("black colour pls, the white one very fast dirty", "nlu_fallback", active_loop="search_form",
                          slots={"requested_slot": "search_destination"})
    answer = form.validate_search_destination("black colour pls, the white one very fast dirty", dispatcher, tracker,
                                              {})
    assert answer == {"search_color": "black", "search_destination": None} and dispatcher.messages == []


def test_a_guests_bare_budget_is_read_in_their_languages_home_currency_and_their_words_rank_results(using):
    slots = {"search_category": "headphones", "search_budget": "1000", "search_destination": "KZ",
             "search_words": "想买个无线蓝牙耳机，最好带降噪的"}
    messages, after = search("1000以内", "inform", slots, language="zh")
    shown = hits(messages)
    assert shown and all(m["price"].endswith("CNY") for m in shown)
    assert "无线" in shown[0]["title"] and "降噪" in shown[0]["title"]
    english, _ = search("ok", "inform", {**slots, "search_budget": "any", "search_words": "wired monitor headphones"},
                        language="en")
    assert "Wired" in hits(english)[0]["title"]


def test_any_price_as_buyers_say_it_but_not_any_as_in_any_black_ones():
    assert [budget_in(t) for t in ("любая цена", "whatever man", "any price pls", "أي سعر")] == ["any"] * 4
    assert [budget_in(t) for t in ("any black ones?", "any in white", "company budget 500")] == [None, None, "500"]


def test_the_category_answer_keeps_the_buyers_words_for_ranking_not_the_slots_value(using):
    form = ValidateSearchForm()
    said = "u have good noise cancelling headphones? over ear not earbuds"
    tracker = tracker_for(said, "search_product", active_loop="search_form",
                          entities=[{"entity": "product_category", "value": "headphones"}])
    result = form.validate_search_category("headphones", CollectingDispatcher(), tracker, {})
    assert result["search_category"] == "headphones" and result["search_words"] == said
    pressed = tracker_for('/inform{"search_category": "headphones"}', "inform", active_loop="search_form",
                          entities=[{"entity": "product_category", "value": "headphones"}])
    result = form.validate_search_category("headphones", CollectingDispatcher(), pressed, {})
    assert "search_words" not in result  # a button says no more than its category


def test_a_product_taken_back_for_another_is_the_one_searched(using):
    from actions.search_products import category_in

    categories = [{"entity": "product_category", "value": value} for value in ("bags", "smartwatch")]
    taken_back = tracker_for("думал сначала сумку... не, лучше смарт часы. розовые", "inform", entities=categories,
                             language="ru")
    assert category_in(taken_back) == "smartwatch"
    both = tracker_for("сумку и смарт часы", "search_product", entities=categories, language="ru")
    assert category_in(both) == "bags"  # nothing taken back: the first


@pytest.mark.parametrize("text,device,language,expected", [
    ("need a magnetic power bank for iphone, purple", "iphone", "en", "batteries"),
    ("нужен чехол для телефона", "телефона", "ru", "phone"),  # the catalog reads no other product: the NLU's stands
    ("need an iphone, not more than 150 dirham", "iphone", "en", "phone"),  # the device itself is asked for
])
def test_the_device_an_accessory_is_for_is_not_the_product_searched(using, text, device, language, expected):
    from actions.search_products import category_in

    start = text.index(device)
    phone = [{"entity": "product_category", "value": "phone", "start": start, "end": start + len(device)}]
    assert category_in(tracker_for(text, "search_product", entities=phone, language=language)) == expected


def test_a_kind_of_product_asked_for_is_all_that_is_shown_even_above_the_budget(using):
    slots = {"search_category": "home_appliance", "search_budget": "2500", "search_currency": "EGP",
             "search_words": "ازيك، عايزة اير فراير حلوة ومش غالية عشان اقلي من غير زيت"}
    messages, _ = search("مفيش حاجة تحت ٢٥٠٠؟", "refine_search", slots, buyer="buyer-eg-mariam", language="ar")
    assert messages[0]["response"] == "utter_search_over_budget"  # no air fryer under 2,500 EGP, said so
    titles = [m["title"] for m in hits(messages)]
    assert titles and all("Kitchora" in title and "قلاية هوائية" in title for title in titles)


def test_a_feature_no_product_of_the_colour_has_leaves_the_colour_s_products(using):
    slots = {"search_category": "headphones", "search_budget": "any", "search_color": "white",
             "search_words": "u have good noise cancelling headphones? over ear not earbuds"}
    messages, _ = search("any in white", "inform", slots, buyer="buyer-ae-omar")
    assert messages[0]["response"] == "utter_search_feature_not_in_colour"  # said so
    assert messages[1]["response"] == "utter_search_results" and hits(messages)  # the white ones, not nothing


def test_a_kind_of_product_the_shop_has_only_out_of_stock_is_said_to_be_and_the_rest_shown(using):
    slots = {"search_category": "headphones", "search_budget": "any",
             "search_words": "bone conduction а с костной проводимостью есть? подруга советовала"}
    messages, _ = search("бюджет тыщ 25 тенге, не больше", "inform", slots, buyer="buyer-kz-aidana", language="ru")
    assert messages[0]["response"] == "utter_search_sold_out" and "Soundwave RunFree" in messages[0]["title"]
    assert messages[1]["response"] == "utter_search_results" and hits(messages)  # what there is in stock


def test_a_country_without_import_rules_is_still_where_the_search_ships_to(using):
    form = ValidateSearchForm()
    dispatcher = CollectingDispatcher()
    kuwait = tracker_for("الكويت", "nlu_fallback", language="ar", active_loop="search_form",
                         slots={"requested_slot": "search_destination"})
    assert form.validate_search_destination("الكويت", dispatcher, kuwait, {})["search_destination"] == "KW"
    nonsense = tracker_for("ok", "affirm", active_loop="search_form", slots={"requested_slot": "search_destination"})
    assert form.validate_search_destination("ok", dispatcher, nonsense, {})["search_destination"] is None
    slots = {"search_category": "shoes", "search_budget": "any", "search_destination": "KW"}
    messages, _ = search("ok", "inform", slots, language="ar")
    shown = hits(messages)  # no estimate there, said in the buyer's language with the country's name
    assert shown and all(m["response"] == "utter_search_hit_no_estimate" and m["country"] == "الكويت" for m in shown)


@pytest.mark.parametrize("words, features", [
    ("bone conduction привет) нужны наушники для бега", ["bone conduction"]),  # as a refinement wrote it
    ("ازيك، عايزة اير فراير حلوة ومش غالية", ["air fryer"]), ("你好 我要游戏笔记本电脑 打游戏用", ["游戏", "gaming"]),
    ("u have good noise cancelling headphones?", ["noise cancelling"]), ("a phone for my mom", []),
])
def test_the_features_and_kinds_of_product_a_search_asks_for(words, features):
    from actions.search_products import features_asked

    assert features_asked(words) == features


def budget_answer(text, named, searched, language):
    """The search form's reading of ``text`` given to "What's your budget?" in a search for ``searched``, the NLU
    having tagged the product ``named``."""
    tracker = tracker_for(text, "search_product", language=language,
                          entities=[{"entity": "product_category", "value": named}],
                          slots={"requested_slot": "search_budget", "search_category": searched},
                          active_loop="search_form")
    return ValidateSearchForm().validate_search_budget(text, CollectingDispatcher(), tracker, {})


def test_another_product_named_with_the_budget_is_the_search_now(using):
    answer = budget_answer("有磁吸的充电宝吗 最好紫色 两百块以内", "batteries", "phone", "zh")
    assert answer["search_category"] == "batteries" and answer["search_budget"] == "200"
    assert "magnetic" in answer["search_words"]
    # a device named in passing, with no budget, is what the product is for: no other product
    passing = budget_answer("на рыбалку беру, чтоб телефон и эхолот заряжать", "phone", "batteries", "ru")
    assert "search_category" not in passing and passing.get("search_budget") is None


def test_a_search_request_naming_no_product_just_after_results_keeps_the_search(using):
    tracker = tracker_for("能开票吗？量大有没有优惠", "search_product", language="zh",
                          slots={"search_category": "batteries", "search_budget": "100"})
    latest = tracker.events[-1]
    shown = {"event": "bot", "text": "想看更多？", "metadata": {"utter_action": "utter_search_refine"}}
    tracker.events[:] = [{"event": "user", "text": "充电宝", "parse_data": {}}, shown, latest]
    _, events = run_with_events(ActionStartSearch(), tracker)
    assert events == []  # nothing forgotten
    tracker.events[:] = [latest]  # no results on screen: a new search, with nothing to keep
    _, events = run_with_events(ActionStartSearch(), tracker)
    assert slots_set(events)["search_category"] is None and slots_set(events)["search_budget"] is None
