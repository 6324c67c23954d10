"""The production profile's settings, and the Rasa files and connection budget derived from them.

Selected by ``SILKROAD_PROFILE=production`` (scripts/run.sh); every other setting has a default that fits
the project's machines (the services on 127.0.0.1 at their standard ports):

| setting | default | what |
| --- | --- | --- |
| SILKROAD_INSTANCE | silkroad | names this deployment's schemas, Redis keys, RabbitMQ exchange and queue |
| SILKROAD_POSTGRES_URL | postgresql://postgres@127.0.0.1:5432/test | tracker store and marketplace database |
| SILKROAD_REDIS_URL | redis://127.0.0.1:6379/0 | lock store and the socket.io servers' shared rooms |
| SILKROAD_RABBITMQ_URL | amqp://guest:guest@127.0.0.1:5672/ | Rasa's event broker, read by the console |
| SILKROAD_RASA_WORKERS | 2 | Rasa server processes behind the load balancer |
| SILKROAD_ACTION_WORKERS | 2 | action server processes behind their load balancer |
| SILKROAD_DB_HEADROOM | 10 | PostgreSQL connections left for administration and other clients |
| SILKROAD_TICKET_TTL | 10 | seconds after which a dead process's conversation lock expires |
| SILKROAD_ACTION_URL | the local actions balancer | where Rasa workers reach the action servers (several machines) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote, urlencode, urlparse

def _env(name: str, default: str, environ: Optional[Mapping[str, str]] = None) -> str:
    value = (environ if environ is not None else os.environ).get(name, "").strip()
    return value or default


def _positive_int(name: str, default: str, environ: Optional[Mapping[str, str]]) -> int:
    raw = _env(name, default, environ)
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: a whole number") from None
    if value < 1:
        raise ValueError(f"{name}={raw!r}: at least 1")
    return value


@dataclass(frozen=True)
class ProductionSettings:
    instance: str = "silkroad"
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432/test"
    redis_url: str = "redis://127.0.0.1:6379/0"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    rasa_workers: int = 2
    action_workers: int = 2
    db_headroom: int = 10
    ticket_ttl: float = 10.0
    action_endpoint_url: str = ""
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    backend_port: int = 8000
    worker_ports: List[int] = field(default_factory=list)
    action_worker_ports: List[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.instance.replace("_", "").isalnum() or not self.instance[0].isalpha():
            raise ValueError(f"SILKROAD_INSTANCE={self.instance!r}: a letter, then letters, digits or '_'")
        for name, url, schemes in (("SILKROAD_POSTGRES_URL", self.postgres_url, ("postgresql",)),
                                   ("SILKROAD_REDIS_URL", self.redis_url, ("redis",)),
                                   ("SILKROAD_RABBITMQ_URL", self.rabbitmq_url, ("amqp",))):
            if urlparse(url).scheme not in schemes or not urlparse(url).hostname:
                raise ValueError(f"{name}={url!r}: a {schemes[0]}:// URL with a host")
        if not self.worker_ports:
            object.__setattr__(self, "worker_ports", [self.rasa_port + 1 + i for i in range(self.rasa_workers)])
        if not self.action_worker_ports:
            object.__setattr__(self, "action_worker_ports",
                               [self.action_port + 1 + i for i in range(self.action_workers)])

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> "ProductionSettings":
        values: Dict[str, Any] = dict(
            instance=_env("SILKROAD_INSTANCE", "silkroad", environ),
            postgres_url=_env("SILKROAD_POSTGRES_URL", cls.postgres_url, environ),
            redis_url=_env("SILKROAD_REDIS_URL", cls.redis_url, environ),
            rabbitmq_url=_env("SILKROAD_RABBITMQ_URL", cls.rabbitmq_url, environ),
            rasa_workers=_positive_int("SILKROAD_RASA_WORKERS", "2", environ),
            action_workers=_positive_int("SILKROAD_ACTION_WORKERS", "2", environ),
            db_headroom=int(_env("SILKROAD_DB_HEADROOM", "10", environ)),
            ticket_ttl=float(_env("SILKROAD_TICKET_TTL", "10", environ)),
            action_endpoint_url=_env("SILKROAD_ACTION_URL", "", environ),
            rasa_port=int(_env("RASA_PORT", "5005", environ)),
            action_port=int(_env("ACTION_PORT", "5055", environ)),
            backend_port=int(_env("BACKEND_PORT", "8000", environ)),
        )
        values.update(overrides)
        return cls(**values)

    # -- names ------------------------------------------------------------------------------------------

    @property
    def marketplace_schema(self) -> str:
        return f"{self.instance}_marketplace"

    @property
    def tracker_schema(self) -> str:
        return f"{self.instance}_tracker"

    @property
    def events_exchange(self) -> str:
        return f"{self.instance}-events"

    @property
    def console_queue(self) -> str:
        return f"{self.instance}-console"

    @property
    def marketplace_database_url(self) -> str:
        """The backends' database: the PostgreSQL URL with the marketplace schema first on the search path."""
        separator = "&" if "?" in self.postgres_url else "?"
        return f"{self.postgres_url}{separator}options={quote(f'-csearch_path={self.marketplace_schema}')}"

    @property
    def console_events(self) -> str:
        """SILKROAD_RASA_EVENTS for the backends: the console's queue on Rasa's exchange."""
        separator = "&" if "?" in self.rabbitmq_url else "?"
        query = urlencode({"queue": self.console_queue, "exchange": self.events_exchange})
        return f"{self.rabbitmq_url}{separator}{query}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def backend_url(self) -> str:
        return f"http://{self.host}:{self.backend_port}"

    # -- Rasa's files ------------------------------------------------------------------------------------

    def endpoints(self) -> Dict[str, Any]:
        """endpoints.yml of every Rasa worker."""
        database, redis, rabbitmq = urlparse(self.postgres_url), urlparse(self.redis_url), urlparse(self.rabbitmq_url)
        tracker_store = {"type": "SQL", "dialect": "postgresql", "url": database.hostname,
                         "port": database.port or 5432, "db": database.path.lstrip("/") or "postgres",
                         "username": database.username or "postgres"}
        if database.password:
            tracker_store["password"] = database.password
        lock_store = {"type": "bot.atomic_lock_store.AtomicRedisLockStore", "url": redis.hostname,
                      "port": redis.port or 6379, "db": int(redis.path.lstrip("/") or 0),
                      "key_prefix": self.instance, "ticket_ttl": self.ticket_ttl}
        if redis.password:
            lock_store["password"] = redis.password
        event_broker = {"type": "pika", "url": rabbitmq.hostname, "port": rabbitmq.port or 5672,
                        "username": rabbitmq.username or "guest", "password": rabbitmq.password or "guest",
                        "queues": [self.console_queue], "exchange_name": self.events_exchange}
        vhost = rabbitmq.path.lstrip("/")
        if vhost:
            event_broker["url"] = f"amqp://{rabbitmq.hostname}/{vhost}"
        actions = (self.action_endpoint_url or self.action_url).rstrip("/")
        return {"action_endpoint": {"url": f"{actions}/webhook"}, "tracker_store": tracker_store,
                "lock_store": lock_store, "event_broker": event_broker}

    def webchat_credentials(self) -> Dict[str, Any]:
        """The web widget channel's settings with the rooms shared through Redis."""
        return {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
                "client_manager_url": self.redis_url, "client_manager_channel": f"{self.instance}-socketio"}


