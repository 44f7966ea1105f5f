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

# The user (the session itself is in Redis); the membership, fetched
# with its company, once; the briefs with their shortlist counts; the team; pending invitations.
# + the header's count of unread message threads (hiring); + hiring's contracts panel:
# the contracts in progress (three more when there are any: see tests/dashboards).
DASHBOARD_QUERIES = 7


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


def test_a_wrong_count_fails_and_lists_every_query_it_ran(
    owner: User, assert_queries: AssertQueries
) -> None:
    with pytest.raises(pytest.fail.Exception) as failure, assert_queries(1):
        list(User.objects.filter(pk=owner.pk))
        list(Membership.objects.filter(user=owner))

    message = str(failure.value)
    assert message.startswith("Expected exactly 1 queries, 2 ran:")
    assert '1. SELECT … FROM "accounts_user" WHERE' in message
    assert '2. SELECT … FROM "accounts_membership" WHERE' in message


def test_a_right_count_passes_quietly(owner: User, assert_queries: AssertQueries) -> None:
    with assert_queries(1) as queries:
        User.objects.get(pk=owner.pk)

    assert len(queries) == 1
