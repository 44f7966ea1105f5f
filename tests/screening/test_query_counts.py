"""Query counts of the pipeline pages, pinned: one card or many, each page costs its number.

A page whose count grows with its cards, moves or reviews, or that gains a constant
extra query, fails here and the failure lists every query it ran.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Stage
from screening.services import candidacy_move, review_save
from searches.models import Brief
from tests.conftest import AssertQueries
from tests.factories import (
    BriefFactory,
    EmployerFactory,
    MembershipFactory,
    ProfileFactory,
    candidacy_in,
)

pytestmark = pytest.mark.django_db

# The user (the session is in Redis); the brief, scoped to their company; every card
# with its engineer, who added it, its review tally and the stage a closed one left; the
# header's unread Messages count (hiring).
BOARD_QUERIES = 4
# The user; the candidacy with its brief, company, engineer and adder (scoped to the
# company); the team's reviews with their authors; the history with who moved; the
# assessments panel (the candidacy's assessments; their grades only when there are some);
# the interviews panel (the candidacy's interviews, with the viewer's zone); the
# scorecards panel (the interviews' seats, none when there is no interview); hiring's
# outreach panel (the candidacy's outreach with sender and thread); hiring's contract
# panel (the candidacy's contract, none here); the header's unread Messages count.
CANDIDACY_QUERIES = 10
# The user; the brief; who reached each stage; the stays' medians; the header's count.
BRIEF_FUNNEL_QUERIES = 5
# The user; the membership with its company; who reached each stage; the stays'
# medians; the briefs with their pipeline counts; the header's unread Messages count.
COMPANY_FUNNEL_QUERIES = 6
# An employer on the profile of an engineer in the company's pipelines (no portfolio, so
# no query for its skills): the user; membership and company; the profile; its skills,
# projects, jobs; contact consent; the open briefs for the shortlist; the briefs whose
# pipeline holds the engineer or could; the team's reviews with their authors; the
# published contract reviews with their averages (hiring); the header's unread Messages count.
PROFILE_IN_PIPELINE_QUERIES = 12

ROWS = [1, 5]
#: Where the n-th card goes: every column and the closed section get cards.
STAGES = [
    Stage.SOURCED,
    Stage.OFFER,
    Stage.NOT_A_FIT,
    Stage.INTERVIEW,
    Stage.DECLINED,
]


@pytest.fixture
def team(owner: User) -> list[User]:
    return [owner, *(MembershipFactory(company=owner.membership.company).user for _ in range(2))]


def filled(brief: Brief, team: list[User], rows: int, card_at) -> None:  # type: ignore[no-untyped-def]
    """``rows`` cards in different stages; each Sourced one reviewed by the whole team."""
    for n in range(rows):
        if STAGES[n] == Stage.SOURCED:
            candidacy = candidacy_in(brief, ProfileFactory(status="approved"), user=team[0])
            for author in team:
                review_save(candidacy=candidacy, author=author, rating=1)
        else:
            card_at(STAGES[n])


@pytest.mark.parametrize("rows", ROWS)
def test_the_board_costs_a_fixed_number_of_queries(
    client: Client,
    owner: User,
    brief: Brief,
    team: list[User],
    card_at,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    filled(brief, team, rows, card_at)
    client.force_login(owner)
    url = reverse("screening:board", args=[brief.pk])
    client.get(url)

    with assert_queries(BOARD_QUERIES):
        body = client.get(url).content.decode()

    assert body.count('class="pipeline-card"') == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_candidacy_page_costs_a_fixed_number_of_queries(
    client: Client,
    owner: User,
    brief: Brief,
    team: list[User],
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    candidacy = candidacy_in(brief, ProfileFactory(status="approved"), user=owner)
    for author in team[:rows]:
        review_save(candidacy=candidacy, author=author, rating=-1, note="Thin tests")
    for _ in range(rows - 1):  # closed and reopened: two more moves each time
        candidacy_move(candidacy=candidacy, to="not_a_fit", by=owner, reason="rate")
        candidacy_move(candidacy=candidacy, to="sourced", by=team[-1])
    client.force_login(owner)
    url = reverse("screening:candidacy", args=[candidacy.pk])

    with assert_queries(CANDIDACY_QUERIES):
        body = client.get(url).content.decode()

    assert body.count("<strong>No</strong>") == min(rows, len(team))
    assert body.count("Sourced → Not a fit") == rows - 1


@pytest.mark.parametrize("rows", ROWS)
def test_the_brief_funnel_costs_a_fixed_number_of_queries(
    client: Client,
    owner: User,
    brief: Brief,
    team: list[User],
    card_at,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    filled(brief, team, rows, card_at)
    client.force_login(owner)
    url = reverse("screening:brief_funnel", args=[brief.pk])

    with assert_queries(BRIEF_FUNNEL_QUERIES):
        body = client.get(url).content.decode()

    assert f"Sourced {rows}," in body


@pytest.mark.parametrize("rows", ROWS)
def test_the_company_funnel_costs_a_fixed_number_of_queries(
    client: Client, owner: User, team: list[User], assert_queries: AssertQueries, rows: int
) -> None:
    company = owner.membership.company
    for n in range(rows):
        brief = BriefFactory(company=company, created_by=owner, title=f"Brief {n}")
        candidacy = candidacy_in(brief, ProfileFactory(status="approved"), user=owner)
        candidacy_move(candidacy=candidacy, to="contacted", by=None, via_outreach=True)
    EmployerFactory()  # another company's pipelines are not counted
    client.force_login(owner)
    url = reverse("screening:company_funnel")

    with assert_queries(COMPANY_FUNNEL_QUERIES):
        body = client.get(url).content.decode()

    assert body.count('data-label="Brief"') == rows
    assert f"Sourced {rows}, Contacted {rows}," in body


@pytest.mark.parametrize("rows", ROWS)
def test_the_profile_page_with_pipelines_costs_a_fixed_number_of_queries(
    client: Client, owner: User, team: list[User], assert_queries: AssertQueries, rows: int
) -> None:
    profile = ProfileFactory(status="approved")
    for n in range(rows):
        brief = BriefFactory(company=owner.membership.company, created_by=owner, title=f"B{n}")
        candidacy = candidacy_in(brief, profile, user=owner)
        for author in team:
            review_save(candidacy=candidacy, author=author, rating=2)
    client.force_login(owner)
    url = reverse("candidates:detail", args=[profile.pk])

    with assert_queries(PROFILE_IN_PIPELINE_QUERIES):
        body = client.get(url).content.decode()

    assert body.count("Team reviews: 3 yes") == rows
