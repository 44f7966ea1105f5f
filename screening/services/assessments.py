"""screening's writes for assessments (see screening.services)."""

from __future__ import annotations

from datetime import datetime


def assessment_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Reminders 24 hours before a deadline (at a sensible local hour) and expiry at it."""
    return {}
