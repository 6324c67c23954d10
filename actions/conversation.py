"""What every journey action needs: the buyer's language, the verified buyer, the backends, and the
polite failure path."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.marketplace import Marketplace
from actions.identity import Identity, identify
from actions.localization import LANGUAGES

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def marketplace() -> Marketplace:
    """One set of clients (one HTTP connection pool) per action-server process."""
    return Marketplace()


def language_of(tracker: Tracker) -> str:
    language = tracker.get_slot("language")
    return language if language in LANGUAGES else "en"


def entity_of(tracker: Tracker, name: str) -> Optional[str]:
    """The first value of an entity in the latest message (canonical, after the synonym mapper)."""
    value = next(iter(tracker.get_latest_entity_values(name)), None)
    return str(value) if value else None


def intent_of(tracker: Tracker) -> Optional[str]:
    """The intent of the latest message as NLU (or a button's payload) gave it."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def buyer_of(tracker: Tracker) -> Optional[Identity]:
    """The verified buyer behind the latest message (raises BackendUnavailable if that cannot be checked)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return identify(metadata, tracker.get_latest_input_channel(), tracker.sender_id,
                    marketplace().account_links)


def channel_of(tracker: Tracker) -> str:
    """The channel as the escrow's audit trail names it."""
    channel = tracker.get_latest_input_channel()
    return {"socketio": "web", "telegram": "telegram", "whatsapp": "whatsapp"}.get(channel, "rest")


def apologize_backend_down(dispatcher: CollectingDispatcher, what: str) -> None:
    log.warning("backend unavailable during %s", what)
    dispatcher.utter_message(response="utter_backend_unavailable")
