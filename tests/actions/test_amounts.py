from decimal import Decimal

import pytest

from actions.amounts import parse_amount, to_minor


@pytest.mark.parametrize("text,amount", [
    ("5000", "5000"), ("1,200", "1200"), ("1,200.50", "1200.50"), ("15k", "15000"), ("٥٠٠", "500"),
    ("1 299,90", "1299.90"), ("3万", "30000"), ("12.5", "12.5"), ("7тыс", "7000"),
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
    ("20 kg bag under 300", "20"), ("1 299,90 ₽", "1299.90"), ("1000以内", "1000"), ("about 25.50.", "25.50"),
])
def test_amounts_with_the_words_that_multiply_them(text, amount):
    from actions.amounts import amount_in_text

    assert amount_in_text(text) == Decimal(amount)


def test_a_unit_that_only_starts_like_a_multiplier_does_not_multiply():
    from actions.amounts import amount_in_text

    assert amount_in_text("20 тенге") == Decimal("20")  # "т..." is not a multiplier
    assert amount_in_text("50 kzt") == Decimal("50")
    assert amount_in_text("2 kilo") == Decimal("2")
