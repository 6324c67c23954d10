"""The support desk's API on SQLite and PostgreSQL, with a fake Rasa, two agents, the canned replies."""

from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from backends.api.app import create_app
from backends.db import session_scope
from backends.support.canned_replies import load_canned_replies
from backends.support.staff import save_agent
from tests.backends.conftest import key_of, settings_for
from tests.backends.support.fake_rasa import FakeRasa

ASSISTANT = key_of("assistant")
PASSWORDS = {"amina": "amina-password-1", "boris": "boris-password-2"}


@pytest.fixture
def fake_rasa():
    with FakeRasa().running() as fake:
        yield fake


@pytest.fixture
def desk_sessions(sessions):
    with session_scope(sessions) as session:
        save_agent(session, "amina", PASSWORDS["amina"], "Amina", ["en", "ar"])
        save_agent(session, "boris", PASSWORDS["boris"], "Boris", ["ru", "en"])
        load_canned_replies(session)
    return sessions


@contextmanager
def desk_client(sessions, database_url, rasa_url, hours="Mon-Sun 00:00-24:00", **settings):
    settings = settings_for(database_url, rasa_api_url=rasa_url, support_hours=hours, **settings)
    with TestClient(create_app(settings, sessions)) as client:
        yield client


@pytest.fixture
def desk(desk_sessions, database_url, fake_rasa):
    with desk_client(desk_sessions, database_url, fake_rasa.url) as client:
        yield client


def sign_in(client, username):
    answer = client.post("/console/api/login", json={"username": username, "password": PASSWORDS[username]})
    assert answer.status_code == 200, answer.text
    return answer


def queue_for_a_person(client, conversation_id, reason="buyer_request", **extra):
    body = {"conversation_id": conversation_id, "channel": "web", "language": "en", "reason": reason, **extra}
    answer = client.post("/v1/support/handoffs", json=body, headers=ASSISTANT)
    assert answer.status_code == 200, answer.text
    return answer.json()
