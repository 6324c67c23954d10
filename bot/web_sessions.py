"""The web widget's sessions: the server issues them, and knowing a conversation's id is not enough to join it.

rasa-webchat keeps whatever ``session_id`` the server confirms (in the page's session storage) and sends it
back when it reconnects. Rasa's socket.io channel confirms any id the client proposes and names the
conversation, and the socket.io room its answers go to, after it: anyone who learnt a conversation id (from a
screenshot, the console, a log) could join the room and read the buyer's answers. Here the server issues a
session key (random, with a MAC so that a key it did not issue is refused) and the conversation id is derived
from the key with a keyed hash: the id cannot be turned back into the key, and a proposed id that is not a key
the server issued gets a new session.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Optional

from common.sender_proof import derived_key

CONVERSATION_PREFIX = "web-"
_KEY = re.compile(r"^([A-Za-z0-9_-]{32})\.([0-9a-f]{32})$")


@dataclass(frozen=True)
class WebSession:
    key: str  # the browser's secret: only it may resume the session
    conversation_id: str  # the tracker's sender id and the socket.io room


class WebSessions:
    def __init__(self, secret: str) -> None:
        self._mac_key = derived_key(secret, "web-session-key")
        self._conversation_key = derived_key(secret, "web-conversation-id")

    def _mac(self, nonce: str) -> str:
        return hmac.new(self._mac_key, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def _session(self, nonce: str) -> WebSession:
        conversation = hmac.new(self._conversation_key, nonce.encode(), hashlib.sha256).hexdigest()[:32]
        return WebSession(f"{nonce}.{self._mac(nonce)}", CONVERSATION_PREFIX + conversation)

    def new(self) -> WebSession:
        return self._session(secrets.token_urlsafe(24))

    def resume(self, key: Any) -> Optional[WebSession]:
        """The session of a key this server issued; None for anything else (a conversation id, a guess)."""
        match = _KEY.match(key) if isinstance(key, str) else None
        if match is None or not hmac.compare_digest(match.group(2), self._mac(match.group(1))):
            return None
        return self._session(match.group(1))
