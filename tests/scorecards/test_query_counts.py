"""Query counts of the scorecard pages, pinned: two interviewers or four, each page costs
its number. A page whose count grows with its interviewers or cards fails here, and the
failure lists every query it ran."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Interview, InterviewKind, InterviewKit
from screening.views.scorecards import candidacy_panel
from tests.conftest import AssertQueries
from tests.factories import MembershipFactory
from tests.scorecards.conftest import make_interview, submit

pytestmark = pytest.mark.django_db

# The user (the session is in Redis); the candidacy with its brief, company, engineer and
# adder (scoped to the company); every scorecard of it with its interview and interviewer
# (the blind rule inside); the viewer's membership (their time zone); the header's unread
# Messages count.
SUMMARY_QUERIES = 5
# The user; the interview with its company, kit, candidacy, brief and engineer (only for
# its interviewers); its scorecards with their interviewers (the blind rule inside); the
# kit's questions; the viewer's membership (their time zone); the header's unread count.
SCORECARD_QUERIES = 6
# The candidacy page's panel alone: the scorecards (the blind rule inside); the viewer's
# membership (their time zone).
PANEL_QUERIES = 2

SIZES = [2, 4]


def panel_of(candidacy: Candidacy, owner: User, interviewers: int) -> list[User]:
    """The owner's company with ``interviewers`` teammates, all on a technical and a final
    interview of the candidacy."""
    company = owner.membership.company
    return [MembershipFactory(company=company).user for _ in range(interviewers)]


@pytest.mark.parametrize("size", SIZES)
def test_the_summary_costs_a_fixed_number_of_queries(
    client: Client,
    assert_queries: AssertQueries,
    candidacy: Candidacy,
    owner: User,
    kit: InterviewKit,
    size: int,
) -> None:
    team = panel_of(candidacy, owner, size)
    technical = make_interview(candidacy, team, kit=kit)
    final = make_interview(candidacy, team, kind=InterviewKind.FINAL)
    for user in team:
        submit(technical, user)
        submit(final, user)
    client.force_login(owner)
    url = reverse("screening:scorecards", args=[candidacy.pk])

    with assert_queries(SUMMARY_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("EVIDENCE-databases") == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("submitted", [False, True], ids=["writing", "submitted"])
def test_the_scorecard_page_costs_a_fixed_number_of_queries(
    client: Client,
    assert_queries: AssertQueries,
    candidacy: Candidacy,
    owner: User,
    kit: InterviewKit,
    size: int,
    submitted: bool,
) -> None:
    team = panel_of(candidacy, owner, size)
    technical = make_interview(candidacy, team, kit=kit)
    for user in team[1:]:
        submit(technical, user)
    if submitted:
        submit(technical, team[0])
    client.force_login(team[0])
    url = reverse("screening:scorecard", args=[technical.pk])

    with assert_queries(SCORECARD_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert ("Submit your scorecard" in page) is not submitted
    assert page.count("EVIDENCE-databases") == (size if submitted else 0)


@pytest.mark.parametrize("size", SIZES)
def test_the_candidacy_panel_costs_a_fixed_number_of_queries(
    assert_queries: AssertQueries,
    candidacy: Candidacy,
    owner: User,
    size: int,
) -> None:
    team = panel_of(candidacy, owner, size)
    for kind in (InterviewKind.TECHNICAL, InterviewKind.FINAL):
        interview: Interview = make_interview(candidacy, team, kind=kind)
        for user in team:
            submit(interview, user)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=owner.pk)  # nothing cached on it

    with assert_queries(PANEL_QUERIES):
        context = candidacy_panel(request, candidacy=candidacy)
        assert context is not None
        html = render_to_string("screening/_candidacy_scorecards.html", context, request)

    assert html.count("badge--success") == 2 * size


def test_the_candidacy_panel_costs_one_query_when_there_is_nothing_to_show(
    assert_queries: AssertQueries, candidacy: Candidacy, owner: User
) -> None:
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=owner.pk)
    with assert_queries(1):
        assert candidacy_panel(request, candidacy=candidacy) is None
