"""The marketplace HTTP API: ``uvicorn backends.api.app:create_app --factory``."""

from __future__ import annotations

import asyncio
from typing import Optional

from fastapi import Depends, FastAPI
from sqlalchemy.orm import sessionmaker

from backends.api import (
    account_link_routes, carrier_routes, catalog_routes, console_escrow_routes, console_routes, currency_routes,
    escrow_routes, import_rules_routes, media_routes, orders_routes, shop_page_routes, support_routes,
)
from backends.api.callers import authenticated_caller
from backends.api.errors import install_error_handlers
from backends.api.security_headers import SecurityHeaders
from backends.api.sign_in_throttle import SignInThrottle
from backends.db import make_engine, make_session_factory
from backends.escrow.service import EscrowService
from backends.settings import Settings, load_settings
from backends.support.business_hours import SupportHours
from backends.support.event_feed import ChangeSignal, feed_for
from backends.support.rasa_conversations import RasaConversations


DESCRIPTION = (
    "Reference catalog, currency, order, logistics and escrow services of Silk Road Assistant.\n\n"
    "Every call but /health needs an X-Api-Key. A key is one kind of caller (assistant, shop, seller_portal, "
    "carrier, payments or scheduler) and may send only that caller's headers: X-Buyer-Id (assistant, shop), "
    "X-Seller-Id (seller_portal), X-Service-Id (a service, naming itself); X-Channel among the kind's channels "
    "(assistant: web, telegram, whatsapp, rest; shop: web, api; seller_portal: api; carrier: carrier; "
    "payments: payments; scheduler: job). Anything else is refused with 403. Each route says which kinds "
    "may call it: catalog, currency and import rules every kind; a buyer's orders the assistant and the shop; "
    "funding an escrow the payments service, a delivery and tracking events the carrier, the automatic "
    "release the scheduler. On the escrow the caller acts as its kind: the buyer it names, its seller, or "
    "itself; every escrow POST carries an Idempotency-Key. Staff never use a key: they act through the "
    "support console's session (/console)."
)


def create_app(settings: Optional[Settings] = None, session_factory: Optional[sessionmaker] = None) -> FastAPI:
    settings = settings or load_settings()
    app = FastAPI(
        title="Silk Road marketplace",
        version="1.0",
        description=DESCRIPTION,
    )
    app.state.settings = settings
    app.state.api_key_digests = settings.api_keys
    app.state.session_factory = session_factory or make_session_factory(
        make_engine(settings.database_url, **settings.engine_options()))
    app.state.escrow = EscrowService(app.state.session_factory, settings.protection_policy)
    app.state.support_hours = SupportHours(settings.support_hours)
    app.state.changes = ChangeSignal()
    app.state.login_throttle = SignInThrottle()
    app.state.rasa = RasaConversations(settings.rasa_api_url, settings.rasa_api_token.get_secret_value(),
                                       settings.rasa_timeout)
    install_error_handlers(app)
    run_event_feed(app, settings)
    app.add_middleware(SecurityHeaders, rasa_url=settings.rasa_url)
    for router in (catalog_routes.router, currency_routes.router, import_rules_routes.router, orders_routes.router,
                   escrow_routes.router, carrier_routes.router, account_link_routes.router, support_routes.router):
        app.include_router(router, dependencies=[Depends(authenticated_caller)])  # each says which kinds may call
    app.include_router(media_routes.router)  # images load in the buyer's browser: no key
    app.include_router(shop_page_routes.router)  # the shop's chat page: a browser, no key
    app.include_router(console_routes.router)  # the support console: staff sign in
    app.include_router(console_escrow_routes.router)

    @app.get("/health", tags=["health"], summary="Liveness")
    def health():
        return {"status": "ok"}

    return app


def run_event_feed(app: FastAPI, settings: Settings) -> None:
    """The console's feed of Rasa's events runs beside the API while it serves (SILKROAD_RASA_EVENTS)."""
    feed = feed_for(settings.rasa_events, app.state.session_factory, app.state.changes)
    if feed is None:
        return

    @app.on_event("startup")
    async def start_feed() -> None:
        app.state.event_feed_task = asyncio.create_task(feed.run())

    @app.on_event("shutdown")
    async def stop_feed() -> None:
        app.state.event_feed_task.cancel()
        try:
            await app.state.event_feed_task
        except asyncio.CancelledError:
            pass
        feed.close()
