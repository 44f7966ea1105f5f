"""Free interview slots: times inside every participant's working day, on nobody's
weekend, clear of their other interviews.

Pure: no database, no clock. Callers pass the participants' working days, the busy
intervals and the moment to count from, so the same answer comes back in a test.

Every local time is turned into UTC with the zone's rules *on that date*
(``datetime.combine(day, local, tzinfo=ZoneInfo(zone))``): an offset is never kept
apart from its date, since New York and Berlin move their clocks and Lahore does not.

The rules:

- The dates. The company (the organiser) works on some weekdays; the slots cover its
  next ``days`` working dates: the ones after the start moment's date in its zone
  (today is never one of them; the notice rules out most of it anyway). A slot counts
  for the organiser's date it starts on.
- The grid. Slots start on the half hour in UTC (and so on the half hour in every zone
  whose offset is a whole half hour: Lahore, New York, Berlin, Kolkata...).
- Notice. A slot starts at least ``notice`` (12 hours) after the start moment.
- Working hours. A participant works from ``starts`` to ``ends`` local time on each of
  their working dates; when ``ends`` is not after ``starts`` the window runs past local
  midnight into the next date and belongs to the date it began on (its weekday decides
  whether it is a weekend). A slot lies entirely inside one such window of every
  participant.
- Busy. A slot shares no moment with a busy interval (intervals are half-open: an
  interview ending at 10:00 leaves 10:00 free).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from accounts.models import WorkingDay

STEP = timedelta(minutes=30)
NOTICE = timedelta(hours=12)
WORKING_DAYS = 10
#: A participant's local date can be a day away from the organiser's either side; a
#: window can run into the next date. Two days of margin covers both.
MARGIN_DAYS = 2

Interval = tuple[datetime, datetime]


class Slot(NamedTuple):
    starts: datetime  # UTC
    ends: datetime  # UTC


def _utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall time on a local date, as a UTC moment (the zone's rules that date)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def working_dates(organiser: WorkingDay, first: date, days: int) -> list[date]:
    """The organiser's next ``days`` working dates from ``first`` (included)."""
    dates: list[date] = []
    day = first
    while len(dates) < days:
        if day.weekday() not in organiser.weekend:
            dates.append(day)
        day += timedelta(days=1)
    return dates


def windows(person: WorkingDay, first: date, last: date) -> list[Interval]:
    """The person's working windows (UTC) that begin on their local dates first..last,
    weekends left out, in order. Windows are never merged: two that touch stay two,
    so a slot inside one of them is inside one working day."""
    zone = ZoneInfo(person.time_zone)
    wraps = person.ends <= person.starts
    found: list[Interval] = []
    day = first
    while day <= last:
        if day.weekday() not in person.weekend:
            start = _utc(day, person.starts, zone)
            end = _utc(day + timedelta(days=1) if wraps else day, person.ends, zone)
            if end > start:
                found.append((start, end))
        day += timedelta(days=1)
    return found


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The moments in both lists (each sorted and non-overlapping); each piece lies
    inside one interval of ``a`` and one of ``b``."""
    pieces: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            pieces.append((start, end))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return pieces


def subtract(pieces: Sequence[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """``pieces`` with every busy moment taken out."""
    blocked = sorted(b for b in busy if b[0] < b[1])
    left: list[Interval] = []
    for start, end in pieces:
        cursor = start
        for b_start, b_end in blocked:
            if b_end <= cursor or b_start >= end:
                continue
            if b_start > cursor:
                left.append((cursor, b_start))
            cursor = max(cursor, b_end)
            if cursor >= end:
                break
        if cursor < end:
            left.append((cursor, end))
    return left


def _on_grid(moment: datetime, step: timedelta) -> datetime:
    """The first grid moment at or after ``moment`` (the grid counts from the UTC epoch)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    steps = -((epoch - moment) // step)  # ceiling division
    return epoch + steps * step


def free_slots(
    *,
    organiser: WorkingDay,
    participants: Iterable[WorkingDay],
    busy: Iterable[Interval] = (),
    length: timedelta,
    after: datetime,
    days: int = WORKING_DAYS,
    notice: timedelta = NOTICE,
    step: timedelta = STEP,
) -> list[Slot]:
    """Every slot of ``length`` on the grid that fits the rules above, earliest first."""
    if after.tzinfo is None:
        raise ValueError("`after` must be an aware datetime.")
    earliest = after.astimezone(UTC) + notice
    organiser_zone = ZoneInfo(organiser.time_zone)
    today = after.astimezone(organiser_zone).date()
    dates = set(working_dates(organiser, today + timedelta(days=1), days))
    first = min(dates) - timedelta(days=MARGIN_DAYS)
    last = max(dates) + timedelta(days=MARGIN_DAYS)
    # Everyone's windows, intersected; a piece is inside one window of each person.
    pieces: list[Interval] | None = None
    for person in participants:
        own = windows(person, first, last)
        pieces = own if pieces is None else intersect(pieces, own)
    if pieces is None:  # nobody to meet
        return []
    slots: list[Slot] = []
    for start, end in subtract(pieces, busy):
        moment = _on_grid(max(start, earliest), step)
        while moment + length <= end:
            if moment.astimezone(organiser_zone).date() in dates:
                slots.append(Slot(moment, moment + length))
            moment += step
    return slots
