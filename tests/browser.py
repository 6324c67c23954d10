"""A real browser for the web tests: Debian's Chromium driven by Playwright (``browser`` fixture in
tests/conftest.py), and what the tests do on the shop's chat page (rasa-webchat)."""

from __future__ import annotations

import json
import shutil
from typing import List, Optional

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000


def open_chat(browser, stack, language: str, buyer: Optional[str] = None):
    """The shop's chat page, signed in as ``buyer``; the page and its script errors. Embedded: demo sign-in
    (``?buyer=``). Production has no demo sign-in: the page comes with the token a real shop would have put in
    it (signed with the stack's shop secret)."""
    signed_by_route = bool(buyer) and stack.profile == "production"
    # A page Playwright fulfilled has no server address, so Chromium counts it as public and asks permission
    # (Local Network Access) before it reaches Rasa on 127.0.0.1; a page the shop serves needs none.
    page = browser.new_context(locale=language,
                               permissions=["local-network-access"] if signed_by_route else []).new_page()
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    query = f"lang={language}"
    if signed_by_route:
        token = stack.buyer_token(buyer)

        def signed_in(route):
            original = route.fetch()
            route.fulfill(response=original, body=original.text().replace('"buyerToken": null',
                                                                          json.dumps({"buyerToken": token})[1:-1]))

        page.route(f"{stack.shop_url}/shop/chat?*", signed_in)
    elif buyer:
        query += f"&buyer={buyer}"
    page.goto(f"{stack.shop_url}/shop/chat?{query}")
    page.wait_for_selector(".rw-new-message", timeout=TIMEOUT_MS)
    return page, errors


def type_message(page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")
    page.locator(".rw-client", has_text=text).last.wait_for(timeout=TIMEOUT_MS)


def first_bot_text(page) -> str:
    """The bot's first message once it shows (a bubble with the typing dots comes before its text)."""
    page.wait_for_function("() => [...document.querySelectorAll('.rw-response')].some(e => e.innerText.trim())",
                           timeout=TIMEOUT_MS)
    return bot_texts(page)[0]


def bot_texts(page) -> List[str]:
    return [t.strip() for t in page.locator(".rw-response").all_inner_texts() if t.strip()]


def widget_session_key(page) -> str:
    """The session key the server issued to rasa-webchat (kept in the page's session storage)."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")


def widget_conversation_id(page, stack) -> str:
    """The conversation the widget's session belongs to (what the tracker and the console call it)."""
    return stack.web_conversation_id(widget_session_key(page))
