"""One object the actions hold: every backend client over one HTTP session."""

from __future__ import annotations

from typing import Optional

from actions.clients.account_links import AccountLinksClient
from actions.clients.catalog import CatalogClient
from actions.clients.currency import CurrencyClient
from actions.clients.escrow import EscrowClient
from actions.clients.http import BackendConfig, BackendHttp
from actions.clients.import_rules import ImportRulesClient
from actions.clients.orders import OrdersClient
from actions.clients.support import SupportClient


class Marketplace:
    def __init__(self, config: Optional[BackendConfig] = None):
        http = BackendHttp(config)
        self.catalog = CatalogClient(http)
        self.orders = OrdersClient(http)
        self.escrow = EscrowClient(http)
        self.import_rules = ImportRulesClient(http)
        self.account_links = AccountLinksClient(http)
        self.support = SupportClient(http)
        self.currency = CurrencyClient(http)
