import pytest

from bot.language_detection import LanguageDetector, normalize_language_tag


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector(["en", "zh", "ru", "ar"])


@pytest.mark.parametrize(
    "text, language",
    [
        ("where is my parcel", "en"),
        ("привет", "ru"),
        ("где мой заказ SR-204517", "ru"),
        ("iPhone 15 pro красный", "ru"),
        ("你好", "zh"),
        ("SR-204517到哪了", "zh"),
        ("我想买Xiaomi手机", "zh"),
        ("مرحبا", "ar"),
        ("وين طلبي SR-204517", "ar"),
        ("ابي iphone 15", "ar"),
    ],
)
def test_text_decides_the_language(detector, text, language):
    assert detector.from_text(text) == language


@pytest.mark.parametrize("text", ["", "ok", "SR-204517", "RB123456785CN", "👍", "5000", "٥٠٠", "iphone", "hello"])
def test_text_without_a_reliable_signal_is_undecided(detector, text):
    assert detector.from_text(text) is None


def test_unsupported_script_languages_are_not_returned():
    only_latin = LanguageDetector(["en"])
    assert only_latin.from_text("где мой заказ") is None
    assert only_latin.from_text("where is my order") == "en"


def test_latin_languages_are_told_apart_by_langid():
    detector = LanguageDetector(["en", "tr", "id"])
    assert detector.from_text("where is my order please") == "en"
    assert detector.from_text("siparişim nerede kargo gelmedi") == "tr"
    assert detector.from_text("pesanan saya belum sampai kapan dikirim") == "id"


@pytest.mark.parametrize(
    "metadata, language",
    [
        ({"language": "ru"}, "ru"),
        ({"language_code": "ar"}, "ar"),  # Telegram's from.language_code
        ({"locale": "zh-CN"}, "zh"),  # browser locale
        ({"locale": "zh_Hans_CN"}, "zh"),
        ({"customData": {"language": "ar-SA"}}, "ar"),  # rasa-webchat
        ({"from": {"language_code": "ru"}}, "ru"),
        ({"locale": "fr-FR"}, None),  # unsupported: fall back to the text
        ({"language": 42}, None),
        ({}, None),
        (None, None),
    ],
)
def test_metadata(detector, metadata, language):
    assert detector.from_metadata(metadata) == language


def test_metadata_wins_over_text(detector):
    guess = detector.detect("where is my parcel", {"locale": "ru-RU"})
    assert (guess.language, guess.source) == ("ru", "metadata")
    guess = detector.detect("where is my parcel", {"locale": "fr-FR"})
    assert (guess.language, guess.source) == ("en", "text")
    assert detector.detect("ok", None) is None


@pytest.mark.parametrize(
    "tag, expected",
    [("ar-SA", "ar"), ("RU", "ru"), ("zh_Hans", "zh"), ("en", "en"), ("x", None), ("", None), (None, None), ("12", None)],
)
def test_normalize_language_tag(tag, expected):
    assert normalize_language_tag(tag) == expected


def test_no_supported_language_is_an_error():
    with pytest.raises(ValueError):
        LanguageDetector([])
