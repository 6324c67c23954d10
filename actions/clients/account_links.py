"""Which buyer a Telegram or WhatsApp account acts for, once linked with a one-time code."""

from __future__ import annotations

from typing import Optional

from actions.clients.http import BackendHttp, NotFound, Refused


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

    def redeem(self, code: str, channel: str, channel_user_id: str) -> str:
        """Links the messaging account with a one-time code; the buyer id it now acts for.

        Raises NotFound for a wrong code and Refused (code_used, code_expired) for a spent one. A retried
        call whose first attempt went through finds the code used and the account already linked: that is
        a success."""
        body = {"code": code, "channel": channel, "channel_user_id": channel_user_id}
        try:
            return self.http.post("/v1/account-links/redeem", body)["buyer"]["external_id"]
        except Refused as refusal:
            linked = self.linked_buyer(channel, channel_user_id) if refusal.code == "code_used" else None
            if linked is None:
                raise
            return linked

