"""Currency conversion at the backends' rates (an amount a buyer names in their own currency, turned into the
order's)."""

from __future__ import annotations

from actions.clients.http import BackendHttp
from actions.clients.money import Money


class CurrencyClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def convert(self, amount: Money, target: str) -> Money:
        """``amount`` in ``target`` at the latest rates (the same amount when the currencies are the same)."""
        if amount.currency == target:
            return amount
        body = self.http.get("/v1/currency/convert", params={"amount_minor": amount.amount_minor,
                                                             "from": amount.currency, "to": target})
        return Money.parse(body["result"])
