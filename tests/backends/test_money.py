from datetime import date
from decimal import Decimal

import pytest

from backends.money import MissingRate, Rate, RateTable, UnknownCurrency, format_major


@pytest.fixture
def rates():
    def rate(code, value):
        return Rate(code, Decimal(value), date(2026, 11, 1), "test")

    return RateTable({c: rate(c, v) for c, v in {"USD": "1", "CNY": "7.20", "RUB": "92", "KZT": "480"}.items()})


def test_same_currency_is_untouched(rates):
    assert rates.convert(12345, "CNY", "CNY") == 12345


def test_conversion_through_usd_in_minor_units(rates):
    assert rates.convert(72000, "CNY", "USD") == 10000  # 720.00 CNY = 100.00 USD
    assert rates.convert(72000, "CNY", "RUB") == 920000  # 9,200.00 RUB
    assert rates.convert(1, "USD", "KZT") == 480  # one cent is 4.80 KZT


def test_rounding_is_half_even_once(rates):
    # 0.01 CNY = 0.1277... RUB -> 13 kopecks
    assert rates.convert(1, "CNY", "RUB") == 13
    assert rates.convert(-72000, "CNY", "USD") == -10000


def test_unknown_currency_and_missing_rate(rates):
    with pytest.raises(UnknownCurrency):
        rates.convert(100, "XXX", "USD")
    with pytest.raises(MissingRate):
        rates.convert(100, "USD", "SAR")


def test_format_major():
    assert format_major(12345, "CNY") == "123.45"
    assert format_major(5, "USD") == "0.05"
    assert format_major(1500, "VND") == "1500"
