"""bot/form_answers.py and common/answer_words.py: a message read as the answer to the question the bot asked.
The examples are the ones buyers wrote in the conversation test set and in issue 19."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.form_answers import question_of, reinterpret, reinterpret_for_tracker
from common.answer_words import (ends_with, first_phrase, is_stop, lexicon, mentions, names_a_person, normalize,
                                 says_unnegated, yes_or_no)

WORDS = lexicon()


@pytest.mark.parametrize("text", ["да, открывайте", "yes go ahead pls", "是的，提交吧", "ايوه افتح النزاع",
                                  "iya buka aja", "Да да", "ок", "好的呀", "نعم، نؤكد الاستلام", "👍", "sure can lah",
                                  "иә", "ha, oching"])
def test_yes_with_extra_words_is_yes(text):
    assert yes_or_no(text, WORDS) == "affirm"


@pytest.mark.parametrize("text", ["нет", "no thanks", "wait ah actually not yet", "不要了", "لا شكرا", "暂时不要",
                                  "jangan dulu", "нет, не отправляйте", "yo'q"])
def test_no_with_extra_words_is_no(text):
    assert yes_or_no(text, WORDS) == "deny"


@pytest.mark.parametrize("text", ["не пришел", "не пришёл!", "no photos", "不是我买的", "好像不对", "ok so where is it",
                                  "ما وصل", "noise cancelling please", "yesterday it came", "нетбук", "الساعة"])
def test_answers_that_only_start_like_a_yes_or_a_no_are_neither(text):
    assert yes_or_no(text, WORDS) is None


def test_stops_are_short_and_whole():
    for text in ("stop", "отмена", "算了", "cancel pls", "не надо", "الغاء"):
        assert is_stop(text, WORDS), text
    for text in ("left side no sound, spoil already", "stopped working after two days",
                 "не надо было его заказывать вообще"):
        assert not is_stop(text, WORDS), text


def test_a_person_is_named_only_by_person_words():
    assert names_a_person("позовите оператора", WORDS) and names_a_person("I want a human pls", WORDS)
    assert names_a_person("转人工", WORDS) and names_a_person("ابي اكلم موظف", WORDS)
    assert not names_a_person("屏幕有划痕", WORDS) and not names_a_person("the screen is scratched", WORDS)


def test_phrases_are_whole_words_and_full_width_is_read():
    assert normalize("  ＹＥＳ！！ ") == "yes" and normalize("Всё") == "все"
    assert first_phrase("yesterday", ("yes",)) is None and first_phrase("yes, sir", ("yes",)) == "yes"
    assert ends_with("laptop from", "from") and ends_with("из", "из") and ends_with("我想从", "从")
    assert not ends_with("laptopfrom", "from") and not ends_with("сверху из ящика", "из")
    assert mentions("u can tell seller i keep the thing", WORDS.keep_item).endswith("keep the thing")
    assert mentions("я не оставлю это так", ("оставлю себе",)) is None
    assert mentions("东西我留着吧", WORDS.keep_item)


def test_a_phrase_with_choices_stands_for_every_combination():
    from common.answer_words import expand

    assert expand("{не хочу|не буду} возвращать") == ["не хочу возвращать", "не буду возвращать"]
    assert expand("{|ال}فلوس") == ["فلوس", "الفلوس"] and expand("{不想|懒得}寄回") == ["不想寄回", "懒得寄回"]
    assert expand("a {b|c} d {e|f}") == ["a b d e", "a b d f", "a c d e", "a c d f"]
    assert mentions("يشتغل عادي ما ابي ارجعه بس ابي تعويض", WORDS.keep_item)  # expanded in the lexicon
    assert mentions("возвращать не хочу, носить буду", WORDS.keep_item)


def parse(text, intent, confidence=0.9, ranking=None):
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking or [{"name": intent, "confidence": confidence}], "entities": []}


CONFIRM = question_of("dispute_form", "dispute_confirmed", None)
REASON = question_of("refund_form", "refund_reason", None)


def test_a_confirmation_is_read_as_yes_or_no_whatever_the_model_ranked_first():
    read = reinterpret(parse("да, открывайте", "open_dispute"), CONFIRM)
    assert read["intent"] == {"name": "affirm", "confidence": 1.0}
    assert read["form_answer"] == {"question": "dispute_confirmed", "model_intent": "open_dispute",
                                   "model_confidence": 0.9}
    assert reinterpret(parse("open it", "open_dispute"), CONFIRM)["intent"]["name"] == "affirm"  # its own journey
    hesitant = parse("hmm", "greet", ranking=[{"name": "greet", "confidence": 0.5},
                                              {"name": "deny", "confidence": 0.3}])
    assert reinterpret(hesitant, CONFIRM)["intent"]["name"] == "inform"  # no answer: asked again, not a no
    unsure = parse("hmm", "out_of_scope", ranking=[{"name": "out_of_scope", "confidence": 0.5},
                                                   {"name": "deny", "confidence": 0.3}])
    assert reinterpret(unsure, CONFIRM)["intent"]["name"] == "deny"  # no courtesy: the ranking's no, as before
    unchanged = parse("what is a dispute", "out_of_scope", ranking=[{"name": "out_of_scope", "confidence": 0.9}])
    assert reinterpret(unchanged, CONFIRM) is unchanged
    agreed = parse("yes", "affirm")
    assert reinterpret(agreed, CONFIRM) is agreed  # the model's reading kept as it is


def test_an_answer_in_the_buyers_words_is_an_answer():
    assert reinterpret(parse("не пришел", "deny"), question_of("dispute_form", "dispute_reason", None))[
        "intent"]["name"] == "inform"
    assert reinterpret(parse("屏幕有划痕", "human_handoff", 0.7), REASON)["intent"]["name"] == "inform"
    assert reinterpret(parse("left side no sound, spoil already", "deny"), REASON)["intent"]["name"] == "inform"
    assert reinterpret(parse("stop", "deny"), REASON)["intent"]["name"] == "deny"
    assert reinterpret(parse("позовите оператора", "human_handoff"), REASON)["intent"]["name"] == "human_handoff"
    given_up = parse("算了 你给我转人工吧 我要跟真人说", "human_handoff")  # forget it, a person please: no stop
    assert reinterpret(given_up, REASON)["intent"]["name"] == "human_handoff"
    digression = parse("where is my other order SR-204517", "track_order", 0.93)
    assert reinterpret(digression, REASON) is digression
    weak = parse("the tracking shows delivered but nothing came", "track_order", 0.5)
    assert reinterpret(weak, REASON)["intent"]["name"] == "inform"
    evidence = question_of("dispute_form", "dispute_evidence", None)
    assert reinterpret(parse("нет фото", "inform"), evidence)["intent"]["name"] == "deny"  # "none"


def test_no_question_no_change_and_buttons_say_what_they_mean():
    message = parse("да, открывайте", "open_dispute")
    assert reinterpret(message, None) is message
    button = parse('/inform{"dispute_reason": "damaged"}', "inform")
    assert reinterpret(button, REASON) is button
    assert question_of("search_form", "search_budget", None) is None  # not a question read here


def tracker(events, loop=None, requested=None):
    return SimpleNamespace(events=events, active_loop_name=loop,
                           get_slot=lambda name: requested if name == "requested_slot" else None)


def test_the_question_is_read_from_the_tracker():
    bot = SimpleNamespace(type_name="bot", metadata={"utter_action": "utter_confirm_receipt_question"})
    listen = SimpleNamespace(type_name="action", metadata={})
    user = SimpleNamespace(type_name="user", metadata={})
    read = reinterpret_for_tracker(parse("yes confirm", "confirm_receipt"), tracker([user, bot, listen]))
    assert read["intent"]["name"] == "affirm"
    untouched = parse("yes confirm", "confirm_receipt")
    assert reinterpret_for_tracker(untouched, tracker([bot, user])) is untouched  # already answered
    assert reinterpret_for_tracker(untouched, None) is untouched
    in_form = reinterpret_for_tracker(parse("не пришел", "deny"), tracker([bot], "dispute_form", "dispute_reason"))
    assert in_form["intent"]["name"] == "inform"


def test_every_list_of_every_language_is_a_list_of_texts():
    import yaml
    from common.answer_words import LEXICON, LISTS

    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    assert {"en", "zh", "ru", "ar"} <= set(data)
    for language, lists in data.items():
        assert set(lists) <= set(LISTS), language
        for core in ("affirm", "deny", "stop", "person"):
            assert lists.get(core), (language, core)
        for name, phrases in lists.items():
            assert all(isinstance(p, str) and p.strip() for p in phrases or []), (language, name)


def test_a_colour_or_a_budget_after_results_refines_the_search():
    refine = question_of(None, None, "utter_search_refine_more")
    black = {**parse("а есть чёрные?", "search_product"), "entities": [{"entity": "color", "value": "black"}]}
    assert reinterpret(black, refine)["intent"]["name"] == "inform"
    new_product = {**parse("а есть чёрные кроссовки?", "search_product"),
                   "entities": [{"entity": "color", "value": "black"},
                                {"entity": "product_category", "value": "shoes"}]}
    assert reinterpret(new_product, refine) is new_product  # another product: a new search
    thanks = parse("супер, спасибо большое!", "thank")
    assert reinterpret(thanks, refine) is thanks
    budget = {**parse("cheaper? under 50 dollars", "search_product"), "entities": [{"entity": "amount", "value": "50"}]}
    assert reinterpret(budget, refine)["intent"]["name"] == "inform"


@pytest.mark.parametrize("text, countries, expected", [
    ("сколько пошлина на автозапчасти из китая в россию", [("CN", "китая"), ("RU", "россию")], "RU"),
    ("لو طلبت لابتوب من الصين وجالي مصر", [("CN", "الصين"), ("EG", "مصر")], "EG"),
    ("从中国寄到俄罗斯要交税吗", [("CN", "中国"), ("RU", "俄罗斯")], "RU"),
    ("if i order laptop from china around rm3000 got tax or not", [("CN", "china")], None),
    ("shipping to Kazakhstan", [("KZ", "Kazakhstan")], "KZ"),
    ("в Китай и Россию", [("CN", "Китай"), ("RU", "Россию")], "CN"),
])
def test_the_destination_is_the_country_not_marked_as_the_origin(text, countries, expected):
    from actions.conversation import destination_of

    entities = [{"entity": "country", "value": value, "start": text.index(word)} for value, word in countries]
    tracker = SimpleNamespace(latest_message={"text": text, "entities": entities})
    assert destination_of(tracker) == expected


@pytest.mark.parametrize("entity,journey", [("product_category", "search_product"), ("order_id", "track_order"),
                                            ("tracking_number", "track_order")])
def test_a_greeting_that_names_a_product_or_an_order_is_that_request(entity, journey):
    greeting = parse("привет есть чё по телефонам", "greet")
    greeting["entities"] = [{"entity": entity, "value": "phone"}]
    read = reinterpret(greeting, None)
    assert read["intent"]["name"] == journey and read["form_answer"]["model_intent"] == "greet"
    plain = parse("привет", "greet")
    assert reinterpret(plain, None) is plain
    named_otherwise = parse("где телефон заказа", "track_order")
    named_otherwise["entities"] = [{"entity": entity, "value": "phone"}]
    assert reinterpret(named_otherwise, None) is named_otherwise


def _events(*steps):
    events = []
    for kind, name in steps:
        if kind == "bot":
            events.append(SimpleNamespace(type_name="bot", metadata={"utter_action": name}))
        elif kind == "action":
            events.append(SimpleNamespace(type_name="action", action_name=name, metadata={}))
        else:
            events.append(SimpleNamespace(type_name="user", metadata={}))
    return events


def test_a_search_can_be_refined_after_a_digression_or_a_misunderstanding():
    shown = [("user", None), ("action", "action_search_products"), ("bot", "utter_search_refine"),
             ("action", "action_listen")]
    misunderstood = shown + [("user", None), ("action", "action_default_fallback"), ("bot", "utter_ask_rephrase"),
                             ("action", "action_listen")]
    colour = parse("any in white", "nlu_fallback", 0.3)
    colour["entities"] = [{"entity": "color", "value": "white"}]
    assert reinterpret_for_tracker(colour, tracker(_events(*misunderstood)))["intent"]["name"] == "inform"
    city = parse("dubai", "nlu_fallback", 0.3)  # no entity tagged: the city is found among the words
    assert reinterpret_for_tracker(city, tracker(_events(*shown)))["intent"]["name"] == "inform"
    tracked = shown + [("user", None), ("action", "action_track_order"), ("bot", "utter_order_status"),
                       ("action", "action_listen")]
    assert reinterpret_for_tracker(colour, tracker(_events(*tracked))) is colour  # another journey since


def test_an_import_answer_is_followed_up_with_a_country_a_price_or_a_currency():
    answered = [("user", None), ("action", "action_import_rules"), ("bot", "utter_import_vat"),
                ("action", "action_listen")]
    for text, intent, entities in (("and to russia?", "nlu_fallback", []),
                                   ("its a tv, 2500 aed", "inform", [{"entity": "amount", "value": "2500"}]),
                                   ("в рублях?", "out_of_scope", [{"entity": "currency", "value": "RUB"}])):
        message = parse(text, intent, 0.4)
        message["entities"] = entities
        assert reinterpret_for_tracker(message, tracker(_events(*answered)))["intent"]["name"] == "ask_import_rules"
    search = parse("покажи телефоны до 30к", "search_product", 0.9,
                   [{"name": "search_product", "confidence": 0.9}, {"name": "greet", "confidence": 0.05}])
    search["entities"] = [{"entity": "product_category", "value": "phone"}]
    assert reinterpret_for_tracker(search, tracker(_events(*answered))) is search
    chat = parse("ok thanks", "thank", 0.9)
    assert reinterpret_for_tracker(chat, tracker(_events(*answered))) is chat


def test_the_goods_named_to_which_order_is_the_tracking_request():
    which = question_of(None, None, "utter_which_order")
    lamp = {**parse("the lamp i order from china, so slow lah", "search_product"),
            "entities": [{"entity": "product_category", "value": "lighting"}]}
    assert reinterpret(lamp, which)["intent"]["name"] == "track_order"
    refund = parse("i want a refund", "request_refund")
    assert reinterpret(refund, which) is refund  # another request is that request


@pytest.mark.parametrize("text, model", [("طيب نكمل موضوع الساعه", "affirm"), ("let's continue", "affirm"),
                                         ("давайте продолжим", "affirm")])
def test_going_on_after_a_digression_is_no_yes_whatever_the_model_ranks(text, model):
    back = question_of("refund_form", "refund_return", None)
    assert reinterpret(parse(text, model), back)["intent"]["name"] == "inform"


@pytest.mark.parametrize("text", ["не, обратно слать лень и дорого", "ладно жду", "ладно, подожду", "行吧 我再等等",
                                  "I'll wait"])
def test_waiting_and_a_bare_ne_are_no(text):
    assert yes_or_no(text, WORDS) == "deny"


def _tracker_in(loop, requested):
    return SimpleNamespace(active_loop_name=loop, events=[], get_slot=lambda name: requested)


def test_a_dispute_asked_for_inside_the_refund_form_is_that_request():
    ranking = [{"name": "affirm", "confidence": 0.5}, {"name": "open_dispute", "confidence": 0.4}]
    switch = parse("давайте спор открывайте, пусть разбираются", "affirm", 0.5, ranking)
    read = reinterpret_for_tracker(switch, _tracker_in("refund_form", "refund_return"))
    assert read["intent"]["name"] == "open_dispute"
    yes = parse("да, отправлю обратно", "affirm", 0.9, ranking)  # names no dispute: the form's answer
    assert reinterpret_for_tracker(yes, _tracker_in("refund_form", "refund_return"))["intent"]["name"] == "affirm"
    in_dispute = parse("да, открывайте спор", "affirm", 0.5, ranking)  # the dispute form's own yes
    assert reinterpret_for_tracker(in_dispute, _tracker_in("dispute_form", "dispute_confirmed"))["intent"]["name"] \
        == "affirm"
    reason = parse("продавец затеял спор о цене, товар сломан", "inform", 0.9)  # not ranked a dispute request
    assert reinterpret_for_tracker(reason, _tracker_in("refund_form", "refund_reason"))["intent"]["name"] == "inform"


@pytest.mark.parametrize("text, expected", [("寄回去", "affirm"), ("да, оставлю себе", "deny"),
                                            ("ok i'll keep it", "deny"), ("可以寄回", "affirm"),
                                            ("no la, only 1 cup, not worth to send back", "deny"),
                                            ("寄回去吧 留着也没用", "affirm"),
                                            ("no actually forget the 200, i want full refund and i send the watch "
                                             "back", "affirm"),  # its no is about the amount
                                            ("لا ما بي ارجعها، بس عوضوني عن الخدش", "deny"),
                                            ("寄回去吗? 运费谁出", "inform"),
                                            ("到了我原封不动寄回去 没拆过", "affirm")])  # "不" of 原封不动 is no "don't"
def test_keeping_or_sending_back_answers_will_you_send_it_back(text, expected):
    back = question_of("refund_form", "refund_return", None)
    assert reinterpret(parse(text, "inform", 0.6), back)["intent"]["name"] == expected


def _tracker_after(response):
    bot = SimpleNamespace(type_name="bot", metadata={"utter_action": response})
    return SimpleNamespace(active_loop_name=None, events=[bot], get_slot=lambda name: None)


@pytest.mark.parametrize("text", ["طب والدرون؟", "а дроны?", "and a drone?", "那无人机呢"])
def test_a_short_follow_up_after_import_rules_asks_them_again(text):
    read = reinterpret_for_tracker(parse(text, "nlu_fallback", 0.3), _tracker_after("utter_import_threshold"))
    assert read["intent"]["name"] == "ask_import_rules"


def test_a_colour_after_import_rules_is_no_import_follow_up():
    black = {**parse("а чёрные есть?", "search_product"), "entities": [{"entity": "color", "value": "black"}]}
    read = reinterpret_for_tracker(black, _tracker_after("utter_import_threshold"))
    assert read["intent"]["name"] != "ask_import_rules"


def test_a_tracking_number_read_as_another_question_is_tracking():
    held = parse("parcel LP98109602953880 held at customs, what now", "ask_import_rules")
    assert reinterpret_for_tracker(held, _tracker_after("utter_greet"))["intent"]["name"] == "track_order"
    refund = parse("refund for LP98109602953880 please", "request_refund")
    assert reinterpret_for_tracker(refund, _tracker_after("utter_greet")) is refund


def test_an_undecided_message_that_names_a_dispute_is_a_dispute_request():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "open_dispute", "confidence": 0.42},
               {"name": "track_order", "confidence": 0.38}]
    undecided = parse("ابي افتح شكوى رسميه، الطلب SR-900025 ما وصل", "nlu_fallback", 0.5, ranking)
    assert reinterpret_for_tracker(undecided, _tracker_after("utter_greet"))["intent"]["name"] == "open_dispute"
    unnamed = parse("الطلب SR-900025 ما وصل", "nlu_fallback", 0.5, ranking)  # no journey named: where the order is
    assert reinterpret_for_tracker(unnamed, _tracker_after("utter_greet"))["intent"]["name"] == "track_order"
    neither = parse("الطلب ما وصل", "nlu_fallback", 0.5, ranking)  # nor an order: left to the model
    assert reinterpret_for_tracker(neither, _tracker_after("utter_greet")) is neither


def test_a_refund_asked_for_inside_the_dispute_form_is_that_request_but_not_while_it_is_explained():
    ranking = [{"name": "open_dispute", "confidence": 0.5}, {"name": "request_refund", "confidence": 0.4}]
    refund = parse("ноут оставлю, сам работает норм. верните деньги, куплю зарядку сам", "open_dispute", 0.5, ranking)
    read = reinterpret_for_tracker(refund, _tracker_in("dispute_form", "dispute_evidence"))
    assert read["intent"]["name"] == "request_refund"
    # "the seller refused my refund" explains the dispute: its reason, not a request to leave it
    reason = parse("продавец отказал, говорит верните товар сначала, деньги не вернёт", "open_dispute", 0.5, ranking)
    assert reinterpret_for_tracker(reason, _tracker_in("dispute_form", "dispute_reason"))["intent"]["name"] \
        == "inform"  # the reason question's answer
    both = parse("我要投诉他拒绝退款", "open_dispute", 0.5, ranking)  # a complaint (dispute) about a refused refund
    assert reinterpret_for_tracker(both, _tracker_in("dispute_form", "dispute_confirmed"))["intent"]["name"] \
        != "request_refund"
    ranked = [{"name": "request_refund", "confidence": 0.5}, {"name": "open_dispute", "confidence": 0.4}]
    dispute = parse("الطلب SR-900060، ابي نزاع لانه رفض يرجع فلوسي", "request_refund", 0.5, ranked)
    assert reinterpret_for_tracker(dispute, _tracker_in("refund_form", "order_number"))["intent"]["name"] \
        == "open_dispute"  # the same, in the refund form: the dispute
    terms = parse("المهم عايزة استرجع فلوسي كلها وهرجعلكم الكوتشي", "open_dispute", 0.5, ranking)
    assert reinterpret_for_tracker(terms, _tracker_in("dispute_form", "dispute_description"))["intent"]["name"] \
        == "request_refund"  # a refund with its terms: the buyer wants the refund, not the dispute
    # a refund promised and then refused, told in answer to "Which order?": the dispute's story, no refund asked
    undecided = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "request_refund", "confidence": 0.3}]
    refused = parse("买了个空气炸锅 SR-900072 收到是坏的 卖家一开始说ok会退钱 叫我等 现在又说是我自己弄坏的 不给退了",
                    "nlu_fallback", 0.4, undecided)
    assert reinterpret_for_tracker(refused, _tracker_in("dispute_form", "order_number"))["intent"]["name"] \
        != "request_refund"
    # no refund words: the form's own answer
    plain = parse("нет у меня фото", "deny", 0.8, ranking)
    assert reinterpret_for_tracker(plain, _tracker_in("dispute_form", "dispute_evidence"))["intent"]["name"] == "deny"


@pytest.mark.parametrize("text", ["eh sorry no wait, 150rb. rp 150.000 ya not 100", "не, стоп, 1,5к давайте",
                                  "لا خليها ٢٠٠ جنيه", "actually no forget that. I want full refund and I will send "
                                  "it back, not worth it",  # all of it, in so many words
                                  "算了还是两百 毕竟涂层都掉了 吃进去不放心"])  # in Chinese numerals
def test_another_amount_at_the_refunds_confirmation_changes_it(text):
    confirm = question_of("refund_form", "refund_confirmed", None)
    assert reinterpret(parse(text, "deny", 0.8), confirm)["intent"]["name"] == "inform"
    assert reinterpret(parse("yes, 100 is fine", "affirm", 0.8), confirm)["intent"]["name"] == "affirm"


def test_a_search_of_no_product_that_names_a_refund_is_a_refund_request():
    ranking = [{"name": "search_product", "confidence": 0.5}, {"name": "request_refund", "confidence": 0.3}]
    misread = parse("оставлю себе, сестре подарю) но хочу компенсацию 2 тыщи тенге можно?", "search_product", 0.5,
                    ranking)
    assert reinterpret_for_tracker(misread, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"
    product = {**misread, "entities": [{"entity": "product_category", "value": "cosmetics"}]}
    assert reinterpret_for_tracker(product, _tracker_after("utter_greet"))["intent"]["name"] == "search_product"


def test_a_no_inside_the_answer_is_never_read_as_a_yes():
    ranking = [{"name": "open_dispute", "confidence": 0.6}, {"name": "affirm", "confidence": 0.2}]
    wait = parse("eh wait no dont open first, seller just reply me he want to exchange. cancel", "open_dispute", 0.6,
                 ranking)
    assert reinterpret(wait, CONFIRM)["intent"]["name"] == "deny"
    mixed = parse("eh wait dont open first... ok fine go ahead", "open_dispute", 0.6, ranking)
    assert reinterpret(mixed, CONFIRM)["intent"]["name"] == "affirm"  # the word after the pause decides
    both = parse("eh wait dont open first, ok fine go ahead", "open_dispute", 0.6, ranking)
    assert reinterpret(both, CONFIRM)["intent"]["name"] == "inform"  # a yes and a no, no pause: asked again
    assert reinterpret(parse("open it, the seller never answers", "open_dispute", 0.6, ranking), CONFIRM)[
        "intent"]["name"] == "affirm"


def test_a_clear_question_in_between_a_yes_or_no_is_not_read_as_a_no():
    receipt = question_of(None, None, "utter_confirm_receipt_question")
    ranking = [{"name": "track_order", "confidence": 0.86}, {"name": "deny", "confidence": 0.1}]
    where = parse("هو فين دلوقتي؟", "track_order", 0.86, ranking)
    assert reinterpret(where, receipt) is where
    unsure = parse("هو فين دلوقتي؟", "track_order", 0.5, [{"name": "track_order", "confidence": 0.5},
                                                          {"name": "deny", "confidence": 0.3}])
    assert reinterpret(unsure, receipt)["intent"]["name"] == "deny"  # undecided: the ranking's no, as before
    other = parse("but the other order SR-900087 where is it now? not yet come", "track_order", 0.5,
                  [{"name": "track_order", "confidence": 0.5}, {"name": "affirm", "confidence": 0.3}])
    assert reinterpret(other, receipt) is other  # another order's tracking, not a yes nor a no


def test_an_answer_to_which_order_that_names_one_is_the_answer_not_a_digression():
    asked = _tracker_in("refund_form", "order_number")
    answer = parse("订单SR-900002，买的手机，一直没收到，物流也不更新了，钱全部退给我吧", "track_order", 0.9)
    assert reinterpret_for_tracker(answer, asked)["intent"]["name"] == "inform"
    question = parse("where is my parcel?", "track_order", 0.9)  # no order named: the question in between
    assert reinterpret_for_tracker(question, asked)["intent"]["name"] == "track_order"


@pytest.mark.parametrize("text", ["pls confirm this one only. the other order SR-900078 not yet come so dont touch",
                                  "另外一个SR-900010还没到 那个先不管 先把瑜伽垫这个确认了", "confirm pls, quality very nice"])
def test_an_undecided_answer_that_asks_for_the_release_is_a_yes(text):
    receipt = question_of(None, None, "utter_confirm_receipt_question")
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "deny", "confidence": 0.3},
               {"name": "affirm", "confidence": 0.2}]
    assert reinterpret(parse(text, "nlu_fallback", 0.5, ranking), receipt)["intent"]["name"] == "affirm"
    asked = parse("what does confirm mean", "out_of_scope", 0.9)  # a question the model decided on
    assert reinterpret(asked, receipt) is asked


@pytest.mark.parametrize("text, intent", [("хочу спор, кроссовки паль", "open_dispute"),
                                          ("no la i want refund for the earbuds", "request_refund")])
def test_a_dispute_or_a_refund_asked_for_inside_the_search_form_is_that_request(text, intent):
    """A complaint first read as a search ("кроссовки ... паль 100%") opens the search form; the request that
    follows is the journey it names, not the budget's answer."""
    ranking = [{"name": "search_product", "confidence": 0.5}, {"name": intent, "confidence": 0.4}]
    asked = _tracker_in("search_form", "search_budget")
    read = reinterpret_for_tracker(parse(text, "search_product", 0.5, ranking), asked)
    assert read["intent"]["name"] == intent
    budget = parse("до 5000 рублей", "inform", 0.9, ranking)  # names no journey: the form's answer
    assert reinterpret_for_tracker(budget, _tracker_in("search_form", "search_budget"))["intent"]["name"] == "inform"


