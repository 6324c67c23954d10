"""The marketplace backends as a real process on a free port, over a freshly seeded SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, Optional

from tests.servers import ROOT, free_port, wait_until_up


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
