"""Start the action server and the Rasa server as real processes for tests, and talk to them as a caller with
the right credentials would (the REST channel's token, Rasa's API token)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import requests

from common import development_secrets

ROOT = Path(__file__).resolve().parent.parent
ACTION_TOKEN_HEADER = "X-Silkroad-Action-Token"


@dataclass(frozen=True)
class RasaAccess:
    """How a test reaches one assistant: its REST channel's token (None: no token) and Rasa's HTTP API."""

    api_url: str
    api_token: str = development_secrets.RASA_API_TOKEN
    rest_token: Optional[str] = None
    action_url: Optional[str] = None  # the action server (for the tests that call it as an outsider would)


_ACCESS: Dict[str, RasaAccess] = {}


def register_access(rasa_url: str, access: RasaAccess) -> None:
    """The credentials of the assistant whose channels are at ``rasa_url`` (the stacks register theirs)."""
    _ACCESS[rasa_url.rstrip("/")] = access


def access_of(rasa_url: str) -> RasaAccess:
    return _ACCESS.get(rasa_url.rstrip("/")) or RasaAccess(rasa_url.rstrip("/"))


def rasa_api(rasa_url: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A call to Rasa's HTTP API (with its token) of the assistant whose channels are at ``rasa_url``."""
    access = access_of(rasa_url)
    params = {**(kwargs.pop("params", None) or {}), "token": access.api_token}
    return requests.request(method, f"{access.api_url}{path}", params=params, timeout=kwargs.pop("timeout", 30),
                            **kwargs)


def tracker_of(rasa_url: str, sender: str) -> Dict[str, Any]:
    answer = rasa_api(rasa_url, "GET", f"/conversations/{sender}/tracker")
    answer.raise_for_status()
    return answer.json()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s\n{log.read_text()[-4000:]}")


@contextmanager
def running_assistant(model: Path, env: Optional[Dict[str, str]] = None, credentials: Optional[Path] = None,
                      rasa_port: Optional[int] = None, event_broker_db: Optional[Path] = None) -> Iterator[str]:
    """Action server + Rasa (the channels of ``credentials``, by default the project's; HTTP API) on free
    ports; yields Rasa's URL.

    ``env`` adds to the processes' environment (e.g. the backends' URL for the action server);
    ``event_broker_db``: Rasa publishes its events to an SQL event broker in that SQLite file.
    """
    workdir = Path(tempfile.mkdtemp(prefix="silkroad-"))
    action_port, rasa_port = free_port(), rasa_port or free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
                         '  enable_selective_domain: true\n'
                         f'  headers:\n    {ACTION_TOKEN_HEADER}: ${{SILKROAD_ACTION_SERVER_TOKEN}}\n' + (
        f'event_broker:\n  type: SQL\n  dialect: sqlite\n  db: "{event_broker_db}"\n' if event_broker_db else ""))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
           **(env or {})}
    processes: List[subprocess.Popen] = []
    try:
        action_log = workdir / "actions.log"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "actions.server", "--port", str(action_port)],
            cwd=ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT,
        ))
        rasa_log = workdir / "rasa.log"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "bot.server", "--model", str(model), "--endpoints", str(endpoints),
             "--credentials", str(credentials or ROOT / "credentials.yml"), "--port", str(rasa_port)],
            cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
        ))
        wait_until_up(f"http://127.0.0.1:{action_port}/health", processes[0], action_log)
        url = f"http://127.0.0.1:{rasa_port}"
        wait_until_up(f"{url}/", processes[1], rasa_log)
        register_access(url, RasaAccess(url, action_url=f"http://127.0.0.1:{action_port}"))
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def say(rasa_url: str, text: str, sender: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
    """One message through Rasa's REST webhook (a new conversation unless ``sender`` is given); the bot's answers."""
    body: Dict[str, Any] = {"sender": sender or f"test-{uuid.uuid4().hex[:8]}", "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    token = access_of(rasa_url).rest_token
    reply = requests.post(f"{rasa_url}/webhooks/rest/webhook", json=body, timeout=60,
                          headers={"Authorization": f"Bearer {token}"} if token else {})
    reply.raise_for_status()
    return reply.json()


def say_texts(rasa_url: str, text: str, sender: Optional[str] = None,
              metadata: Optional[Dict[str, Any]] = None) -> List[str]:
    """The texts of the bot's answers to one message."""
    return [message.get("text", "") for message in say(rasa_url, text, sender, metadata)]
