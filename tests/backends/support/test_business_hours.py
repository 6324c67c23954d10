"""The support team's hours (UTC): at work or not, and when it is back."""

from datetime import datetime, timezone

import pytest

from backends.support.business_hours import SupportHours


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


HOURS = SupportHours("Mon-Fri 06:00-18:00; Sat 08:00-12:00")


@pytest.mark.parametrize("moment,at_work", [
    (utc(2026, 11, 30, 6, 0), True),     # Monday, opening minute
    (utc(2026, 11, 30, 17, 59), True),
    (utc(2026, 11, 30, 18, 0), False),   # closing minute
    (utc(2026, 12, 5, 9, 30), True),     # Saturday morning
    (utc(2026, 12, 5, 12, 0), False),
    (utc(2026, 12, 6, 10, 0), False),    # Sunday
])
def test_at_work(moment, at_work):
    assert HOURS.at_work(moment) is at_work
    assert (HOURS.next_opening(moment) is None) is at_work


@pytest.mark.parametrize("moment,opens", [
    (utc(2026, 11, 30, 2, 0), utc(2026, 11, 30, 6, 0)),    # Monday night: this morning
    (utc(2026, 11, 30, 18, 0), utc(2026, 12, 1, 6, 0)),    # Monday evening: Tuesday
    (utc(2026, 12, 4, 19, 0), utc(2026, 12, 5, 8, 0)),     # Friday evening: Saturday's short day
    (utc(2026, 12, 5, 13, 0), utc(2026, 12, 7, 6, 0)),     # Saturday afternoon: Monday
])
def test_next_opening(moment, opens):
    assert HOURS.next_opening(moment) == opens


def test_a_time_zone_aware_moment_is_read_in_utc():
    from datetime import timedelta
    almaty = timezone(timedelta(hours=5))
    assert not HOURS.at_work(datetime(2026, 11, 30, 10, 0, tzinfo=almaty))  # 05:00 UTC: not yet
    assert HOURS.at_work(datetime(2026, 11, 30, 11, 0, tzinfo=almaty))  # 06:00 UTC


def test_round_the_clock_and_wrapping_day_ranges():
    always = SupportHours("Mon-Sun 00:00-24:00")
    assert always.at_work(utc(2026, 12, 6, 23, 59)) and always.next_opening(utc(2026, 12, 6, 23, 59)) is None
    weekend = SupportHours("Sat-Mon 10:00-11:00")
    assert weekend.at_work(utc(2026, 12, 6, 10, 30)) and weekend.at_work(utc(2026, 12, 7, 10, 30))
    assert not weekend.at_work(utc(2026, 12, 8, 10, 30))


@pytest.mark.parametrize("spec", ["", "Mon-Fri", "Funday 06:00-18:00", "Mon 18:00-06:00", "Mon 06:00-25:00",
                                  "Mon 06:70-08:00"])
def test_malformed_hours_are_refused_with_a_reason(spec):
    with pytest.raises(ValueError):
        SupportHours(spec)
