"""Query counts pinned with fixed numbers: the same with one interviewer or slot as with
several."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, InterviewKit
from screening.selectors import get_candidacy_for_user
from screening.services import interviews as services
from screening.views.interviews import candidacy_panel
from tests.conftest import AssertQueries
from tests.factories import MembershipFactory
from tests.interviews.conftest import LINK, book, offer


def team(owner: User, size: int) -> list[User]:
    company = owner.membership.company
    return [owner] + [MembershipFactory(company=company).user for _ in range(size - 1)]


# Scheduling: the form; and finding times (each teammate's working day, the busy times).
SCHEDULE_GET = 6
SCHEDULE_FIND = 7


@pytest.mark.parametrize("size", [1, 4])
def test_the_schedule_page(
    client: Client,
    owner: User,
    candidacy: Candidacy,
    kit: InterviewKit,
    assert_queries: AssertQueries,
    size: int,
) -> None:
    people = team(owner, size)
    InterviewKit.objects.create(company=candidacy.company, title="Second kit")
    client.force_login(owner)
    url = reverse("screening:interview_schedule", args=[candidacy.pk])
    data: dict[str, Any] = {
        "kind": "technical",
        "interviewers": [u.pk for u in people],
        "length": "60",
        "video_link": LINK,
        "find": "1",
    }
    with assert_queries(SCHEDULE_GET):
        assert client.get(url).status_code == 200
    with assert_queries(SCHEDULE_FIND):
        response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["days"]


# The team's page of an interview: booked (with its kit) and proposed (with its slots).
INTERVIEW_PAGE = 7


@pytest.mark.parametrize(("size", "slots"), [(1, 1), (3, 5)])
def test_the_interview_page(
    client: Client,
    owner: User,
    engineer: User,
    candidacy: Candidacy,
    kit: InterviewKit,
    assert_queries: AssertQueries,
    size: int,
    slots: int,
) -> None:
    people = team(owner, size)
    proposed = offer(candidacy, owner, people, kit=kit, n=slots)
    client.force_login(owner)
    url = reverse("screening:interview", args=[proposed.pk])
    with assert_queries(INTERVIEW_PAGE):
        assert client.get(url).status_code == 200
    book(proposed, engineer)
    with assert_queries(INTERVIEW_PAGE):
        assert client.get(url).status_code == 200


# The engineer's page: offered times to pick from.
ENGINEER_PAGE = 5


@pytest.mark.parametrize(("size", "slots"), [(1, 1), (3, 6)])
def test_the_engineers_page(
    client: Client,
    owner: User,
    engineer: User,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    size: int,
    slots: int,
) -> None:
    interview = offer(candidacy, owner, team(owner, size), n=slots)
    client.force_login(engineer)
    url = reverse("screening:my_interview", args=[interview.pk])
    with assert_queries(ENGINEER_PAGE):
        assert client.get(url).status_code == 200


# The candidacy page's interviews panel on its own (the page's other panels belong to
# other parts): the interviews, each with the viewer's own zone.
PANEL = 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_candidacy_panel(
    owner: User,
    brief: Any,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    count: int,
) -> None:
    for n in range(count):  # the earlier ones cancelled, the last one booked
        interview = offer(candidacy, owner, n=1)
        if n < count - 1:
            services.interview_cancel(interview=interview, by=owner, side="company", reason="x")
    book(interview, candidacy.profile.user)
    request = RequestFactory().get("/")
    request.user = owner
    fetched = get_candidacy_for_user(owner, candidacy.pk)
    with assert_queries(PANEL):
        context = candidacy_panel(request, candidacy=fetched)
        assert context is not None
        html = render_to_string("screening/_candidacy_interviews.html", context, request)
    assert len(context["rows"]) == count
    assert html.count("Technical interview") == count
