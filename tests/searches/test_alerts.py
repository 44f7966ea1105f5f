from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail
from candidates.models import Profile
from searches import alerts
from searches.models import AlertDelivery, Brief
from tests.factories import BriefFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def approved(name: str, at: datetime, skills: tuple[str, ...] = ("Python",)) -> Profile:
    profile = ProfileFactory(user__full_name=name, skills=list(skills))
    Profile.objects.filter(pk=profile.pk).update(status=Profile.Status.APPROVED, approved_at=at)
    profile.refresh_from_db()
    return profile


def digests(brief: Brief) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(key__startswith=f"brief-alert:{brief.pk}:").order_by("pk")
    )


@pytest.fixture
def brief() -> Brief:
    return BriefFactory(title="Ledger service", must=["Python"])


def test_it_sends_only_newly_approved_matching_engineers(brief: Brief) -> None:
    now = timezone.now()
    approved("Old Hand", brief.created_at - timedelta(days=3))
    fresh = approved("Fresh Match", brief.created_at + timedelta(minutes=5))
    approved("Go Only", brief.created_at + timedelta(minutes=5), skills=("Go",))

    assert alerts.alert_digest_send(brief=brief, now=now + timedelta(hours=1)) == 1

    [email] = digests(brief)
    assert email.to == brief.created_by.email
    assert "Fresh Match" in email.body_text
    assert "Old Hand" not in email.body_text
    assert "Go Only" not in email.body_text
    assert f"/engineers/{fresh.pk}/" in email.body_html
    assert list(AlertDelivery.objects.filter(brief=brief).values_list("profile", flat=True)) == [
        fresh.pk
    ]
    brief.refresh_from_db()
    assert brief.last_alert_at is not None


def test_a_second_run_the_same_day_sends_nothing_new(brief: Brief) -> None:
    now = timezone.now() + timedelta(hours=1)
    approved("Fresh Match", brief.created_at + timedelta(minutes=5))
    alerts.alert_digest_send(brief=brief, now=now)
    approved("Later Match", now + timedelta(minutes=1))

    assert alerts.alert_digest_send(brief=brief, now=now + timedelta(minutes=2)) == 0

    assert len(digests(brief)) == 1
    assert AlertDelivery.objects.filter(brief=brief).count() == 1


def test_the_next_days_digest_has_only_the_engineers_approved_since(brief: Brief) -> None:
    day_one = timezone.now() + timedelta(hours=1)
    approved("First Match", brief.created_at + timedelta(minutes=5))
    alerts.alert_digest_send(brief=brief, now=day_one)
    approved("Second Match", day_one + timedelta(hours=2))

    assert alerts.alert_digest_send(brief=brief, now=day_one + timedelta(days=1)) == 1

    first, second = digests(brief)
    assert "First Match" in first.body_text
    assert "Second Match" in second.body_text
    assert "First Match" not in second.body_text
    assert AlertDelivery.objects.filter(brief=brief).count() == 2


def test_an_engineer_already_sent_is_never_sent_again(brief: Brief) -> None:
    profile = approved("Fresh Match", brief.created_at + timedelta(minutes=5))
    AlertDelivery.objects.create(brief=brief, profile=profile)

    assert alerts.alert_digest_send(brief=brief, now=timezone.now() + timedelta(hours=1)) == 0
    assert digests(brief) == []


@pytest.mark.parametrize(
    "change",
    [{"status": Brief.Status.PAUSED}, {"status": Brief.Status.CLOSED}, {"alerts_enabled": False}],
)
def test_paused_closed_and_silenced_briefs_send_nothing(
    brief: Brief, change: dict[str, object]
) -> None:
    Brief.objects.filter(pk=brief.pk).update(**change)
    approved("Fresh Match", brief.created_at + timedelta(minutes=5))

    assert alerts.alerts_send_all(now=timezone.now() + timedelta(hours=1)) == 0
    assert digests(brief) == []


def test_every_due_brief_gets_its_own_digest() -> None:
    briefs = [BriefFactory(must=["Python"]) for _ in range(3)]
    approved("Fresh Match", max(b.created_at for b in briefs) + timedelta(minutes=5))

    assert alerts.alerts_send_all(now=timezone.now() + timedelta(hours=1)) == 3
    assert all(len(digests(b)) == 1 for b in briefs)


def test_a_creator_who_left_the_company_gets_no_digest(brief: Brief) -> None:
    brief.created_by.membership.delete()
    approved("Fresh Match", brief.created_at + timedelta(minutes=5))

    assert alerts.alerts_send_all(now=timezone.now() + timedelta(hours=1)) == 0


def test_the_digest_carries_a_working_unsubscribe_link(brief: Brief, client: Client) -> None:
    approved("Fresh Match", brief.created_at + timedelta(minutes=5))
    alerts.alert_digest_send(brief=brief, now=timezone.now() + timedelta(hours=1))
    [email] = digests(brief)
    # The token is signed with the time it was made, so read it from the email itself.
    prefix = alerts.unsubscribe_url(brief).rsplit("/", 2)[0] + "/"
    found = re.search(re.escape(prefix) + r"[^/\s\"]+/", email.body_text)
    assert found is not None, email.body_text
    link = found.group(0)
    assert link in email.body_html

    response = client.get(link.removeprefix(settings.SITE_URL))

    assert response.status_code == 200
    assert "Ledger service" in response.content.decode()
    assert "Stop these emails" in response.content.decode()


def test_opening_the_unsubscribe_link_changes_nothing(brief: Brief, client: Client) -> None:
    url = reverse("searches:alerts_unsubscribe", args=[alerts.unsubscribe_token(brief)])

    client.get(url)

    brief.refresh_from_db()
    assert brief.alerts_enabled


def test_posting_the_unsubscribe_form_turns_alerts_off(brief: Brief) -> None:
    client = Client(enforce_csrf_checks=True)
    url = reverse("searches:alerts_unsubscribe", args=[alerts.unsubscribe_token(brief)])
    client.get(url)

    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    brief.refresh_from_db()
    assert not brief.alerts_enabled
    assert "Alert emails stopped" in client.get(url).content.decode()


@pytest.mark.parametrize("token", ["nonsense", "eyJicmllZiI6MX0:tampered:signature"])
def test_a_bad_unsubscribe_link_is_a_clear_400(brief: Brief, client: Client, token: str) -> None:
    response = client.post(reverse("searches:alerts_unsubscribe", args=[token]))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    brief.refresh_from_db()
    assert brief.alerts_enabled


def test_a_link_signed_for_something_else_is_refused(brief: Brief, client: Client) -> None:
    from django.core import signing

    token = signing.dumps({"brief": brief.pk}, salt="another-purpose")

    response = client.get(reverse("searches:alerts_unsubscribe", args=[token]))

    assert response.status_code == 400
