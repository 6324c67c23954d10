"""The support desk: a conversation handed to a person is put in the queue, and the buyer learns their place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from actions.clients.http import BackendHttp


@dataclass(frozen=True)
class QueuePlace:
    """Where a handed-off conversation stands: its place in the queue and whether the team is at work now."""

    handoff_id: int
    queue_position: int
    team_at_work: bool
    opens_at: Optional[datetime]  # UTC; the team's next opening when it is not at work


class SupportClient:
    def __init__(self, http: BackendHttp):
        self.http = http

    def request_handoff(self, conversation_id: str, channel: str, language: str, reason: str,
                        buyer_id: Optional[str] = None, order_number: Optional[str] = None) -> QueuePlace:
        """Puts the conversation in the support queue (once: asking again returns the same place)."""
        body = {"conversation_id": conversation_id, "channel": channel, "language": language, "reason": reason,
                "buyer_id": buyer_id, "order_number": order_number}
        place = self.http.post("/v1/support/handoffs", body)
        opens_at = place.get("opens_at")
        return QueuePlace(handoff_id=int(place["id"]), queue_position=int(place["queue_position"]),
                          team_at_work=bool(place["team_at_work"]),
                          opens_at=datetime.fromisoformat(opens_at) if opens_at else None)
