"""Rasa conversation events written the way Rasa's event broker publishes them, for the support desk's tests."""

from datetime import datetime, timedelta, timezone

from backends.db import run_transaction
from backends.support.projection import apply_event

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


class Conversation:
    """Writes a conversation's events the way Rasa's broker publishes them."""

    def __init__(self, sessions, sender, start=DAY, channel="socketio"):
        self.sessions, self.sender, self.clock, self.channel, self.n = sessions, sender, start, channel, 0

    def _apply(self, event):
        self.n += 1
        self.clock += timedelta(seconds=5)
        event = {"sender_id": self.sender, "timestamp": self.clock.timestamp(), **event}
        key = f"test:{self.sender}:{self.n}"
        return run_transaction(self.sessions, lambda s: apply_event(s, key, event))

    def start(self):
        self._apply({"event": "action", "name": "action_session_start"})
        self._apply({"event": "session_started"})
        self._apply({"event": "action", "name": "action_listen"})
        return self

    def user(self, text, intent, confidence=0.97, entities=()):
        self._apply({"event": "user", "text": text, "input_channel": self.channel,
                     "parse_data": {"intent": {"name": intent, "confidence": confidence},
                                    "entities": [{"entity": e, "value": v} for e, v in entities]}})
        return self

    def bot(self, text, response=None, agent=None):
        metadata = {"utter_action": response} if response else {}
        if agent:
            metadata = {"agent": agent}
        self._apply({"event": "bot", "text": text, "data": {}, "metadata": metadata})
        return self

    def slot(self, name, value):
        self._apply({"event": "slot", "name": name, "value": value})
        return self

    def event(self, kind):
        self._apply({"event": kind})
        return self
