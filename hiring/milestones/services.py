"""Services of hiring.milestones."""

from __future__ import annotations

from datetime import datetime


def milestone_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Deemed acceptance, invoice periods due, overdue payment reminders (not built yet)."""
    return {}
