"""Celery tasks of the hiring app: thin wrappers around hiring.services."""

from __future__ import annotations

from celery import shared_task

from hiring import services


@shared_task(name=services.DIGEST_TASK, acks_late=True)
def send_thread_digest(thread_id: int, reader: str) -> bool:
    return services.digest_send(thread_id=thread_id, reader=reader)


@shared_task(acks_late=True)
def thread_digest_sweep() -> int:
    return services.digest_sweep()


@shared_task(acks_late=True)
def outreach_sweep() -> dict[str, int]:
    return services.outreach_sweep()
