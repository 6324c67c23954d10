"""Rasa's stock hello-world bot (the ``rasa init`` project shipped inside the installed Rasa), trained and run
as a baseline for the scale-out benchmark.

    python -m scripts.stock_bot --workdir /tmp/stockbot --port 5006      # train if needed, serve until Ctrl-C

    from scripts.stock_bot import prepare_stock_bot, running_stock_bot
    model = prepare_stock_bot(Path("/tmp/stockbot"))
    with running_stock_bot(model, 5006) as url:
        ...  # python -m scripts.load_test --url <url> --scenarios hello_world
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

MODEL_NAME = "stock"
START_TIMEOUT_S = 240.0
STOP_TIMEOUT_S = 20.0


def rasa_env() -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def initial_project_path() -> Path:
    """``rasa/cli/initial_project`` of the installed Rasa (found without importing Rasa)."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.origin:
        raise RuntimeError("rasa is not installed")
    path = Path(spec.origin).parent / "cli" / "initial_project"
    if not (path / "domain.yml").is_file():
        raise RuntimeError(f"Rasa's initial project is not at {path}")
    return path


def prepare_stock_bot(workdir: Path) -> Path:
    """Copy Rasa's initial project into ``workdir`` and train it; the model ``<workdir>/models/stock.tar.gz``.

    An already trained model in ``workdir`` is reused. The training log is ``<workdir>/train.log``.
    """
    workdir = Path(workdir).resolve()
    model = workdir / "models" / f"{MODEL_NAME}.tar.gz"
    if model.is_file():
        return model
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(initial_project_path(), workdir, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    log = workdir / "train.log"
    with log.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--fixed-model-name", MODEL_NAME,
             "--out", str(workdir / "models")],
            cwd=workdir, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    if result.returncode != 0 or not model.is_file():
        raise RuntimeError(f"training the stock bot failed (exit {result.returncode}), see {log}:\n"
                           f"{log.read_text(errors='replace')[-4000:]}")
    return model


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextmanager
def running_stock_bot(model: Path, port: int, timeout: float = START_TIMEOUT_S,
                      log: Optional[Path] = None) -> Iterator[str]:
    """``rasa run`` of ``model`` on 127.0.0.1:``port`` with the REST channel and the HTTP API, no action server;
    yields its URL once ``GET /status`` answers. Stopped at exit: terminate, then kill after 20 s."""
    rundir = Path(tempfile.mkdtemp(prefix="stockbot-run-"))
    credentials = rundir / "credentials.yml"
    credentials.write_text("rest:\n")
    log = Path(log) if log else rundir / "rasa.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "--model", str(Path(model).resolve()), "--port", str(port),
             "--interface", "127.0.0.1", "--enable-api", "--credentials", str(credentials)],
            cwd=rundir, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + timeout
        while not _answers(f"{url}/status"):
            if process.poll() is not None:
                raise RuntimeError(f"the stock bot exited with {process.returncode}:\n"
                                   f"{log.read_text(errors='replace')[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stock bot did not answer {url}/status in {timeout:.0f} s:\n"
                                   f"{log.read_text(errors='replace')[-4000:]}")
            time.sleep(0.5)
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.stock_bot", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "stockbot")
    parser.add_argument("--port", type=int, default=5006)
    args = parser.parse_args(argv)
    model = prepare_stock_bot(args.workdir)
    print(f"model: {model}", flush=True)
    with running_stock_bot(model, args.port) as url:
        print(f"stock bot at {url} (REST: {url}/webhooks/rest/webhook); Ctrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