def test_after_which_order_did_you_receive_an_answer_naming_the_goods_continues_the_confirmation():
    which = question_of(None, None, "utter_which_order_to_confirm")
    assert reinterpret(parse("就那个台灯", "search_product", 0.6), which)["intent"]["name"] == "confirm_receipt"
    assert reinterpret(parse("ok the lamp, works good", "affirm", 0.6), which)["intent"]["name"] == "confirm_receipt"
    assert reinterpret(parse("i want a refund", "request_refund", 0.9), which)["intent"]["name"] == "request_refund"


def test_a_budget_after_search_results_refines_them_even_read_as_a_score():
    refine = question_of(None, None, "utter_search_refine")
    budget = {**parse("预算提到500吧", "rate_chat", 0.7), "entities": [{"entity": "amount", "value": "500"}]}
    assert reinterpret(budget, refine)["intent"]["name"] == "inform"
    untagged = parse("хотя не, до 6 млн можно если норм вариант будет", "nlu_fallback", 0.4)  # a figure untagged
    assert reinterpret(untagged, refine)["intent"]["name"] == "inform"
    an_order = parse("what about SR-900006", "nlu_fallback", 0.4)  # an order's number is no budget
    assert reinterpret(an_order, refine) is an_order


def test_an_undecided_message_that_names_a_refund_is_a_refund_request():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "track_order", "confidence": 0.3},
               {"name": "request_refund", "confidence": 0.25}]
    text = "Order number 900076. Tracking say delivered but I did not receive nothing!! I want full refund please"
    undecided = parse(text, "nlu_fallback", 0.5, ranking)
    assert reinterpret_for_tracker(undecided, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"
    unnamed = parse("tracking say delivered but nothing came", "nlu_fallback", 0.5, ranking)  # no refund words
    assert reinterpret_for_tracker(unnamed, _tracker_after("utter_greet"))["intent"]["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["الجهاز نفسه شغال ولن أرجعه، أريد استرداد جزئي", "لا مش هرجعها، الشحن غالي"])
def test_arabic_i_will_not_send_it_back_keeps_the_item(text):
    back = question_of("refund_form", "refund_return", None)
    assert reinterpret(parse(text, "inform", 0.6), back)["intent"]["name"] == "deny"


def test_a_feature_after_search_results_refines_them():
    refine = question_of(None, None, "utter_search_refine")
    for text in ("беспроводные обязательно, с проводами не надо", "bluetooth يعني wireless مش سلك", "要降噪的"):
        assert reinterpret(parse(text, "nlu_fallback", 0.5), refine)["intent"]["name"] == "inform", text
    other = parse("did my parcel arrive", "nlu_fallback", 0.5)
    assert reinterpret(other, refine) is other  # no feature, no colour, no budget: not a refinement


def test_an_undecided_message_that_names_a_product_is_a_search():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "search_product", "confidence": 0.37},
               {"name": "show_more", "confidence": 0.26}]
    sneakers = {**parse("кроссы посмотреть хочу", "nlu_fallback", 0.5, ranking),
                "entities": [{"entity": "product_category", "value": "shoes"}]}
    assert reinterpret_for_tracker(sneakers, _tracker_after("utter_greet"))["intent"]["name"] == "search_product"
    unranked = {**sneakers, "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                                               {"name": "out_of_scope", "confidence": 0.3}]}
    assert reinterpret_for_tracker(unranked, _tracker_after("utter_greet"))["intent"]["name"] == "nlu_fallback"
    no_product = parse("кроссы посмотреть хочу", "nlu_fallback", 0.5, ranking)
    assert reinterpret_for_tracker(no_product, _tracker_after("utter_greet"))["intent"]["name"] == "nlu_fallback"


RECEIPT = question_of(None, None, "utter_confirm_receipt_question")


@pytest.mark.parametrize("text, intent", [("عايزه افتح شكوى", "open_dispute"),
                                          ("本来想直接退款的 算了 还是开纠纷让平台处理吧 卖家肯定扯皮", "open_dispute"),
                                          ("no, i want refund 50rb", "request_refund")])
def test_another_request_named_at_the_receipt_question_is_that_request(text, intent):
    ranking = [{"name": intent, "confidence": 0.6}, {"name": "affirm", "confidence": 0.2},
               {"name": "deny", "confidence": 0.1}]
    read = reinterpret(parse(text, intent, 0.6, ranking), RECEIPT)
    assert read["intent"]["name"] == intent  # neither a yes (which released the payment) nor a no


def test_a_problem_at_the_receipt_question_is_never_a_yes_by_the_ranking():
    ranking = [{"name": "open_dispute", "confidence": 0.5}, {"name": "affirm", "confidence": 0.3}]
    cracked = parse("the screen came cracked", "open_dispute", 0.5, ranking)
    assert reinterpret(cracked, RECEIPT)["intent"]["name"] == "open_dispute"
    person = parse("can i talk to someone", "human_handoff", 0.5,
                   [{"name": "human_handoff", "confidence": 0.5}, {"name": "affirm", "confidence": 0.4}])
    assert reinterpret(person, RECEIPT)["intent"]["name"] == "human_handoff"
    asked = parse("а если я подтвержу а потом сломается, вернуть можно будет?", "request_refund", 0.5, ranking)
    assert reinterpret(asked, RECEIPT)["intent"]["name"] == "inform"  # a question: the confirmation asked again


@pytest.mark.parametrize("text, model", [
    ("oh wait wait dont confirm yet, box look like someone open already. let me check first ya", "affirm"),
    ("等下等下 先别点 我还没拆箱检查呢", "track_order"),
])
def test_a_yes_word_taken_back_at_the_receipt_question_is_a_no(text, model):
    assert reinterpret(parse(text, model, 0.9), RECEIPT)["intent"]["name"] == "deny"


def test_a_yes_with_a_no_elsewhere_is_asked_again_but_a_negated_yes_is_no_yes():
    mixed = parse("the other one not yet, this one confirm", "affirm", 0.9)
    assert reinterpret(mixed, RECEIPT)["intent"]["name"] == "inform"
    assert reinterpret(parse("pls dont confirm", "affirm", 0.9), RECEIPT)["intent"]["name"] == "deny"


@pytest.mark.parametrize("response, text, model, expected", [
    ("utter_which_order", "900040", "rate_chat", "track_order"),
    ("utter_which_order_to_confirm", "SR-900013 这个 另一个我还没拆", "track_order", "confirm_receipt"),
    ("utter_which_order_to_confirm", "SR-900013 is broken, i want a refund", "request_refund", "request_refund"),
    ("utter_which_order", "thanks, 5 stars", "rate_chat", "rate_chat"),
])
def test_an_answer_to_which_order_that_names_one_continues_the_journey(response, text, model, expected):
    read = reinterpret_for_tracker(parse(text, model, 0.8), _tracker_after(response))
    assert read["intent"]["name"] == expected


def test_an_undecided_message_with_an_order_number_asks_where_it_is():
    message = parse("kak can check SR-900086 pls, sudah sampai mana?", "nlu_fallback", 0.4)
    assert reinterpret_for_tracker(message, _tracker_after("utter_greet"))["intent"]["name"] == "track_order"


def test_a_search_that_asks_about_duties_for_a_country_is_the_import_question():
    ranking = [{"name": "search_product", "confidence": 0.6}, {"name": "greet", "confidence": 0.2}]
    duties = parse("我在阿拉木图，想从国内买个无人机寄过来，哈萨克斯坦这边关税大概多少啊？3000块左右", "search_product", 0.6,
                   ranking)
    assert reinterpret_for_tracker(duties, _tracker_after("utter_greet"))["intent"]["name"] == "ask_import_rules"
    allowed = parse("هل مسموح اطلب فيتامينات واوميغا ٣ من برا؟ للسعوديه", "search_product", 0.6, ranking)
    assert reinterpret_for_tracker(allowed, _tracker_after("utter_greet"))["intent"]["name"] == "ask_import_rules"
    search = parse("phones under 300 with tax included", "search_product", 0.6, ranking)  # no country: a search
    assert reinterpret_for_tracker(search, _tracker_after("utter_greet")) is search
    person = parse("我的问题有点复杂，包裹里少了东西，卖家说发齐了，我这边又交了关税想退……能帮我转人工客服吗？", "nlu_fallback", 0.4,
                   [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_import_rules", "confidence": 0.3},
                    {"name": "human_handoff", "confidence": 0.2}])  # no country: a person asked for, not duties
    assert reinterpret_for_tracker(person, _tracker_after("utter_greet"))["intent"]["name"] == "human_handoff"
    undecided = parse("我想从国内给泰国的朋友寄个手机，那边海关有啥规定吗", "nlu_fallback", 0.4,
                      [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "search_product", "confidence": 0.3}])
    assert reinterpret_for_tracker(undecided, _tracker_after("utter_greet"))["intent"]["name"] == "ask_import_rules"
    capped = parse("你好 请问有磁吸的充电宝吗 给iphone用 一百五人民币以内 要寄到塔什干 能寄吗", "search_product", 0.6,
                   ranking + [{"name": "ask_import_rules", "confidence": 0.1}])  # a most-to-pay: choosing a product
    assert reinterpret_for_tracker(capped, _tracker_after("utter_greet")) is capped


