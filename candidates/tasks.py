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


@shared_task(ignore_result=True)
def count_listing_change() -> None:
    """A listing change counted again once read replicas have replayed it
    (candidates.listing.listing_changed). Running it twice only moves the
    generation once more."""
    from candidates.listing import listing_change_count

    listing_change_count()
