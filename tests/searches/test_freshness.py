"""Cached searches stay fresh: an engineer who joins or leaves the listing is in or out
of every search, every sort and every count within a minute, and all of them agree."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from candidates import listing, services
from candidates.models import Profile
from searches.models import Brief
from tests.factories import BriefFactory, EngineerFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CACHED = override_settings(SEARCH_CACHE_SECONDS=600)
PROFILES = reverse("admin:candidates_profile_changelist")


def shown(client: Client, brief: Brief, sort: str = "") -> str:
    url = reverse("searches:results", args=[brief.pk])
    response = client.get(url, {"sort": sort} if sort else {})
    assert response.status_code == 200
    return response.content.decode()


def brief_count(client: Client, brief: Brief) -> int:
    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()
    found = re.search(r"<strong>(\d+)</strong> engineers? match", body)
    return int(found.group(1)) if found else 0


def results_count(body: str) -> int:
    found = re.search(r"<strong>(\d+)</strong> engineers? match", body)
    return int(found.group(1)) if found else 0


@pytest.fixture
def newcomer() -> Profile:
    """A Python engineer waiting for staff: not listed yet."""
    profile = ProfileFactory(
        user=EngineerFactory(full_name="Nadia Newcomer"), skills=["Python", "Django", "PostgreSQL"]
    )
    services.profile_submit(profile=profile)
    return profile


@CACHED
def test_an_engineer_approved_in_the_admin_is_in_every_sort_and_the_brief_count_next_visit(
    client: Client,
    people: dict[str, Profile],
    newcomer: Profile,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    brief = BriefFactory(must=["Python"], nice=["Django"])
    client.force_login(brief.created_by)
    before = shown(client, brief)
    assert "Nadia Newcomer" not in before and "Nadia Newcomer" not in shown(client, brief, "rate")
    counted = brief_count(client, brief)
    assert counted == results_count(before) > 0

    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(PROFILES, {"action": "approve", "_selected_action": [newcomer.pk]})
    assert response.status_code == 302

    default, by_rate = shown(client, brief), shown(client, brief, "rate")
    assert "Nadia Newcomer" in default and "Nadia Newcomer" in by_rate
    assert results_count(default) == results_count(by_rate) == counted + 1
    assert brief_count(client, brief) == counted + 1


@CACHED
def test_an_engineer_who_resumes_is_back_in_the_results_and_the_count_next_visit(
    client: Client,
    people: dict[str, Profile],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    brief = BriefFactory(must=["Python"], nice=["Django"])
    client.force_login(brief.created_by)
    counted = brief_count(client, brief)
    assert "Sana Paused" not in shown(client, brief)

    with django_capture_on_commit_callbacks(execute=True):
        services.profile_resume(profile=people["sana"])

    body = shown(client, brief)
    assert "Sana Paused" in body
    assert results_count(body) == brief_count(client, brief) == counted + 1


def test_changes_reach_searches_by_the_end_of_their_round() -> None:
    t = 1_800_000_000.0  # the start of a round
    assert listing.listing_generation(at=t) == 0  # nothing ever changed
    listing.listing_change_count(at=t + 1)  # the first change in a while: shown at once
    first = listing.listing_generation(at=t + 2)
    assert first != 0

    listing.listing_change_count(at=t + 3)  # close behind: waits for the round's end
    assert listing.listing_generation(at=t + 4) == first
    second = listing.listing_generation(at=t + listing.ROUND_SECONDS)
    assert second != first

    # Rounds without changes keep the generation, so cached rankings live on.
    assert listing.listing_generation(at=t + 10 * listing.ROUND_SECONDS) == second


@pytest.mark.parametrize(
    "change",
    [
        "approve",
        "request_changes",
        "suspend",
        "pause",
        "resume",
        "deactivate",
        "delete",
        "about_form",
    ],
)
def test_every_way_in_or_out_of_the_listing_is_counted(
    change: str,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    listed = ProfileFactory(skills=["Python"], status=Profile.Status.APPROVED)
    waiting = ProfileFactory(skills=["Python", "Django", "PostgreSQL"])
    services.profile_submit(profile=waiting)
    paused = ProfileFactory(
        skills=["Python"],
        status=Profile.Status.APPROVED,
        availability=Profile.Availability.NOT_LOOKING,
    )
    before = listing.listing_generation()

    with django_capture_on_commit_callbacks(execute=True):
        if change == "approve":
            services.profile_approve(profile=waiting)
        elif change == "request_changes":
            services.profile_request_changes(profile=listed, note="Add a portfolio item.")
        elif change == "suspend":
            services.profile_suspend(profile=listed)
        elif change == "pause":
            services.profile_pause(profile=listed)
        elif change == "resume":
            services.profile_resume(profile=paused)
        elif change == "deactivate":
            listed.user.is_active = False
            listed.user.save()
        elif change == "delete":
            client.force_login(listed.user)
            request = client.get("/").wsgi_request
            account_services.account_delete(request=request, user=listed.user)
        elif change == "about_form":
            client.force_login(paused.user)
            response = client.get(reverse("candidates:about"))
            form = response.context["form"]
            data = {
                name: value
                for name, value in form.initial.items()
                if value is not None and name in form.fields
            }
            data["engagement_types"] = ["contract"]
            data["availability"] = Profile.Availability.NOW
            response = client.post(reverse("candidates:about"), data)
            assert response.status_code == 302, response.content.decode()[:3000]

    assert listing.listing_generation() != before
