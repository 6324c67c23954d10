"""The shop's chat page: what a partner shop embeds, served locally (no CDN).

``GET /shop/chat`` serves ``web/chat.html`` with rasa-webchat's UMD bundle
(installed from the npm registry into ``web/node_modules`` by the set-up). The
page tells the widget where Rasa's socket.io channel is and, for a signed-in
buyer, the shop-signed buyer token; the page's script adds the buyer's language.
With demo sign-in on (``SILKROAD_DEMO_SIGN_IN=1``, as ``scripts/run.sh`` does),
``?buyer=<id>`` signs that buyer in; a real shop signs its own buyers in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from backends.api.errors import NotFound
from backends.identity.shop_tokens import sign_buyer_token
from backends.settings import ROOT

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


@router.get("/chat", summary="The shop's page with the chat widget", response_class=HTMLResponse)
def chat(request: Request, buyer: Optional[str] = Query(None, description="demo sign-in (SILKROAD_DEMO_SIGN_IN=1)")):
    settings = request.app.state.settings
    token = None
    if buyer is not None:
        if not settings.demo_sign_in:
            raise NotFound("demo sign-in is off (SILKROAD_DEMO_SIGN_IN)")
        if not BUYER_ID.match(buyer):
            raise NotFound("no such buyer")
        token = sign_buyer_token(buyer)
    return HTMLResponse(chat_page(settings.rasa_url, token), headers={"Cache-Control": "no-store"})


@router.get("/static/{name}", summary="The page's script, style and widget bundle", include_in_schema=False)
def static(name: str):
    if name not in STATIC_FILES:
        raise NotFound(f"no file {name}")
    path, media_type = STATIC_FILES[name]
    if not path.exists():
        raise NotFound(f"{path.relative_to(ROOT)} is missing: run scripts/setup.sh (npm install in web/)")
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})
