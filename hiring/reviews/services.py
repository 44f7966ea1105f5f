"""Services of hiring.reviews."""

from __future__ import annotations

from datetime import datetime


def ending_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """End contracts whose notice ran out; publish reviews at 14 days (not built yet)."""
    return {}
