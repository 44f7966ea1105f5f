"""screening's writes for interviews (see screening.services)."""

from __future__ import annotations

from datetime import datetime


def interview_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Reminders 24 hours and 1 hour before each booked interview, to everyone."""
    return {}
