"""The production profile's settings, the Rasa files derived from them, and the connection budget."""

from __future__ import annotations

import pytest
import yaml
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.atomic_lock_store import AtomicRedisLockStore
from deploy.production import Process, database_limits, free_ports
from deploy.profile import ProductionSettings, plan_pools


def test_defaults_fit_the_machines_services():
    settings = ProductionSettings.from_environment({})
    assert settings.rasa_workers == 2 and settings.action_workers == 2
    assert settings.worker_ports == [5006, 5007] and settings.action_worker_ports == [5056, 5057]
    assert settings.marketplace_database_url == \
        "postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dsilkroad_marketplace"
    assert settings.console_events == \
        "amqp://guest:guest@127.0.0.1:5672/?queue=silkroad-console&exchange=silkroad-events"


def test_settings_come_from_the_environment_and_bad_ones_are_refused():
    settings = ProductionSettings.from_environment({
        "SILKROAD_INSTANCE": "shop2", "SILKROAD_RASA_WORKERS": "3", "RASA_PORT": "6005",
        "SILKROAD_POSTGRES_URL": "postgresql://bot:secret@db.internal:6432/silkroad"})
    assert settings.worker_ports == [6006, 6007, 6008] and settings.tracker_schema == "shop2_tracker"
    tracker = settings.endpoints()["tracker_store"]
    assert tracker == {"type": "bot.sql_tracker_store.SingleReadSQLTrackerStore", "dialect": "postgresql", "url": "db.internal", "port": 6432, "db": "silkroad",
                       "username": "bot", "password": "secret"}
    assert settings.endpoints()["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    elsewhere = ProductionSettings.from_environment({"SILKROAD_ACTION_URL": "http://10.0.0.9:5055/"})
    assert elsewhere.endpoints()["action_endpoint"]["url"] == "http://10.0.0.9:5055/webhook"
    for environ in ({"SILKROAD_RASA_WORKERS": "0"}, {"SILKROAD_RASA_WORKERS": "two"},
                    {"SILKROAD_INSTANCE": "a-b; drop"}, {"SILKROAD_POSTGRES_URL": "mysql://x/y"},
                    {"SILKROAD_REDIS_URL": "127.0.0.1:6379"}):
        with pytest.raises(ValueError):
            ProductionSettings.from_environment(environ)


def test_rasa_reads_the_endpoints_it_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("SILKROAD_ACTION_SERVER_TOKEN", "the-action-servers-token")  # bot.server sets it for Rasa
    settings = ProductionSettings(instance="shop3", ticket_ttl=7)
    path = tmp_path / "endpoints.yml"
    path.write_text(yaml.safe_dump(settings.endpoints()))
    lock_config = read_endpoint_config(str(path), "lock_store")
    lock_store = LockStore.create(lock_config)
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.key_prefix == "shop3:lock:" and lock_store.ticket_ttl == 7
    broker = read_endpoint_config(str(path), "event_broker")
    assert broker.type == "pika" and broker.kwargs["exchange_name"] == "shop3-events"
    assert broker.kwargs["queues"] == ["shop3-console"]
    assert read_endpoint_config(str(path), "tracker_store").type == \
        "bot.sql_tracker_store.SingleReadSQLTrackerStore"
    action = read_endpoint_config(str(path), "action_endpoint")
    assert action.headers == {"X-Silkroad-Action-Token": "the-action-servers-token"}
    assert action.kwargs["enable_selective_domain"] is True  # the domain only to the forms' validate_* actions
    webchat = settings.webchat_credentials()
    assert webchat["client_manager_url"] == settings.redis_url and webchat["client_manager_channel"] == "shop3-socketio"


@pytest.mark.parametrize("max_connections,workers", [(100, 2), (100, 4), (100, 8), (40, 4), (500, 16), (30, 2)])
def test_the_pools_of_all_processes_fit_the_databases_limit(max_connections, workers):
    plan = plan_pools(max_connections, 3, workers, headroom=10)
    assert plan.peak <= max_connections - 3 - 10
    assert plan.rasa_pool >= 1 and plan.backend_pool >= 1 and plan.job_pool >= 1
    assert plan.rasa_environment() == {"SQL_POOL_SIZE": str(plan.rasa_pool),
                                       "SQL_MAX_OVERFLOW": str(plan.rasa_overflow)}


def test_a_roomy_database_gives_each_process_what_it_wants_and_a_small_one_is_refused():
    plan = plan_pools(100, 3, 2, headroom=10)
    assert (plan.rasa_pool, plan.rasa_overflow, plan.backend_pool, plan.backend_overflow) == (5, 10, 5, 10)
    assert plan.peak == 47
    with pytest.raises(ValueError):
        plan_pools(20, 3, 8, headroom=10)


def test_the_machines_postgresql_reports_its_limits():
    max_connections, reserved = database_limits("postgresql://postgres@127.0.0.1:5432/test")
    assert max_connections > reserved >= 0
    assert plan_pools(max_connections, reserved, 2).peak <= max_connections - reserved


def test_throw_away_deployments_get_distinct_ports_no_outgoing_connection_can_take():
    ports = free_ports(40)
    assert len(set(ports)) == 40 and all(20000 <= port < 32768 for port in ports)


def test_a_process_is_up_only_when_its_own_health_answer_comes(tmp_path):
    """Another program answering on the port (taken by mistake) does not pass for the process."""
    import http.server
    import sys
    import threading

    class Other(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"detail": "Not Found"}'
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_ports(1)[0]), Other)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/status"
    sleeper = Process("rasa-1", [sys.executable, "-c", "import time; time.sleep(30)"], {}, tmp_path / "log", url,
                      '"model_file"')
    sleeper.start()
    try:
        with pytest.raises(RuntimeError, match="did not answer"):
            sleeper.wait_until_up(timeout=2)
        Process("x", [], {}, tmp_path / "log", url, "Not Found", popen=sleeper.popen).wait_until_up(timeout=5)
    finally:
        sleeper.stop()
        server.shutdown()


