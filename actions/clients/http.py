"""The HTTP layer under the backend clients: timeouts, retries, and errors that say what happened.

Every call has a connect and a read timeout. A call is retried with backoff
only when repeating it cannot do anything twice: reads, and writes that carry
an Idempotency-Key (the backend returns the first result for a repeated key).
"""

from __future__ import annotations

import copy
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

import requests

from actions.clients.ttl_cache import TtlCache

log = logging.getLogger(__name__)


class BackendError(Exception):
    """A backend call failed; ``code`` is the backend's error code when it gave one."""

    def __init__(self, message: str, code: str = "backend_error", status: Optional[int] = None):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


class BackendUnavailable(BackendError):
    """No answer in time, no connection, or a server error: the buyer is offered a human."""


class NotFound(BackendError):
    """Not there, or not the caller's: the two look the same on purpose."""


class Refused(BackendError):
    """The backend's rules refused the action now (409): ``code`` says why."""


class Rejected(BackendError):
    """The request itself was wrong (400, 401, 403, 422)."""


def _settings():
    from actions.settings import action_settings

    return action_settings()


@dataclass(frozen=True)
class BackendConfig:
    """Where and how the clients reach the backends; the action server's settings by default."""

    base_url: str = field(default_factory=lambda: _settings().backend_url)
    api_key: str = field(default_factory=lambda: _settings().backend_api_key.get_secret_value())
    connect_timeout: float = field(default_factory=lambda: _settings().backend_connect_timeout)
    read_timeout: float = field(default_factory=lambda: _settings().backend_read_timeout)
    cache_seconds: float = field(default_factory=lambda: _settings().backend_cache_seconds)
    attempts: int = 3
    backoff: float = 0.2  # seconds before the second attempt; doubles after each

    @property
    def timeout(self) -> Tuple[float, float]:
        return self.connect_timeout, self.read_timeout


RETRY_STATUSES = {502, 503, 504}


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class BackendHttp:
    """Calls to the backends; each action thread keeps its own session (connection pool) unless one is given."""

    def __init__(self, config: Optional[BackendConfig] = None, session: Optional[requests.Session] = None):
        self.config = config or BackendConfig()
        self._given_session = session
        self._local = threading.local()
        self._cache: TtlCache[Any] = TtlCache(self.config.cache_seconds)

    @property
    def session(self) -> requests.Session:
        if self._given_session is not None:
            return self._given_session
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def get(self, path: str, params: Optional[Dict[str, Any]] = None,
            headers: Optional[Dict[str, str]] = None) -> Any:
        return self._call("GET", path, params=params, headers=headers)

    def get_slow_changing(self, path: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """A read of data that changes slowly (categories, import rules): answered from a cache for
        ``cache_seconds`` after the backend gave it. Errors are not cached."""
        key = (path, tuple(sorted((params or {}).items())))
        return copy.deepcopy(self._cache.get(key, lambda: self.get(path, params)))

    def post(self, path: str, body: Optional[Dict[str, Any]] = None, headers: Optional[Dict[str, str]] = None,
             idempotency_key: Optional[str] = None) -> Any:
        """A write: always with an Idempotency-Key (made here if not given), so it may be retried."""
        headers = {**(headers or {}), "Idempotency-Key": idempotency_key or new_idempotency_key()}
        return self._call("POST", path, json=body or {}, headers=headers)

    def _call(self, method: str, path: str, headers=None, **kwargs) -> Any:
        url = self.config.base_url.rstrip("/") + path
        headers = {"X-Api-Key": self.config.api_key, **(headers or {})}
        delay = self.config.backoff
        for attempt in range(1, self.config.attempts + 1):
            try:
                response = self.session.request(method, url, headers=headers, timeout=self.config.timeout, **kwargs)
            except requests.RequestException as error:
                problem: BackendError = BackendUnavailable(f"{method} {path}: {error.__class__.__name__}")
            else:
                if response.status_code < 400:
                    return response.json()
                problem = self._error(method, path, response)
                if response.status_code not in RETRY_STATUSES:
                    raise problem
            if attempt == self.config.attempts:
                raise problem
            log.warning("%s; retrying in %.2f s (attempt %d of %d)", problem.message, delay, attempt + 1,
                        self.config.attempts)
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    @staticmethod
    def _error(method: str, path: str, response: requests.Response) -> BackendError:
        try:
            body = response.json()
            code, message = body.get("error", "backend_error"), body.get("message", response.reason)
        except ValueError:
            code, message = "backend_error", response.reason
        status = response.status_code
        kind = (NotFound if status == 404 else Refused if status == 409 else
                BackendUnavailable if status >= 500 else Rejected)
        return kind(f"{method} {path}: {status} {message}", code, status)
