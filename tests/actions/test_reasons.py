"""actions/reasons.py: the reason a buyer's own words name (the examples are buyers' words from the
conversation test set and issue 19)."""

import pytest

from actions.reasons import DISPUTE_REASONS, REFUND_REASONS, reason_in


@pytest.mark.parametrize("text,reason", [
    ("не пришел", "not_received"), ("продавец так и не отправил", "not_received"),
    ("поставщик отгрузил не ту модель фильтров", "wrong_item"),
    ("استلمنا موديل مختلف عن الموديل المطلوب", "wrong_item"),
    ("屏幕有划痕", "damaged"), ("الجوال وصل وشاشته مشعوره", "damaged"), ("телевизор пришел с трещиной", "damaged"),
    ("الشنطة مش زي الصور خالص", "not_as_described"), ("the screen has a scratch", "damaged"),
    ('/inform{"dispute_reason": "counterfeit"}', "counterfeit"), ("hello", None),
    ("耳机左边没声音", "damaged"), ("اللعبة وصلت نقص حتى ومفيش el remote", "missing_parts"),
    ("куртка порвана по шву", "damaged"), ("как оформить возврат? не подошёл размер", "wrong_item"),
    ("这个尺码太小了 能退吗", "wrong_item"), ("продавец уже месяц не отправляет заказ", "not_received"),
])
def test_a_reason_in_the_buyers_words(text, reason):
    assert reason_in(text, DISPUTE_REASONS) == reason


def test_the_longest_words_decide_and_a_tie_goes_to_the_first_reason_offered():
    assert reason_in("wrong model, different from the photo", REFUND_REASONS) == "not_as_described"  # 14 > 11
    assert reason_in("it is broken and damaged", REFUND_REASONS) == "damaged"
