"""Working hours across time zones: local times, working days as UTC minutes, and how
much two working days overlap.

There is one definition of overlap, on UTC-minute windows: ``utc_window`` turns a
local working day into minutes after midnight UTC on a given date, and
``minutes_overlap`` counts the minutes two such windows share. Profiles store their
window (``work_start_utc``/``work_end_utc``) and searches compare it in SQL with
``karigar_minutes_overlap`` (migration searches/0003), the same arithmetic as
``minutes_overlap`` written as one SQL expression; tests/searches/test_overlap_sql.py
holds the two to the same answers.

The date is always explicit: daylight saving moves a zone's window (Lahore and
London share an hour more in the British summer), so an answer is only ever kept
together with the date it is for.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone

DAY = 1440  # minutes


@lru_cache(maxsize=4096)  # keyed by the date too: every zone, a few days
def utc_offset_minutes(tz_name: str, on: date) -> int:
    """The zone's offset from UTC on a date, in minutes, as it stands at local noon.

    Noon, so that a whole day has one offset: clocks change at night, and the day
    of a change counts as already changed."""
    offset = datetime.combine(on, time(12), tzinfo=ZoneInfo(tz_name)).utcoffset()
    return int((offset or timedelta()).total_seconds() // 60)


def utc_window(tz_name: str, starts: time, ends: time, on: date) -> tuple[int, int]:
    """A local working day as minutes after midnight UTC on a date (each end 0..1439).

    A window may wrap past midnight UTC (start > end): Lahore 18:00-03:00 is 780-1320
    but San Francisco 20:00-04:00 in winter is 240-720 of the next UTC day."""
    offset = utc_offset_minutes(tz_name, on)
    return (
        (starts.hour * 60 + starts.minute - offset) % DAY,
        (ends.hour * 60 + ends.minute - offset) % DAY,
    )


def minutes_overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Minutes that two daily UTC windows share; either may wrap past midnight.

    Window A is laid out from its start; B is tried a day earlier, the same day and a
    day later, and the three overlaps are added. karigar_minutes_overlap is this,
    term for term, in SQL."""
    a_start, a_end = a
    b_start, b_end = b
    a_stop = a_start + (a_end - a_start + DAY - 1) % DAY + 1
    b_length = (b_end - b_start + DAY - 1) % DAY + 1
    return sum(
        max(0, min(a_stop, b_start + shift + b_length) - max(a_start, b_start + shift))
        for shift in (-DAY, 0, DAY)
    )


def overlap_hours(
    a_tz: str,
    a_starts: time,
    a_ends: time,
    b_tz: str,
    b_starts: time,
    b_ends: time,
    *,
    on: date,
) -> float:
    """Hours that working day A (in its zone) shares with working day B (in its zone)
    on the date ``on``, to a tenth of an hour."""
    shared = minutes_overlap(
        utc_window(a_tz, a_starts, a_ends, on), utc_window(b_tz, b_starts, b_ends, on)
    )
    return round(shared / 60, 1)


def local_time(tz_name: str, at: datetime | None = None) -> datetime:
    return (at or timezone.now()).astimezone(ZoneInfo(tz_name))
