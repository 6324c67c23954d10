"""The words actions put into responses exist in every language and are written in it."""

import pytest

from actions.localization import LANGUAGES, ORDER_STATUS, PERIOD, TRACKING_EVENT, money, word
from backends.models.logistics import TRACKING_EVENT_CODES
from backends.models.orders import ORDER_STATUSES
from bot.language_detection import LanguageDetector

DETECTOR = LanguageDetector(LANGUAGES)


@pytest.mark.parametrize("table,keys", [(ORDER_STATUS, ORDER_STATUSES), (TRACKING_EVENT, TRACKING_EVENT_CODES),
                                        (PERIOD, ("parcel", "transaction", "day", "month", "quarter", "year"))])
def test_every_key_in_every_language(table, keys):
    assert set(table) == set(keys)
    for key, texts in table.items():
        assert set(texts) == set(LANGUAGES), key
        for language in ("zh", "ru", "ar"):
            assert DETECTOR.from_text(texts[language]) == language, (key, language, texts[language])


def test_words_and_money():
    assert word(ORDER_STATUS, "shipped", "ru") == "в пути"
    assert word(ORDER_STATUS, "shipped", "tr") == "on its way"  # other languages read English
    assert word(ORDER_STATUS, "teleported", "en") == "teleported"
    assert money(1234567, "KZT") == "12,345.67 KZT" and money(2530000, "VND") == "2,530,000 VND"
