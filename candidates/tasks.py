"""Celery tasks of the candidates app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from candidates import services


@shared_task(acks_late=True)
def refresh_utc_windows() -> int:
    """Hourly: profiles in a zone whose clocks changed get their UTC working window for
    today. Safe to run twice; a run with nothing to change makes no query."""
    return services.profile_utc_windows_refresh(on=timezone.localdate())
