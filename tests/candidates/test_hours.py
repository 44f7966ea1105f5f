"""How many working hours two people in different time zones share, on a given date."""

from __future__ import annotations

from datetime import date, time

import pytest

from candidates.hours import overlap_hours, utc_window

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


# Daylight saving: the answer follows the date asked about ----------------------------


@pytest.mark.parametrize(
    ("tz", "before", "after", "hours_before", "hours_after"),
    [
        # Lahore 10-19 is 05-14 UTC. New York 9-17 is 14-22 UTC in winter, 13-21 in summer.
        ("America/New_York", date(2026, 3, 7), date(2026, 3, 9), 0.0, 1.0),
        ("America/New_York", date(2026, 10, 31), date(2026, 11, 2), 1.0, 0.0),
        # London 9-17 is 09-17 UTC in winter, 08-16 in summer.
        ("Europe/London", date(2026, 3, 28), date(2026, 3, 30), 5.0, 6.0),
        ("Europe/London", date(2026, 10, 24), date(2026, 10, 26), 6.0, 5.0),
    ],
)
def test_one_process_asked_on_either_side_of_a_clock_change_gives_both_answers(
    tz: str, before: date, after: date, hours_before: float, hours_after: float
) -> None:
    # A web or worker process lives across the change: the second answer must not be
    # the first one remembered.
    assert lahore_with(tz, time(9), time(17), before) == hours_before
    assert lahore_with(tz, time(9), time(17), after) == hours_after
    assert lahore_with(tz, time(9), time(17), before) == hours_before


def test_the_utc_window_of_a_zone_is_never_remembered_without_its_date() -> None:
    winter = utc_window("America/New_York", time(9), time(17), date(2026, 3, 7))
    summer = utc_window("America/New_York", time(9), time(17), date(2026, 3, 9))

    assert (winter, summer) == ((840, 1320), (780, 1260))
    with pytest.raises(TypeError):
        utc_window("America/New_York", time(9), time(17))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        overlap_hours(LAHORE, time(10), time(19), "Europe/London", time(9), time(17))  # type: ignore[call-arg]


def test_berlin_and_london_keep_their_shared_hours_across_both_changes() -> None:
    # Both move on the same night (29 March, 25 October 2026): always seven hours.
    for day in (date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 24), date(2026, 10, 26)):
        shared = overlap_hours(
            "Europe/Berlin", time(9), time(17), "Europe/London", time(9), time(17), on=day
        )
        assert shared == 7.0
