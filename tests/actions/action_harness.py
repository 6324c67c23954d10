"""Run one custom action the way the action server would, and read what it said."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


MESSAGING_CHANNELS = ("telegram", "whatsapp")


def as_the_channel_stores_it(metadata: Optional[Dict[str, Any]], channel: str, sender: str) -> Dict[str, Any]:
    """The metadata as the channel's gate passes it on (bot/message_gate.py): a buyer token verified and
    replaced by the channel's signed proof; Telegram and WhatsApp messages proved to come from the platform."""
    from bot.message_gate import MessageGate
    from bot.settings import RasaSettings

    gate = MessageGate(channel, RasaSettings())
    return gate.with_sender_proof(sender, dict(metadata or {}), platform_verified=channel in MESSAGING_CHANNELS)


def tracker_for(text: str, intent: str, entities: Optional[List[Dict[str, Any]]] = None,
                metadata: Optional[Dict[str, Any]] = None, language: str = "en", channel: str = "rest",
                sender: str = "tester", slots: Optional[Dict[str, Any]] = None,
                active_loop: Optional[str] = None, raw_metadata: bool = False) -> Tracker:
    """A tracker whose latest message came through ``channel`` from ``sender``, with ``metadata`` as that
    channel passes it on (``raw_metadata``: exactly as given, as a forged tracker would hold it)."""
    if not raw_metadata:
        metadata = as_the_channel_stores_it(metadata, channel, sender)
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or [],
              "metadata": metadata or {}}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel,
               "metadata": metadata or {}}]
    return Tracker(sender, {"language": language, **(slots or {})}, latest, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def slots_set(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def run(action, tracker: Tracker) -> List[Dict[str, Any]]:
    """What the action said."""
    return run_with_events(action, tracker)[0]


def run_with_events(action, tracker: Tracker, domain: Optional[Dict[str, Any]] = None):
    """(what the action said, the events it returned); form validation actions run as the SDK runs them."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, domain or {})
    if inspect.isawaitable(events):
        events = asyncio.run(events)
    return dispatcher.messages, events
