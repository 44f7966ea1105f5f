"""One engineer's rate reads the same on every page that shows it, and in email."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates.models import Profile
from tests.factories import BriefFactory, ProfileFactory, ShortlistEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

HOURLY, MONTHLY = "USD 35 an hour", "PKR 550,000 a month"
# Any other way of writing a rate that once crept into a page.
OTHER_WORDINGS = re.compile(r"(USD|PKR) [\d,.]+ ?/ ?(h|hour|month)\b|\d\.00\b")


@pytest.fixture
def profile() -> Profile:
    return ProfileFactory(
        status="approved",
        user__full_name="Ayesha Khan",
        skills=["Python"],
        hourly_rate_usd=Decimal("35.00"),
        monthly_rate_pkr=Decimal("550000.00"),
    )


def rate_text(body: str) -> str:
    """The page with its tags removed, so "USD 35 an hour" is found across markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_profile_page_results_card_and_comparison_word_a_rate_alike(
    client: Client, owner: User, profile: Profile
) -> None:
    brief = BriefFactory(company=owner.membership.company, created_by=owner, must=["Python"])
    ShortlistEntryFactory(brief=brief, profile=profile, added_by=owner)
    client.force_login(owner)

    pages = {
        "profile page": reverse("candidates:detail", args=[profile.pk]),
        "results card": reverse("searches:results", args=[brief.pk]),
        "browse card": reverse("searches:browse"),
        "comparison": reverse("searches:shortlist", args=[brief.pk]),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, page
        text = rate_text(response.content.decode())
        assert HOURLY in text and MONTHLY in text, page
        assert not OTHER_WORDINGS.search(text), (page, OTHER_WORDINGS.search(text))


def test_the_engineer_and_the_match_email_word_the_rate_alike(
    client: Client, profile: Profile
) -> None:
    client.force_login(profile.user)

    own_page = client.get(reverse("candidates:me")).content.decode()
    email = render_to_string("email/_brief_alert_rate.txt", {"profile": profile})

    assert HOURLY in rate_text(own_page)
    assert email == HOURLY
    profile.hourly_rate_usd = None
    assert render_to_string("email/_brief_alert_rate.txt", {"profile": profile}) == MONTHLY


def test_staff_see_rates_in_the_admin_in_the_same_words(client: Client, profile: Profile) -> None:
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:candidates_profile_change", args=[profile.pk]))

    text = rate_text(response.content.decode())
    assert HOURLY in text and MONTHLY in text
