"""screening.slots.free_slots against a plain zoneinfo computation written here, across
daylight saving changes (New York in March 2027, Berlin in October 2027), weekends of
each side, windows past midnight, busy times and the notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import Weekend, WorkingDay
from screening.selectors import interviews as selectors
from screening.slots import free_slots
from tests.interviews.conftest import members_of

HOUR = timedelta(hours=1)
SAT_SUN = Weekend.days(Weekend.SAT_SUN)
FRI_SAT = Weekend.days(Weekend.FRI_SAT)

NEW_YORK = WorkingDay("America/New_York", time(9), time(17), SAT_SUN)
BERLIN = WorkingDay("Europe/Berlin", time(9), time(17), SAT_SUN)
LAHORE_EVENINGS = WorkingDay("Asia/Karachi", time(14), time(23), SAT_SUN)
LAHORE_DAYS = WorkingDay("Asia/Karachi", time(10), time(19), SAT_SUN)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def reference(
    organiser: WorkingDay,
    people: Sequence[WorkingDay],
    length: timedelta,
    after: datetime,
    busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[tuple[datetime, datetime]]:
    """Every UTC half hour tried one by one, each person's day built with zoneinfo on
    that very date."""
    home = ZoneInfo(organiser.time_zone)
    earliest = after + timedelta(hours=12)
    dates: list[date] = []
    day = after.astimezone(home).date() + timedelta(days=1)
    while len(dates) < 10:
        if day.weekday() not in organiser.weekend:
            dates.append(day)
        day += timedelta(days=1)
    moment = earliest.replace(minute=0, second=0, microsecond=0)
    stop = datetime.combine(dates[-1] + timedelta(days=1), time(0), tzinfo=home)
    found = []
    while moment < stop:
        end = moment + length
        if (
            moment >= earliest
            and moment.astimezone(home).date() in dates
            and all(_works(person, moment, end) for person in people)
            and not any(b_start < end and moment < b_end for b_start, b_end in busy)
        ):
            found.append((moment, end))
        moment += timedelta(minutes=30)
    return found


def _works(person: WorkingDay, start: datetime, end: datetime) -> bool:
    zone = ZoneInfo(person.time_zone)
    local_day = start.astimezone(zone).date()
    for day in (local_day - timedelta(days=1), local_day):
        if day.weekday() in person.weekend:
            continue
        opens = datetime.combine(day, person.starts, tzinfo=zone)
        closes_on = day if person.ends > person.starts else day + timedelta(days=1)
        closes = datetime.combine(closes_on, person.ends, tzinfo=zone)
        if opens <= start and end <= closes:
            return True
    return False


def slots(
    organiser: WorkingDay,
    people: Sequence[WorkingDay],
    length: timedelta,
    after: datetime,
    busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[tuple[datetime, datetime]]:
    found = free_slots(
        organiser=organiser, participants=people, busy=busy, length=length, after=after
    )
    return [(s.starts, s.ends) for s in found]


def starts_on(found: list[tuple[datetime, datetime]], day: date) -> list[datetime]:
    return [s for s, _ in found if s.date() == day]


def test_it_follows_new_york_across_the_march_change_and_agrees_with_zoneinfo() -> None:
    after = utc(2027, 3, 8, 12)  # Monday; the US moves its clocks on Sunday 14 March
    found = slots(NEW_YORK, [NEW_YORK, LAHORE_EVENINGS], HOUR, after)

    assert found == reference(NEW_YORK, [NEW_YORK, LAHORE_EVENINGS], HOUR, after)
    # Before the change New York opens at 14:00 UTC (EST), after it at 13:00 UTC (EDT);
    # Lahore has no daylight saving: its evening ends at 18:00 UTC on both days.
    assert starts_on(found, date(2027, 3, 12))[0] == utc(2027, 3, 12, 14)
    assert starts_on(found, date(2027, 3, 15))[0] == utc(2027, 3, 15, 13)
    assert starts_on(found, date(2027, 3, 12))[-1] == utc(2027, 3, 12, 17)
    assert starts_on(found, date(2027, 3, 15))[-1] == utc(2027, 3, 15, 17)
    new_york = ZoneInfo("America/New_York")
    assert {s.astimezone(new_york).time() for s, _ in found} >= {time(9), time(12)}
    assert all(time(9) <= s.astimezone(new_york).time() for s, _ in found)
    # Ten New York working days from Tuesday 9 March: nothing on weekends, up to the 22nd.
    days = sorted({s.astimezone(new_york).date() for s, _ in found})
    assert days[0] == date(2027, 3, 9) and days[-1] == date(2027, 3, 22)
    assert len(days) == 10
    assert all(d.weekday() < 5 for d in days)


def test_it_follows_berlin_across_the_october_change_and_agrees_with_zoneinfo() -> None:
    after = utc(2027, 10, 25, 6)  # Monday; the EU moves its clocks on Sunday 31 October
    found = slots(BERLIN, [BERLIN, LAHORE_DAYS], HOUR, after)

    assert found == reference(BERLIN, [BERLIN, LAHORE_DAYS], HOUR, after)
    # Berlin opens at 07:00 UTC in summer time and 08:00 UTC in winter time; Lahore's
    # day ends at 14:00 UTC on both sides of the change.
    assert starts_on(found, date(2027, 10, 29))[0] == utc(2027, 10, 29, 7)
    assert starts_on(found, date(2027, 11, 1))[0] == utc(2027, 11, 1, 8)
    assert starts_on(found, date(2027, 10, 29))[-1] == utc(2027, 10, 29, 13)
    assert starts_on(found, date(2027, 11, 1))[-1] == utc(2027, 11, 1, 13)
    assert len(starts_on(found, date(2027, 10, 29))) == 13
    assert len(starts_on(found, date(2027, 11, 1))) == 11


def test_it_keeps_each_sides_weekend_a_friday_saturday_company_and_a_sat_sun_engineer() -> None:
    company = WorkingDay("Asia/Karachi", time(9), time(18), FRI_SAT)
    after = utc(2027, 3, 1, 0)  # Monday
    found = slots(company, [company, LAHORE_DAYS], HOUR, after)

    assert found == reference(company, [company, LAHORE_DAYS], HOUR, after)
    weekdays = {s.astimezone(ZoneInfo("Asia/Karachi")).weekday() for s, _ in found}
    # The company works Sunday to Thursday, the engineer Monday to Friday.
    assert weekdays == {0, 1, 2, 3}
    # Sundays count among the company's ten working days from Tuesday 2 March (7 and 14
    # March), so they end on Monday 15 March.
    last = max(s for s, _ in found).astimezone(ZoneInfo("Asia/Karachi")).date()
    assert last == date(2027, 3, 15)


def test_a_teammates_own_weekend_and_zone_count_too() -> None:
    berlin_mate = WorkingDay("Europe/Berlin", time(8), time(16), frozenset({0}))  # Mondays off
    after = utc(2027, 10, 25, 6)
    found = slots(BERLIN, [BERLIN, berlin_mate, LAHORE_DAYS], HOUR, after)

    assert found == reference(BERLIN, [BERLIN, berlin_mate, LAHORE_DAYS], HOUR, after)
    assert found
    assert all(s.weekday() != 0 for s, _ in found)


def test_a_window_past_midnight_belongs_to_the_day_it_starts() -> None:
    night = WorkingDay("Asia/Karachi", time(18), time(3), SAT_SUN)  # 13:00-22:00 UTC
    after = utc(2027, 3, 8, 0)
    found = slots(NEW_YORK, [NEW_YORK, night], HOUR, after)

    assert found == reference(NEW_YORK, [NEW_YORK, night], HOUR, after)
    # 19:30 UTC is 00:30 in Lahore on Wednesday, still Tuesday's working evening.
    assert (utc(2027, 3, 9, 19, 30), utc(2027, 3, 9, 20, 30)) in found
    # New York's day ends at 22:00 UTC in winter, 21:00 UTC in summer.
    assert starts_on(found, date(2027, 3, 12))[-1] == utc(2027, 3, 12, 21)
    assert starts_on(found, date(2027, 3, 15))[-1] == utc(2027, 3, 15, 20)


def test_busy_times_are_left_out_and_touching_ends_are_free() -> None:
    after = utc(2027, 3, 8, 0)
    busy = [(utc(2027, 3, 9, 8), utc(2027, 3, 9, 9))]
    found = slots(LAHORE_DAYS, [LAHORE_DAYS], HOUR, after, busy)

    assert found == reference(LAHORE_DAYS, [LAHORE_DAYS], HOUR, after, busy)
    on_tuesday = starts_on(found, date(2027, 3, 9))
    assert utc(2027, 3, 9, 7) in on_tuesday  # ends as the busy time begins
    assert utc(2027, 3, 9, 9) in on_tuesday  # begins as it ends
    assert not {utc(2027, 3, 9, 7, 30), utc(2027, 3, 9, 8), utc(2027, 3, 9, 8, 30)} & set(
        on_tuesday
    )


def test_nothing_starts_within_twelve_hours_and_every_slot_is_on_the_half_hour() -> None:
    after = utc(2027, 3, 9, 0, 10)  # 05:10 in Lahore
    found = slots(LAHORE_DAYS, [LAHORE_DAYS], timedelta(minutes=45), after)

    assert found == reference(LAHORE_DAYS, [LAHORE_DAYS], timedelta(minutes=45), after)
    assert min(s for s, _ in found) >= after + timedelta(hours=12)
    assert all(s.minute in (0, 30) and s.second == 0 for s, _ in found)
    assert all(e - s == timedelta(minutes=45) for s, e in found)


def test_no_common_hours_means_no_slots() -> None:
    early = WorkingDay("Asia/Karachi", time(6), time(9), SAT_SUN)  # 01:00-04:00 UTC
    assert slots(NEW_YORK, [NEW_YORK, early], HOUR, utc(2027, 3, 8)) == []


# Through the models: the company's, a teammate's and the engineer's own working days ---


def test_a_new_york_team_proposes_times_to_a_lahore_engineer_across_the_march_change(
    owner: Any, teammate: Any, candidacy: Any
) -> None:
    company = candidacy.company
    company.time_zone, company.work_starts, company.work_ends = (
        "America/New_York",
        time(9),
        time(17),
    )
    company.save()
    profile = candidacy.profile
    profile.time_zone, profile.work_starts, profile.work_ends = "Asia/Karachi", time(14), time(23)
    profile.save()
    mate = teammate.membership  # works from Lahore late hours, with the company's weekend
    mate.time_zone, mate.work_starts, mate.work_ends = "Asia/Karachi", time(17), time(2)
    mate.save()
    after = utc(2027, 3, 8, 12)

    found = selectors.proposal(
        company=company,
        engineer=profile,
        interviewers=members_of(company, [owner, teammate]),
        length_minutes=60,
        now=after,
    ).free

    owner_day = NEW_YORK
    mate_day = WorkingDay("Asia/Karachi", time(17), time(2), SAT_SUN)
    expected = reference(NEW_YORK, [owner_day, mate_day, LAHORE_EVENINGS], HOUR, after)
    assert [(s.starts, s.ends) for s in found] == expected
    # The teammate opens at 12:00 UTC all month (no daylight saving in Lahore); New York
    # opens at 14:00 UTC before the change and 13:00 after it, and decides.
    assert starts_on(expected, date(2027, 3, 12))[0] == utc(2027, 3, 12, 14)
    assert starts_on(expected, date(2027, 3, 15))[0] == utc(2027, 3, 15, 13)


def test_a_berlin_team_proposes_times_across_the_october_change(owner: Any, candidacy: Any) -> None:
    company = candidacy.company
    company.time_zone, company.work_starts, company.work_ends = "Europe/Berlin", time(9), time(17)
    company.save()
    after = utc(2027, 10, 25, 6)

    found = selectors.proposal(
        company=company,
        engineer=candidacy.profile,  # Karachi, 10:00-19:00
        interviewers=members_of(company, [owner]),
        length_minutes=60,
        now=after,
    ).free

    assert [(s.starts, s.ends) for s in found] == reference(
        BERLIN, [BERLIN, LAHORE_DAYS], HOUR, after
    )
    assert starts_on([(s.starts, s.ends) for s in found], date(2027, 11, 1))[0] == utc(
        2027, 11, 1, 8
    )
