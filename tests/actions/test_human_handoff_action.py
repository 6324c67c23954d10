"""Journey 7's actions against the real backends: the reason a person is needed, the queue place told to the
buyer (or the apology when the support desk is away, still handing over), the session start that keeps a
handoff paused, and the survey after a finished journey."""

from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker

from actions import conversation
from actions.clients.http import BackendConfig
from actions.clients.marketplace import Marketplace
from actions.clients.support import QueuePlace
from actions.human_handoff import ActionHumanHandoff, reason_of
from actions.session_start import ActionSessionStart
from actions.survey import ActionOfferSurvey
from tests.buyer_tokens import sign_buyer_token
from tests.actions.action_harness import run_with_events, slots_set, tracker_for


def after_bot_said(response, text="yes, a person please", intent="human_handoff", **kwargs):
    """A tracker whose latest message answers the bot's ``response``."""
    tracker = tracker_for(text, intent, **kwargs)
    said = {"event": "bot", "text": "…", "metadata": {"utter_action": response}}
    tracker.events = [{"event": "user", "text": "earlier"}, said] + tracker.events
    return tracker


@pytest.mark.parametrize("response,reason", [
    ("utter_default", "repeated_fallback"),
    ("utter_backend_unavailable", "backend_failure"),
    ("utter_form_offer_human", "form_trouble"),
    ("utter_dispute_opened", "dispute_escalation"),
    ("utter_order_under_dispute", "dispute_escalation"),
    ("utter_greet", "buyer_request"),
])
def test_the_reason_is_the_offer_the_buyer_took(response, reason):
    assert reason_of(after_bot_said(response)) == reason


def test_an_offer_from_an_earlier_turn_is_not_the_reason():
    tracker = after_bot_said("utter_backend_unavailable")
    tracker.events = tracker.events[:2] + [{"event": "user", "text": "thanks"}, {"event": "bot", "text": "ok"}] \
        + tracker.events[2:]
    assert reason_of(tracker) == "buyer_request"


def test_trouble_with_a_form_and_a_third_fallback():
    in_form = tracker_for("a person", "human_handoff", slots={"form_failures": 2.0}, active_loop="dispute_form")
    assert reason_of(in_form) == "form_trouble"
    assert reason_of(tracker_for("sdfkjh", "nlu_fallback")) == "repeated_fallback"


def test_the_buyer_learns_their_place_and_the_desk_knows_who_and_what(using):
    tracker = tracker_for("I need a person about SR-204517", "human_handoff", sender="conv-place",
                          metadata={"buyer_token": sign_buyer_token("buyer-sa-noura")}, channel="socketio",
                          language="ar", slots={"order_number": "SR-204517"})
    messages, events = run_with_events(ActionHumanHandoff(), tracker)
    assert messages[0]["response"] == "utter_handoff_queued" and int(messages[0]["queue_position"]) >= 1
    assert events[-1]["event"] == "pause"
    again = using.support.request_handoff("conv-place", "web", "ar", "buyer_request")
    assert str(again.queue_position) == messages[0]["queue_position"]  # the same handoff, the same place


def test_after_hours_the_buyer_learns_when_the_team_is_back(using, monkeypatch):
    opens = datetime(2026, 12, 7, 6, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(using.support, "request_handoff", lambda *args, **kwargs: QueuePlace(7, 3, False, opens))
    messages, _ = run_with_events(ActionHumanHandoff(), tracker_for("operator", "human_handoff"))
    assert messages == [{**messages[0], "response": "utter_handoff_after_hours", "queue_position": "3",
                         "opens_at": "2026-12-07 06:00"}]


def test_when_the_desk_is_away_the_buyer_is_still_handed_over(monkeypatch):
    away = Marketplace(BackendConfig(base_url="http://127.0.0.1:9", attempts=1, connect_timeout=0.5))
    monkeypatch.setattr(conversation, "marketplace", lambda: away)
    messages, events = run_with_events(ActionHumanHandoff(), tracker_for("operator", "human_handoff"))
    assert [m["response"] for m in messages] == ["utter_handoff_unqueued"]
    assert events[-1]["event"] == "pause" and slots_set(events)["handoff_reason"] == "buyer_request"


def paused_tracker(paused, slots):
    return Tracker("c", slots, {}, [], paused, None, {}, "action_listen")


def test_a_new_session_during_a_handoff_stays_paused_and_keeps_the_slots():
    _, events = run_with_events(ActionSessionStart(), paused_tracker(
        True, {"language": "ru", "handoff_reason": "buyer_request", "csat_offered": True, "order_number": None}))
    kinds = [e["event"] for e in events]
    assert kinds[0] == "session_started" and kinds[-2:] == ["pause", "action"] and events[-1]["name"] == \
        "action_listen"
    assert slots_set(events) == {"language": "ru", "handoff_reason": "buyer_request"}  # the survey is asked anew


def test_a_new_session_without_a_handoff_is_not_paused():
    _, events = run_with_events(ActionSessionStart(), paused_tracker(False, {"language": "zh"}))
    assert "pause" not in [e["event"] for e in events]


def survey_tracker(actions, offered=None):
    tracker = tracker_for("thanks", "thank", slots={"csat_offered": offered})
    tracker.events = [{"event": "session_started"}] + [{"event": "action", "name": a} for a in actions] \
        + tracker.events
    return tracker


def test_the_survey_follows_a_finished_journey_once_per_session():
    messages, events = run_with_events(ActionOfferSurvey(), survey_tracker(["action_track_order"]))
    assert [m["response"] for m in messages] == ["utter_csat_survey"] and slots_set(events) == {"csat_offered": True}
    assert run_with_events(ActionOfferSurvey(), survey_tracker(["action_track_order"], offered=True)) == ([], [])
    assert run_with_events(ActionOfferSurvey(), survey_tracker(["utter_greet"])) == ([], [])
