"""Idempotency keys: the first outcome of a request is kept and returned again.

A key belongs to the caller (its scope is the actor), so keys never collide
across buyers, and nobody can read another caller's stored outcome. The same
key with a different request is refused rather than silently answered.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any, Dict, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from backends.escrow.errors import IdempotencyKeyReused, InvalidRequest
from backends.models import IdempotencyRecord

KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")


def check_key(key: Optional[str]) -> str:
    if not key or not KEY_PATTERN.fullmatch(key):
        raise InvalidRequest(
            "every mutating call needs an Idempotency-Key: 1 to 200 printable ASCII characters, "
            "the same for retries of one request and new for each new request", "idempotency_key_required")
    return key


def fingerprint(operation: str, target: str, params: Dict[str, Any]) -> str:
    """What was asked, canonically: the same request always gives the same fingerprint."""
    canonical = json.dumps([operation, target, params], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def find(session: Session, scope: str, key: str, expected_fingerprint: str) -> Optional[IdempotencyRecord]:
    record = session.execute(
        select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    ).scalar_one_or_none()
    if record is not None and record.fingerprint != expected_fingerprint:
        raise IdempotencyKeyReused(
            f"Idempotency-Key {key!r} was used for a different request ({record.operation}); "
            "use a new key for a new request")
    return record


def remember(session: Session, scope: str, key: str, fingerprint_: str, operation: str, ok: bool,
             response: Dict[str, Any], at: datetime) -> None:
    session.add(IdempotencyRecord(
        scope=scope, key=key, fingerprint=fingerprint_, operation=operation, outcome="ok" if ok else "refused",
        response=json.dumps(response, sort_keys=True, default=str), created_at=at))
    session.flush()  # a concurrent twin's insert collides here, and the caller retries


def stored_response(record: IdempotencyRecord) -> Dict[str, Any]:
    return json.loads(record.response)
