"""Query counts of the engineer's pages, the profile page and the review queue, pinned.

Each page is counted with one row and with several in every list it shows, and must
cost exactly its number both times: a page whose count grows with its rows, or
that gains a constant extra query, fails here with the queries listed.
"""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import selectors, services
from candidates.models import Profile, Skill
from tests.conftest import AssertQueries
from tests.factories import (
    BriefFactory,
    CompanyFactory,
    JobFactory,
    PortfolioItemFactory,
    ProfileFactory,
    ProfileSkillFactory,
    ShortlistEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The engineer's own pages: the user and their profile, then what each page lists, and
# (one more each) the header's count of unread opportunities, which hiring registers.
OWN_PAGE_QUERIES = {
    # + the profile again with its skills, portfolio (and its skills), jobs; blocks counted;
    # hiring's contracts panel (the contracts in progress; see tests/dashboards)
    "candidates:me": 10,
    # + the skill choices, the profile's skills
    "candidates:skills": 5,
    # + projects, their skills, the skill choices of the form
    "candidates:portfolio": 6,
    # + jobs
    "candidates:experience": 4,
    # + the profile again with its skills, portfolio (and its skills), jobs; hiring's
    # published reviews with their averages
    "candidates:preview": 9,
    # + the blocked companies
    "candidates:blocked": 4,
    # + the companies with access to the contact details
    "candidates:access": 4,
}
# An employer on an engineer's public page: the user, their membership and company, the
# profile, its skills, projects, their skills, jobs, contact consent, and the company's
# open briefs (each marked if the engineer is on its shortlist), screening's panel:
# one query for the briefs whose pipeline holds the engineer or could (one more for the
# team's reviews when it holds them; see tests/screening/test_query_counts.py),
# the header's count of unread message threads (hiring), and hiring's published reviews
# with their averages (one query).
PROFILE_PAGE_QUERIES = 12
# Staff: the user, the skill filter's choices, the counts (the queue's size three
# times: the paginator, the full count and the sidebar), the page of profiles.
REVIEW_QUEUE_QUERIES = 6
# The same on the list of every profile: its count and the queue's size in the sidebar.
PROFILE_LIST_QUERIES = 5


def add_rows(profile: Profile, rows: int) -> None:
    """``rows`` skills, portfolio projects (each with three skills) and jobs."""
    skills = list(Skill.objects.order_by("pk")[:3])
    for _ in range(rows):
        ProfileSkillFactory(profile=profile)
        item = PortfolioItemFactory(profile=profile)
        item.skills.set(skills)
        JobFactory(profile=profile)


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("name", list(OWN_PAGE_QUERIES))
def test_the_engineers_own_pages_cost_a_fixed_number_of_queries(
    client: Client, engineer: User, assert_queries: AssertQueries, name: str, rows: int
) -> None:
    client.force_login(engineer)
    profile = selectors.get_own_profile(engineer)
    add_rows(profile, rows)
    for _ in range(rows):
        services.company_block(profile=profile, kind="name", value=CompanyFactory().name)
    url = reverse(name)
    client.get(url)  # the first request fills caches (the skill list) later ones reuse

    with assert_queries(OWN_PAGE_QUERIES[name]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
def test_the_profile_page_costs_a_fixed_number_of_queries(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    company = owner.membership.company
    company.time_zone, company.work_starts, company.work_ends = "Europe/London", time(9), time(17)
    company.save()
    profile = ProfileFactory(status=Profile.Status.APPROVED, skills=["Python"])
    add_rows(profile, rows)
    for _ in range(rows):
        ShortlistEntryFactory(
            brief=BriefFactory(company=company, created_by=owner), profile=profile
        )
    client.force_login(owner)
    url = reverse("candidates:detail", args=[profile.pk])
    client.get(url)

    with assert_queries(PROFILE_PAGE_QUERIES):
        body = client.get(url).content.decode()

    assert body.count('aria-pressed="true"') == rows


@pytest.fixture
def staff_client(client: Client) -> Client:
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def submitted(rows: int) -> None:
    for _ in range(rows):
        profile = ProfileFactory(skills=["Python", "Django", "PostgreSQL"])
        services.profile_submit(profile=profile)


@pytest.mark.parametrize("rows", [1, 5])
def test_the_review_queue_costs_a_fixed_number_of_queries(
    staff_client: Client, assert_queries: AssertQueries, rows: int
) -> None:
    submitted(rows)
    url = reverse("admin:candidates_profilereview_changelist")
    staff_client.get(url)

    with assert_queries(REVIEW_QUEUE_QUERIES):
        body = staff_client.get(url).content.decode()

    assert body.count("Backend engineer for payment systems") == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_the_admin_profile_list_costs_a_fixed_number_of_queries(
    staff_client: Client, assert_queries: AssertQueries, rows: int
) -> None:
    submitted(rows)
    url = reverse("admin:candidates_profile_changelist")
    staff_client.get(url)

    with assert_queries(PROFILE_LIST_QUERIES):
        body = staff_client.get(url).content.decode()

    assert body.count("Backend engineer for payment systems") == rows
