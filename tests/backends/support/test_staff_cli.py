"""python -m backends.support.staff add-demo: the embedded demo's agent, never in production (its password is
public)."""

from sqlalchemy import select

from backends.db import make_engine, make_session_factory, session_scope
from backends.models import SupportAgent
from backends.support import staff
from common import api_keys
from common.development_secrets import DEMO_AGENT_PASSWORD

PRODUCTION_ENV = {"SILKROAD_PROFILE": "production", "SILKROAD_DATABASE_URL": "postgresql://silkroad@127.0.0.1/prod",
                  "SILKROAD_BACKEND_API_KEYS": api_keys.entries({"assistant": "a-real-assistant-key-4c1d"}),
                  "SILKROAD_RASA_API_TOKEN": "a-real-rasa-api-token-9a7e"}


def agents_in(database_url):
    engine = make_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return {agent.username: agent for agent in session.execute(select(SupportAgent)).scalars()}
    finally:
        engine.dispose()


def test_add_demo_makes_the_demo_agent_with_the_settings_password(database_url, monkeypatch, capsys):
    monkeypatch.delenv("SILKROAD_PROFILE", raising=False)
    assert staff.main(["add-demo", "--database-url", database_url]) == 0
    assert staff.main(["add-demo", "--database-url", database_url]) == 0  # run.sh runs it at every start
    agent = agents_in(database_url)["agent"]
    assert (agent.display_name, agent.languages) == ("Demo agent", "en,zh,ru,ar")
    assert staff.password_matches(DEMO_AGENT_PASSWORD, agent.password_hash)
    assert "'agent' saved" in capsys.readouterr().err


def test_add_demo_is_refused_in_production(tmp_path, monkeypatch, capsys):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    url = f"sqlite:///{tmp_path / 'marketplace.db'}"
    assert staff.main(["add-demo", "--database-url", url]) == 2
    assert "refused in production" in capsys.readouterr().err
    assert not (tmp_path / "marketplace.db").exists()  # nothing was touched


def test_production_settings_with_development_secrets_are_refused_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SILKROAD_PROFILE", "production")
    assert staff.main(["add-demo", "--database-url", f"sqlite:///{tmp_path / 'marketplace.db'}"]) == 2
    assert "SILKROAD_BACKEND_API_KEYS" in capsys.readouterr().err
