"""Linking a Telegram or WhatsApp chat to the buyer's shop account with the one-time code from the shop's
account page: after that, order journeys work in that chat (actions/identity.py reads the link)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.clients.http import BackendError, NotFound, Refused
from actions.conversation import apologize_backend_down, text_of
from actions.identity import platform_verified

CODE = re.compile(r"(?<![A-Za-z0-9])([A-HJ-NP-Za-hj-np-z2-9]{4})[- ]?([A-HJ-NP-Za-hj-np-z2-9]{4})(?![A-Za-z0-9])")
REFUSALS = {"code_used": "utter_link_code_used", "code_expired": "utter_link_code_expired"}


def link_code_in(tracker: Tracker) -> Optional[str]:
    for text in [*map(str, tracker.get_latest_entity_values("link_code")),
                 text_of(tracker)]:
        match = CODE.search(text)
        if match:
            return f"{match.group(1)}-{match.group(2)}".upper()
    return None


class ActionLinkAccount(Action):
    def name(self) -> Text:
        return "action_link_account"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        channel = tracker.get_latest_input_channel()
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        if not platform_verified(metadata, channel, tracker.sender_id):  # a REST caller naming a chat id is not it
            dispatcher.utter_message(response="utter_link_only_in_messaging_apps")
            return []
        code = link_code_in(tracker)
        if code is None:
            dispatcher.utter_message(response="utter_link_code_invalid")
            return []
        try:
            conversation.marketplace().account_links.redeem(code, channel, tracker.sender_id)
        except NotFound:
            dispatcher.utter_message(response="utter_link_code_invalid")
            return []
        except Refused as refusal:
            dispatcher.utter_message(response=REFUSALS.get(refusal.code, "utter_link_code_invalid"))
            return []
        except BackendError:
            apologize_backend_down(dispatcher, "link_account")
            return []
        dispatcher.utter_message(response="utter_account_linked")
        return []
