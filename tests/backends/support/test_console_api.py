"""The handoff flow through the support desk's API: the bot queues a conversation and learns its place, an
agent signs in, takes it, replies (Rasa delivers), hands it back or closes it; others cannot interfere."""

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backends.db import session_scope
from backends.models import Buyer, Order
from backends.seed.demo_escrow import load_demo_escrow
from backends.seed.demo_orders import load_demo_orders
from backends.support.staff import save_agent
from tests.backends.support.conftest import ASSISTANT, PASSWORDS, desk_client, queue_for_a_person, sign_in
from tests.backends.support.rasa_events import Conversation


def test_the_queue_place_counts_the_conversations_waiting_ahead(desk):
    first = queue_for_a_person(desk, "c-1")
    second = queue_for_a_person(desk, "c-2", reason="backend_failure", buyer_id="buyer-sa-noura")
    assert (first["queue_position"], second["queue_position"]) == (1, 2)
    assert first["team_at_work"] is True and first["opens_at"] is None
    again = queue_for_a_person(desk, "c-2", order_number="SR-204517")
    assert again["id"] == second["id"] and again["queue_position"] == 2  # asked again: the same place


def test_after_hours_the_bot_learns_when_the_team_is_back(desk_sessions, database_url, fake_rasa):
    with desk_client(desk_sessions, database_url, fake_rasa.url, hours="Mon 00:00-00:01") as client:
        place = queue_for_a_person(client, "c-night")
    assert place["team_at_work"] is False
    opens = datetime.fromisoformat(place["opens_at"])
    assert opens.weekday() == 0 and (opens.hour, opens.minute) == (0, 0)


@pytest.mark.parametrize("change", [{"reason": "because"}, {"channel": "fax"}, {"conversation_id": ""}])
def test_a_malformed_handoff_request_is_refused_and_queues_nothing(desk, change):
    body = {"conversation_id": "c-bad", "channel": "web", "language": "en", "reason": "buyer_request", **change}
    answer = desk.post("/v1/support/handoffs", json=body, headers=ASSISTANT)
    assert answer.status_code in (400, 422) and answer.json()["message"]
    sign_in(desk, "amina")
    assert desk.get("/console/api/queue").json()["waiting"] == []


def test_the_bot_side_needs_the_api_key(desk):
    body = {"conversation_id": "c", "channel": "web", "language": "en", "reason": "buyer_request"}
    assert desk.post("/v1/support/handoffs", json=body).status_code == 401


