"""common/entity_words.py: the currency and the country a sentence names, from the NLU's own synonyms."""

import pytest

from common.entity_words import corrects_the_order, countries_in_text, currency_in_text, tracking_number_in


@pytest.mark.parametrize("text,code", [
    ("RM100", "MYR"), ("1500 рублей", "RUB"), ("١٠٠ ريال سعودي", "SAR"), ("价格不要超过三百零吉", "MYR"),
    ("до 15000р", "RUB"), ("до 300 000 сум", "UZS"), ("under 50$", "USD"), ("100块以内", "CNY"),
    ("сумка", None), ("菜刀", None), ("р-р 43", None), ("a room", None),
])
def test_the_currency_a_sentence_names(text, code):
    assert currency_in_text(text) == code


@pytest.mark.parametrize("text,codes", [
    ("ابي اعرف كم بدفع جمارك على جوال اذا طلبته للسعوديه", ["SA"]), ("and to russia?", ["RU"]),
    ("доставка в Казань", ["RU"]), ("dubai", ["AE"]), ("寄到吉隆坡", ["MY"]), ("from china to egypt", ["CN", "EG"]),
    ("التوصيل بالامارات", ["AE"]), ("hello there", []),
    # a code that is also a word names its country only in capitals; the others as typed
    ("i send it to my brother by plane", []), ("ship to MY pls", ["MY"]), ("to kz", ["KZ"]), ("my id card", []),
])
def test_the_countries_and_cities_a_sentence_names(text, codes):
    assert [code for code, _ in countries_in_text(text)] == codes


def test_the_words_before_a_country_are_given_to_tell_an_origin():
    (origin, before), (destination, _) = countries_in_text("from china to egypt")
    assert origin == "CN" and before.strip().endswith("from") and destination == "EG"


@pytest.mark.parametrize("text, expected", [
    ("my order stuck in customs?? tracking no LP81926680818183", "LP81926680818183"),
    ("трек lp96674982638913 пишет задержан", "LP96674982638913"),
    ("运单号YT1234567890123456到哪了", "YT1234567890123456"),
    ("RR123456789CN and SF1234567890123", "RR123456789CN"),
    ("order SR-204517", None), ("LP123", None), ("", None),
])
def test_tracking_numbers_in_the_nlu_patterns(text, expected):
    assert tracking_number_in(text) == expected


@pytest.mark.parametrize("text,colour", [
    ("black colour pls, the white one very fast dirty", "black"), ("not black, white", "white"),
    ("а есть чёрные?", "black"), ("не черные а белые", "white"), ("要粉色的", "pink"), ("不要黑色 要白色", "white"),
    ("ابغاها سودا", "black"), ("goldfish for the aquarium", None), ("redmi phone", None),
    # of several, the ones the message's question asks for
    ("the pink one cute but he's a boy hehe, any yellow or blue?", "yellow"), ("белые есть? а то черные маркие", "white"),
])
def test_a_colour_is_read_from_the_words_when_the_nlu_tagged_none(text, colour):
    from common.answer_words import lexicon
    from common.entity_words import colour_in_text

    assert colour_in_text(text, lexicon().not_this) == colour


def test_the_colours_read_are_the_catalogs():
    from backends.seed.large_catalog import COLORS
    from common.entity_words import COLOURS

    assert COLOURS == set(COLORS)


def test_a_colour_taken_back_by_a_correction_is_not_the_one_asked_for():
    from common.answer_words import lexicon
    from common.entity_words import colour_in_text

    words = lexicon()
    assert colour_in_text("粉色的…哦不对 要绿色，¥88以内", words.not_this, words.correction) == "green"
    assert colour_in_text("black colour pls, the white one gets dirty", words.not_this, words.correction) == "black"
    assert colour_in_text("not black, white", words.not_this, words.correction) == "white"


@pytest.mark.parametrize("text, held, expected", [
    ("не тот номер скинул, SR-900042", None, True),
    ("لا لا سوري غلطت، الصحيح SR-٩٠٠٠٥٣", None, True),           # Arabic-Indic digits are the same order
    ("sorry wrong one, its SR-900053", "SR-900053", False),       # the order the form already holds
    ("sorry wrong one, its SR-900053", "SR-900052", True),
    ("啊不对不对 发错了 SR-900063那个早收到了 是SR-900062这个没到", "SR-900063", True),
    ("SR-900053 came broken", None, False),                       # an order, but nothing taken back
    ("sorry, wrong colour", None, False),                         # taken back, but no order
])
def test_an_order_put_right_is_one_named_with_a_word_that_takes_back(text, held, expected):
    assert corrects_the_order(text, held) is expected


@pytest.mark.parametrize("text, capped", [
    ("一百五人民币以内 要寄到塔什干", True), ("under 50 dollars", True), ("до 20 тыщ", True), ("بحدود ٣٠٠٠ ريال", True),
    ("3000块左右的无人机 关税多少", False), ("дрон хочу заказать DJI за 800$", False),  # about or for a price
    ("what duty for a 300 dollar phone", False), ("hello there je", False),
])
def test_a_most_to_pay_is_a_number_with_a_word_that_caps_it(text, capped):
    from common.entity_words import budget_said

    assert budget_said(text) is capped
