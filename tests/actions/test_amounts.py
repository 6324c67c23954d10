from decimal import Decimal

import pytest

from actions.amounts import parse_amount, to_minor


@pytest.mark.parametrize("text,amount", [
    ("5000", "5000"), ("1,200", "1200"), ("1,200.50", "1200.50"), ("15k", "15000"), ("٥٠٠", "500"),
    ("1 299,90", "1299.90"), ("3万", "30000"), ("12.5", "12.5"), ("7тыс", "7000"),
    ("100.000", "100000"), ("1.500.000", "1500000"), ("2.500,50", "2500.50"),  # dots grouping thousands
])
def test_amounts_as_typed(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "0", "-5", "1.2.3"])
def test_not_amounts(text):
    assert parse_amount(text) is None


def test_minor_units():
    assert (to_minor(Decimal("12.5"), "CNY"), to_minor(Decimal("30000"), "VND")) == (1250, 30000)


def test_the_first_amount_in_a_sentence():
    from actions.amounts import amount_in_text

    assert amount_in_text("верните 1 200 пожалуйста") == Decimal("1200")
    assert amount_in_text("about 25.50 of it") == Decimal("25.50")
    assert amount_in_text("退我٥٠") == Decimal("50")
    assert amount_in_text("no amount here") is None


@pytest.mark.parametrize("text,amount", [
    ("max 2 juta rupiah", "2000000"), ("до 30к руб", "30000"), ("ну до 30 тыщ", "30000"), ("150 тысяч рублей", "150000"),
    ("预算1万以内", "10000"), ("٣ آلاف ريال", "3000"), ("under 1.5m", "1500000"), ("500 rb aja", "500000"),
    ("20 kg bag under 300", "300"), ("1 299,90 ₽", "1299.90"), ("1000以内", "1000"), ("about 25.50.", "25.50"),
])
def test_amounts_with_the_words_that_multiply_them(text, amount):
    from actions.amounts import amount_in_text

    assert amount_in_text(text) == Decimal(amount)


def test_a_unit_that_only_starts_like_a_multiplier_does_not_multiply():
    from actions.amounts import amount_in_text

    assert amount_in_text("20 тенге") == Decimal("20")  # "т..." is not a multiplier
    assert amount_in_text("50 kzt") == Decimal("50")
    assert amount_in_text("2 kilo") == Decimal("2")


@pytest.mark.parametrize("text,amount", [
    ("a hundred and fifty bucks", "150"), ("полторы тысячи", "1500"), ("двести пятьдесят рублей", "250"),
    ("两千以内", "2000"), ("一千五", "1500"), ("两万五", "25000"), ("一千零五", "1005"), ("مئة وخمسون دولار", "150"),
    ("خمسة آلاف جنيه", "5000"), ("ألفين ريال", "2000"),
    ("это тыщи три рублей", "3000"),  # the scale first: about three thousand
    ("тысяча двести", "1200"), ("الف وخمسة", "1005"),
    ("十五块 就运费", "15"), ("十块钱", "10"), ("三十五块", "35"),  # a run may start with ten
    ("do 300 ming sum", "300000"), ("200 tysyach sum", "200000"),  # Uzbek "ming", Russian typed in Latin
])
def test_numbers_written_as_words(text, amount):
    from actions.amounts import amount_in_text

    assert amount_in_text(text) == Decimal(amount)


def test_ten_alone_is_no_amount_unless_ten_of_money_and_together_is_no_yuan():
    from actions.amounts import amount_and_currency, amount_in_text

    assert amount_in_text("十分满意") is None  # "very satisfied"
    assert amount_and_currency("三十五块")[1] == "CNY"
    assert amount_and_currency("连盒子一块寄回去")[0] is None  # "together with the box"


@pytest.mark.parametrize("text", ["the other one", "看一下", "十分满意", "万一不行呢", "заказ SR-900004 не пришел",
                                  "ishu krossovki 43 razmer", "LED strips 200 متر", "20000mAh", "размер 43",
                                  "трек LP00123456789012", "сайт не грузился, минут 20 мучалась пока оплатила",
                                  "waited 20 minutes on the page", "等了20分钟", "deliver to dubai in 1 week",
                                  "телевизор чтоб 120 герц был"])
def test_measures_identifiers_and_small_words_are_not_money(text):
    from actions.amounts import amount_in_text

    assert amount_in_text(text) is None


