"""Canned replies: loaded from ``backends/seed_data/canned_replies.yml`` (idempotent: a reply is known by its
language and title, and its text is updated), listed per language for the console's picker."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.models import CannedReply

SEED_FILE = Path(__file__).resolve().parent.parent / "seed_data" / "canned_replies.yml"


def load_canned_replies(session: Session, path: Optional[Path] = None) -> int:
    data = yaml.safe_load((path or SEED_FILE).read_text(encoding="utf-8"))["canned_replies"]
    known = {(r.language, r.title): r for r in session.execute(select(CannedReply)).scalars()}
    added = 0
    for language, replies in data.items():
        for reply in replies:
            row = known.get((language, reply["title"]))
            if row is None:
                session.add(CannedReply(language=language, title=reply["title"], text=reply["text"]))
                added += 1
            else:
                row.text = reply["text"]
    session.flush()
    return added


def canned_replies(session: Session, language: str) -> List[CannedReply]:
    return list(session.execute(select(CannedReply).where(CannedReply.language == language)
                                .order_by(CannedReply.id)).scalars())
