"""screening's writes for scorecards (see screening.services)."""

from __future__ import annotations

from datetime import datetime


def scorecard_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """One reminder to each interviewer still without a scorecard 2 hours after the end."""
    return {}
