"""Runs the assistant with the production profile: every process, on PostgreSQL, Redis and RabbitMQ.

- the marketplace backends (API, shop pages, support console) on PostgreSQL, following Rasa's RabbitMQ
  exchange for the console, and the escrow auto-release job;
- ``SILKROAD_ACTION_WORKERS`` action servers behind a load balancer (``ACTION_PORT``);
- ``SILKROAD_RASA_WORKERS`` Rasa servers behind a load balancer (``RASA_PORT``; sticky for socket.io), each
  with the SQL tracker store on PostgreSQL, the atomic Redis lock store, the pika event broker, and the web
  widget's rooms shared through Redis. The balancer's public listener forwards only the channels, socket.io
  and the health check; Rasa's HTTP API (token required) is on its internal listener (``SILKROAD_RASA_API_PORT``).

Every secret is checked first (each process's settings: docs/security.md): a missing or development one, or
demo sign-in, and nothing starts.

Before starting: the schemas are created, the marketplace migrated and seeded, Rasa's tracker tables
created once (not by several workers racing), and the connection pools sized to PostgreSQL's
max_connections. A process that exits is started again (``supervise``).

    python -m deploy.production --model models/<model>.tar.gz     (scripts/run.sh with SILKROAD_PROFILE=production)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests
import sqlalchemy as sa
import yaml

from common.settings import InsecureSettings
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
    # what the health answer (200) must contain: another program answering on a port taken by mistake is
    # not taken for this one
    health_text: str = ""
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
                answer = requests.get(self.health_url, timeout=2)
                if answer.status_code == 200 and self.health_text in answer.text:
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


def free_ports(count: int, low: int = 20000, high: int = 32000) -> List[int]:
    """``count`` distinct ports that nothing listens on now, below Linux's range for outgoing connections'
    ports (32768 up), so that no connection made meanwhile (to PostgreSQL, say) takes one before its server
    starts. For throw-away deployments (tests, benchmarks) on one machine."""
    chosen: List[int] = []
    while len(chosen) < count:
        port = random.randint(low, high)
        if port in chosen:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen.append(port)
    return chosen


def database_limits(postgres_url: str) -> tuple:
    """(max_connections, superuser_reserved_connections) of the server."""
    engine = sa.create_engine(postgres_url, future=True, poolclass=sa.pool.NullPool,
                           connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            return (int(connection.execute(sa.text("SHOW max_connections")).scalar()),
                    int(connection.execute(sa.text("SHOW superuser_reserved_connections")).scalar()))
    finally:
        engine.dispose()


def _execute(postgres_url: str, statements: List[str]) -> None:
    """Runs ``statements`` in one transaction on a connection of its own."""
    engine = sa.create_engine(postgres_url, future=True, poolclass=sa.pool.NullPool,
                           connect_args={"connect_timeout": 10})
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def create_schemas(postgres_url: str, *schemas: str) -> None:
    _execute(postgres_url, [f'CREATE SCHEMA IF NOT EXISTS "{schema}"' for schema in schemas])


def drop_schemas(postgres_url: str, *schemas: str) -> None:
    _execute(postgres_url, [f'DROP SCHEMA IF EXISTS "{schema}" CASCADE' for schema in schemas])


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


# What the public listener of the Rasa balancer forwards: the health check, the channels' webhooks (REST,
# Telegram, WhatsApp) and socket.io. Everything else (Rasa's HTTP API) only on the internal listener.
PUBLIC_RASA_PATHS = ("/", "/webhooks/*", "/socket.io/*")
RASA_HEALTH_TEXT = "Hello from Rasa"


def refused_settings(environ: Dict[str, str]) -> List[str]:
    """What keeps each kind of process from starting in production with ``environ``: every problem of the
    backends', the Rasa workers' and the action servers' settings."""
    from actions.settings import ActionServerSettings
    from backends.settings import Settings as BackendSettings
    from bot.settings import RasaSettings

    needed_by: Dict[str, List[str]] = {}  # each problem, and the kinds of process it stops
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update({**environ, "SILKROAD_PROFILE": "production"})
        for kind, settings in (("backends", BackendSettings), ("Rasa", RasaSettings),
                               ("action server", ActionServerSettings)):
            try:
                settings()
            except InsecureSettings as refusal:
                for problem in refusal.problems:
                    needed_by.setdefault(problem, []).append(kind)
            except ValueError as error:
                needed_by.setdefault(str(error), []).append(kind)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return [f"{problem} [{', '.join(kinds)}]" for problem, kinds in needed_by.items()]


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
        self.check_settings()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.plan = plan_pools(*database_limits(settings.postgres_url), rasa_workers=settings.rasa_workers,
                               headroom=settings.db_headroom)
        create_schemas(settings.postgres_url, settings.marketplace_schema, settings.tracker_schema)
        subprocess.run([PYTHON, "-m", "backends.seed", settings.marketplace_database_url], cwd=ROOT, check=True,
                       env=self.process_environment(), capture_output=True)
        if self.before_start is not None:
            self.before_start(settings.marketplace_database_url)
        create_tracker_tables(settings)
        (self.workdir / "endpoints.yml").write_text(yaml.safe_dump(settings.endpoints(), sort_keys=False))
        credentials = dict(self.credentials if self.credentials is not None
                           else yaml.safe_load((ROOT / "credentials.yml").read_text()))
        webchat = "bot.webchat_channel.WebChatInput"
        credentials[webchat] = {**(credentials.get(webchat) or {}), **settings.webchat_credentials()}
        (self.workdir / "credentials.yml").write_text(yaml.safe_dump(credentials, sort_keys=False))

    def check_settings(self) -> None:
        """Raises InsecureSettings naming every missing or development secret of every kind of process."""
        problems = refused_settings(self.process_environment(
            {"SILKROAD_DATABASE_URL": self.settings.marketplace_database_url}))
        if problems:
            raise InsecureSettings("deploy.production", problems)

    def rasa_environment(self) -> Dict[str, str]:
        """What every Rasa worker needs in its environment besides the files: the tracker schema, its pool,
        the shared seen-ids store of the messaging channels."""
        return {"POSTGRESQL_SCHEMA": self.settings.tracker_schema, "SILKROAD_INSTANCE": self.settings.instance,
                "SILKROAD_CHANNEL_REDIS_URL": self.settings.redis_url, **self.plan.rasa_environment()}

    def backend_environment(self) -> Dict[str, str]:
        settings = self.settings
        return {"SILKROAD_DATABASE_URL": settings.marketplace_database_url,
                "SILKROAD_RASA_EVENTS": settings.console_events,
                "SILKROAD_RASA_URL": self.environment.get("SILKROAD_RASA_URL", settings.rasa_url),
                "SILKROAD_RASA_API_URL": self.environment.get("SILKROAD_RASA_API_URL", settings.rasa_api_url),
                **self.plan.backend_environment()}

    def process_environment(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
                **self.environment, "SILKROAD_PROFILE": "production", **(extra or {})}

    # -- the processes -----------------------------------------------------------------------------------

    def _define(self) -> None:
        settings, plan, logs = self.settings, self.plan, self.workdir
        backend_env = self.process_environment(self.backend_environment())
        self._add(Process("backends", [PYTHON, "-m", "uvicorn", "backends.api.app:create_app", "--factory",
                                       "--host", settings.host, "--port", str(settings.backend_port),
                                       "--log-level", "warning"],
                          backend_env, logs / "backends.log", f"{settings.backend_url}/health", '"ok"'))
        self._add(Process("auto-release", [PYTHON, "-m", "backends.escrow.auto_release", "--every",
                                           self.environment.get("SILKROAD_AUTO_RELEASE_EVERY", "60")],
                          {**backend_env, **plan.job_environment()}, logs / "auto-release.log"))
        action_env = self.process_environment({"SILKROAD_BACKEND_URL": settings.backend_url})
        for index, port in enumerate(settings.action_worker_ports):
            self._add(Process(f"actions-{index + 1}", [PYTHON, "-m", "actions.server", "--host", settings.host,
                                                       "--port", str(port)],
                              action_env, logs / f"actions-{index + 1}.log", f"http://{settings.host}:{port}/health",
                              '"ok"'))
        self._add(self._balancer("actions-balancer", (settings.host, settings.action_port),
                                 settings.action_worker_ports, "/health"))
        rasa_env = self.process_environment(self.rasa_environment())
        for index, port in enumerate(settings.worker_ports):
            self._add(Process(f"rasa-{index + 1}", self.rasa_argv(port), rasa_env, logs / f"rasa-{index + 1}.log",
                              f"http://{settings.host}:{port}/", RASA_HEALTH_TEXT))
        self._add(self._balancer("rasa-balancer", (settings.public_interface, settings.rasa_port),
                                 settings.worker_ports, "/", public_paths=PUBLIC_RASA_PATHS,
                                 internal=(settings.host, settings.rasa_api_port)))

    def rasa_argv(self, port: int) -> List[str]:
        return [PYTHON, "-m", "bot.server", "--model", str(self.model), "--endpoints",
                str(self.workdir / "endpoints.yml"), "--credentials", str(self.workdir / "credentials.yml"),
                "--port", str(port), "--interface", self.settings.host]

    def _balancer(self, name: str, listen: tuple, upstream_ports: List[int], health_path: str,
                  public_paths: tuple = (), internal: Optional[tuple] = None) -> Process:
        """A balancer over the workers on ``upstream_ports``; public (only ``public_paths``) with an internal
        listener when ``internal`` is given."""
        host = self.settings.host
        argv = [PYTHON, "-m", "deploy.load_balancer", "--listen", "%s:%d" % listen, "--health-path", health_path]
        for upstream in upstream_ports:
            argv += ["--upstream", f"http://{host}:{upstream}"]
        for path in public_paths:
            argv += ["--public-path", path]
        status_at = listen
        if internal is not None:
            argv += ["--internal-listen", "%s:%d" % internal]
            status_at = internal
        return Process(name, argv, self.process_environment(), self.workdir / f"{name}.log",
                       "http://%s:%d/_balancer/status" % (host, status_at[1]), '"upstreams"')

    def _add(self, process: Process) -> None:
        self.processes[process.name] = process

    def start(self) -> None:
        self.prepare()
        self._define()
        try:
            for process in self.processes.values():
                process.start()
            for process in self.processes.values():
                process.wait_until_up()
            dead = [process.name for process in self.processes.values() if not process.alive]
            if dead:
                raise RuntimeError(f"exited while the others started: {', '.join(dead)}\n"
                                   + "\n".join(self.processes[name].tail() for name in dead))
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

    def restart_exited(self) -> List[str]:
        """Starts again every process that exited (killed, crashed); the names of those started."""
        restarted = []
        for process in self.processes.values():
            if process.popen is not None and not process.alive:
                print(f"[silkroad] {process.name} exited ({process.popen.returncode}); starting it again",
                      file=sys.stderr, flush=True)
                process.restarts += 1
                process.start()
                restarted.append(process.name)
        return restarted

    def supervise(self, poll: float = 2.0) -> None:
        """Starts again any process that exited, until interrupted."""
        while True:
            time.sleep(poll)
            self.restart_exited()

    def __enter__(self) -> "ProductionStack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def forget(settings: ProductionSettings) -> None:
    """Removes a deployment's data from the services: its schemas, Redis keys, RabbitMQ queue and exchange
    (for the tests' and the benchmark's throw-away instances)."""
    import asyncio

    import aio_pika
    import redis

    drop_schemas(settings.postgres_url, settings.marketplace_schema, settings.tracker_schema)
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=10)
    keys = list(client.scan_iter(f"{settings.instance}:*"))
    if keys:
        client.delete(*keys)

    async def delete_queue() -> None:
        connection = await aio_pika.connect_robust(settings.rabbitmq_url, timeout=10)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(settings.console_queue)
            await channel.exchange_delete(settings.events_exchange)

    asyncio.run(delete_queue())


