"""The marketplace HTTP API: ``uvicorn backends.api.app:create_app --factory``."""

from __future__ import annotations

import asyncio
from typing import Optional

from fastapi import Depends, FastAPI
from sqlalchemy.orm import sessionmaker

from backends.api import (
    account_link_routes, carrier_routes, catalog_routes, console_routes, currency_routes, escrow_routes,
    import_rules_routes, media_routes, orders_routes, shop_page_routes, support_routes,
)
from backends.api.dependencies import require_api_key
from backends.api.errors import install_error_handlers
from backends.db import make_engine, make_session_factory
from backends.escrow.service import EscrowService
from backends.settings import Settings, load_settings
from backends.support.business_hours import SupportHours
from backends.support.event_feed import ChangeSignal, feed_for
from backends.support.rasa_conversations import RasaConversations


def create_app(settings: Optional[Settings] = None, session_factory: Optional[sessionmaker] = None) -> FastAPI:
    settings = settings or load_settings()
    app = FastAPI(
        title="Silk Road marketplace",
        version="1.0",
        description="Reference catalog, currency, order and logistics services of Silk Road Assistant. "
        "Every call but /health needs an X-Api-Key; calls on a buyer's data also an X-Buyer-Id. "
        "Escrow calls name their caller (X-Buyer-Id, X-Seller-Id, X-Staff-Id or X-Service-Id) and channel "
        "(X-Channel); every escrow POST carries an Idempotency-Key.",
    )
    app.state.settings = settings
    app.state.session_factory = session_factory or make_session_factory(
        make_engine(settings.database_url, **settings.engine_options()))
    app.state.escrow = EscrowService(app.state.session_factory, settings.protection_policy)
    app.state.support_hours = SupportHours(settings.support_hours)
    app.state.changes = ChangeSignal()
    app.state.login_throttle = console_routes.LoginThrottle()
    app.state.rasa = RasaConversations(settings.rasa_api_url, settings.rasa_api_token.get_secret_value(),
                                       settings.rasa_timeout)
    install_error_handlers(app)
    run_event_feed(app, settings)
    protected = [Depends(require_api_key)]
    app.include_router(catalog_routes.router, dependencies=protected)
    app.include_router(currency_routes.router, dependencies=protected)
    app.include_router(orders_routes.router, dependencies=protected)
    app.include_router(escrow_routes.router, dependencies=protected)
    app.include_router(carrier_routes.router, dependencies=protected)
    app.include_router(import_rules_routes.router, dependencies=protected)
    app.include_router(account_link_routes.router, dependencies=protected)
    app.include_router(media_routes.router)  # images load in the buyer's browser: no key
    app.include_router(support_routes.router, dependencies=protected)
    app.include_router(shop_page_routes.router)  # the shop's chat page: a browser, no key
    app.include_router(console_routes.router)  # the support console: staff sign in

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
