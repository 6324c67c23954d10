"""What the console asks of Rasa's HTTP API: deliver an agent's words through the buyer's own channel (a
``bot`` event appended with ``output_channel=latest`` and side effects: Rasa sends it on the channel the
buyer last wrote from), pause a conversation an agent takes over, and hand it back (``resume``, then the
bot's own response in the buyer's language)."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

HANDED_BACK = "utter_handed_back"
CLOSED = "utter_chat_closed"
SURVEY = "utter_csat_survey"


class RasaUnavailable(Exception):
    """Rasa did not take the call (down, timed out, or refused it): nothing was delivered."""


class RasaConversations:
    def __init__(self, base_url: str, token: str = "", timeout: float = 10.0,
                 session: Optional[requests.Session] = None):
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout
        self.http = session or requests.Session()

    def _post(self, conversation_id: str, path: str, body: Any, params: Optional[Dict[str, str]] = None) -> Any:
        url = f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"
        params = {**(params or {}), **({"token": self.token} if self.token else {})}
        try:
            response = self.http.post(url, json=body, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise RasaUnavailable(f"Rasa did not answer ({error.__class__.__name__})") from error
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa refused the call: {response.status_code} {response.text[:200]}")
        return response.json() if response.content else None

    def _append(self, conversation_id: str, events: List[Dict[str, Any]], deliver: bool = False) -> None:
        params = {"output_channel": "latest", "execute_side_effects": "true"} if deliver else {}
        self._post(conversation_id, "tracker/events", events, params)

    def send_agent_text(self, conversation_id: str, text: str, agent_name: str) -> None:
        """The agent's message, sent to the buyer on their channel and kept in the conversation."""
        self._append(conversation_id, [{"event": "bot", "text": text, "timestamp": time.time(),
                                        "metadata": {"agent": agent_name}}], deliver=True)

    def pause(self, conversation_id: str) -> None:
        self._append(conversation_id, [{"event": "pause", "timestamp": time.time()}])

    def resume(self, conversation_id: str, responses: List[str]) -> None:
        """The bot answers again: it says ``responses`` (in the buyer's language) and listens."""
        self._append(conversation_id, [{"event": "resume", "timestamp": time.time()},
                                       {"event": "slot", "name": "handoff_reason", "value": None}])
        for response in responses:
            self._post(conversation_id, "execute", {"name": response}, {"output_channel": "latest"})
        # The next message is then read as an answer to the bot, as after any of its turns.
        self._append(conversation_id, [{"event": "action", "name": "action_listen", "timestamp": time.time()}])
