"""When a contract's weekly check-in falls due.

A check-in belongs to a week of the engineer's own calendar (``week_of`` is that
week's Monday) and falls due on the agreed weekday at the agreed local time in the
version's zone (the engineer's zone when the terms were written). Each due moment is
turned into UTC with zoneinfo for that very date, so its UTC hour follows the zone's
daylight saving: 16:00 in London is 16:00 UTC in winter and 15:00 UTC in summer,
while 16:00 in Lahore is 11:00 UTC all year, whatever New York's clocks do.
A local time that a spring-forward gap skips (01:30 in London on the last Sunday of
March) is read with the offset before the change (zoneinfo's ``fold=0``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hiring.models import Contract, ContractVersion

RUNNING = (Contract.Status.ACTIVE, Contract.Status.ENDING)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def localtime(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz_name))


def local_day(moment: datetime, tz_name: str) -> date:
    return localtime(moment, tz_name).date()


def week_now(version: ContractVersion, now: datetime) -> date:
    """The Monday of the engineer's current local week."""
    return monday_of(local_day(now, version.time_zone))


def due_day(version: ContractVersion, week_of: date) -> date:
    return week_of + timedelta(days=version.checkin_weekday)


def due_at(version: ContractVersion, week_of: date) -> datetime:
    """The week's due moment in UTC: the agreed weekday and local time in the version's
    zone, with that date's own offset."""
    local = datetime.combine(
        due_day(version, week_of), version.checkin_time, tzinfo=ZoneInfo(version.time_zone)
    )
    return local.astimezone(UTC)


def last_day(contract: Contract, version: ContractVersion) -> date | None:
    """The contract's last day: the end the notice set, else the agreed end (None: open)."""
    ends = [d for d in (contract.ends_on, version.end_on) if d is not None]
    return min(ends) if ends else None


def in_term(contract: Contract, version: ContractVersion, week_of: date) -> bool:
    """Whether that week's due moment falls inside the contract: on or after its start
    (the start date, and the moment both sides accepted) and on or before its last day."""
    day = due_day(version, week_of)
    if day < version.start_on:
        return False
    end = last_day(contract, version)
    if end is not None and day > end:
        return False
    return contract.started_at is None or due_at(version, week_of) >= contract.started_at


@dataclass(frozen=True)
class Week:
    """One check-in week as pages offer it: its Monday and due moment, and whether the
    contract has a check-in that week at all."""

    week_of: date
    due_at: datetime
    in_term: bool


def week(contract: Contract, version: ContractVersion, week_of: date) -> Week:
    return Week(week_of, due_at(version, week_of), in_term(contract, version, week_of))


def skippable_weeks(contract: Contract, version: ContractVersion, now: datetime) -> list[Week]:
    """The two weeks either side may skip: this one and the next (engineer's calendar)."""
    this = week_now(version, now)
    return [week(contract, version, this), week(contract, version, this + timedelta(days=7))]
