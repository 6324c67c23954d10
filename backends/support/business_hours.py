"""When the support team is at work, in UTC: ``SILKROAD_SUPPORT_HOURS``, e.g. "Mon-Fri 06:00-18:00; Sat 08:00-12:00"
(day ranges or lists, then one time range; "00:00-24:00" is the whole day)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import FrozenSet, List, Optional, Tuple

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENTRY = re.compile(r"^\s*([A-Za-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Shift:
    days: FrozenSet[int]  # 0 = Monday
    start: int  # minutes after midnight
    end: int  # minutes after midnight, up to 1440


class SupportHours:
    def __init__(self, spec: str):
        self.spec = spec.strip()
        self.shifts: Tuple[Shift, ...] = tuple(self._parse_entry(entry) for entry in self.spec.split(";")
                                                if entry.strip())
        if not self.shifts:
            raise ValueError("support hours are empty")

    @staticmethod
    def _days(text: str) -> FrozenSet[int]:
        days: List[int] = []
        for part in text.lower().replace(" ", "").split(","):
            ends = part.split("-")
            if len(ends) > 2 or any(end[:3] not in DAYS or len(end) < 3 for end in ends):
                raise ValueError(f"not a day or a day range: {part!r}")
            first, last = DAYS.index(ends[0][:3]), DAYS.index(ends[-1][:3])
            days.extend(range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)])
        return frozenset(days)

    def _parse_entry(self, entry: str) -> Shift:
        match = ENTRY.match(entry)
        if not match:
            raise ValueError(f"support hours: {entry.strip()!r} is not like 'Mon-Fri 06:00-18:00'")
        start_h, start_m, end_h, end_m = (int(g) for g in match.groups()[1:])
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if start_m > 59 or end_m > 59 or not 0 <= start < end <= 1440:
            raise ValueError(f"support hours: {entry.strip()!r} is not a time range within one day")
        return Shift(self._days(match.group(1)), start, end)

    def at_work(self, moment: datetime) -> bool:
        moment = moment.astimezone(timezone.utc)
        minute = moment.hour * 60 + moment.minute
        return any(moment.weekday() in s.days and s.start <= minute < s.end for s in self.shifts)

    def next_opening(self, moment: datetime) -> Optional[datetime]:
        """The next moment after ``moment`` the team starts work (None while it is at work)."""
        if self.at_work(moment):
            return None
        moment = moment.astimezone(timezone.utc)
        midnight = datetime.combine(moment.date(), time(0), tzinfo=timezone.utc)
        for day_offset in range(8):
            day = midnight + timedelta(days=day_offset)
            starts = sorted(day + timedelta(minutes=s.start) for s in self.shifts if day.weekday() in s.days)
            for start in starts:
                if start > moment:
                    return start
        raise AssertionError("unreachable: a non-empty weekly schedule opens within a week")

    def __str__(self) -> str:
        return f"{self.spec} UTC"