@pytest.mark.parametrize("text, expected", [
    ("SR-900006发货半个多月了物流一直没更新，卖家消息也不回，我要申诉", "open_dispute"),
    ("где заказ SR-900006? две недели ничего, хочу открыть спор", "open_dispute"),
    ("where is SR-900006? dont open a dispute yet", "track_order"),  # the dispute taken back
    ("где SR-900006? не надо пока спор", "track_order"),
    ("where is SR-900006 now", "track_order"),
])
def test_a_tracking_question_that_asks_for_a_dispute_is_the_dispute(text, expected):
    read = reinterpret_for_tracker(parse(text, "track_order", 0.8), _tracker_after("utter_greet"))
    assert read["intent"]["name"] == expected


@pytest.mark.parametrize("text, model, expected", [
    ("算了我不等了 直接开纠纷吧 无语", "deny", "open_dispute"),
    ("ok open a dispute then", "affirm", "open_dispute"),
    ("no thanks, dont need a dispute", "deny", "deny"),
])
def test_a_yes_or_no_to_no_question_that_asks_for_a_dispute_is_the_dispute(text, model, expected):
    read = reinterpret_for_tracker(parse(text, model, 0.8), _tracker_after("utter_track_order_late"))
    assert read["intent"]["name"] == expected


def test_a_country_taken_back_after_import_rules_asks_them_again():
    after = _tracker_after("utter_import_category_duty")
    taken_back = parse("啊不对 是俄罗斯 我表姐在莫斯科 不是乌兹 打错了", "deny", 0.7)
    assert reinterpret_for_tracker(taken_back, after)["intent"]["name"] == "ask_import_rules"
    cities = parse("он в астане живет, но доставка на мой адрес в алматы", "track_order", 0.7)
    assert reinterpret_for_tracker(cities, after)["intent"]["name"] == "ask_import_rules"
    tracking = parse("а где заказ SR-900040 в алматы?", "track_order", 0.7)  # an order named: its tracking
    assert reinterpret_for_tracker(tracking, after) is tracking


