"""The SQL overlap function agrees with a plain count of shared minutes and with the
Python overlap (candidates.hours), on either side of a daylight saving change."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.hours import minutes_overlap, overlap_hours, utc_window
from candidates.models import Skill
from candidates.tasks import refresh_utc_windows
from searches.engine import Criteria, Must, search
from tests.factories import EmployerFactory
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db


def shared_minutes(a: tuple[int, int], b: tuple[int, int]) -> int:
    def minutes(start: int, end: int) -> set[int]:
        length = (end - start) % 1440 or 1440
        return {(start + i) % 1440 for i in range(length)}

    return len(minutes(*a) & minutes(*b))


def test_it_matches_a_minute_by_minute_count() -> None:
    rng = random.Random(4)
    cases = [
        ((300, 840), (540, 1020)),
        ((1200, 180), (60, 600)),
        ((0, 0), (100, 200)),
        ((900, 900), (900, 900)),
        ((1380, 60), (1410, 30)),
    ]
    cases += [
        (
            (rng.randrange(0, 1440, 30), rng.randrange(0, 1440, 30)),
            (rng.randrange(0, 1440, 30), rng.randrange(0, 1440, 30)),
        )
        for _ in range(150)
    ]
    with connection.cursor() as cursor:
        for a, b in cases:
            cursor.execute("SELECT karigar_minutes_overlap(%s, %s, %s, %s)", [*a, *b])
            assert cursor.fetchone()[0] == shared_minutes(a, b), (a, b)


def sql_minutes(a: tuple[int, int], b: tuple[int, int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT karigar_minutes_overlap(%s, %s, %s, %s)", [*a, *b])
        return int(cursor.fetchone()[0])


def test_python_counts_the_same_minutes_as_the_sql_function() -> None:
    rng = random.Random(9)
    cases = [
        ((rng.randrange(1440), rng.randrange(1440)), (rng.randrange(1440), rng.randrange(1440)))
        for _ in range(200)
    ]
    cases += [((300, 840), (540, 1020)), ((1200, 180), (60, 600)), ((900, 900), (0, 1439))]
    for a, b in cases:
        assert minutes_overlap(a, b) == sql_minutes(a, b) == shared_minutes(a, b), (a, b)


WORKDAY = (time(9), time(17))
LAHORE_DAY = (time(10), time(19))
CHANGES = [  # a date on each side of each 2026 change
    ("America/New_York", date(2026, 3, 7), date(2026, 3, 9)),
    ("America/New_York", date(2026, 10, 31), date(2026, 11, 2)),
    ("Europe/London", date(2026, 3, 28), date(2026, 3, 30)),
    ("Europe/London", date(2026, 10, 24), date(2026, 10, 26)),
]
PAIRS = [
    (("Asia/Karachi", *LAHORE_DAY), ("America/New_York", *WORKDAY)),
    (("Asia/Karachi", (time(14)), time(23)), ("America/New_York", *WORKDAY)),
    (("Asia/Karachi", *LAHORE_DAY), ("Europe/London", *WORKDAY)),
    (("Europe/Berlin", *WORKDAY), ("Europe/London", *WORKDAY)),
    (("Asia/Karachi", time(18), time(3)), ("Europe/Berlin", *WORKDAY)),
]


@pytest.mark.parametrize(("zone", "before", "after"), CHANGES, ids=lambda v: str(v))
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0][0]}-{p[1][0]}")
def test_sql_and_python_agree_on_either_side_of_a_clock_change(
    zone: str, before: date, after: date, pair: Any
) -> None:
    a, b = pair
    for day in (before, after):
        windows = (utc_window(*a, day), utc_window(*b, day))
        minutes = sql_minutes(*windows)
        assert minutes == minutes_overlap(*windows)
        assert overlap_hours(*a, *b, on=day) == round(minutes / 60, 1)


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 7), 0.0), (date(2026, 3, 9), 1.0)], ids=["before", "after"]
)
def test_a_search_and_its_card_agree_with_python_on_the_overlap_after_the_change(
    client: Client, monkeypatch: pytest.MonkeyPatch, day: date, hours: float
) -> None:
    # Saved before the change; the web process and the beat task then live into ``day``.
    moment = datetime.combine(date(2026, 3, 7), time(12), tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    owner = EmployerFactory()
    company = owner.membership.company
    company.time_zone, company.work_starts, company.work_ends = "America/New_York", *WORKDAY
    company.save()
    lahori = engineer("Sana Javed", {"Python": "5"}, "30", 5)
    moment = datetime.combine(day, time(12), tzinfo=UTC)
    refresh_utc_windows()
    python = Skill.objects.get(name="Python").pk

    found = search(Criteria(must=[Must(python)], min_overlap_hours=1), company).results

    expected = overlap_hours("Asia/Karachi", *LAHORE_DAY, "America/New_York", *WORKDAY, on=day)
    assert expected == hours
    assert [p.pk for p in found] == ([lahori.pk] if hours >= 1 else [])
    client.force_login(owner)
    body = client.get(reverse("searches:browse"), {"skills": ["python"]}).content.decode()
    assert f"{hours:g} hours overlap with your working day" in body
