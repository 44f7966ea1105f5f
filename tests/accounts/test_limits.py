"""The limiter for emails to people who did not ask for them, on the real Redis cache."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from accounts.limits import Limit, LimitExceeded, limits_consume, retry_phrase


def test_a_limit_allows_its_count_then_refuses_with_the_time_to_try_again() -> None:
    limit = Limit(("test", 1), count=2, seconds=3600, reason="Enough for now.")
    limits_consume(limit)
    limits_consume(limit)

    with pytest.raises(LimitExceeded) as refused:
        limits_consume(limit)

    assert str(refused.value).startswith("Enough for now. Try again after ")
    assert refused.value.retry_at.minute == 0  # hourly windows start on the hour
    assert 0 < refused.value.retry_after <= 3600


def test_scopes_are_counted_apart() -> None:
    limits_consume(Limit(("test", "a@example.com"), count=1, seconds=60))

    limits_consume(Limit(("test", "b@example.com"), count=1, seconds=60))
    limits_consume(Limit(("other", "a@example.com"), count=1, seconds=60))


def test_a_refused_use_counts_against_none_of_the_limits() -> None:
    wide = Limit(("test", "company"), count=2, seconds=3600)
    narrow = Limit(("test-to", "someone"), count=0, seconds=3600)
    for _ in range(5):
        with pytest.raises(LimitExceeded):
            limits_consume(wide, narrow)

    limits_consume(wide)
    limits_consume(wide)


def test_processes_racing_for_the_last_uses_get_exactly_the_limit() -> None:
    limit = Limit(("test", "race"), count=5, seconds=3600)

    def attempt(_: int) -> bool:
        try:
            limits_consume(limit)
        except LimitExceeded:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(40)))

    assert outcomes.count(True) == 5


def test_the_time_to_try_again_is_said_in_the_local_time_zone() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 14:00 in Lahore
    with timezone.override("Asia/Karachi"):
        soon = retry_phrase(datetime(2026, 3, 2, 9, 4, 10, tzinfo=UTC), now=now)
        tomorrow = retry_phrase(datetime(2026, 3, 3, 0, 0, tzinfo=UTC), now=now)

    assert soon == "after 14:04 (in about 5 minutes)"
    assert tomorrow == "after 05:00 on Tue 3 Mar (in about 15 hours)"