def test_a_product_given_to_which_country_continues_the_import_question():
    answer = parse("游戏本 大概8k左右的", "search_product", 0.7)
    answer["entities"] = [{"entity": "product_category", "value": "laptop"}]
    asked = _tracker_after("utter_ask_destination_country")
    assert reinterpret_for_tracker(answer, asked)["intent"]["name"] == "ask_import_rules"


def test_tracking_words_in_the_disputes_story_are_no_digression():
    evidence = parse("معنديش صور، ممكن ابعت سكرين شوت من الtracking لو محتاجين", "track_order", 0.9)
    assert reinterpret_for_tracker(evidence, _tracker_in("dispute_form", "dispute_evidence"))["intent"]["name"] \
        == "inform"
    question = parse("طب الشحنة فين دلوقتي؟", "track_order", 0.9)  # asked: the question in between
    assert reinterpret_for_tracker(question, _tracker_in("dispute_form", "dispute_evidence"))["intent"]["name"] \
        == "track_order"


def test_a_colour_the_model_did_not_tag_refines_the_search():
    brown = parse("واذا في بني يكون احسن", "out_of_scope", 0.6)
    assert reinterpret_for_tracker(brown, _tracker_after("utter_search_refine_more"))["intent"]["name"] == "inform"


def test_a_question_about_the_request_is_no_yes_to_its_confirmation():
    send = question_of("refund_form", "refund_confirmed", None)
    asked = parse("وبالمناسبة كم ياخذ وقت لين ترجع الفلوس للبطاقة؟", "request_refund", 0.8)
    assert reinterpret(asked, send)["intent"]["name"] == "inform"  # asked again, nothing sent
    assert reinterpret(parse("send the refund request", "request_refund", 0.8), send)["intent"]["name"] == "affirm"


