"""Stored UTC working windows follow daylight saving: on save, for the day it is, and
through the hourly beat task for profiles nobody saves."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from celery.signals import task_postrun
from django.conf import settings
from django.utils import timezone

from candidates import services
from candidates.models import Profile
from candidates.tasks import refresh_utc_windows
from tests.factories import EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def on_day(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Every clock of this process reads noon UTC on ``day``."""
    moment = datetime.combine(day, time(12), tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def new_yorker(**fields: Any) -> Profile:
    return ProfileFactory(
        user=EngineerFactory(),
        time_zone="America/New_York",
        work_starts=time(9),
        work_ends=time(17),
        **fields,
    )


def window(profile: Profile) -> tuple[int, int]:
    profile.refresh_from_db()
    return profile.work_start_utc, profile.work_end_utc


def test_a_process_saving_a_profile_after_the_clocks_change_stores_the_new_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_day(monkeypatch, date(2026, 3, 7))
    profile = new_yorker()
    assert window(profile) == (840, 1320)  # 14:00-22:00 UTC, Eastern Standard Time

    on_day(monkeypatch, date(2026, 3, 9))  # the same process, two days later
    profile.headline = "Payments engineer"
    profile.save()

    assert window(profile) == (780, 1260)  # 13:00-21:00 UTC, Eastern Daylight Time


def test_the_beat_task_moves_a_new_york_window_after_the_change_and_then_does_nothing(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    on_day(monkeypatch, date(2026, 3, 7))
    profile = new_yorker()
    lahori = ProfileFactory(user=EngineerFactory(), time_zone="Asia/Karachi")
    assert refresh_utc_windows() == 0  # nothing to move before the change
    assert window(profile) == (840, 1320)

    on_day(monkeypatch, date(2026, 3, 9))
    assert refresh_utc_windows() == 1

    assert window(profile) == (780, 1260)
    assert window(lahori) == (300, 840)
    with django_assert_num_queries(0):
        assert refresh_utc_windows() == 0  # run again: nothing to do, not even a query


def test_the_beat_task_moves_windows_back_in_the_autumn_and_is_safe_without_its_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_day(monkeypatch, date(2026, 10, 24))
    londoner = ProfileFactory(
        user=EngineerFactory(), time_zone="Europe/London", work_starts=time(9), work_ends=time(17)
    )
    assert window(londoner) == (480, 960)

    on_day(monkeypatch, date(2026, 10, 26))
    assert services.profile_utc_windows_refresh(on=date(2026, 10, 26)) == 1
    assert window(londoner) == (540, 1020)
    # The record of what was applied is lost (a cache flush): the next run checks
    # every zone again and still changes nothing.
    from django.core.cache import cache

    cache.delete(services.UTC_OFFSETS_KEY)
    assert services.profile_utc_windows_refresh(on=date(2026, 10, 26)) == 0
    assert window(londoner) == (540, 1020)


def test_the_task_is_on_the_beat_schedule_every_hour() -> None:
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "candidates.tasks.refresh_utc_windows"
    )
    schedule = entry["schedule"]
    assert schedule.hour == set(range(24)) and len(schedule.minute) == 1


def test_a_worker_runs_the_task_and_moves_the_window(
    monkeypatch: pytest.MonkeyPatch, celery_worker: Any
) -> None:
    on_day(monkeypatch, date(2026, 3, 7))
    profile = new_yorker()
    on_day(monkeypatch, date(2026, 3, 9))
    done = threading.Event()
    results: list[Any] = []

    def finished(sender: Any = None, retval: Any = None, **kwargs: Any) -> None:
        if sender is not None and sender.name == refresh_utc_windows.name:
            results.append(retval)
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        refresh_utc_windows.delay()
        assert done.wait(timeout=30), "the worker did not run the task in time"
    finally:
        task_postrun.disconnect(finished)

    assert results == [1]
    assert window(profile) == (780, 1260)
