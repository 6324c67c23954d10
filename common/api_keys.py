"""The backends' API keys: one kind of caller per key, stored as hashes.

``SILKROAD_BACKEND_API_KEYS`` lists ``<kind>:sha256:<hex digest of the key>`` entries, comma-separated; a
kind may have several (rotation: the old and the new key both work until the old entry is removed). The
callers hold the keys themselves (the action server's ``SILKROAD_BACKEND_API_KEY``). ``python -m
common.secrets new-key <kind>`` makes a key and its entry."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Dict, FrozenSet, Iterable, Mapping, Optional

from common import development_secrets

KINDS = ("assistant", "shop", "seller_portal", "carrier", "payments", "scheduler")
_ENTRY = re.compile(r"^(?P<kind>[a-z_]+):sha256:(?P<digest>[0-9a-f]{64})$")


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def entry(kind: str, key: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of caller {kind!r}; one of: {', '.join(KINDS)}")
    return f"{kind}:sha256:{key_digest(key)}"


def entries(keys: Mapping[str, str]) -> str:
    """The setting's value for ``{kind: key}``."""
    return ",".join(entry(kind, key) for kind, key in keys.items())


def parse(raw: str) -> Dict[str, FrozenSet[str]]:
    """``{kind: digests}``; a malformed entry is refused, saying what an entry looks like."""
    found: Dict[str, set] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        match = _ENTRY.match(item)
        if match is None or match.group("kind") not in KINDS:
            shown = item.split(":", 1)[0] + ":…" if ":" in item else "…"
            raise ValueError(f"SILKROAD_BACKEND_API_KEYS: {shown!r} is not <kind>:sha256:<64 hex digits> with a kind "
                             f"among {', '.join(KINDS)} (make one with: python -m common.secrets new-key <kind>)")
        found.setdefault(match.group("kind"), set()).add(match.group("digest"))
    if not found:
        raise ValueError("SILKROAD_BACKEND_API_KEYS holds no key")
    return {kind: frozenset(digests) for kind, digests in found.items()}


def kind_of(key: Optional[str], digests: Mapping[str, Iterable[str]]) -> Optional[str]:
    """The kind of caller ``key`` belongs to, or None. Every stored digest is compared, in constant time."""
    if not key:
        return None
    given = key_digest(key).encode()
    kind = None
    for candidate, stored in digests.items():
        for digest in stored:
            if hmac.compare_digest(given, digest.encode()):
                kind = candidate
    return kind


DEVELOPMENT_ENTRIES = entries(development_secrets.BACKEND_API_KEYS)
DEVELOPMENT_DIGESTS = frozenset(key_digest(key) for key in development_secrets.BACKEND_API_KEYS.values())
