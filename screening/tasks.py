"""Celery tasks of screening: thin wrappers around its sweeps.

Each sweep takes an optional ``now`` (a datetime or its ISO text): beat never passes
one; tests and a replay by hand pass the moment to act as of. Every sweep is safe to
run twice: each reminder or expiry is claimed with a conditional update first.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from screening.services import assessments, interviews, scorecards


def _moment(now: datetime | str | None) -> datetime | None:
    return datetime.fromisoformat(now) if isinstance(now, str) else now


@shared_task(acks_late=True)
def assessment_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return assessments.assessment_sweep(now=_moment(now))


@shared_task(acks_late=True)
def interview_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return interviews.interview_sweep(now=_moment(now))


@shared_task(acks_late=True)
def scorecard_sweep(now: datetime | str | None = None) -> dict[str, int]:
    return scorecards.scorecard_sweep(now=_moment(now))