def test_asking_for_money_back_does_not_answer_will_you_send_it_back():
    back = question_of("refund_form", "refund_return", None)
    amount = parse("مب لازم كل المبلغ، رجعولي 100 درهم بس... لا sorry خلها 150 درهم", "request_refund", 0.7)
    assert reinterpret(amount, back)["intent"]["name"] == "inform"


def test_the_yes_after_a_question_decides_and_the_word_after_a_pause_counts():
    ranking = [{"name": "affirm", "confidence": 0.6}, {"name": "deny", "confidence": 0.3}]
    said = parse("погодите... а продавец точно увидит? ладно, да, открывайте", "affirm", 0.6, ranking)
    assert reinterpret(said, CONFIRM)["intent"]["name"] == "affirm"
    held = parse("погодите... а продавец точно увидит?", "affirm", 0.6, ranking)
    assert reinterpret(held, CONFIRM)["intent"]["name"] == "deny"  # only the wait: a no, as before
    receipt = question_of(None, None, "utter_confirm_receipt_question")
    tried_on = parse("لحظه بجربها اول... اوكي مقاسها مضبوط، ايه اكد", "affirm", 0.6, ranking)  # tried: they fit
    assert reinterpret(tried_on, receipt)["intent"]["name"] == "affirm"  # the word after the pause decides
    taken_back = parse("yes... wait no dont", "affirm", 0.6, ranking)
    assert reinterpret(taken_back, receipt)["intent"]["name"] == "deny"
    never_got_it = parse("كيف ارجعه وانا ما استلمته اصلا؟ لا", "request_refund", 0.6)  # how, I never got it? no
    assert reinterpret(never_got_it, question_of("refund_form", "refund_return", None))["intent"]["name"] == "deny"


