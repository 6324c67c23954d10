"""Start the action server and the Rasa server as real processes for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
RASA = [sys.executable, "-m", "rasa"]


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
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n' + (
        f'event_broker:\n  type: SQL\n  dialect: sqlite\n  db: "{event_broker_db}"\n' if event_broker_db else ""))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
           **(env or {})}
    processes: List[subprocess.Popen] = []
    try:
        action_log = workdir / "actions.log"
        processes.append(subprocess.Popen(
            RASA + ["run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT,
        ))
        rasa_log = workdir / "rasa.log"
        processes.append(subprocess.Popen(
            RASA + ["run", "--model", str(model), "--endpoints", str(endpoints),
                    "--credentials", str(credentials or ROOT / "credentials.yml"), "--enable-api", "--cors", "*",
                    "--port", str(rasa_port), "--interface", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
        ))
        wait_until_up(f"http://127.0.0.1:{action_port}/health", processes[0], action_log)
        url = f"http://127.0.0.1:{rasa_port}"
        wait_until_up(f"{url}/status", processes[1], rasa_log)
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
    reply = requests.post(f"{rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
    reply.raise_for_status()
    return reply.json()


def say_texts(rasa_url: str, text: str, sender: Optional[str] = None,
              metadata: Optional[Dict[str, Any]] = None) -> List[str]:
    """The texts of the bot's answers to one message."""
    return [message.get("text", "") for message in say(rasa_url, text, sender, metadata)]
