"""Query counts of the search pages, pinned: one row or several, each page costs its number.

A page whose count grows with its rows, or that gains a constant extra query, fails
here and the failure lists every query it ran.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates.models import Profile, Skill
from searches.models import Brief, BriefSkill
from tests.conftest import AssertQueries
from tests.factories import BriefFactory, ProfileFactory, ShortlistEntryFactory

pytestmark = pytest.mark.django_db

# Every count below includes the header's count of unread message threads (hiring).
# The user; their membership and company; the briefs with their shortlist counts.
BRIEF_LIST_QUERIES = 4
# The user; the brief (scoped to their company) with its shortlist size and its skills;
# the ranking for who matches (plan and matches in one query, searches/engine.py); the
# plan and the rates for what they ask.
BRIEF_DETAIL_QUERIES = 6
# The user; the brief with its shortlist size (for the link to it) and its skills; the
# ranking; the page's cards, each marked if shortlisted.
BRIEF_RESULTS_QUERIES = 5
# Ad-hoc search: the user; their membership and company; the ranking; the cards.
BROWSE_QUERIES = 5
# The same with words (the cards then carry highlighted snippets), skills, a budget, a sort.
BROWSE_FILTERED_QUERIES = 5
# The comparison table: the user; the brief with its skills; the shortlisted engineers
# with their accounts; their must-have skills.
SHORTLIST_QUERIES = 5

ROWS = [1, 5]


def own_brief(owner: User, **fields: Any) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, **fields)


def matching_engineers(rows: int, brief: Brief | None = None) -> list[Profile]:
    """``rows`` approved engineers who know Python and Django; every other one shortlisted."""
    profiles = []
    for n in range(rows):
        profile = ProfileFactory(
            status=Profile.Status.APPROVED,
            skills=["Python", "Django"],
            hourly_rate_usd=Decimal(20 + n),
            headline=f"Payments engineer {n}",
        )
        if brief is not None and n % 2 == 0:
            ShortlistEntryFactory(brief=brief, profile=profile)
        profiles.append(profile)
    return profiles


def cards(body: str) -> int:
    return body.count('class="card result"')


@pytest.mark.parametrize("rows", ROWS)
def test_the_brief_list_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    for _ in range(rows):
        ShortlistEntryFactory(brief=own_brief(owner, must=["Python"]))
    client.force_login(owner)
    url = reverse("searches:brief_list")
    client.get(url)  # the first request fills caches a visitor's later requests reuse

    with assert_queries(BRIEF_LIST_QUERIES):
        body = client.get(url).content.decode()

    assert body.count('data-label="Brief"') == rows
    assert body.count("1 engineer<") == rows  # each brief's shortlist counted


@pytest.mark.parametrize("rows", ROWS)
def test_the_brief_page_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    brief = own_brief(owner, must=["Python"])
    nice = Skill.objects.exclude(name="Python").order_by("pk")[:rows]
    for skill in nice:
        BriefSkill.objects.create(brief=brief, skill=skill, kind="nice")
    matching_engineers(rows, brief)
    client.force_login(owner)
    url = reverse("searches:brief_detail", args=[brief.pk])
    client.get(url)

    with assert_queries(BRIEF_DETAIL_QUERIES):
        body = client.get(url).content.decode()

    assert all(skill.name in body for skill in nice)


@pytest.mark.parametrize("rows", ROWS)
def test_the_brief_results_cost_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    brief = own_brief(owner, must=["Python"], nice=["Django"])
    matching_engineers(rows, brief)
    client.force_login(owner)
    url = reverse("searches:results", args=[brief.pk])
    client.get(url)

    with assert_queries(BRIEF_RESULTS_QUERIES):
        body = client.get(url, {"sort": "rate", "max_rate": "35"}).content.decode()

    assert cards(body) == rows
    assert body.count('aria-pressed="true"') == (rows + 1) // 2


@pytest.mark.parametrize("rows", ROWS)
def test_the_browse_page_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    matching_engineers(rows, own_brief(owner, must=["Python"]))
    client.force_login(owner)
    url = reverse("searches:browse")
    client.get(url)

    with assert_queries(BROWSE_QUERIES):
        body = client.get(url).content.decode()

    assert cards(body) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_a_filtered_search_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    matching_engineers(rows, own_brief(owner, must=["Python"]))
    client.force_login(owner)
    url = reverse("searches:browse")
    query = {"q": "payments", "skills": ["python", "django"], "max_rate": "40", "sort": "rate"}
    client.get(url, query)

    with assert_queries(BROWSE_FILTERED_QUERIES):
        body = client.get(url, query).content.decode()

    assert cards(body) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_shortlist_comparison_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    brief = own_brief(owner, must=["Python", "Django"])
    for _ in range(rows):
        ShortlistEntryFactory(brief=brief, profile__skills=["Python", "Go"])
    client.force_login(owner)
    url = reverse("searches:shortlist", args=[brief.pk])
    client.get(url)

    with assert_queries(SHORTLIST_QUERIES):
        body = client.get(url).content.decode()

    assert body.count('aria-pressed="true"') == rows
