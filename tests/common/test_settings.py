"""The settings objects: development secrets run the embedded profile and are refused by the production one,
which names each missing secret and how to make one."""

import pytest

from actions.settings import ActionServerSettings
from backends.settings import Settings as BackendSettings
from bot.settings import RasaSettings
from common import api_keys, development_secrets
from common.secrets import new_secret
from common.settings import InsecureSettings

REAL = {"rasa_api_token": new_secret(), "action_server_token": new_secret(), "shop_token_secret": new_secret(),
        "sender_proof_secret": new_secret()}


def test_the_embedded_profile_runs_on_the_development_secrets():
    rasa = RasaSettings()
    assert rasa.rasa_api_token.get_secret_value() == development_secrets.RASA_API_TOKEN
    assert ActionServerSettings().backend_api_key.get_secret_value() == development_secrets.BACKEND_API_KEYS["assistant"]
    assert set(BackendSettings().api_keys) == set(api_keys.KINDS)
    assert "silkroad-development" not in repr(rasa)  # secrets do not show in logs or tracebacks


@pytest.mark.parametrize("settings,variables", [
    (RasaSettings, {"SILKROAD_RASA_API_TOKEN", "SILKROAD_ACTION_SERVER_TOKEN", "SILKROAD_SHOP_TOKEN_SECRET",
                    "SILKROAD_SENDER_PROOF_SECRET"}),
    (ActionServerSettings, {"SILKROAD_ACTION_SERVER_TOKEN", "SILKROAD_SENDER_PROOF_SECRET",
                            "SILKROAD_BACKEND_API_KEY"}),
    (BackendSettings, {"SILKROAD_RASA_API_TOKEN", "SILKROAD_BACKEND_API_KEYS"}),
])
def test_production_refuses_every_development_secret_and_names_it(settings, variables):
    with pytest.raises(InsecureSettings) as refusal:
        settings(profile="production")
    named = {problem.split()[0] for problem in refusal.value.problems}
    assert variables <= named, refusal.value.problems
    assert all("python -m common.secrets" in problem for problem in refusal.value.problems if
               problem.split()[0] in variables)


def test_production_runs_on_real_secrets(monkeypatch):
    rasa = RasaSettings(profile="production", shop_origins="https://shop.example", **REAL)
    assert rasa.production and rasa.origins == ["https://shop.example"]
    action = ActionServerSettings(profile="production", action_server_token=REAL["action_server_token"],
                                  sender_proof_secret=REAL["sender_proof_secret"], backend_api_key=new_secret())
    assert action.production
    backend = BackendSettings(profile="production", rasa_api_token=new_secret(),
                              database_url="postgresql://postgres@127.0.0.1/test",
                              backend_api_keys=api_keys.entries({"assistant": new_secret()}))
    assert set(backend.api_keys) == {"assistant"}


def test_production_refuses_demo_sign_in_sqlite_and_a_development_api_key():
    with pytest.raises(InsecureSettings) as refusal:
        BackendSettings(profile="production", rasa_api_token=new_secret(), demo_sign_in=True,
                        backend_api_keys=api_keys.entries({"assistant": new_secret(),
                                                           "carrier": development_secrets.BACKEND_API_KEYS["carrier"]}))
    problems = " ".join(refusal.value.problems)
    assert "SILKROAD_DEMO_SIGN_IN" in problems and "SQLite" in problems and "development key" in problems


@pytest.mark.parametrize("origins", ["*", "", "shop.example", "ftp://shop.example"])
def test_production_names_the_shops_origins(origins):
    with pytest.raises(InsecureSettings) as refusal:
        RasaSettings(profile="production", shop_origins=origins, **REAL)
    assert any("SILKROAD_SHOP_ORIGINS" in problem for problem in refusal.value.problems)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SILKROAD_MAX_MESSAGE_CHARACTERS", "500")
    monkeypatch.setenv("SILKROAD_SHOP_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = RasaSettings()
    assert settings.max_message_characters == 500 and settings.origins == ["https://a.example", "https://b.example"]
    assert settings.telegram_bot_token.get_secret_value() == "123:abc"
    monkeypatch.setenv("SILKROAD_PROFILE", "staging")
    with pytest.raises(ValueError, match="SILKROAD_PROFILE"):
        RasaSettings()
