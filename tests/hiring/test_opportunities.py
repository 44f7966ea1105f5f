"""The engineer's Opportunities: every outreach, newest first, in plain words."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.models import Outreach
from hiring.services import engineer_unread, outreach_decline
from screening.services import review_save
from tests.factories import BriefFactory, EmployerFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db

LIST = reverse("hiring:opportunities")


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _from_another_company(profile: Any, **terms: Any) -> Any:
    employer = EmployerFactory()
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, title="Search service"
    )
    return outreach_sent(candidacy_in(brief, profile, user=employer), sender=employer, **terms)


def test_it_lists_every_outreach_newest_first_in_plain_words(
    client: Client, engineer: Any, outreach_waiting: Any
):
    newer = _from_another_company(
        outreach_waiting.profile, rate_amount=450000, rate_unit="PKR/month"
    )
    outreach_decline(outreach=newer, user=engineer, reason="time_zone")
    Outreach.objects.filter(pk=outreach_waiting.pk).update(
        sent_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert page.index(newer.company.name) < page.index(outreach_waiting.company.name)
    assert "Search service" in page and "Payments backend" in page
    assert "PKR 450,000 a month" in page and "USD 35 an hour" in page
    assert "Invited" in page and "You declined" in page
    assert f"{outreach_waiting.decide_by:%-d %b %Y}" in page


def test_engineers_never_see_stage_names_or_the_teams_reviews(
    client: Client, owner: Any, engineer: Any, outreach_candidacy: Any
):
    review_save(candidacy=outreach_candidacy, author=owner, rating=-2, note="Weak on SQL.")
    outreach_waiting = outreach_sent(outreach_candidacy, sender=owner)
    client.force_login(engineer)

    pages = [
        _text(client.get(LIST)),
        _text(client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk]))),
    ]

    for page in pages:
        assert "Weak on SQL" not in page
        assert "Strong no" not in page
        for stage in ("Sourced", "Contacted", "Interested", "Not a fit", "No answer"):
            assert stage not in page


def test_opening_an_opportunity_marks_it_seen_and_clears_the_header_count(
    client: Client, engineer: Any, outreach_waiting: Any
):
    client.force_login(engineer)
    assert engineer_unread(engineer) == 1
    before = _text(client.get(LIST))
    assert "New" in before
    assert '<span class="badge badge--count">1' in before

    page = _text(client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk])))
    after = _text(client.get(LIST))

    assert "We liked your ledger work." in page
    assert "USD 35 an hour" in page
    assert "Don't show my profile to " + outreach_waiting.company.name + " again" in page
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.seen_at is not None
    assert engineer_unread(engineer) == 0
    assert '<span class="badge badge--primary">New</span>' not in after
    assert "badge--count" not in after


def test_an_empty_list_says_how_companies_find_engineers(client: Client, engineer: Any):
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert "No companies have reached out yet" in page
    assert "not paused" in page
    assert reverse("candidates:me") in page


def test_employers_have_no_opportunities_page(client: Client, owner: Any):
    client.force_login(owner)

    assert client.get(LIST).status_code == 403


def test_another_engineers_outreach_is_not_listed(
    client: Client, engineer: Any, outreach_candidacy: Any, owner: Any
):
    other = candidacy_in(outreach_candidacy.brief, user=owner)
    outreach_sent(other, sender=owner)
    client.force_login(engineer)

    page = _text(client.get(LIST))

    assert "No companies have reached out yet" in page
