from __future__ import annotations

from celery import shared_task

from accounts import emails

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
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
