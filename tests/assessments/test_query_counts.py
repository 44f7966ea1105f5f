"""Query counts of the assessment pages, pinned: one grader or several, one assessment or
several, each page costs its number. The failure lists every query it ran."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from accounts.models import User
from screening.models import Assessment, Candidacy
from screening.services import assessments as services
from screening.views.assessments import candidacy_panel
from tests.assessments.conftest import grade_post, login, url
from tests.conftest import AssertQueries
from tests.factories import MembershipFactory
from tests.screening.test_query_counts import CANDIDACY_QUERIES

pytestmark = pytest.mark.django_db

# The user (sessions live in Redis); the assessment with its company, engineer, brief and
# sender, scoped to the viewer's company, with the viewer's own zone; its grades with
# their graders; the teammates for the graders form; the header's unread Messages count.
ASSESSMENT_QUERIES = 5
# The user; the assessment (as above); its grades with their graders; the header's count.
GRADE_QUERIES = 4
# The user; the assessment, scoped to the engineer, with company, profile, brief and
# sender; the header's unread Opportunities count.
ENGINEER_QUERIES = 3
# The candidacy's assessments with the company and the viewer's zone; their grades with
# their graders (one prefetch for all of them).
PANEL_QUERIES = 2
# The whole candidacy page of an engineer in Assessment: the user; the candidacy; the
# reviews; the history; hiring's outreach panel; this panel's two; the header's count.
# (Other panels registered on the page add their own.)
# The page's pin without assessments, plus the grades' prefetch, made only when the
# candidacy has assessments.
CANDIDACY_PAGE_QUERIES = CANDIDACY_QUERIES + 1

GRADERS = [1, 3]


@pytest.fixture
def graded_by(
    owner: User, interested: Candidacy, send: Callable[..., Assessment], engineer: User
) -> Callable[[int], Assessment]:
    """An assessment with ``n`` graders, all but the owner having submitted."""

    def make(n: int) -> Assessment:
        team = [owner] + [
            MembershipFactory(company=owner.membership.company).user for _ in range(n - 1)
        ]
        assessment = send(interested, graders=team)
        services.assessment_submit(assessment=assessment, user=engineer, url="https://x.example/r")
        for user in team[1:]:
            services.grade_submit(
                assessment=assessment,
                grader=user,
                scores={
                    k: {"score": 3, "evidence": "ok"} for k in (c["key"] for c in assessment.rubric)
                },
                recommendation=1,
            )
        return assessment

    return make


@pytest.mark.parametrize("graders", GRADERS)
def test_the_assessment_page_costs_a_fixed_number_of_queries(
    client: Client, graded_by: Any, assert_queries: AssertQueries, graders: int
) -> None:
    assessment = graded_by(graders)
    bystander = MembershipFactory(company=assessment.company).user  # sees every card
    login(client, bystander)

    with assert_queries(ASSESSMENT_QUERIES):
        body = client.get(url("assessment", assessment.pk)).content.decode()

    assert body.count('class="entry grade-card"') == graders - 1


@pytest.mark.parametrize("graders", GRADERS)
def test_the_grading_page_costs_a_fixed_number_of_queries(
    client: Client, owner: User, graded_by: Any, assert_queries: AssertQueries, graders: int
) -> None:
    assessment = graded_by(graders)
    login(client, owner)

    with assert_queries(GRADE_QUERIES):
        body = client.get(url("assessment_grade", assessment.pk)).content.decode()
    assert 'name="recommendation"' in body

    client.post(url("assessment_grade", assessment.pk), grade_post(assessment, [4, 4]))
    with assert_queries(GRADE_QUERIES):
        body = client.get(url("assessment_grade", assessment.pk)).content.decode()
    assert body.count('class="entry grade-card"') == graders


@pytest.mark.parametrize("graders", GRADERS)
def test_the_engineers_page_costs_a_fixed_number_of_queries(
    client: Client, engineer: User, graded_by: Any, assert_queries: AssertQueries, graders: int
) -> None:
    assessment = graded_by(graders)
    login(client, engineer)

    with assert_queries(ENGINEER_QUERIES):
        body = client.get(url("my_assessment", assessment.pk)).content.decode()

    assert "Handed in" in body


@pytest.mark.parametrize("assessments", [1, 3])
def test_the_candidacy_panel_costs_a_fixed_number_of_queries(
    owner: User,
    teammate: User,
    engineer: User,
    interested: Candidacy,
    send: Callable[..., Assessment],
    assert_queries: AssertQueries,
    assessments: int,
) -> None:
    for n in range(assessments):
        assessment = send(interested)
        services.assessment_submit(assessment=assessment, user=engineer, url="https://x.example")
        for user in (owner, teammate):
            services.grade_submit(
                assessment=assessment,
                grader=user,
                scores={
                    k["key"]: {"score": 2 + n % 3, "evidence": "ok"} for k in assessment.rubric
                },
                recommendation=1,
            )
    request = RequestFactory().get(url("candidacy", interested.pk))
    request.user = owner

    with assert_queries(PANEL_QUERIES):
        context = candidacy_panel(request, candidacy=interested)
        assert context is not None
        html = render_to_string("screening/_candidacy_assessments.html", context, request)

    assert html.count('class="entry grade-card"') == 2 * assessments
    assert "Send an assessment" in html


@pytest.mark.parametrize("assessments", [1, 3])
def test_the_candidacy_page_with_assessments_costs_a_fixed_number_of_queries(
    client: Client,
    owner: User,
    teammate: User,
    engineer: User,
    interested: Candidacy,
    send: Callable[..., Assessment],
    assert_queries: AssertQueries,
    assessments: int,
) -> None:
    for _ in range(assessments):
        assessment = send(interested)
        services.assessment_submit(assessment=assessment, user=engineer, url="https://x.example")
        services.grade_submit(
            assessment=assessment,
            grader=teammate,
            scores={k["key"]: {"score": 4, "evidence": "ok"} for k in assessment.rubric},
            recommendation=2,
        )
        services.assessment_withdraw(assessment=assessment, user=owner, note="Enough.")
    login(client, MembershipFactory(company=owner.membership.company).user)

    with assert_queries(CANDIDACY_PAGE_QUERIES):
        body = client.get(url("candidacy", interested.pk)).content.decode()

    assert body.count('class="entry grade-card"') == assessments
