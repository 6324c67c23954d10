"""The handoff in two real browsers (Debian's Chromium driven by Playwright): a signed-in buyer on the shop's
web page asks for a person; an agent signs in to the support console, sees the conversation waiting with
its reason, language and channel, the bot's understanding of each message and the buyer's orders, takes it
over, replies (the buyer reads the reply in the widget), sees the buyer's next message arrive live, and hands
the conversation back; the bot then answers the buyer again, and after a finished journey asks the survey.
The analytics charts, all eight, draw from the events."""

import re

from tests.assistant_stack import AGENT_NAME, AGENT_PASSWORD, AGENT_USERNAME, eventually
from tests.browser import TIMEOUT_MS, bot_texts, first_bot_text, open_chat, type_message, widget_conversation_id

BUYER = "buyer-sa-noura"
AGENT_REPLY = "Hello Noura, this is Amina from support. Your parcel is at import customs."
CHARTS = ("conversations", "containment", "handoff-rate", "fallback", "reasons", "intents", "languages", "csat")


def sign_in(browser, stack):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{stack.shop_url}/console")
    page.wait_for_url(re.compile(r"/console/login$"), timeout=TIMEOUT_MS)  # no console without signing in
    page.fill("#login-username", AGENT_USERNAME)
    page.fill("#login-password", AGENT_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r"/console$"), timeout=TIMEOUT_MS)
    page.locator("#agent-name", has_text=AGENT_NAME).wait_for(timeout=TIMEOUT_MS)
    return page, errors


def wait_for_bot_text(page, pattern, after=0):
    """The first bot message after the first ``after`` ones that matches ``pattern``."""
    page.wait_for_function(
        "([after, source]) => [...document.querySelectorAll('.rw-response')].slice(after)"
        ".some(e => new RegExp(source).test(e.innerText))", arg=[after, pattern], timeout=TIMEOUT_MS)
    return next(text for text in bot_texts(page)[after:] if re.search(pattern, text))


def test_a_buyer_asks_for_a_person_an_agent_answers_in_the_widget_and_hands_back(browser, assistant_stack):
    stack = assistant_stack
    buyer_page, buyer_errors = open_chat(browser, stack, "en", buyer=BUYER)
    first_bot_text(buyer_page)
    conversation_id = widget_conversation_id(buyer_page, stack)
    number = stack.backends.orders.orders(BUYER, "en", open_only=False)[0].number
    type_message(buyer_page, f"where is my order {number}?")
    wait_for_bot_text(buyer_page, number, after=1)
    seen = len(bot_texts(buyer_page))
    type_message(buyer_page, "I want to talk to a real person")
    told = wait_for_bot_text(buyer_page, r"number \d+ in the queue", after=seen)
    assert "stay in this chat" in told

    console, console_errors = sign_in(browser, stack)
    item = console.locator(f'#queue-waiting .queue-item[data-conversation-id="{conversation_id}"]')
    item.wait_for(timeout=TIMEOUT_MS)  # arrived live, from Rasa's event broker
    summary = item.inner_text().lower().split()
    assert {"web", "en"} <= set(summary) and "buyer asked for a person" in " ".join(summary), summary
    item.click()
    transcript = console.locator("#transcript")
    transcript.locator('.event[data-kind="user"]', has_text="I want to talk to a real person") \
        .wait_for(timeout=TIMEOUT_MS)
    understood = transcript.locator(".understanding").all_inner_texts()
    assert any("track_order" in text for text in understood) and any("human_handoff" in text for text in understood)
    context = console.locator("#context-panel")
    context.get_by_text(BUYER).wait_for(timeout=TIMEOUT_MS)
    assert number in context.inner_text(), context.inner_text()  # the buyer's orders beside it, this one too

    console.click("#take-over")
    console.locator("#reply-text").wait_for(state="visible", timeout=TIMEOUT_MS)
    console.wait_for_function("() => !document.querySelector('#reply-send').disabled", timeout=TIMEOUT_MS)
    console.fill("#reply-text", AGENT_REPLY)
    console.click("#reply-send")
    buyer_page.locator(".rw-response", has_text=AGENT_REPLY).wait_for(timeout=TIMEOUT_MS)  # on the buyer's page

    seen = len(bot_texts(buyer_page))
    type_message(buyer_page, "thank you, and when will it arrive?")
    transcript.locator('.event[data-kind="user"]', has_text="when will it arrive").wait_for(timeout=TIMEOUT_MS)
    buyer_page.wait_for_timeout(1500)
    assert len(bot_texts(buyer_page)) == seen, "the bot answered while the conversation was handed off"

    console.click("#hand-back")
    console.fill("#handback-note", "Parcel at customs; told the buyer. Bot can continue.")
    console.click("#handback-confirm")
    wait_for_bot_text(buyer_page, "Silk Road Assistant again", after=seen)
    seen = len(bot_texts(buyer_page))
    type_message(buyer_page, f"where is my order {number}?")
    wait_for_bot_text(buyer_page, number, after=seen)  # the bot answers again
    seen = len(bot_texts(buyer_page))
    type_message(buyer_page, "thank you")  # a finished journey: the satisfaction survey
    wait_for_bot_text(buyer_page, "rate this chat", after=seen)
    buyer_page.locator(".rw-replies .rw-reply", has_text="5").last.click()
    wait_for_bot_text(buyer_page, "Thank you for your rating", after=seen)

    staff_api = stack.console()
    eventually(lambda: staff_api.get(f"{stack.shop_url}/console/api/analytics", params={"days": 7}, timeout=10)
               .json()["csat"]["responses"] >= 1, what="the rating in the analytics")
    console.click("#tab-analytics")
    console.wait_for_function("() => document.body.dataset.chartsReady === '1'", timeout=TIMEOUT_MS)
    for chart in CHARTS:
        assert console.locator(f"#chart-{chart}").is_visible(), chart
    drawn = console.evaluate("() => Object.keys(Chart.instances).length")
    assert drawn == len(CHARTS)
    totals = console.evaluate("() => fetch('/console/api/analytics?days=7').then(r => r.json())")
    assert totals["totals"]["handed_off"] >= 1 and totals["handoff_reasons"].get("buyer_request", 0) >= 1
    assert totals["intents"].get("human_handoff", 0) >= 1 and totals["languages"].get("en", 0) >= 1
    assert totals["csat"]["distribution"]["5"] >= 1
    assert buyer_errors == [] and console_errors == []
