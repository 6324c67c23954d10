"""Bring a database to the newest schema: ``python -m backends.migrate``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config

from backends.settings import load_settings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(database_url: Optional[str] = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url or load_settings().database_url
    return config


def upgrade(database_url: Optional[str] = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: Optional[str] = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else None)
    print("database schema is up to date")
