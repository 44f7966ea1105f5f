"""Query counts of the accounts pages, pinned: a change that adds one shows here first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from tests.conftest import AssertQueries
from tests.factories import (
    BriefFactory,
    EmployerFactory,
    InvitationFactory,
    ShortlistEntryFactory,
)

pytestmark = pytest.mark.django_db

# The user (the session itself is in Redis); the membership, checked and then fetched
# with its company; the briefs with their shortlist counts; the team; pending invitations.
DASHBOARD_QUERIES = 6


@pytest.mark.parametrize("rows", [1, 5])
def test_the_dashboard_costs_the_same_fixed_queries_for_any_team_or_briefs(
    client: Client, owner: User, assert_queries: AssertQueries, rows: int
) -> None:
    company = owner.membership.company
    for n in range(rows):
        EmployerFactory(
            membership__company=company,
            membership__role=Membership.Role.MEMBER,
            email=f"member{n}@acme.example",
        )
        InvitationFactory(company=company)
        ShortlistEntryFactory(brief=BriefFactory(company=company, created_by=owner))
    client.force_login(owner)
    url = reverse("accounts:dashboard")
    client.get(url)  # the first request fills caches a visitor's later requests reuse

    with assert_queries(DASHBOARD_QUERIES):
        body = client.get(url).content.decode()

    assert f"member{rows - 1}@acme.example" in body
    assert body.count('data-label="Brief"') == rows
