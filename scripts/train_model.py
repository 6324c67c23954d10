"""Train the model only when what it is built from changed; print its path.

The model's name carries a fingerprint of its inputs: config.yml, the domain,
the training data, the project's NLU components that config.yml names (and the
``bot`` modules they import), and the pinned requirements. An existing model
with the same fingerprint is reused as it is.

    python -m scripts.train_model          # train if needed, print the path
    python -m scripts.train_model --check  # print the path, exit 1 if missing
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Set

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
MODEL_PREFIX = "silkroad-"
KEEP_MODELS = 3
_BOT_IMPORT = re.compile(r"^\s*(?:from|import)\s+(bot(?:\.\w+)+)", re.MULTILINE)
_BOT_COMPONENT = re.compile(r"name:\s*(bot(?:\.\w+)+)\.\w+")


def _files_under(path: Path) -> Iterable[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and "__pycache__" not in child.parts:
                yield child


def component_modules(root: Path = ROOT) -> List[Path]:
    """The bot modules config.yml's pipeline is built from, with their bot imports."""
    pending = _BOT_COMPONENT.findall((root / "config.yml").read_text(encoding="utf-8"))
    seen: Set[Path] = set()
    while pending:
        module_path = root / (pending.pop().replace(".", "/") + ".py")
        if module_path in seen or not module_path.is_file():
            continue
        seen.add(module_path)
        pending.extend(_BOT_IMPORT.findall(module_path.read_text(encoding="utf-8")))
    return sorted(seen)


def model_inputs(root: Path = ROOT) -> List[Path]:
    files: List[Path] = []
    for name in ("config.yml", "domain", "data", "requirements.txt"):
        files.extend(_files_under(root / name))
    files.extend(component_modules(root))
    return sorted(set(files))


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    return root / "models" / f"{MODEL_PREFIX}{fingerprint(root)}.tar.gz"


def _prune_old_models(keep: Path) -> None:
    models = sorted(
        (p for p in MODELS.glob(f"{MODEL_PREFIX}*.tar.gz") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in models[KEEP_MODELS - 1 :]:
        old.unlink()


def ensure_model(root: Path = ROOT) -> Path:
    target = model_path(root)
    if target.exists():
        return target
    print(f"[silkroad] training {target.name} (data, config or components changed)", file=sys.stderr)
    subprocess.run(
        [
            sys.executable, "-m", "rasa", "train",
            "--config", str(root / "config.yml"),
            "--domain", str(root / "domain"),
            "--data", str(root / "data"),
            "--out", str(root / "models"),
            "--fixed-model-name", target.name[: -len(".tar.gz")],
        ],
        cwd=root,
        check=True,
        stdout=sys.stderr,  # stdout carries only the model's path
        # Same inputs, same model: CI gets the model whose figures were measured.
        env={**os.environ, "TF_DETERMINISTIC_OPS": "1", "PYTHONHASHSEED": "0"},
    )
    if not target.exists():
        raise SystemExit(f"rasa train finished but {target} is missing")
    _prune_old_models(target)
    return target


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only print the path; exit 1 if not trained")
    args = parser.parse_args(argv)
    if args.check:
        target = model_path()
        print(target)
        return 0 if target.exists() else 1
    print(ensure_model())
    return 0


if __name__ == "__main__":
    sys.exit(main())
