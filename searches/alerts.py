"""Saved-search alerts: a daily digest of newly approved engineers who match a brief.

An open brief with alerts on sends its creator, while they are still on the
company's team, the engineers approved since the last digest (at most
DIGEST_SIZE, newest first). ``AlertDelivery`` remembers who was sent for which
brief, so an engineer is never sent twice for one brief; the outbox key is one
per brief and day, so a run repeated on the same day sends nothing more. Every
digest carries a signed link that turns the brief's alerts off.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from accounts.emails import email_send
from accounts.models import Membership
from candidates.models import Profile
from searches.engine import matching
from searches.models import AlertDelivery, Brief
from searches.selectors import brief_skills, criteria_from_brief

DIGEST_SIZE = 20
SIGNING_SALT = "brief-alerts"


def unsubscribe_token(brief: Brief) -> str:
    return signing.dumps({"brief": brief.pk}, salt=SIGNING_SALT)


def brief_from_token(token: str) -> Brief | None:
    """The brief a digest's unsubscribe link names, or None for a tampered or unknown link."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    pk = data.get("brief") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    return Brief.objects.filter(pk=pk).first()


def unsubscribe_url(brief: Brief) -> str:
    return settings.SITE_URL + reverse(
        "searches:alerts_unsubscribe", args=[unsubscribe_token(brief)]
    )


def alerts_due() -> QuerySet[Brief]:
    """Open briefs with alerts on whose creator is still on the company's team."""
    member = Membership.objects.filter(user=OuterRef("created_by"), company=OuterRef("company"))
    return (
        Brief.objects.filter(status=Brief.Status.OPEN, alerts_enabled=True)
        .filter(Exists(member))
        .select_related("company", "created_by")
        .order_by("pk")
    )


def _new_matches(brief: Brief) -> list[Profile]:
    criteria = criteria_from_brief(brief, brief_skills(brief))
    since = brief.last_alert_at or brief.created_at
    sent = AlertDelivery.objects.filter(brief=brief).values("profile_id")
    return list(
        matching(criteria, brief.company)
        .filter(approved_at__gt=since)
        .exclude(pk__in=sent)
        .select_related("user")
        .order_by("-approved_at", "-pk")[:DIGEST_SIZE]
    )


@transaction.atomic
def alert_digest_send(*, brief: Brief, now: datetime) -> int:
    """Send one brief's digest for the day of ``now``. Returns how many engineers it named."""
    locked = (
        Brief.objects.select_for_update(of=("self",))
        .select_related("company", "created_by")
        .filter(pk=brief.pk, status=Brief.Status.OPEN, alerts_enabled=True)
        .first()
    )
    if locked is None or locked.created_by is None:
        return 0
    if locked.last_alert_at is not None and locked.last_alert_at.date() >= now.date():
        return 0  # today's digest has gone already
    profiles = _new_matches(locked)
    if not profiles:
        return 0
    AlertDelivery.objects.bulk_create(
        [AlertDelivery(brief=locked, profile=p) for p in profiles], ignore_conflicts=True
    )
    email_send(
        to=locked.created_by.email,
        template="email/brief_alert",
        context={
            "brief": locked,
            "recipient": locked.created_by,
            "profiles": profiles,
            "site_url": settings.SITE_URL,
            "results_url": f"{settings.SITE_URL}/briefs/{locked.pk}/results/",
            "unsubscribe_url": unsubscribe_url(locked),
        },
        key=f"brief-alert:{locked.pk}:{now:%Y-%m-%d}",
    )
    Brief.objects.filter(pk=locked.pk).update(last_alert_at=now)
    return len(profiles)


def alerts_send_all(*, now: datetime) -> int:
    """Every due brief's digest, each in its own transaction. Returns how many were sent."""
    sent = 0
    for brief in alerts_due().iterator(chunk_size=200):
        if alert_digest_send(brief=brief, now=now):
            sent += 1
    return sent


def alerts_stop(*, brief: Brief) -> None:
    """Turn a brief's alerts off (the digest's unsubscribe link)."""
    Brief.objects.filter(pk=brief.pk).update(alerts_enabled=False)
    brief.alerts_enabled = False
