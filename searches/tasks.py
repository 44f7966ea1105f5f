"""Celery tasks of the searches app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from searches import alerts


@shared_task(acks_late=True)
def send_brief_alerts() -> int:
    """The daily saved-search digests. Safe to run twice: a brief's digest goes once a day."""
    return alerts.alerts_send_all(now=timezone.now())