@pytest.mark.parametrize("text,budget", [
    ("salom. powerbank kerak 20000 mah, до 300 000 сум, доставка Ташкент", "300000"),
    ("2k左右吧 不超过2500 再多我妈不给了", "2500"),
    ("нужны смарт часы с nfc, бюджет до 15000р, доставка в Казань", "15000"),
    ("хочу 2 штуки по 500", "500"),
    ("السعر المستهدف لا يتجاوز 40 درهم للمتر", "40"),
    ("价格不要超过三百零吉", "300"),
    ("a 65 inch tv, budget 3000 myr", "3000"),
    ("iphone 15 under 4000", "4000"),
    ("тысяч до 50 рублей", "50000"), ("ну тыщ за 20 хотя бы", "20000"), ("в пределах 300", "300"),
    ("тыщ 150 тенге максимум", "150000"),
    ("算了 300的感觉质量不行 预算提到500吧", "500"), ("لا سوري خلها 4000 درهم، ٣ آلاف ما بتجيب شي عدل", "4000"),
    ("200以内 哦不 300吧 200的估计不太行", "300"), ("до 2 млн сум... хотя не, 2,5 лимона максимум можно", "2500000"),
    ("палатка на 4 человек, бюджет полтора миллиона сум", "1500000"), ("tablet for my son 6 yo, max 1.5jt", "1500000"),
    ("帐篷 4人 500以内", "500"), ("خيمة ٤ اشخاص تحت ٣٠٠ ريال", "300"), ("бюджет до 8 косарей", "8000"),
])
def test_the_budget_is_the_amount_said_as_a_most_to_pay(text, budget):
    from actions.amounts import budget_in_text

    assert budget_in_text(text) == Decimal(budget)


@pytest.mark.parametrize("text,amount,currency", [
    ("١٠٠ يوان.. لا لحظه قصدي ١٠٠ درهم مب يوان", "100", "AED"), ("no, 100 ringgit, not lira", "100", "MYR"),
    ("sorry not 2500, its 1800 aed after discount", "1800", "AED"), ("ну рублей 500 хотя бы", "500", "RUB"),
    ("RM100", "100", "MYR"), ("50", "50", None), ("no amount", None, None),
    ("тыщ 150 тенге максимум", "150000", "KZT"), ("тысяч до 50 рублей", "50000", "RUB"),
    ("ну до пол ляма сум где-то", "500000", "UZS"), ("до 2 лямов", "2000000", None), ("пол литра воды", None, None),
    ("لا سوري خلها 4000 درهم، ٣ آلاف ما بتجيب شي عدل", "4000", "AED"), ("退两百块 嗯…不对 三百吧", "300", "CNY"),
    ("no wait, 50 MYR not 40", "50", "MYR"), ("а подешевле есть? тыщи за три", "3000", None),
    ("eh sorry salah ketik, 75rb maksudnya", "75000", "IDR"), ("max 1.5jt ya kak", "1500000", "IDR"),
    ("5 ribu", "5000", None), ("ноут за 5 штук баксов", "5000", "USD"), ("нужно 5 штук", None, None),
    ("по заказу 900020 хрипит. можно часть денег вернуть? ну рублей 2000", "2000", "RUB"),
    ("فيه صفحات ناقصة من ص ٤٠ إلى ص ٥٦. أريد استرداد جزء من الثمن، ٥٠ رينغيت", "50", "MYR"),
    ("第40页到56页缺了 退50", "50", None), ("Rp 150.000 eh sorry, Rp 100.000", "100000", "IDR"),
    ("mayzeedsh 3an $40 w el shipping le masr", "40", "USD"),  # Arabizi 3 is a letter; "w" is "and" after "$40"
    ("а большие размеры есть? у него 45", None, None), ("size 42, under 50 dollars", "50", "USD"),
    ("退两百块 嗯…还是三百吧 划痕挺明显的", "300", "CNY"), ("order 900020 refund RM50 pls", "50", "MYR"),
    ("هو كان ب ١٨٠٠ جنيه يعني عايزة ٩٠٠", "900", "EGP"),  # the one asked for after the story's
    ("وكم بتطلع الجمارك لو الطلب ٣٥٠ ريال؟", "350", "SAR"),  # a currency after it: the price, not an order number
])
def test_the_amount_an_answer_gives_with_its_currency_and_corrections(text, amount, currency):
    from actions.amounts import amount_and_currency

    assert amount_and_currency(text) == (Decimal(amount) if amount else None, currency)


def test_the_order_named_by_its_digits_is_no_amount_of_a_refund():
    from actions.request_refund import amount_with_currency, without_order_digits
    text = without_order_digits("亲 900003 这个单 粉底液漏了 想退一部分钱 150rb就好", "SR-900003")
    assert amount_with_currency(text, "CNY") == {"refund_amount": text} and "900003" not in text
    assert without_order_digits("refund 20 USD for SR-900003", "SR-900003") == "refund 20 USD for SR-900003"
    assert without_order_digits("500000 сум верните", "SR-900003") == "500000 сум верните"


@pytest.mark.parametrize("text", ["looking for tablet for my son 6 yo, for learning and youtube kids",
                                  "нужна палатка на 4 человек чтоб дождь не пропускала", "想要个3人的帐篷"])
def test_how_many_people_or_how_old_is_no_budget(text):
    from actions.amounts import budget_in_text

    assert budget_in_text(text) is None
