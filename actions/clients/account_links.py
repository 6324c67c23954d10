"""Which buyer a Telegram or WhatsApp account acts for, once linked with a one-time code."""

from __future__ import annotations

from typing import Optional

from actions.clients.http import BackendHttp, NotFound


class AccountLinksClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def linked_buyer(self, channel: str, channel_user_id: str) -> Optional[str]:
        """The shop's buyer id linked to this messaging account, or None if it is not linked."""
        try:
            link = self.http.get(f"/v1/account-links/{channel}/{channel_user_id}")
        except NotFound:
            return None
        return link["buyer"]["external_id"]
