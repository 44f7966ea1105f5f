"""Working hours across time zones: local times and how much two working days overlap.

Computed on a real date with zoneinfo, so daylight saving moves the answer the
way it moves people's days (Lahore and London share an hour more in the British summer).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


def _interval(day: date, tz_name: str, starts: time, ends: time) -> tuple[datetime, datetime]:
    tz = ZoneInfo(tz_name)
    start = datetime.combine(day, starts, tzinfo=tz)
    end = datetime.combine(day, ends, tzinfo=tz)
    if end <= start:  # a working day that runs past midnight
        end += timedelta(days=1)
    return start, end


def overlap_hours(
    a_tz: str,
    a_starts: time,
    a_ends: time,
    b_tz: str,
    b_starts: time,
    b_ends: time,
    on: date | None = None,
) -> float:
    """Hours that working day A (in its zone) shares with working day B (in its zone).

    Day B is tried on the day before, of and after A's date, so days that fall on
    different calendar dates (Karachi evening and New York morning) still meet.
    """
    day = on or timezone.now().date()
    a_start, a_end = _interval(day, a_tz, a_starts, a_ends)
    shared = timedelta()
    for shift in (-1, 0, 1):
        b_start, b_end = _interval(day + timedelta(days=shift), b_tz, b_starts, b_ends)
        shared += max(timedelta(), min(a_end, b_end) - max(a_start, b_start))
    return round(shared.total_seconds() / 3600, 1)


def local_time(tz_name: str, at: datetime | None = None) -> datetime:
    return (at or timezone.now()).astimezone(ZoneInfo(tz_name))
