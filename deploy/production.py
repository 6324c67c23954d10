"""Runs the assistant with the production profile: every process, on PostgreSQL, Redis and RabbitMQ.

- the marketplace backends (API, shop pages, support console) on PostgreSQL, following Rasa's RabbitMQ
  exchange for the console, and the escrow auto-release job;
- ``SILKROAD_ACTION_WORKERS`` action servers behind a load balancer (``ACTION_PORT``);
- ``SILKROAD_RASA_WORKERS`` Rasa servers behind a load balancer (``RASA_PORT``; sticky for socket.io), each
  with the SQL tracker store on PostgreSQL, the atomic Redis lock store, the pika event broker, and the web
  widget's rooms shared through Redis.

Before starting: the schemas are created, the marketplace migrated and seeded, Rasa's tracker tables
created once (not by several workers racing), and the connection pools sized to PostgreSQL's
max_connections. A process that exits is started again (``supervise``).

    python -m deploy.production --model models/<model>.tar.gz     (scripts/run.sh with SILKROAD_PROFILE=production)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests
import sqlalchemy as sa
import yaml

from deploy.profile import PoolPlan, ProductionSettings, plan_pools

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Process:
    name: str
    argv: List[str]
    env: Dict[str, str]
    log: Path
    health_url: Optional[str] = None
    popen: Optional[subprocess.Popen] = None
    restarts: int = 0

    def start(self) -> None:
        self.popen = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.log.open("a"),
                                      stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def wait_until_up(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{self.tail()}")
            if self.health_url is None:
                return
            try:
                if requests.get(self.health_url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer {self.health_url} within {timeout} s:\n{self.tail()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.alive:
            self.popen.send_signal(sig)
            if sig == signal.SIGKILL:
                self.popen.wait(timeout=30)

    def stop(self) -> None:
        if not self.alive:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


def database_limits(postgres_url: str) -> tuple:
    """(max_connections, superuser_reserved_connections) of the server."""
    engine = sa.create_engine(postgres_url, future=True, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return (int(connection.execute(sa.text("SHOW max_connections")).scalar()),
                    int(connection.execute(sa.text("SHOW superuser_reserved_connections")).scalar()))
    finally:
        engine.dispose()


def create_schemas(postgres_url: str, *schemas: str) -> None:
    engine = sa.create_engine(postgres_url, future=True, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for schema in schemas:
                connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


def drop_schemas(postgres_url: str, *schemas: str) -> None:
    engine = sa.create_engine(postgres_url, future=True, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for schema in schemas:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def create_tracker_tables(settings: ProductionSettings) -> None:
    """Rasa's SQL tracker store tables, made once before the workers start (in a child process: Rasa reads
    the schema from its environment)."""
    code = ("import yaml, sys\n"
            "from rasa.core.tracker_store import SQLTrackerStore\n"
            "config = yaml.safe_load(sys.stdin.read())\n"
            "config.pop('type')\n"
            "SQLTrackerStore(host=config.pop('url'), **config)\n")
    subprocess.run([PYTHON, "-c", code], input=yaml.safe_dump(settings.endpoints()["tracker_store"]), text=True,
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "POSTGRESQL_SCHEMA": settings.tracker_schema, "RASA_TELEMETRY_ENABLED": "false"})


@dataclass
class ProductionStack:
    """All processes of the profile. ``credentials``: Rasa's channels (the web widget's gets the shared rooms);
    ``environment``: added to every process (e.g. the shop's settings); ``before_start(database_url)`` runs
    on the seeded marketplace before the backends start."""

    settings: ProductionSettings
    model: Path
    workdir: Path
    credentials: Optional[Dict] = None
    environment: Dict[str, str] = field(default_factory=dict)
    before_start: Optional[Callable[[str], None]] = None
    processes: Dict[str, Process] = field(default_factory=dict)
    plan: Optional[PoolPlan] = None

    # -- preparing ---------------------------------------------------------------------------------------

    def prepare(self) -> None:
        settings = self.settings
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.plan = plan_pools(*database_limits(settings.postgres_url), rasa_workers=settings.rasa_workers,
                               headroom=settings.db_headroom)
        create_schemas(settings.postgres_url, settings.marketplace_schema, settings.tracker_schema)
        subprocess.run([PYTHON, "-m", "backends.seed", settings.marketplace_database_url], cwd=ROOT, check=True,
                       env=self._env(), capture_output=True)
        if self.before_start is not None:
            self.before_start(settings.marketplace_database_url)
        create_tracker_tables(settings)
        (self.workdir / "endpoints.yml").write_text(yaml.safe_dump(settings.endpoints(), sort_keys=False))
        credentials = dict(self.credentials if self.credentials is not None
                           else yaml.safe_load((ROOT / "credentials.yml").read_text()))
        webchat = "bot.webchat_channel.WebChatInput"
        credentials[webchat] = {**(credentials.get(webchat) or {}), **settings.webchat_credentials()}
        (self.workdir / "credentials.yml").write_text(yaml.safe_dump(credentials, sort_keys=False))

    def _env(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
                **self.environment, **(extra or {})}

    # -- the processes -----------------------------------------------------------------------------------

    def _define(self) -> None:
        settings, plan, logs = self.settings, self.plan, self.workdir
        backend_env = self._env({"SILKROAD_DATABASE_URL": settings.marketplace_database_url,
                                 "SILKROAD_RASA_EVENTS": settings.console_events,
                                 "SILKROAD_RASA_URL": self.environment.get("SILKROAD_RASA_URL", settings.rasa_url),
                                 "SILKROAD_RASA_API_URL": settings.rasa_url, **plan.backend_environment()})
        self._add(Process("backends", [PYTHON, "-m", "uvicorn", "backends.api.app:create_app", "--factory",
                                       "--host", settings.host, "--port", str(settings.backend_port),
                                       "--log-level", "warning"],
                          backend_env, logs / "backends.log", f"{settings.backend_url}/health"))
        self._add(Process("auto-release", [PYTHON, "-m", "backends.escrow.auto_release", "--every",
                                           self.environment.get("SILKROAD_AUTO_RELEASE_EVERY", "60")],
                          {**backend_env, **plan.job_environment()}, logs / "auto-release.log"))
        action_env = self._env({"SILKROAD_BACKEND_URL": settings.backend_url})
        for index, port in enumerate(settings.action_worker_ports):
            self._add(Process(f"actions-{index + 1}", [PYTHON, "-m", "rasa", "run", "actions", "--actions", "actions",
                                                       "--port", str(port)],
                              action_env, logs / f"actions-{index + 1}.log", f"http://{settings.host}:{port}/health"))
        self._add(self._balancer("actions-balancer", settings.action_port, settings.action_worker_ports, "/health"))
        rasa_env = self._env({"POSTGRESQL_SCHEMA": settings.tracker_schema, **plan.rasa_environment()})
        for index, port in enumerate(settings.worker_ports):
            self._add(Process(f"rasa-{index + 1}", self.rasa_argv(port), rasa_env, logs / f"rasa-{index + 1}.log",
                              f"http://{settings.host}:{port}/status"))
        self._add(self._balancer("rasa-balancer", settings.rasa_port, settings.worker_ports, "/"))

    def rasa_argv(self, port: int) -> List[str]:
        return [PYTHON, "-m", "rasa", "run", "--model", str(self.model), "--endpoints",
                str(self.workdir / "endpoints.yml"), "--credentials", str(self.workdir / "credentials.yml"),
                "--enable-api", "--cors", "*", "--port", str(port), "--interface", self.settings.host]

    def _balancer(self, name: str, port: int, upstream_ports: List[int], health_path: str) -> Process:
        host = self.settings.host
        argv = [PYTHON, "-m", "deploy.load_balancer", "--listen", f"{host}:{port}", "--health-path", health_path]
        for upstream in upstream_ports:
            argv += ["--upstream", f"http://{host}:{upstream}"]
        return Process(name, argv, self._env(), self.workdir / f"{name}.log",
                       f"http://{host}:{port}/_balancer/status")

    def _add(self, process: Process) -> None:
        self.processes[process.name] = process

    @property
    def rasa_workers(self) -> List[Process]:
        return [process for name, process in self.processes.items() if name.startswith("rasa-")
                and name != "rasa-balancer"]

    def start(self) -> None:
        self.prepare()
        self._define()
        try:
            for process in self.processes.values():
                process.start()
            for process in self.processes.values():
                process.wait_until_up()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def restart(self, name: str) -> None:
        process = self.processes[name]
        process.stop()
        process.restarts += 1
        process.start()
        process.wait_until_up()

    def supervise(self, poll: float = 2.0) -> None:
        """Starts again any process that exited, until interrupted."""
        while True:
            time.sleep(poll)
            for process in self.processes.values():
                if not process.alive:
                    print(f"[silkroad] {process.name} exited ({process.popen.returncode}); starting it again",
                          file=sys.stderr, flush=True)
                    process.restarts += 1
                    process.start()

    def __enter__(self) -> "ProductionStack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the assistant with the production profile.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "production")
    args = parser.parse_args(argv)
    settings = ProductionSettings.from_environment()
    shop_settings = {key: value for key, value in os.environ.items() if key.startswith("SILKROAD_")}
    stack = ProductionStack(settings, args.model.resolve(), args.workdir.resolve(), environment=shop_settings)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"[silkroad] production profile: {settings.rasa_workers} Rasa workers, {settings.action_workers} action "
          f"servers, PostgreSQL {settings.postgres_url.split('@')[-1]}, logs in {args.workdir}", file=sys.stderr,
          flush=True)
    with stack:
        plan = stack.plan
        print(f"[silkroad] PostgreSQL connections: at most {plan.peak} of {plan.max_connections} "
              f"(each Rasa worker {plan.rasa_pool}+{plan.rasa_overflow}, backends {plan.backend_pool}+"
              f"{plan.backend_overflow}, job {plan.job_pool}+{plan.job_overflow}; {plan.reserved} kept free)",
              file=sys.stderr, flush=True)
        print(f"[silkroad] ready: Rasa {settings.rasa_url}, actions {settings.action_url}, "
              f"backends {settings.backend_url}", file=sys.stderr, flush=True)
        try:
            stack.supervise()
        except (KeyboardInterrupt, SystemExit):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
