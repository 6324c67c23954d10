"""The channels' own notices (a message too long, a sender too fast): domain responses, read in the buyer's
language from the model's domain, since a message refused at the door starts no turn of the dialogue."""

from __future__ import annotations

from typing import Any, Optional

MESSAGE_TOO_LONG = "utter_message_too_long"
SLOW_DOWN = "utter_slow_down"


def notice_text(domain: Any, response: str, language: Optional[str]) -> Optional[str]:
    """The response's text for ``language`` (the default variation when it has none); None without a domain."""
    variations = (getattr(domain, "responses", None) or {}).get(response) or []
    default = None
    for variation in variations:
        conditions = variation.get("condition") or []
        if not conditions:
            default = default or variation.get("text")
        elif any(c.get("name") == "language" and c.get("value") == language for c in conditions):
            return variation.get("text")
    return default
