"""Celery tasks of the searches app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from searches import alerts, engine, selectors, stats
from searches.models import Brief


@shared_task(acks_late=True)
def send_brief_alerts() -> int:
    """The daily saved-search digests. Safe to run twice: a brief's digest goes once a day."""
    return alerts.alerts_send_all(now=timezone.now())


@shared_task(acks_late=True)
def warm_brief_ranking(brief_id: int) -> int | None:
    """Ranks a saved brief's matches and summarises their rates ahead of the employer
    opening them: its pages then start from the cache. Returns how many matched."""
    if settings.SEARCH_CACHE_SECONDS <= 0:
        return None
    brief = Brief.objects.select_related("company").filter(pk=brief_id).first()
    if brief is None:
        return None
    criteria = selectors.criteria_from_brief(brief, selectors.brief_skills(brief))
    stats.rate_summary(criteria, brief.company)  # the brief's page, which ranks it too
    return len(engine.ranking(criteria, brief.company).ids)