def test_the_launcher_refuses_development_secrets_and_names_each():
    from deploy.production import refused_settings

    problems = refused_settings({"SILKROAD_DATABASE_URL": "postgresql://postgres@127.0.0.1/test"})
    named = " ".join(problems)
    for variable in ("SILKROAD_RASA_API_TOKEN", "SILKROAD_ACTION_SERVER_TOKEN", "SILKROAD_SHOP_TOKEN_SECRET",
                     "SILKROAD_SENDER_PROOF_SECRET", "SILKROAD_BACKEND_API_KEYS", "SILKROAD_BACKEND_API_KEY"):
        assert variable in named, problems
    assert all("python -m common.secrets" in problem for problem in problems)
    assert any("[Rasa, action server]" in problem for problem in problems)  # who needs it


def test_the_launcher_accepts_real_secrets_and_refuses_demo_sign_in():
    from deploy.production import refused_settings
    from deploy.throwaway import DeploymentSecrets

    environment = {**DeploymentSecrets.random().environment(), "SILKROAD_SHOP_ORIGINS": "https://shop.example",
                   "SILKROAD_DATABASE_URL": "postgresql://postgres@127.0.0.1/test"}
    assert refused_settings(environment) == []
    assert any("SILKROAD_DEMO_SIGN_IN" in problem
               for problem in refused_settings({**environment, "SILKROAD_DEMO_SIGN_IN": "1"}))
    assert any("SILKROAD_SHOP_ORIGINS" in problem
               for problem in refused_settings({**environment, "SILKROAD_SHOP_ORIGINS": "*"}))


def test_the_launcher_exits_before_starting_anything(tmp_path, monkeypatch):
    import deploy.production as production

    monkeypatch.setattr(production.ProductionStack, "start", lambda self: pytest.fail("started"))
    for variable in ("SILKROAD_RASA_API_TOKEN", "SILKROAD_SHOP_TOKEN_SECRET"):
        monkeypatch.delenv(variable, raising=False)
    assert production.main(["--model", str(tmp_path / "m.tar.gz"), "--workdir", str(tmp_path)]) == 2


def test_the_rest_channel_is_off_in_production_without_a_token(monkeypatch):
    from bot.rest_channel import RestInput
    from bot.settings import rasa_settings
    from deploy.throwaway import DeploymentSecrets

    secrets = {key: value for key, value in DeploymentSecrets.random().environment().items()
               if key != "SILKROAD_REST_CHANNEL_TOKEN"}
    for key, value in {**secrets, "SILKROAD_PROFILE": "production", "SILKROAD_SHOP_ORIGINS": "https://s.example"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SILKROAD_REST_CHANNEL_TOKEN", raising=False)
    rasa_settings.cache_clear()
    try:
        assert not RestInput.from_credentials(None).enabled
        assert RestInput.from_credentials({"token": "t" * 32}).enabled
    finally:
        monkeypatch.undo()
        rasa_settings.cache_clear()
