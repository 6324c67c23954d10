"""The shop's chat page: what a partner shop embeds, served locally (no CDN).

``GET /shop/chat`` serves ``web/chat.html`` with rasa-webchat's UMD bundle
(installed from the npm registry into ``web/node_modules`` by the set-up). The
page tells the widget where Rasa's socket.io channel is and, for a signed-in
buyer, the shop-signed buyer token; the page's script adds the buyer's language.
With demo sign-in on (``SILKROAD_DEMO_SIGN_IN=1``, as ``scripts/run.sh`` does),
``?buyer=<id>`` signs that buyer in; a real shop signs its own buyers in.

``GET /shop/account`` is the account page's part about the messaging apps: a
one-time link code for the signed-in buyer, with a Telegram deep link
(``t.me/<bot>?start=<code>``) and a WhatsApp link with the code typed in, when
the shop names its bot and number.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from backends.api.dependencies import buyer_by_external_id
from backends.api.errors import NotFound
from backends.db import run_transaction
from backends.identity import account_links
from backends.models.base import utc_now
from backends.settings import ROOT
from common.buyer_tokens import sign_buyer_token

WEB = ROOT / "web"
WIDGET_BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
STATIC_FILES = {
    "webchat.js": (WIDGET_BUNDLE, "application/javascript"),
    "chat.js": (WEB / "static" / "chat.js", "application/javascript"),
    "chat.css": (WEB / "static" / "chat.css", "text/css"),
}
BUYER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")

router = APIRouter(prefix="/shop", tags=["shop page"])


def chat_page(socket_url: str, buyer_token: Optional[str]) -> str:
    config = json.dumps({"socketUrl": socket_url, "buyerToken": buyer_token})
    # Inside <script type="application/json">: no "</" may end the element early.
    return (WEB / "chat.html").read_text(encoding="utf-8").replace("__CHAT_CONFIG__", config.replace("</", "<\\/"))


def demo_buyer(request: Request, buyer: str) -> str:
    """The buyer id a demo sign-in may use; 404 when demo sign-in is off or the id is malformed."""
    if not request.app.state.settings.demo_sign_in:
        raise NotFound("demo sign-in is off (SILKROAD_DEMO_SIGN_IN)")
    if not BUYER_ID.match(buyer):
        raise NotFound("no such buyer")
    return buyer


@router.get("/chat", summary="The shop's page with the chat widget", response_class=HTMLResponse)
def chat(request: Request, buyer: Optional[str] = Query(None, description="demo sign-in (SILKROAD_DEMO_SIGN_IN=1)")):
    secret = request.app.state.settings.shop_token_secret.get_secret_value()
    token = sign_buyer_token(demo_buyer(request, buyer), secret) if buyer is not None else None
    return HTMLResponse(chat_page(request.app.state.settings.rasa_url, token), headers={"Cache-Control": "no-store"})


ACCOUNT_TEXTS = {
    "en": {"title": "Chat with us on Telegram or WhatsApp",
           "explain": "Send this code to our assistant to link your messaging account with your shop account:",
           "expires": "The code works once, for 10 minutes.", "telegram": "Open in Telegram",
           "whatsapp": "Open in WhatsApp"},
    "zh": {"title": "在 Telegram 或 WhatsApp 上与我们聊天",
           "explain": "将此绑定码发送给我们的助手，即可将您的聊天账号与商城账号绑定：",
           "expires": "此绑定码只能使用一次，10 分钟内有效。", "telegram": "在 Telegram 中打开",
           "whatsapp": "在 WhatsApp 中打开"},
    "ru": {"title": "Пишите нам в Telegram или WhatsApp",
           "explain": "Отправьте этот код нашему ассистенту, чтобы привязать мессенджер к аккаунту магазина:",
           "expires": "Код действует один раз, 10 минут.", "telegram": "Открыть в Telegram",
           "whatsapp": "Открыть в WhatsApp"},
    "ar": {"title": "تحدث معنا عبر تيليجرام أو واتساب",
           "explain": "أرسل هذا الرمز إلى مساعدنا لربط حساب المراسلة بحسابك في المتجر:",
           "expires": "يعمل الرمز مرة واحدة ولمدة 10 دقائق.", "telegram": "افتح في تيليجرام",
           "whatsapp": "افتح في واتساب"},
}


@router.get("/account", summary="The account page's link code for the messaging apps", response_class=HTMLResponse)
def account(request: Request, buyer: str = Query(..., description="demo sign-in (SILKROAD_DEMO_SIGN_IN=1)"),
            lang: str = Query("en", max_length=8)):
    buyer_id = demo_buyer(request, buyer)
    settings = request.app.state.settings

    def issue(session):
        found = buyer_by_external_id(session, buyer_id)
        if found is None:
            raise NotFound("no such buyer")
        return account_links.issue_code(session, found.id, utc_now())

    code, _ = run_transaction(request.app.state.session_factory, issue)
    primary = lang[:2].lower()
    language = primary if primary in ACCOUNT_TEXTS else "en"
    texts = ACCOUNT_TEXTS[language]
    links = []
    if settings.telegram_bot_username:
        links.append((f"https://t.me/{quote(settings.telegram_bot_username)}?start={quote(code)}", texts["telegram"]))
    if settings.whatsapp_number:
        links.append((f"https://wa.me/{quote(settings.whatsapp_number)}?text={quote(code)}", texts["whatsapp"]))
    page = (WEB / "account.html").read_text(encoding="utf-8")
    for key, value in (("__LANG__", language), ("__DIR__", "rtl" if language == "ar" else "ltr"),
                       ("__TITLE__", escape(texts["title"])), ("__EXPLAIN__", escape(texts["explain"])),
                       ("__CODE__", escape(code)), ("__EXPIRES__", escape(texts["expires"])),
                       ("__LINKS__", "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>'
                                             for url, label in links))):
        page = page.replace(key, value)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/static/{name}", summary="The page's script, style and widget bundle", include_in_schema=False)
def static(name: str):
    if name not in STATIC_FILES:
        raise NotFound(f"no file {name}")
    path, media_type = STATIC_FILES[name]
    if not path.exists():
        raise NotFound(f"{path.relative_to(ROOT)} is missing: run scripts/setup.sh (npm install in web/)")
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})