@dataclass(frozen=True)
class PoolPlan:
    """PostgreSQL connections per process: ``pool`` kept open, up to ``overflow`` more."""

    max_connections: int
    reserved: int
    rasa_pool: int
    rasa_overflow: int
    backend_pool: int
    backend_overflow: int
    job_pool: int
    job_overflow: int
    rasa_workers: int

    @property
    def peak(self) -> int:
        """The most connections all processes together may open."""
        return (self.rasa_workers * (self.rasa_pool + self.rasa_overflow) + self.backend_pool
                + self.backend_overflow + self.job_pool + self.job_overflow)

    def rasa_environment(self) -> Dict[str, str]:
        return {"SQL_POOL_SIZE": str(self.rasa_pool), "SQL_MAX_OVERFLOW": str(self.rasa_overflow)}

    def backend_environment(self) -> Dict[str, str]:
        return {"SILKROAD_DB_POOL_SIZE": str(self.backend_pool),
                "SILKROAD_DB_MAX_OVERFLOW": str(self.backend_overflow)}

    def job_environment(self) -> Dict[str, str]:
        return {"SILKROAD_DB_POOL_SIZE": str(self.job_pool), "SILKROAD_DB_MAX_OVERFLOW": str(self.job_overflow)}


# What one process would like at most: a Rasa worker's tracker store, the backends' web process (API,
# console, event feed), the escrow auto-release job.
RASA_WANTS, BACKEND_WANTS, JOB_WANTS = (5, 10), (5, 10), (1, 1)


def plan_pools(max_connections: int, superuser_reserved: int, rasa_workers: int, headroom: int = 10) -> PoolPlan:
    """Connection pools for ``rasa_workers`` Rasa processes, the backends and the job, so that all of them
    at their peak stay within ``max_connections`` minus the superuser's reserve and ``headroom``.

    Each process gets what it would like when that fits; otherwise every share shrinks in proportion, each
    keeping at least one connection. Raises ValueError when even that does not fit.
    """
    budget = max_connections - superuser_reserved - headroom
    processes = [RASA_WANTS] * rasa_workers + [BACKEND_WANTS, JOB_WANTS]
    if budget < len(processes):
        raise ValueError(f"PostgreSQL allows {max_connections} connections ({superuser_reserved} reserved, "
                         f"{headroom} headroom): too few for {rasa_workers} Rasa workers and the backends")
    wanted = sum(pool + overflow for pool, overflow in processes)
    scale = min(1.0, budget / wanted)

    def share(wants: tuple) -> tuple:
        total = max(1, int((wants[0] + wants[1]) * scale))
        pool = max(1, min(wants[0], round(total * wants[0] / (wants[0] + wants[1]))))
        return pool, max(0, total - pool)

    rasa, backend, job = share(RASA_WANTS), share(BACKEND_WANTS), share(JOB_WANTS)
    plan = PoolPlan(max_connections, superuser_reserved + headroom, rasa[0], rasa[1], backend[0], backend[1],
                    job[0], job[1], rasa_workers)
    if plan.peak > budget:
        raise ValueError(f"PostgreSQL allows {max_connections} connections: {rasa_workers} Rasa workers and the "
                         f"backends would need {plan.peak}")
    return plan
