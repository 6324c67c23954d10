"""The marketplace backends as a real process on a free port, over a freshly seeded SQLite database, with a
support agent who may sign in to its console (staff read audits and disputes there, never with an API key)."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional

import requests

from tests.servers import ROOT, free_port, wait_until_up

CONSOLE_AGENT = {"username": "test-agent", "password": "test-agent-password"}


def add_console_agent(database_url: str) -> None:
    from backends.support.staff import add_agent

    add_agent(database_url, CONSOLE_AGENT["username"], CONSOLE_AGENT["password"], "Test agent", ["en"])


class ConsoleSession:
    """A support agent signed in to the backends' console (a session cookie), reading its JSON API."""

    def __init__(self, base_url: str, username: str = CONSOLE_AGENT["username"],
                 password: str = CONSOLE_AGENT["password"]):
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        answer = self.http.post(f"{self.base_url}/console/api/login", json={"username": username,
                                                                            "password": password}, timeout=10)
        answer.raise_for_status()

    def get(self, path: str) -> Any:
        answer = self.http.get(self.base_url + path, timeout=10)
        answer.raise_for_status()
        return answer.json()


@contextmanager
def running_backends(workdir: Path, env: Optional[Dict[str, str]] = None,
                     before_start: Optional[Callable[[str], None]] = None) -> Iterator[str]:
    """``before_start(database_url)`` runs on the seeded database before the server starts."""
    url = f"sqlite:///{workdir / 'marketplace.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SILKROAD_DATABASE_URL": url, **(env or {})}
    subprocess.run([sys.executable, "-m", "backends.seed", url], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    if before_start is not None:
        before_start(url)
    port = free_port()
    log = workdir / "backends.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backends.api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/health", process, log, timeout=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
