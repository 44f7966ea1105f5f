"""Celery tasks of the accounts app: thin wrappers around services.

This module imports ``accounts.emails``; that module never imports this one
(it queues ``deliver_email`` by its registered name), so the dependency runs
one way.
"""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings

from accounts import emails

MAX_RETRIES = emails.MAX_ATTEMPTS - 1


@shared_task(name=emails.DELIVER_TASK, bind=True, acks_late=True, max_retries=MAX_RETRIES)
def deliver_email(self, email_id: int) -> bool:  # type: ignore[no-untyped-def]
    final = self.request.retries >= MAX_RETRIES
    try:
        return emails.email_deliver(email_id=email_id, final_attempt=final)
    except emails.DeliveryDeferred as exc:
        # 30 s, 1 min, 2 min, 4 min, 8 min.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def outbox_sweep() -> int:
    return emails.outbox_sweep()


@shared_task(acks_late=True)
def sessions_clear_expired() -> None:
    """Sessions live in the database (cached_db): drop the expired ones every night."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
