"""What the channel tests share: each language's buyer, and how to tell the bot answered in it."""

import re

from actions.localization import ORDER_STATUS
from bot.language_detection import LanguageDetector

DETECTOR = LanguageDetector(("en", "zh", "ru", "ar"))
# language -> (buyer, a question about their orders, how they send their link code, platform language tag)
BUYERS = {
    "en": ("buyer-my-hafiz", "where is my order?", "my link code is {code}", "en"),
    "zh": ("buyer-cn-lihua", "我的订单到哪了", "我的绑定码是 {code}", "zh-hans"),
    "ru": ("buyer-kz-aidana", "где мой заказ?", "мой код привязки {code}", "ru"),
    "ar": ("buyer-sa-noura", "أين طلبي؟", "رمز الربط الخاص بي هو {code}", "ar"),
}


def in_language(texts, language):
    """Every text is in the language (or in none: an order number alone)."""
    return all(DETECTOR.from_text(text) in (language, None) for text in texts)


def status_word(backends, buyer, number, language):
    """How the bot must name the order's status in the language."""
    return ORDER_STATUS[backends.orders.order(buyer, number, language).status][language]


def order_number_of(payload):
    """SR-nnnnnn in a button's payload (/track_order{"order_id": "SR-204517"})."""
    match = re.search(r"SR-\d{6}", payload or "")
    assert match, payload
    return match.group(0)
