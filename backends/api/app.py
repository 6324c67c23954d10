"""The marketplace HTTP API: ``uvicorn backends.api.app:create_app --factory``."""

from __future__ import annotations

from typing import Optional

from fastapi import Depends, FastAPI
from sqlalchemy.orm import sessionmaker

from backends.api import (
    account_link_routes, carrier_routes, catalog_routes, currency_routes, escrow_routes, import_rules_routes,
    media_routes, orders_routes, shop_page_routes,
)
from backends.api.dependencies import require_api_key
from backends.api.errors import install_error_handlers
from backends.db import make_engine, make_session_factory
from backends.escrow.service import EscrowService
from backends.settings import Settings, load_settings


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
    app.state.session_factory = session_factory or make_session_factory(make_engine(settings.database_url))
    app.state.escrow = EscrowService(app.state.session_factory, settings.protection_policy)
    install_error_handlers(app)
    protected = [Depends(require_api_key)]
    app.include_router(catalog_routes.router, dependencies=protected)
    app.include_router(currency_routes.router, dependencies=protected)
    app.include_router(orders_routes.router, dependencies=protected)
    app.include_router(escrow_routes.router, dependencies=protected)
    app.include_router(carrier_routes.router, dependencies=protected)
    app.include_router(import_rules_routes.router, dependencies=protected)
    app.include_router(account_link_routes.router, dependencies=protected)
    app.include_router(media_routes.router)  # images load in the buyer's browser: no key
    app.include_router(shop_page_routes.router)  # the shop's chat page: a browser, no key

    @app.get("/health", tags=["health"], summary="Liveness")
    def health():
        return {"status": "ok"}

    return app
