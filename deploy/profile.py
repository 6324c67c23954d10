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
| SILKROAD_PUBLIC_INTERFACE | SILKROAD_HOST | where the public balancer listens (0.0.0.0 to face the internet) |
| SILKROAD_RASA_API_PORT | 5004 | the Rasa balancer's internal listener: Rasa's HTTP API, for the console |

The secrets of each process are its own settings' (docs/security.md): this launcher checks them all before it
starts anything and refuses a missing or development one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote, urlencode, urlparse

from pydantic import Field, validator

from common.settings import SilkroadSettings

ACTION_TOKEN_HEADER = "X-Silkroad-Action-Token"
# Rasa reads it from its environment when it loads endpoints.yml (bot/server.py puts it there).
ACTION_TOKEN_IN_ENDPOINTS = "${SILKROAD_ACTION_SERVER_TOKEN}"
# Rasa's SQL tracker store with a save that does not read the whole tracker back (bot/sql_tracker_store.py)
SQL_TRACKER_STORE = "bot.sql_tracker_store.SingleReadSQLTrackerStore"


class ProductionSettings(SilkroadSettings):
    """The production launcher's settings (deploy/production.py); every process it starts has its own too."""

    profile: str = "production"
    instance: str = "silkroad"
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432/test"
    redis_url: str = "redis://127.0.0.1:6379/0"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    rasa_workers: int = Field(2, ge=1)
    action_workers: int = Field(2, ge=1)
    db_headroom: int = Field(10, ge=0)
    ticket_ttl: float = Field(10.0, gt=0)
    action_endpoint_url: str = Field("", env="SILKROAD_ACTION_URL")
    # Where the processes listen and reach each other (internal), and where the public balancer listens.
    host: str = "127.0.0.1"
    public_interface: str = ""
    rasa_port: int = Field(5005, env="RASA_PORT")
    # The internal listener of the Rasa balancer: Rasa's HTTP API (with its token) for the console.
    rasa_api_port: int = Field(5004, env="SILKROAD_RASA_API_PORT")
    action_port: int = Field(5055, env="ACTION_PORT")
    backend_port: int = Field(8000, env="BACKEND_PORT")
    worker_ports: List[int] = Field(default_factory=list)
    action_worker_ports: List[int] = Field(default_factory=list)

    @validator("profile")
    def _always_production(cls, value: str) -> str:
        if value != "production":
            raise ValueError("the production launcher runs the production profile only")
        return value

    @validator("instance")
    def _instance_name(cls, value: str) -> str:
        if not value or not value.replace("_", "").isalnum() or not value[0].isalpha():
            raise ValueError(f"SILKROAD_INSTANCE={value!r}: a letter, then letters, digits or '_'")
        return value

    @validator("postgres_url", "redis_url", "rabbitmq_url")
    def _service_url(cls, value: str, field: Any) -> str:
        scheme = {"postgres_url": "postgresql", "redis_url": "redis", "rabbitmq_url": "amqp"}[field.name]
        if urlparse(value).scheme != scheme or not urlparse(value).hostname:
            raise ValueError(f"SILKROAD_{field.name.upper()}={value!r}: a {scheme}:// URL with a host")
        return value

    @validator("public_interface", always=True)
    def _public_interface(cls, value: str, values: Dict[str, Any]) -> str:
        return value or values.get("host", "127.0.0.1")

    @validator("worker_ports", always=True)
    def _worker_ports(cls, value: List[int], values: Dict[str, Any]) -> List[int]:
        return value or [values.get("rasa_port", 5005) + 1 + i for i in range(values.get("rasa_workers", 2))]

    @validator("action_worker_ports", always=True)
    def _action_worker_ports(cls, value: List[int], values: Dict[str, Any]) -> List[int]:
        return value or [values.get("action_port", 5055) + 1 + i for i in range(values.get("action_workers", 2))]

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> "ProductionSettings":
        """The settings from ``environ`` (the process's environment by default) and ``overrides``."""
        if environ is None:
            return cls(**overrides)
        values: Dict[str, Any] = {}
        for name, field in cls.__fields__.items():
            for variable, value in environ.items():
                if variable.lower() in field.field_info.extra.get("env_names", ()) and value.strip():
                    values[name] = value.strip()
        return cls(**{**values, **overrides})

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
        """The public balancer: the channels, socket.io and the health check only."""
        return f"http://{self.host if self.public_interface in ('0.0.0.0', '::') else self.public_interface}:" \
               f"{self.rasa_port}"

    @property
    def rasa_api_url(self) -> str:
        """The internal listener of the Rasa balancer: Rasa's HTTP API (the token still required)."""
        return f"http://{self.host}:{self.rasa_api_port}"

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
        tracker_store = {"type": SQL_TRACKER_STORE, "dialect": "postgresql", "url": database.hostname,
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
        return {"action_endpoint": {"url": f"{actions}/webhook", "enable_selective_domain": True,
                                    "headers": {ACTION_TOKEN_HEADER: ACTION_TOKEN_IN_ENDPOINTS}},
                "tracker_store": tracker_store,
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
