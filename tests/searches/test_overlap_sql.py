"""The SQL overlap function agrees with a plain Python count of shared minutes."""

from __future__ import annotations

import random

import pytest
from django.db import connection

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
