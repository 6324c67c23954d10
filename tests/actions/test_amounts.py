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