def test_confirming_words_beside_a_status_complaint_are_a_yes_to_the_receipt_question():
    receipt = question_of(None, None, "utter_confirm_receipt_question")
    closed = parse("в приложении почему-то до сих пор «в пути» висит. закройте заказ, все ок", "track_order", 0.9)
    assert reinterpret(closed, receipt)["intent"]["name"] == "affirm"
    where = parse("в приложении до сих пор «в пути», где он?", "track_order", 0.9)
    assert reinterpret(where, receipt) is where  # a question: the tracking answer


def test_asking_where_another_order_is_answers_no_which_order_to_confirm():
    which = question_of(None, None, "utter_which_order_to_confirm")
    where = parse("بس الثاني SR-900055 شو صار عليه؟ وين وصل الحين؟", "track_order", 0.8)
    assert reinterpret(where, which) is where
    named = parse("SR-900055 هذا", "inform", 0.8)
    assert reinterpret(named, which)["intent"]["name"] == "confirm_receipt"


def test_thanks_to_the_receipt_question_asks_it_again():
    receipt = question_of(None, None, "utter_confirm_receipt_question")
    assert reinterpret(parse("جزاكم الله خير 🙏", "thank", 0.9), receipt)["intent"]["name"] == "inform"
    assert reinterpret(parse("thanks, yes release it", "thank", 0.6), receipt)["intent"]["name"] == "affirm"


def test_a_country_given_to_where_should_it_go_is_the_answer_not_an_import_question():
    where = _tracker_in("search_form", "search_destination")
    assert reinterpret_for_tracker(parse("寄到上海", "ask_import_rules", 0.9), where)["intent"]["name"] == "inform"
    asks = parse("寄到上海要交税吗？", "ask_import_rules", 0.9)
    assert reinterpret_for_tracker(asks, where)["intent"]["name"] == "ask_import_rules"  # a question in between


def test_an_undecided_message_asks_for_a_person_only_in_so_many_words():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "human_handoff", "confidence": 0.3}]
    story = parse("唉这个月真是水逆 上礼拜另一个快递还被人拿错了 服了", "nlu_fallback", 0.4, ranking)
    read = reinterpret_for_tracker(story, _tracker_after("utter_greet"))
    assert read["intent"]["name"] != "human_handoff"  # "被人" names no person to talk to


def test_a_yes_that_then_asks_about_the_money_opens_the_dispute():
    ranking = [{"name": "request_refund", "confidence": 0.6}, {"name": "affirm", "confidence": 0.3}]
    yes = parse("ايه افتحه، بس بترجع فلوسي كاملة صح؟", "request_refund", 0.6, ranking)
    assert reinterpret_for_tracker(yes, _tracker_in("dispute_form", "dispute_confirmed"))["intent"]["name"] != \
        "request_refund"
    # without the yes first, a refund asked for while the dispute waits for its yes is still that request
    switch = parse("لا خلاص، ابي استرجاع فلوسي بس", "request_refund", 0.6, ranking)
    assert reinterpret_for_tracker(switch, _tracker_in("dispute_form", "dispute_confirmed"))["intent"]["name"] == \
        "request_refund"


@pytest.mark.parametrize("text, expected", [
    ("how long this usually take? anyway yalla ok, open it", "affirm"),
    ("提交之前问一下 开了争议大概多久有结果？…算了 先提交吧 确认", "affirm"),  # never mind the question: submit
    ("how long does it take? no wait, dont open it yet", "deny"),
    ("eh wait dont open first, ok fine go ahead", "inform"),  # a yes and a no, no question between: asked again
])
def test_the_decision_after_a_question_at_the_confirmation(text, expected):
    ranking = [{"name": "track_order", "confidence": 0.8}, {"name": "affirm", "confidence": 0.1}]
    assert reinterpret(parse(text, "track_order", 0.8, ranking), CONFIRM)["intent"]["name"] == expected


def test_never_mind_then_another_amount_changes_the_amount_and_stops_nothing():
    amount = question_of("refund_form", "refund_amount", None)
    assert reinterpret(parse("算了还是两百 毕竟涂层都掉了 吃进去不放心", "deny", 0.8), amount)["intent"]["name"] == "inform"
    assert reinterpret(parse("算了", "deny", 0.8), amount)["intent"]["name"] == "deny"


def _results_then(*steps):
    shown = [("user", None), ("action", "action_search_products"), ("bot", "utter_search_refine"),
             ("action", "action_listen")]
    return tracker(_events(*shown, *steps))


IMPORT_ANSWERED = (("user", None), ("action", "action_import_rules"), ("bot", "utter_import_vat"),
                   ("action", "action_listen"))


@pytest.mark.parametrize("text, intent, entities", [
    ("好 那棕色的有没有", "search_product", [{"entity": "color", "value": "brown"}]),
    ("понял. а черные есть из тех что показали?", "inform", [{"entity": "color", "value": "black"}]),
    ("طب ماشي، بس ٣ الاف كتير شوية، مفيش حاجة تحت ٢٥٠٠؟", "nlu_fallback", []),
])
def test_a_refinement_after_an_import_answer_refines_the_results_on_screen(text, intent, entities):
    message = parse(text, intent, 0.5)
    message["entities"] = entities
    assert reinterpret_for_tracker(message, _results_then(*IMPORT_ANSWERED))["intent"]["name"] == "refine_search"


def test_an_import_follow_up_after_results_is_still_the_import_question():
    country = parse("and to russia?", "inform", 0.5)
    country["entities"] = [{"entity": "country", "value": "RU"}]
    assert reinterpret_for_tracker(country, _results_then(*IMPORT_ANSWERED))["intent"]["name"] == "ask_import_rules"
    chat = parse("ok", "inform", 0.5)  # nothing to refine with: left to the model
    assert reinterpret_for_tracker(chat, _results_then(*IMPORT_ANSWERED))["intent"]["name"] == "inform"


def test_a_colour_with_a_question_about_delivery_time_refines_the_results():
    colour = parse("黑色的就行 寄杭州大概几天到？", "track_order", 0.8)
    colour["entities"] = [{"entity": "color", "value": "black"}]
    assert reinterpret_for_tracker(colour, _results_then())["intent"]["name"] == "inform"
    tracked = parse("黑色的那个 SR-900054 几天到？", "track_order", 0.8)
    assert reinterpret_for_tracker(tracked, _results_then())["intent"]["name"] == "track_order"


@pytest.mark.parametrize("text, question, expected", [
    ("خلاص افتحوا نزاع", CONFIRM, "affirm"),  # well then, open a dispute
    ("خلاص", CONFIRM, "deny"), ("خلاص لا", CONFIRM, "deny"),
    ("خلاص افتحوا نزاع", question_of("dispute_form", "dispute_evidence", None), "inform"),  # no link: no evidence
])
def test_well_then_is_answered_by_what_follows_it(text, question, expected):
    assert reinterpret(parse(text, "open_dispute", 0.7), question)["intent"]["name"] == expected


@pytest.mark.parametrize("text, model", [
    ("i want to buy 200 units of power banks for my shop in Deira, need invoice with VAT and special price. can i "
     "talk to a real person from your team pls, not bot", "search_product"),
    ("посылка SR-900041 где-то застряла, позовите оператора", "track_order"),
    ("这个问题太复杂了 帮我转人工", "ask_import_rules"),
    ("ابي اكلم موظف بخصوص طلبية جملة", "search_product"),
])
def test_asking_to_be_put_through_to_a_person_is_a_handoff_whatever_else_the_message_asks(text, model):
    assert reinterpret_for_tracker(parse(text, model, 0.8), _tracker_after("utter_greet"))["intent"]["name"] == \
        "human_handoff"


