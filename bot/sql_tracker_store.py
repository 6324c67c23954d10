"""Rasa's SQL tracker store, saving a turn with one read instead of a whole tracker's.

Rasa 3.6.21's ``SQLTrackerStore.save`` first streams the turn's new events to the event broker, and finds them
by reading the conversation's tracker back from the database (every event since the session started, each
one turned back into an ``Event``), then counts the stored events of the same session in a second query to
know which ones to insert. In the production profile that re-read was a sixth of a Rasa worker's CPU time per
turn (``py-spy`` on a worker under a serial load, 2026-12-06).

Here the count is made once, in the transaction that inserts: the events after it are the new ones, they
are inserted, committed, and then published (the same events, in the same order, as Rasa's difference of
the stored and the current tracker). They are published after the commit, so a consumer that reacts to an
event (the support console reads the tracker) finds it stored. Everything else (tables, retrieval, the
schema setting) is Rasa's.

endpoints.yml::

    tracker_store:
      type: bot.sql_tracker_store.SingleReadSQLTrackerStore
      dialect: postgresql
      url: 127.0.0.1
      ...
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any, List

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)


class SingleReadSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``save`` reads only how many events are stored (see the module's doc)."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            new_events = new_events_of(stored, tracker)
            session.add_all([self._row(tracker.sender_id, event) for event in new_events])
            session.commit()
        if self.event_broker is not None and new_events:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)

    def _row(self, sender_id: str, event: Event) -> Any:
        """The row Rasa's ``save`` writes for ``event``."""
        data = event.as_dict()
        return self.SQLEvent(sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                             intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                             action_name=data.get("name"), data=json.dumps(data))


def new_events_of(stored: int, tracker: DialogueStateTracker) -> List[Event]:
    """The tracker's events after the first ``stored`` ones."""
    return list(itertools.islice(tracker.events, stored, len(tracker.events)))
