"""Who may open what: another company's interview is a 404 on every URL; engineers get
404 on the team's URLs and the team on the engineer's; engineers never see the kit,
the notes or scorecards."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from screening.models import Candidacy, Interview, InterviewKit, Scorecard
from tests.factories import EngineerFactory
from tests.interviews.conftest import GOOD_ANSWER, KIT_NOTES, book, offer

TEAM = [
    ("screening:interview", "get"),
    ("screening:interview_reoffer", "get"),
    ("screening:interview_reoffer", "post"),
    ("screening:interview_cancel", "post"),
    ("screening:interview_no_show", "post"),
    ("screening:interview_ics", "get"),
]
ENGINEER = [
    ("screening:my_interview", "get"),
    ("screening:my_interview_pick", "post"),
    ("screening:my_interview_others", "post"),
    ("screening:my_interview_cancel", "post"),
    ("screening:my_interview_ics", "get"),
]
FORM = {"reason": "Because", "note": "Mornings", "slot": "1", "length": "60", "find": "1"}


@pytest.fixture
def interview(owner: User, engineer: User, candidacy: Candidacy, kit: InterviewKit) -> Interview:
    return book(offer(candidacy, owner, kit=kit), engineer)


def call(client: Client, name: str, method: str, pk: int) -> int:
    url = reverse(name, args=[pk])
    response = client.get(url) if method == "get" else client.post(url, FORM)
    return response.status_code


def unchanged(interview: Interview) -> None:
    before = (interview.status, interview.starts_at, interview.sequence)
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at, interview.sequence) == before


@pytest.mark.parametrize(("name", "method"), TEAM)
def test_another_company_gets_404_on_every_team_url(
    client: Client, outsider: User, interview: Interview, name: str, method: str
) -> None:
    client.force_login(outsider)
    emails = OutboundEmail.objects.count()
    assert call(client, name, method, interview.pk) == 404
    unchanged(interview)
    assert OutboundEmail.objects.count() == emails


def test_another_company_cannot_schedule_our_candidacy(
    client: Client, outsider: User, candidacy: Candidacy
) -> None:
    client.force_login(outsider)
    url = reverse("screening:interview_schedule", args=[candidacy.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"find": "1"}).status_code == 404


@pytest.mark.parametrize(("name", "method"), TEAM)
def test_the_engineer_gets_404_on_the_team_urls(
    client: Client, engineer: User, interview: Interview, name: str, method: str
) -> None:
    client.force_login(engineer)
    assert call(client, name, method, interview.pk) == 404
    unchanged(interview)


def test_the_engineer_cannot_open_the_scheduling_page(
    client: Client, engineer: User, candidacy: Candidacy
) -> None:
    client.force_login(engineer)
    url = reverse("screening:interview_schedule", args=[candidacy.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "method"), ENGINEER)
def test_the_team_and_other_engineers_get_404_on_the_engineers_urls(
    client: Client, owner: User, interview: Interview, name: str, method: str
) -> None:
    for user in (owner, EngineerFactory()):
        client.force_login(user)
        assert call(client, name, method, interview.pk) == 404, user
    unchanged(interview)


@pytest.mark.parametrize(("name", "method"), TEAM + ENGINEER)
def test_visitors_are_sent_to_log_in(
    client: Client, interview: Interview, name: str, method: str
) -> None:
    assert call(client, name, method, interview.pk) == 302


def test_a_teammate_who_is_not_an_interviewer_sees_the_interview(
    client: Client, teammate: User, interview: Interview
) -> None:
    client.force_login(teammate)
    assert client.get(reverse("screening:interview", args=[interview.pk])).status_code == 200


def test_the_engineer_never_sees_the_kit_notes_or_scorecards(
    client: Client, owner: User, engineer: User, interview: Interview, kit: InterviewKit
) -> None:
    Scorecard.objects.filter(interview=interview).update(
        ratings={"apis": {"score": 2, "evidence": "Vague on retries"}}, recommendation=-1
    )
    client.force_login(engineer)
    page = client.get(reverse("screening:my_interview", args=[interview.pk])).content.decode()
    ics = client.get(reverse("screening:my_interview_ics", args=[interview.pk])).content.decode()
    mail = "".join(
        e.subject + e.body_text + e.body_html
        for e in OutboundEmail.objects.filter(to=engineer.email)
    )
    for text in (page, ics, mail):
        for secret in (KIT_NOTES, GOOD_ANSWER, kit.title, "Vague on retries", "safe to retry"):
            assert secret not in text
