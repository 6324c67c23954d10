"""Times as the backends' JSON gives them: ISO 8601 (UTC, as stored), or null."""

from __future__ import annotations

from datetime import datetime
from typing import Optional


def iso_or_none(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment is not None else None
