"""Query counts pinned with fixed numbers: both home pages, the contract timeline, the
company page and the reviews on a profile cost the same with one row as with five."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.dashboards.selectors import contract_panel
from hiring.models import CheckIn, Contract, MilestoneWork
from tests.conftest import AssertQueries
from tests.dashboards.conftest import (
    contract_with,
    elsewhere,
    ended,
    milestones,
    payment,
    review,
    this_week_checkin,
    work,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

# The employer's dashboard (tests/accounts/test_query_counts.py: 7 with no contract, its
# panel then reading the contracts in progress only) + this week's check-ins, the
# milestones due, the payments overdue.
DASHBOARD = 10
# The engineer's profile home: the user, the profile, again with its skills, portfolio
# and jobs (no project here, so no query for their skills), the blocks counted; the
# contracts panel: the contracts, this week's check-ins, the milestones due, the payments
# overdue; the header's unread count (hiring).
ENGINEER_HOME = 12
# The contract timeline: change orders, versions, acceptances, check-ins, milestone work
# (with titles), payments; + a company member's own time zone.
TIMELINE_ENGINEER = 6
TIMELINE_COMPANY = 7
# The company page: the user; the company with the viewer's access and its contract
# count; its published reviews with their averages; the header's unread count (hiring).
COMPANY_PAGE = 4
# An employer on an engineer's profile (as tests/candidates/test_query_counts.py counts
# it, less the portfolio's skills: no project here); the reviews with their averages
# are one query of it, however many.
PROFILE_PAGE = 11

ROWS = [1, 5]


def busy_contracts(owner: User, profile: Profile, rows: int) -> list[Contract]:
    """``rows`` running contracts, each with a check-in this week, a milestone due,
    submitted work and a payment overdue."""
    today = timezone.localdate()
    made = []
    for n in range(rows):
        contract = contract_with(owner, profile, start_on=today - timedelta(days=20))
        this_week_checkin(contract, status=CheckIn.Status.ANSWERED, answered_at=timezone.now())
        second = milestones(contract)[1]
        work(contract, second, MilestoneWork.Status.SUBMITTED, submitted_at=timezone.now())
        payment(contract, f"Invoice {n}", today - timedelta(days=3))
        made.append(contract)
    return made


@pytest.mark.parametrize("rows", ROWS)
def test_the_employers_dashboard(
    client: Client, owner: User, dash_profile: Profile, assert_queries: AssertQueries, rows: int
) -> None:
    busy_contracts(owner, dash_profile, rows)
    client.force_login(owner)
    url = reverse("accounts:dashboard")
    client.get(url)

    with assert_queries(DASHBOARD):
        body = client.get(url).content.decode()

    assert body.count("Invoice ") == rows
    assert body.count('data-label="Milestone">Milestone 1') == rows
    assert body.count('data-label="Milestone">Milestone 2') == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_engineers_home(
    client: Client,
    owner: User,
    engineer: User,
    dash_profile: Profile,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    busy_contracts(owner, dash_profile, rows)
    client.force_login(engineer)
    url = reverse("candidates:me")
    client.get(url)

    with assert_queries(ENGINEER_HOME):
        body = client.get(url).content.decode()

    assert body.count("Invoice ") == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_contract_timeline(
    owner: User, dash_profile: Profile, assert_queries: AssertQueries, rows: int
) -> None:
    contract = busy_contracts(owner, dash_profile, 1)[0]
    for n in range(1, rows):
        CheckIn.objects.create(
            contract=contract,
            week_of=timezone.localdate() - timedelta(days=7 * n),
            due_at=timezone.now() - timedelta(days=7 * n),
            sent_at=timezone.now() - timedelta(days=7 * n),
        )
        payment(contract, f"Older invoice {n}", timezone.localdate(), paid_at=timezone.now())
    contract = Contract.objects.select_related("company", "profile__user", "current").get(
        pk=contract.pk
    )

    with assert_queries(TIMELINE_ENGINEER):
        engineer_panel = contract_panel(contract=contract, side="engineer", user=dash_profile.user)
    with assert_queries(TIMELINE_COMPANY):
        contract_panel(contract=contract, side="company", user=owner)

    assert len(engineer_panel["timeline_events"]) >= 4 + 2 * rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_company_page(
    client: Client,
    owner: User,
    engineer: User,
    dash_profile: Profile,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    ended(contract_with(owner, dash_profile))
    for _ in range(rows):
        review(ended(contract_with(owner, ProfileFactory(status="approved"))), "engineer", 4)
    client.force_login(engineer)
    url = reverse("hiring:company_page", args=[owner.membership.company.pk])
    client.get(url)

    with assert_queries(COMPANY_PAGE):
        body = client.get(url).content.decode()

    assert f"from {rows} review" in body


@pytest.mark.parametrize("rows", ROWS)
def test_the_profiles_reviews(
    client: Client, owner: User, dash_profile: Profile, assert_queries: AssertQueries, rows: int
) -> None:
    for _ in range(rows):
        review(ended(elsewhere(dash_profile)), "company", 4)
    client.force_login(owner)
    url = reverse("candidates:detail", args=[dash_profile.pk])
    client.get(url)

    with assert_queries(PROFILE_PAGE):
        body = client.get(url).content.decode()

    assert f"from {rows} review" in body