def test_the_console_needs_a_signed_in_agent(desk):
    for path in ("/console/api/queue", "/console/api/me", "/console/api/analytics", "/console/api/stream",
                 "/console/api/canned-replies"):
        assert desk.get(path).status_code == 401, path
    assert desk.post("/console/api/conversations/c-1/take", json={}).status_code == 401
    page = desk.get("/console", allow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/console/login"
    assert desk.get("/console/login").status_code == 200


def test_sign_in_sets_an_http_only_strict_cookie_and_wrong_passwords_are_throttled(desk):
    wrong = desk.post("/console/api/login", json={"username": "amina", "password": "nope-nope"})
    assert wrong.status_code == 401 and "silkroad_console" not in wrong.cookies
    answer = sign_in(desk, "amina")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert desk.get("/console/api/me").json()["agent"]["display_name"] == "Amina"
    assert desk.get("/console").status_code == 200
    desk.post("/console/api/logout", json={})
    assert desk.get("/console/api/me").status_code == 401
    for _ in range(5):
        desk.post("/console/api/login", json={"username": "boris", "password": "wrong-password"})
    locked = desk.post("/console/api/login", json={"username": "boris", "password": "boris-password-2"})
    assert locked.status_code == 429 and "15 minutes" in locked.json()["message"]


def test_take_reply_and_hand_back(desk, fake_rasa):
    queue_for_a_person(desk, "c-web", reason="dispute_escalation")
    sign_in(desk, "amina")
    waiting = desk.get("/console/api/queue").json()["waiting"]
    assert [(i["conversation_id"], i["reason"], i["queue_position"]) for i in waiting] == \
        [("c-web", "dispute_escalation", 1)]
    assert desk.post("/console/api/conversations/c-web/reply", json={"text": "hi"}).status_code == 409  # not taken
    taken = desk.post("/console/api/conversations/c-web/take", json={}).json()
    assert taken["status"] == "active" and taken["mine"] and taken["agent"]["display_name"] == "Amina"

    assert desk.post("/console/api/conversations/c-web/reply", json={"text": "  Hello Noura  "}).status_code == 200
    call = fake_rasa.calls[-1]
    assert (call["conversation"], call["path"]) == ("c-web", "tracker/events")
    token = desk.app.state.settings.rasa_api_token.get_secret_value()  # Rasa's HTTP API needs its token
    assert call["params"] == {"output_channel": "latest", "execute_side_effects": "true", "token": token}
    assert call["body"][0]["event"] == "bot" and call["body"][0]["text"] == "Hello Noura"
    assert call["body"][0]["metadata"] == {"agent": "Amina"}

    assert desk.post("/console/api/conversations/c-web/hand-back", json={"note": " "}).status_code == 400
    fake_rasa.calls.clear()
    back = desk.post("/console/api/conversations/c-web/hand-back", json={"note": "refund explained"}).json()
    assert back["status"] == "closed" and back["note"] == "refund explained"
    assert [(c["path"], c["body"]) for c in fake_rasa.calls][:2] == [
        ("tracker/events", [{"event": "resume", "timestamp": fake_rasa.calls[0]["body"][0]["timestamp"]},
                            {"event": "slot", "name": "handoff_reason", "value": None}]),
        ("execute", {"name": "utter_handed_back"})]
    assert fake_rasa.calls[1]["params"] == {"output_channel": "latest", "token": token}
    assert fake_rasa.calls[2]["body"][0]["name"] == "action_listen"
    assert desk.get("/console/api/queue").json()["active"] == []
    assert queue_for_a_person(desk, "c-web")["queue_position"] == 1  # a new handoff later is a new one


def test_close_thanks_the_buyer_and_asks_the_survey(desk, fake_rasa):
    queue_for_a_person(desk, "c-close")
    sign_in(desk, "amina")
    desk.post("/console/api/conversations/c-close/take", json={})
    closed = desk.post("/console/api/conversations/c-close/close", json={}).json()
    assert closed["status"] == "closed"
    assert [c["body"]["name"] for c in fake_rasa.calls if c["path"] == "execute"] == \
        ["utter_chat_closed", "utter_csat_survey"]


def test_another_agent_cannot_take_reply_or_hand_back(desk):
    queue_for_a_person(desk, "c-mine")
    sign_in(desk, "amina")
    desk.post("/console/api/conversations/c-mine/take", json={})
    with TestClient(desk.app) as other:
        sign_in(other, "boris")
        assert other.post("/console/api/conversations/c-mine/take", json={}).status_code == 409
        assert other.post("/console/api/conversations/c-mine/reply", json={"text": "x"}).status_code == 409
        assert other.post("/console/api/conversations/c-mine/hand-back", json={"note": "x"}).status_code == 409
        active = other.get("/console/api/queue").json()["active"]
        assert active[0]["mine"] is False and active[0]["agent"]["display_name"] == "Amina"


def test_when_rasa_is_down_nothing_is_lost(desk, fake_rasa):
    queue_for_a_person(desk, "c-down")
    sign_in(desk, "amina")
    desk.post("/console/api/conversations/c-down/take", json={})
    fake_rasa.refuse = True
    answer = desk.post("/console/api/conversations/c-down/reply", json={"text": "are you there?"})
    assert answer.status_code == 502 and answer.json()["error"] == "rasa_unavailable"
    back = desk.post("/console/api/conversations/c-down/hand-back", json={"note": "done"})
    assert back.status_code == 502
    assert desk.get("/console/api/queue").json()["active"][0]["conversation_id"] == "c-down"  # still mine
    fake_rasa.refuse = False
    assert desk.post("/console/api/conversations/c-down/hand-back", json={"note": "done"}).status_code == 200


def test_an_empty_or_huge_reply_is_refused(desk):
    queue_for_a_person(desk, "c-text")
    sign_in(desk, "amina")
    desk.post("/console/api/conversations/c-text/take", json={})
    assert desk.post("/console/api/conversations/c-text/reply", json={"text": "   "}).status_code == 400
    assert desk.post("/console/api/conversations/c-text/reply", json={"text": "x" * 4001}).status_code == 422


def test_canned_replies_come_in_the_conversation_language(desk):
    sign_in(desk, "amina")
    for language in ("en", "zh", "ru", "ar"):
        replies = desk.get("/console/api/canned-replies", params={"language": language}).json()
        assert len(replies) >= 4 and {r["language"] for r in replies} == {language}
    assert desk.get("/console/api/canned-replies", params={"language": "xx"}).json() == []


def test_only_the_console_files_are_served(desk):
    assert desk.get("/console/static/../../backends/settings.py").status_code == 404
    assert desk.get("/console/static/settings.py").status_code == 404


def test_an_agent_takes_a_conversation_over_from_the_bot(desk, desk_sessions, fake_rasa):
    Conversation(desk_sessions, "c-bot").start().user("где мой заказ", "track_order").slot("language", "ru")
    sign_in(desk, "amina")
    recent = desk.get("/console/api/queue").json()["recent"]
    assert [(i["conversation_id"], i["status"], i["language"]) for i in recent] == [("c-bot", "bot", "ru")]
    fake_rasa.refuse = True
    assert desk.post("/console/api/conversations/c-bot/take", json={}).status_code == 502
    assert desk.get("/console/api/queue").json()["active"] == []  # withdrawn: the bot keeps it
    fake_rasa.refuse = False
    taken = desk.post("/console/api/conversations/c-bot/take", json={}).json()
    assert (taken["status"], taken["reason"], taken["language"]) == ("active", "agent_initiated", "ru")
    assert [c["body"][0]["event"] for c in fake_rasa.calls if c["conversation"] == "c-bot"][-1] == "pause"
    assert desk.post("/console/api/conversations/c-nobody/take", json={}).status_code == 404


def test_beside_the_transcript_the_verified_buyers_orders_the_conversations_first(
        loaded, database_url, fake_rasa):
    with session_scope(loaded) as session:
        load_demo_orders(session)
        save_agent(session, "amina", PASSWORDS["amina"], "Amina", ["en"])
    load_demo_escrow(loaded)
    with desk_client(loaded, database_url, fake_rasa.url) as desk:
        sign_in(desk, "amina")
        Conversation(loaded, "c-noura").start().user("help", "human_handoff")
        Conversation(loaded, "c-guest").start().user("help", "human_handoff")
        queue_for_a_person(desk, "c-guest")
        orders = desk.get("/console/api/conversations/c-noura").json()["context"]["orders"]
        assert orders == []  # no handoff naming a verified buyer: a sender id is not an identity
        with session_scope(loaded) as session:
            noura = session.execute(select(Buyer).where(Buyer.external_id == "buyer-sa-noura")).scalar_one()
            numbers = [o.number for o in session.execute(select(Order).where(Order.buyer_id == noura.id)
                                                         .order_by(Order.placed_at)).scalars()]
            some_order = numbers[0]  # the oldest: not first by date
        queue_for_a_person(desk, "c-noura", buyer_id="buyer-sa-noura", order_number=some_order)
        context = desk.get("/console/api/conversations/c-noura").json()["context"]
        assert context["verified"] and context["buyer_id"] == "buyer-sa-noura"
        first = context["orders"][0]
        assert first["number"] == some_order and first["in_conversation"]
        assert first["total"]["display"].endswith(first["total"]["currency"])
        assert all(not o["in_conversation"] for o in context["orders"][1:]) and len(context["orders"]) <= 6
        assert desk.get("/console/api/conversations/c-guest").json()["context"]["verified"] is False
