import pytest

from bot.text_normalization import normalize_word


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("أريد", "اريد"),
        ("إرجاع", "ارجاع"),
        ("مُسْتَرْجَع", "مسترجع"),  # diacritics
        ("مرحبـــا", "مرحبا"),  # tatweel
        ("هدية", "هديه"),
        ("مستشفى", "مستشفي"),
        ("٥٠٠", "500"),
        ("۱۲۰۰", "1200"),
        ("Ёлка", "елка"),
        ("ＳＲ２０４５１７", "sr204517"),  # full-width input
        ("приииивет", "привет"),
        ("heyyy", "hey"),
        ("مرحباااا", "مرحبا"),
        ("1000", "1000"),  # digits are never squeezed
        ("SR-204517", "sr-204517"),
        ("手机", "手机"),
    ],
)
def test_normalize_word(typed, normalized):
    assert normalize_word(typed) == normalized