def print_deployment(stack: "ProductionStack") -> None:
    """The commands and environment of each kind of process, for machines of their own."""
    files = stack.workdir
    rasa_env = " ".join(f"{key}={value}" for key, value in stack.rasa_environment().items())
    backend_env = " ".join(f"{key}='{value}'" for key, value in stack.backend_environment().items())
    plan = stack.plan
    job_env = " ".join(f"{key}={value}" for key, value in plan.job_environment().items())
    public = " ".join(f"--public-path '{path}'" for path in PUBLIC_RASA_PATHS)
    print(f"""Prepared: schemas {stack.settings.marketplace_schema} and {stack.settings.tracker_schema}, the marketplace
seeded, Rasa's tracker tables, {files}/endpoints.yml and {files}/credentials.yml (copy both to every Rasa machine).
PostgreSQL connections at most {plan.peak} of {plan.max_connections} for {plan.rasa_workers} Rasa workers in all.
Every process also needs SILKROAD_PROFILE=production and its secrets (docs/security.md).

Each Rasa machine (as many as SILKROAD_RASA_WORKERS counts in all; internal network only):
  {rasa_env} \\
  python -m bot.server --model <model> --endpoints endpoints.yml --credentials credentials.yml \\
    --interface <internal address> --port 5006
Each action server machine (SILKROAD_BACKEND_URL: the backends; internal network only):
  SILKROAD_BACKEND_URL=http://<backends>:8000 python -m actions.server --host <internal address> --port 5056
The backends machine:
  {backend_env} \\
  uvicorn backends.api.app:create_app --factory --host 0.0.0.0 --port 8000
  (the same settings, then) {job_env} python -m backends.escrow.auto_release --every 60   (one in all)
The balancers (socket.io sessions are sticky; SILKROAD_ACTION_URL points Rasa at the second; the first's
public listener forwards only the channels, its internal one Rasa's HTTP API for the console):
  python -m deploy.load_balancer --listen 0.0.0.0:5005 {public} \\
    --internal-listen <internal address>:5004 --health-path / --upstream http://<rasa-1>:5006 ...
  python -m deploy.load_balancer --listen <internal address>:5055 --health-path /health \\
    --upstream http://<actions-1>:5056 ...
""")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the assistant with the production profile.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "production")
    parser.add_argument("--prepare-only", action="store_true",
                        help="prepare the databases and write Rasa's files, print what each kind of process needs "
                             "(to run them on several machines), and start nothing")
    args = parser.parse_args(argv)
    settings = ProductionSettings.from_environment()
    stack = ProductionStack(settings, args.model.resolve(), args.workdir.resolve())
    try:
        if args.prepare_only:
            stack.prepare()
            print_deployment(stack)
            return 0
        stack.check_settings()
    except InsecureSettings as refusal:
        print(f"[silkroad] {refusal}", file=sys.stderr)
        return 2
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