@pytest.mark.parametrize("text", ["i talked to the seller, he said wait", "заказ SR-900041 где?",
                                  "can you talk to the seller for me about the delivery date"])
def test_a_person_named_in_passing_is_no_handoff(text):
    assert reinterpret_for_tracker(parse(text, "track_order", 0.8), _tracker_after("utter_greet"))["intent"][
        "name"] == "track_order"


def test_a_colour_said_to_which_order_after_results_refines_the_search():
    asked_which = (("user", None), ("action", "action_track_order"), ("bot", "utter_which_order"),
                   ("action", "action_listen"))
    colour = parse("ок. а коричневые есть? черные не хочу", "search_product", 0.6)
    colour["entities"] = [{"entity": "color", "value": "brown"}]
    events = _results_then(*asked_which).events
    after_which = SimpleNamespace(active_loop_name=None, events=events, get_slot=lambda name: None)
    assert reinterpret_for_tracker(colour, after_which)["intent"]["name"] == "refine_search"
    order = parse("SR-900036", "inform", 0.9)  # the order named: the answer
    assert reinterpret_for_tracker(order, after_which)["intent"]["name"] == "track_order"


@pytest.mark.parametrize("text, requested", [
    ("hmm actually no, no need dispute, I just want my money back", "dispute_reason"),
    ("算了 也不用开纠纷那么麻烦 直接退货退款吧 全退", "dispute_confirmed"),
])
def test_the_dispute_declined_for_a_refund_leaves_for_the_refund(text, requested):
    ranking = [{"name": "request_refund", "confidence": 0.7}, {"name": "deny", "confidence": 0.2}]
    read = reinterpret_for_tracker(parse(text, "request_refund", 0.7, ranking), _tracker_in("dispute_form", requested))
    assert read["intent"]["name"] == "request_refund"
    # the dispute named without a no: the form's own answer ("the seller refused my refund, I want a dispute")
    own = parse("seller refused my refund, i want a dispute", "request_refund", 0.7, ranking)
    assert reinterpret_for_tracker(own, _tracker_in("dispute_form", "dispute_reason"))["intent"]["name"] != \
        "request_refund"


def test_a_search_that_names_an_order_and_asks_money_back_is_the_refund():
    ranking = [{"name": "search_product", "confidence": 0.5}, {"name": "greet", "confidence": 0.3}]  # ranked or not
    text = "مرحبا، الساعة اللي طلبتها 900010 وصلت بس الشاشة فيها بكسلات ميته بالزاويه، ابي تعويض"
    message = parse(text, "search_product", 0.5, ranking)
    message["entities"] = [{"entity": "product_category", "value": "tv"}]
    assert reinterpret_for_tracker(message, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"
    search = parse("ابي شاشة تلفزيون ٥٥ بوصة", "search_product", 0.5, ranking)  # no order: the search
    search["entities"] = [{"entity": "product_category", "value": "tv"}]
    assert reinterpret_for_tracker(search, _tracker_after("utter_greet"))["intent"]["name"] == "search_product"


def _tracker_holding(loop, requested, order):
    slots = {"requested_slot": requested, "order_number": order}
    return SimpleNamespace(active_loop_name=loop, events=[], get_slot=lambda name: slots.get(name))


@pytest.mark.parametrize("text, model", [
    ("啊不对不对 发错了 SR-900063那个早收到了 是SR-900062这个没到，物流二十多天没更新了", "track_order"),
    ("стоп, не тот номер скинул, SR-900063 это другой заказ, он ещё в пути. Телевизор это SR-900062", "track_order"),
])
def test_an_order_put_right_inside_a_form_is_the_forms_answer(text, model):
    read = reinterpret_for_tracker(parse(text, model, 0.8), _tracker_holding("dispute_form", "dispute_evidence",
                                                                             "SR-900063"))
    assert read["intent"]["name"] == "inform"
    # the order the form holds, named with a "sorry", is no correction
    held = parse("yes confirm SR-900063, sorry for the trouble", "affirm", 0.9)
    assert reinterpret_for_tracker(held, _tracker_holding("dispute_form", "dispute_confirmed", "SR-900063"))[
        "intent"]["name"] == "affirm"


def test_a_search_with_a_colour_that_asks_whether_it_ships_there_is_the_search():
    ranking = [{"name": "search_product", "confidence": 0.6}, {"name": "ask_import_rules", "confidence": 0.3}]
    message = parse("有没有降噪耳机啊 黑色的 不超过100刀 能寄到迪拜吗", "search_product", 0.6, ranking)
    message["entities"] = [{"entity": "product_category", "value": "headphones"}, {"entity": "color", "value": "black"},
                           {"entity": "country", "value": "AE"}]
    assert reinterpret_for_tracker(message, _tracker_after("utter_greet"))["intent"]["name"] == "search_product"
    duty = parse("这个无人机3000块 寄到哈萨克斯坦关税多少", "search_product", 0.6, ranking)
    duty["entities"] = [{"entity": "product_category", "value": "drone"}, {"entity": "country", "value": "KZ"}]
    assert reinterpret_for_tracker(duty, _tracker_after("utter_greet"))["intent"]["name"] == "ask_import_rules"


@pytest.mark.parametrize("text, requested, expected", [
    ("хотя подождите. а спор это долго? просто возврат оформить быстрее же? тогда лучше возврат сделаем",
     "dispute_evidence", "request_refund"),
    ("нет, спор не надо, давайте возврат", "dispute_confirmed", "request_refund"),
    ("я хочу спор, потому что продавец отказал в возврате денег", "dispute_reason", "inform"),  # the dispute's reason
])
def test_a_dispute_turned_down_for_a_refund(text, requested, expected):
    ranking = [{"name": "request_refund", "confidence": 0.6}, {"name": "open_dispute", "confidence": 0.3}]
    read = reinterpret_for_tracker(parse(text, "request_refund", 0.6, ranking), _tracker_in("dispute_form", requested))
    assert (read["intent"]["name"] == "request_refund") == (expected == "request_refund")


def test_a_question_about_refunds_at_the_receipt_question_asks_it_again():
    ranking = [{"name": "request_refund", "confidence": 0.7}, {"name": "confirm_receipt", "confidence": 0.2}]
    asked = parse("对了 确认收货之后要是出问题还能退吗？", "request_refund", 0.7, ranking)
    assert reinterpret(asked, RECEIPT)["intent"]["name"] == "inform"
    told = parse("本来想确认的 算了 还是退款吧 屏幕有划痕", "request_refund", 0.7, ranking)  # no question: the refund
    assert reinterpret(told, RECEIPT)["intent"]["name"] == "request_refund"


def test_a_product_asked_about_at_a_forms_confirmation_starts_no_search():
    message = parse("对了你们有卖不粘锅吗 算了回头再问", "goodbye", 0.5)
    message["entities"] = [{"entity": "product_category", "value": "kitchenware"}]
    read = reinterpret_for_tracker(message, _tracker_holding("refund_form", "refund_confirmed", "SR-900026"))
    assert read["intent"]["name"] == "inform" and not read["entities"]


@pytest.mark.parametrize("text", ["شو المطلوب مني الحين؟ لازم اأكد؟", "а что значит отпустить оплату? деньги же я уже заплатила"])
def test_a_question_about_the_receipt_question_asks_it_again(text):
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "deny", "confidence": 0.2},
               {"name": "affirm", "confidence": 0.1}]
    assert reinterpret(parse(text, "nlu_fallback", 0.3, ranking), RECEIPT)["intent"]["name"] == "inform"


def test_thanks_to_a_forms_confirmation_is_no_no():
    send = question_of("refund_form", "refund_confirmed", None)
    ranking = [{"name": "thank", "confidence": 0.8}, {"name": "deny", "confidence": 0.1}]
    assert reinterpret(parse("谢谢亲", "thank", 0.8, ranking), send)["intent"]["name"] == "inform"  # asked again
    assert reinterpret(parse("thanks, yes send it", "thank", 0.8, ranking), send)["intent"]["name"] == "affirm"


