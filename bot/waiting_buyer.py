"""A buyer who writes while their conversation waits for a person.

Rasa stays silent on a paused conversation: the buyer's messages reach the support console, nothing answers
them. Until a person replies, that reads as a dead chat ("hello? anyone?"). So the first message after the
handoff gets one notice that a person will answer (with the buyer's place in the queue, from the action
``action_waiting_notice``), and later messages get another only when ``waiting_reminder_hours`` have passed
since the last notice. Once an agent has written in the conversation, the bot says nothing more: the person
is there. ``bot/rasa_patches.py`` calls ``should_notify`` from Rasa's message loop for paused conversations.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

WAITING_NOTICE_ACTION = "action_waiting_notice"
# What the handoff and the notices say: that a person will answer, and where the buyer stands.
HANDOFF_RESPONSES = frozenset({"utter_handoff_queued", "utter_handoff_after_hours", "utter_handoff_unqueued"})
NOTICE_RESPONSES = frozenset({"utter_handoff_still_waiting", "utter_handoff_still_waiting_after_hours"})


def should_notify(events: Sequence[Any], now: float, remind_after_seconds: float) -> bool:
    """Whether the buyer's latest message, in a paused conversation, gets a notice: none since the handoff,
    or the last one said at least ``remind_after_seconds`` ago; never once an agent has written."""
    last_said: Optional[float] = None
    noticed = False
    for event in reversed(events):
        kind = getattr(event, "type_name", None)
        if kind == "bot":
            metadata = getattr(event, "metadata", None) or {}
            if metadata.get("agent"):
                return False
            name = metadata.get("utter_action")
            if name in NOTICE_RESPONSES or name in HANDOFF_RESPONSES:
                if last_said is None:  # the latest thing the buyer was told
                    last_said = getattr(event, "timestamp", None)
                if name in HANDOFF_RESPONSES:
                    break
                noticed = True
        elif kind == "resume":
            return False  # handed back: not waiting (a new pause comes with a new handoff)
    if not noticed:
        return True
    return last_said is None or now - float(last_said) >= remind_after_seconds
