"""The shop's chat page in a real browser (Debian's Chromium driven by Playwright).

The page embeds rasa-webchat (served by the project from the npm package, no CDN) and talks to Rasa's
socket.io channel. In each language a signed-in buyer asks for their order, picks it from the quick
replies and reads its status in their language; in Arabic the page is right to left and a search answers
with product cards that show their pictures and prices in the buyer's currency.
"""

import re

import pytest

from tests.browser import TIMEOUT_MS, bot_texts, first_bot_text, open_chat, type_message
from tests.channels.journeys import BUYERS, DETECTOR, in_language, status_word


@pytest.mark.parametrize("language", sorted(BUYERS))
def test_a_buyer_tracks_an_order_on_the_web_page_in_their_language(browser, channel_stack, language):
    buyer, question, _, _ = BUYERS[language]
    page, errors = open_chat(browser, channel_stack, language, buyer=buyer)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    greeting = first_bot_text(page)  # the widget's first message: the bot greets in the page's language
    assert DETECTOR.from_text(greeting) == language, greeting
    type_message(page, question)
    reply = page.locator(".rw-replies .rw-reply").first
    reply.wait_for(timeout=TIMEOUT_MS)
    number = re.search(r"SR-\d{6}", reply.inner_text()).group(0)
    reply.click()
    status = status_word(channel_stack.backends, buyer, number, language)
    page.locator(".rw-response", has_text=number).filter(has_text=status).first.wait_for(timeout=TIMEOUT_MS)
    texts = bot_texts(page)
    assert in_language(texts, language), texts
    assert errors == []


def test_an_arabic_page_is_right_to_left_and_shows_product_cards(browser, channel_stack):
    page, errors = open_chat(browser, channel_stack, "ar", buyer="buyer-sa-noura")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.rw-conversation-container')).direction") == "rtl"
    first_bot_text(page)  # the greeting
    greeted = page.locator(".rw-response").count()
    type_message(page, "أبحث عن سماعات")
    page.wait_for_function("n => document.querySelectorAll('.rw-response').length > n", arg=greeted,
                           timeout=TIMEOUT_MS)  # the budget question
    type_message(page, "أي سعر")
    cards = page.locator(".rw-carousel-card")
    cards.nth(4).wait_for(timeout=TIMEOUT_MS)
    assert cards.count() == 5
    for index in range(5):
        card = cards.nth(index)
        text = card.inner_text()
        assert "SAR" in text and DETECTOR.from_text(text) in ("ar", None), text
        image = card.locator("img.rw-carousel-card-image")
        image.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                               timeout=TIMEOUT_MS)
    texts = bot_texts(page)
    assert texts and all(DETECTOR.from_text(text) in ("ar", None) for text in texts), texts
    first_bubble = page.locator(".rw-response").first
    assert first_bubble.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert errors == []


def test_the_page_refuses_demo_sign_in_with_a_malformed_buyer(channel_stack):
    import requests

    answer = requests.get(f"{channel_stack.shop_url}/shop/chat", params={"buyer": "<script>"}, timeout=10)
    assert answer.status_code == 404
    page = requests.get(f"{channel_stack.shop_url}/shop/chat", timeout=10)
    assert page.status_code == 200 and '"buyerToken": null' in page.text
    bundle = requests.get(f"{channel_stack.shop_url}/shop/static/webchat.js", timeout=10)
    assert bundle.status_code == 200 and "rasaWebchatPro" in bundle.text
