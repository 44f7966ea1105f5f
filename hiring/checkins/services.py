"""Services of hiring.checkins."""

from __future__ import annotations

from datetime import datetime


def checkin_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send the check-ins due, remind the next day, then mark missed (not built yet)."""
    return {}
