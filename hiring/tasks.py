"""Celery tasks of the hiring app: thin wrappers around hiring.services.

The sweeps take an optional ``now`` (a datetime or its ISO text): beat never
passes one; tests and a replay by hand pass the moment to act as of.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from hiring import services
from hiring.checkins import services as checkins
from hiring.milestones import services as milestones
from hiring.reviews import services as reviews


def _moment(now: datetime | str | None) -> datetime | None:
    return datetime.fromisoformat(now) if isinstance(now, str) else now


@shared_task(name=services.DIGEST_TASK, acks_late=True)
def send_thread_digest(thread_id: int, reader: str, now: datetime | str | None = None) -> bool:
    return services.digest_send(thread_id=thread_id, reader=reader, now=_moment(now))


@shared_task(acks_late=True)
def thread_digest_sweep(now: datetime | str | None = None) -> int:
    return services.digest_sweep(now=_moment(now))


@shared_task(acks_late=True)
def outreach_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return services.outreach_sweep(now=_moment(now))


@shared_task(acks_late=True)
def milestone_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return milestones.milestone_sweep(now=_moment(now))


@shared_task(acks_late=True)
def checkin_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return checkins.checkin_sweep(now=_moment(now))


@shared_task(acks_late=True)
def ending_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return reviews.ending_sweep(now=_moment(now))