@pytest.mark.parametrize("text, expected", [
    ("halo 客服", "greet"), ("客服在吗", "greet"), ("hi admin", "greet"),
    ("客服 我要转人工", "human_handoff"), ("i want to talk to a real person", "human_handoff"),
])
def test_addressing_the_chat_is_a_greeting_not_a_request_for_a_person(text, expected):
    read = reinterpret_for_tracker(parse(text, "human_handoff", 0.8), _tracker_after("utter_greet"))
    assert read["intent"]["name"] == expected


@pytest.mark.parametrize("text, intent", [
    ("kak humidifier ku bocor, air keluar dari bawah tiap pagi meja basah semua", "search_product"),
    ("hello. left earbud crackling when volume high, right one ok", "nlu_fallback"),
    ("салам. чемодан пришел, одно колесо отвалилось в первый же день", "inform"),
    ("zdravstvuyte, mashinka na pulte prishla, pult glyuchit", "greet"),
    ("hello, 我的 kettle 收到了, 可是盖子那边有点漏水", "track_order"),
])
def test_a_complaint_that_asks_for_nothing_is_a_report_on_the_goods_received(text, intent):
    read = reinterpret_for_tracker(parse(text, intent, 0.5), _tracker_after("utter_greet"))
    assert read["intent"]["name"] == "confirm_receipt"  # its answer holds the payment, offers a refund or a dispute


@pytest.mark.parametrize("text, intent", [
    ("the earbuds crackle, i want a refund", "search_product"),            # asks for something: read by what it asks
    ("чемодан пришел, колесо отвалилось, открывайте спор", "nlu_fallback"),
    ("does the blender leak?", "search_product"),                           # a question about a product
    ("looking for black running shoes", "search_product"),                  # no problem told
    ("палатка нужна непромокаемая, чтоб под ливнем не протекла", "search_product"),  # a wish: it must not leak
    ("哦不对不对发错了，是SR-900781这个，看看是不是卡海关了", "track_order"),  # "发错了": the number sent wrong
])
def test_a_complaint_that_asks_or_a_search_is_not_read_as_a_report(text, intent):
    read = reinterpret_for_tracker(parse(text, intent, 0.5), _tracker_after("utter_greet"))
    assert read["intent"]["name"] != "confirm_receipt"


def test_a_problem_told_to_the_release_question_is_no_yes():
    cracked = parse("the box came all kemek, one of the glass lid cracked right across", "confirm_receipt", 0.8)
    assert reinterpret(cracked, RECEIPT)["intent"]["name"] == "inform"  # asked again: answered with the offer
    fine = parse("came fine, small scratch but fine, go ahead and confirm", "confirm_receipt", 0.8)
    assert reinterpret(fine, RECEIPT)["intent"]["name"] != "inform"


def test_a_refund_turned_down_for_a_dispute_is_the_dispute():
    refund = parse("no I dont want a partial refund. I want to open a dispute please", "request_refund", 0.7)
    assert reinterpret_for_tracker(refund, _tracker_after("utter_greet"))["intent"]["name"] == "open_dispute"
    both = parse("i want a refund, not a dispute", "request_refund", 0.7)
    assert reinterpret_for_tracker(both, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"


def test_a_no_in_the_sentence_before_negates_nothing_in_the_next():
    ranking = [{"name": "request_refund", "confidence": 0.6}, {"name": "open_dispute", "confidence": 0.3}]
    back = parse("верните деньги наверное... хотя нет. давайте лучше спор откроем, пусть разбираются",
                 "request_refund", 0.6, ranking)
    assert reinterpret_for_tracker(back, _tracker_in("dispute_form", "dispute_confirmed"))["intent"]["name"] != \
        "request_refund"  # the dispute it ends with stays
    assert says_unnegated("no. dispute please", WORDS.dispute, WORDS, 3) == "dispute"
    assert says_unnegated("dont open a dispute", WORDS.dispute, WORDS, 3) is None


@pytest.mark.parametrize("text", ["打开看了锅没事 可以用的 ok 帮我确认收货 放款给seller吧", "podtverjdayu poluchenie 900053"])
def test_a_receipt_confirmed_inside_a_dispute_or_refund_form_leaves_it(text):
    ranking = [{"name": "confirm_receipt", "confidence": 0.8}, {"name": "inform", "confidence": 0.1}]
    for loop, requested in (("dispute_form", "dispute_evidence"), ("refund_form", "refund_return")):
        read = reinterpret_for_tracker(parse(text, "confirm_receipt", 0.8, ranking), _tracker_in(loop, requested))
        assert read["intent"]["name"] == "confirm_receipt", loop


def test_a_receipt_told_with_its_problem_inside_a_form_is_the_forms_answer():
    ranking = [{"name": "confirm_receipt", "confidence": 0.8}, {"name": "inform", "confidence": 0.1}]
    story = parse("получил, но экран разбит", "confirm_receipt", 0.8, ranking)
    read = reinterpret_for_tracker(story, _tracker_in("dispute_form", "dispute_reason"))
    assert read["intent"]["name"] == "inform"


@pytest.mark.parametrize("text", ["ха давай, подтверждаю", "اه اكد"])
def test_a_yes_with_a_receipt_word_at_a_forms_confirmation_is_its_yes(text):
    ranking = [{"name": "affirm", "confidence": 0.8}, {"name": "confirm_receipt", "confidence": 0.15}]
    read = reinterpret_for_tracker(parse(text, "affirm", 0.8, ranking), _tracker_in("refund_form", "refund_confirmed"))
    assert read["intent"]["name"] == "affirm"


def test_a_dispute_called_off_in_indonesian_for_a_refund_is_the_refund():
    ranking = [{"name": "request_refund", "confidence": 0.8}, {"name": "open_dispute", "confidence": 0.1}]
    off = parse("eh tunggu, gak jadi dispute deh ribet. refund sebagian aja 100rb", "request_refund", 0.8, ranking)
    read = reinterpret_for_tracker(off, _tracker_in("dispute_form", "dispute_evidence"))
    assert read["intent"]["name"] == "request_refund"


def test_an_answer_that_starts_with_a_yes_or_only_names_the_receipt_stays_an_answer():
    ranking = [{"name": "confirm_receipt", "confidence": 0.8}, {"name": "affirm", "confidence": 0.1}]
    conditional = parse("هيه لو وصلني برده لهم", "confirm_receipt", 0.8, ranking)
    assert reinterpret_for_tracker(conditional, _tracker_in("refund_form", "refund_return"))["intent"]["name"] != \
        "confirm_receipt"
    why = parse("ну чтобы продавец деньги получил", "open_dispute", 0.6,
                [{"name": "open_dispute", "confidence": 0.6}, {"name": "affirm", "confidence": 0.2}])
    assert reinterpret(why, RECEIPT)["intent"]["name"] != "affirm"  # no yes: no other journey was taken back


def test_an_undecided_message_that_says_a_refunds_terms_is_the_refund():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "open_dispute", "confidence": 0.42},
               {"name": "request_refund", "confidence": 0.27}]
    kept = parse("the laptop from order SR-900014 came with English keyboard only, the listing said Arabic stickers "
                 "included. I will keep it but I want 200 SR back", "nlu_fallback", 0.5, ranking)
    assert reinterpret_for_tracker(kept, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"
    story = parse("the laptop from order SR-900014 came with English keyboard only", "nlu_fallback", 0.5, ranking)
    assert reinterpret_for_tracker(story, _tracker_after("utter_greet"))["intent"]["name"] != "request_refund"


def test_a_dispute_read_where_only_a_refund_is_asked_for_is_the_refund_unless_it_was_refused():
    ranking = [{"name": "open_dispute", "confidence": 0.7}, {"name": "request_refund", "confidence": 0.2}]
    asked = parse("продавец сам написал что отправил телефон не того цвета. сказал оформить возврат разницы",
                  "open_dispute", 0.7, ranking)
    assert reinterpret_for_tracker(asked, _tracker_after("utter_greet"))["intent"]["name"] == "request_refund"
    refused = parse("i asked for a refund and the seller refused", "open_dispute", 0.7, ranking)
    assert reinterpret_for_tracker(refused, _tracker_after("utter_greet"))["intent"]["name"] == "open_dispute"
    undecided = parse("طلبت استرجاع فلوسي من اسبوعين والبائع رفض", "nlu_fallback", 0.5,
                      [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "request_refund", "confidence": 0.3}])
    assert reinterpret_for_tracker(undecided, _tracker_after("utter_greet"))["intent"]["name"] == "open_dispute"
