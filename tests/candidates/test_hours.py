"""How many working hours two people in different time zones share, on a given date."""

from __future__ import annotations

from datetime import date, time

import pytest

from candidates.hours import overlap_hours

JANUARY = date(2026, 1, 15)
JULY = date(2026, 7, 15)
LAHORE = "Asia/Karachi"


def lahore_with(
    tz: str, starts: time, ends: time, on: date, *, lahore: tuple[time, time] = (time(10), time(19))
) -> float:
    return overlap_hours(LAHORE, lahore[0], lahore[1], tz, starts, ends, on=on)


def test_lahore_and_london_share_an_hour_more_in_the_british_summer() -> None:
    # Lahore 10-19 is 05-14 UTC all year; London 9-17 is 09-17 UTC in winter, 08-16 in summer.
    assert lahore_with("Europe/London", time(9), time(17), JANUARY) == 5.0
    assert lahore_with("Europe/London", time(9), time(17), JULY) == 6.0


def test_lahore_and_new_york_meet_only_when_new_york_keeps_daylight_time() -> None:
    assert lahore_with("America/New_York", time(9), time(17), JANUARY) == 0.0
    assert lahore_with("America/New_York", time(9), time(17), JULY) == 1.0


def test_a_lahore_evening_shift_covers_the_new_york_morning() -> None:
    shift = (time(14), time(23))  # 09-18 UTC

    assert lahore_with("America/New_York", time(9), time(17), JANUARY, lahore=shift) == 4.0


def test_an_overnight_shift_in_lahore_counts_the_hours_after_midnight() -> None:
    night = (time(18), time(3))  # 13-22 UTC, ending on the next calendar day in Lahore

    assert lahore_with("America/New_York", time(9), time(17), JANUARY, lahore=night) == 8.0
    assert lahore_with("America/Toronto", time(9), time(17), JULY, lahore=night) == 8.0


def test_an_overnight_shift_on_the_other_side_meets_a_lahore_day() -> None:
    # A San Francisco night shift, 20:00-04:00 PST, is 04:00-12:00 UTC the next day.
    hours = lahore_with("America/Los_Angeles", time(20), time(4), JANUARY)

    assert hours == 7.0


def test_days_that_never_meet_overlap_zero_hours() -> None:
    assert lahore_with("America/Los_Angeles", time(9), time(17), JANUARY) == 0.0
    assert lahore_with("Pacific/Honolulu", time(9), time(17), JULY) == 0.0


def test_half_hour_zones_give_half_hours() -> None:
    assert lahore_with("Asia/Kolkata", time(10), time(19), JANUARY) == 8.5


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York", "Asia/Dubai"])
def test_the_overlap_is_the_same_seen_from_either_side(tz: str) -> None:
    one_way = overlap_hours(LAHORE, time(10), time(19), tz, time(9), time(17), on=JANUARY)
    other_way = overlap_hours(tz, time(9), time(17), LAHORE, time(10), time(19), on=JANUARY)

    assert one_way == other_way


def test_the_same_zone_overlaps_by_the_shared_hours() -> None:
    assert overlap_hours(LAHORE, time(10), time(19), LAHORE, time(9), time(18), on=JULY) == 8.0
