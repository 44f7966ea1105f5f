"""Writing a scorecard: who may, when, what is refused (4xx, nothing saved), that it is
final, and the email to the teammate who scheduled the interview when the last is in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.errors import Conflict, Refused
from accounts.models import User
from screening.models import Candidacy, Interview, InterviewKit, Scorecard
from screening.services.scorecards import scorecard_submit
from tests.factories import MembershipFactory
from tests.scorecards.conftest import form_data, make_interview, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def technical(candidacy: Candidacy, teammate: User, second: User, kit: InterviewKit) -> Interview:
    return make_interview(candidacy, [teammate, second], kit=kit)


def url(interview: Interview) -> str:
    return reverse("screening:scorecard", args=[interview.pk])


def card_of(interview: Interview, user: User) -> Scorecard:
    return Scorecard.objects.get(interview=interview, interviewer=user)


def assert_nothing_saved(interview: Interview) -> None:
    for card in Scorecard.objects.filter(interview=interview):
        assert card.submitted_at is None
        assert card.ratings == {}
        assert card.recommendation is None


def test_it_shows_the_form_with_the_kits_questions_and_good_answers(
    client: Client, technical: Interview, teammate: User
) -> None:
    client.force_login(teammate)
    page = client.get(url(technical)).content.decode()
    for label in ("System design", "Databases", "Security"):
        assert f"Score for {label}" in page and f"Evidence for {label}" in page
    assert "Design a payouts ledger." in page and "Double entry, idempotent writes." in page
    assert "How do you test a Celery task?" in page  # a kit question on another attribute
    assert "probe the ledger design" in page  # the kit's notes for interviewers
    assert page.count('value="none"') == 3  # "Did not assess" for each attribute
    assert 'value="0"' not in page and 'value="5"' not in page  # 1–4, no middle, no 0


def test_it_saves_the_card_and_shows_the_summary(
    client: Client, technical: Interview, teammate: User
) -> None:
    client.force_login(teammate)
    data = form_data(technical, **{"score-security": "none", "evidence-security": ""})
    data["recommendation"] = "2"

    response = client.post(url(technical), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("screening:scorecards", args=[technical.candidacy_id])
    card = card_of(technical, teammate)
    assert card.submitted_at is not None and card.recommendation == 2
    assert card.ratings == {
        "system_design": {"score": 3, "evidence": "POSTED-EVIDENCE-system_design"},
        "databases": {"score": 3, "evidence": "POSTED-EVIDENCE-databases"},
    }
    page = client.get(url(technical)).content.decode()
    assert "Your scorecard is in and final" in page and "POSTED-EVIDENCE-databases" in page
    assert "Submit your scorecard" not in page


BAD_POSTS: dict[str, tuple[dict[str, str], str]] = {
    "score 0": ({"score-databases": "0"}, "A score for Databases is 1, 2, 3 or 4"),
    "score 5": ({"score-databases": "5"}, "A score for Databases is 1, 2, 3 or 4"),
    "score x": ({"score-databases": "x"}, "A score for Databases is 1, 2, 3 or 4"),
    "score 2.5": ({"score-databases": "2.5"}, "A score for Databases is 1, 2, 3 or 4"),
    "no score picked": ({"score-databases": ""}, "Pick a score for Databases"),
    "missing evidence": ({"evidence-databases": "  "}, "Write the evidence for this score"),
    "evidence too long": ({"evidence-databases": "x" * 2001}, "at most 2000 characters"),
    "unknown attribute": ({"score-devops": "3", "evidence-devops": "k8s"}, "rates only"),
    "no recommendation": ({"recommendation": ""}, "Choose your recommendation"),
    "bad recommendation": ({"recommendation": "0"}, "strong no, no, yes or strong yes"),
    "nothing scored": (
        {
            "score-system_design": "none",
            "score-databases": "none",
            "score-security": "none",
        },
        "Score at least one attribute",
    ),
}


@pytest.mark.parametrize("case", BAD_POSTS)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    client: Client, technical: Interview, teammate: User, case: str
) -> None:
    changes, message = BAD_POSTS[case]
    client.force_login(teammate)

    response = client.post(url(technical), form_data(technical, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_saved(technical)


def test_a_missing_attribute_field_is_asked_for(
    client: Client, technical: Interview, teammate: User
) -> None:
    data = form_data(technical)
    del data["score-security"]
    client.force_login(teammate)
    response = client.post(url(technical), data)
    assert response.status_code == 400
    assert "Pick a score for Security" in response.content.decode()
    assert_nothing_saved(technical)


@pytest.mark.parametrize("who", ["owner", "third", "outsider", "engineer"])
def test_nobody_but_its_interviewers_can_post_a_card(
    client: Client, technical: Interview, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))
    response = client.post(url(technical), form_data(technical))
    assert response.status_code == 404
    assert_nothing_saved(technical)
    assert not Scorecard.objects.filter(interview=technical).exclude(
        interviewer__email__in=["mate@acme.example", "second@acme.example"]
    )


def test_submitting_twice_is_a_conflict_and_the_first_card_stands(
    client: Client, technical: Interview, teammate: User
) -> None:
    client.force_login(teammate)
    assert client.post(url(technical), form_data(technical)).status_code == 302
    first = card_of(technical, teammate)

    again = form_data(technical, recommendation="-2", **{"evidence-databases": "CHANGED"})
    response = client.post(url(technical), again)

    assert response.status_code == 409
    assert "already submitted" in response.content.decode()
    card = card_of(technical, teammate)
    assert (card.ratings, card.recommendation, card.submitted_at) == (
        first.ratings,
        first.recommendation,
        first.submitted_at,
    )


def test_a_second_submit_is_a_conflict_even_with_bad_input(
    client: Client, technical: Interview, teammate: User
) -> None:
    submit(technical, teammate)
    client.force_login(teammate)
    response = client.post(url(technical), {"score-databases": "9"})
    assert response.status_code == 409
    assert "already submitted" in response.content.decode()


def test_the_service_refuses_a_second_submit_too(technical: Interview, teammate: User) -> None:
    submit(technical, teammate)
    with pytest.raises(Conflict):
        submit(technical, teammate, recommendation=-2)


@pytest.mark.parametrize(
    "ratings",
    [
        {"databases": {"score": 0, "evidence": "x"}},
        {"databases": {"score": 5, "evidence": "x"}},
        {"databases": {"score": "3", "evidence": "x"}},
        {"databases": {"score": True, "evidence": "x"}},
        {"databases": {"score": 3, "evidence": " "}},
        {"devops": {"score": 3, "evidence": "x"}},
        {"databases": "3"},
        {},
    ],
)
def test_the_service_checks_what_it_stores(
    technical: Interview, teammate: User, ratings: dict[str, Any]
) -> None:
    with pytest.raises(Refused):
        scorecard_submit(
            interview=technical, interviewer=teammate, ratings=ratings, recommendation=1
        )
    assert_nothing_saved(technical)


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Interview.Status.PROPOSED, "not booked yet"),
        (Interview.Status.CANCELLED, "was cancelled"),
        (Interview.Status.NO_SHOW, "did not show"),
    ],
)
def test_a_card_waits_for_a_booked_interview(
    client: Client, candidacy: Candidacy, teammate: User, status: str, says: str
) -> None:
    interview = make_interview(candidacy, [teammate], status=status)
    client.force_login(teammate)

    page = client.get(url(interview))
    assert page.status_code == 200
    assert says in page.content.decode() and "Submit your scorecard" not in page.content.decode()

    response = client.post(url(interview), form_data(interview))
    assert response.status_code == 409
    assert says in response.content.decode()
    assert_nothing_saved(interview)


def test_an_interviewer_can_write_once_the_time_is_booked_even_before_the_end(
    client: Client, candidacy: Candidacy, teammate: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    interview = make_interview(candidacy, [teammate], ends_at=timezone.now() + timedelta(hours=1))
    client.force_login(teammate)
    assert client.post(url(interview), form_data(interview)).status_code == 302


def test_a_deleted_kit_leaves_the_attributes_to_rate(
    client: Client, technical: Interview, teammate: User, kit: InterviewKit
) -> None:
    kit.delete()
    client.force_login(teammate)
    page = client.get(url(technical)).content.decode()
    assert "Score for Databases" in page and "has no kit" in page
    assert client.post(url(technical), form_data(technical)).status_code == 302


# "Scorecards are in" -------------------------------------------------------------------


def test_the_scheduler_hears_when_the_last_card_is_in_and_not_before(
    client: Client,
    technical: Interview,
    owner: User,
    teammate: User,
    second: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(teammate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(technical), form_data(technical))
    assert mail.outbox == []

    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(technical), form_data(technical, recommendation="-2"))

    (email,) = mail.outbox
    assert email.to == [owner.email]
    assert "Scorecards are in" in email.subject and "Sana Javed" in email.subject
    summary = reverse("screening:scorecards", args=[technical.candidacy_id])
    assert summary in email.body
    html = email.alternatives[0][0]
    assert summary in html
    # The email says the cards are in, never what they say (its reader may owe one).
    for body in (email.body, html):
        assert "EVIDENCE" not in body and "Strong no" not in body


def test_the_owners_hear_when_the_scheduler_has_left(
    candidacy: Candidacy,
    owner: User,
    teammate: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    scheduler = MembershipFactory(company=owner.membership.company).user
    interview = make_interview(candidacy, [teammate], created_by=scheduler)
    scheduler.delete()  # the interview keeps no scheduler (SET_NULL)
    interview.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        submit(interview, teammate)

    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_refused_card_sends_nothing(
    client: Client,
    candidacy: Candidacy,
    teammate: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    interview = make_interview(candidacy, [teammate])
    client.force_login(teammate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(interview), form_data(interview, **{"score-databases": "9"}))
    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_last_cards_at_the_same_moment_tell_the_scheduler_once(
    candidacy: Candidacy, owner: User, teammate: User, second: User
) -> None:
    """Each submit locks the interview first: the later one sees the other's card in."""
    import threading

    from django.db import connection

    from accounts.models import OutboundEmail

    interview = make_interview(candidacy, [teammate, second])
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(user: User) -> None:
        try:
            start.wait(timeout=10)
            submit(interview, user)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in (teammate, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert Scorecard.objects.filter(interview=interview, submitted_at__isnull=True).count() == 0
    told = OutboundEmail.objects.filter(key__startswith=f"scorecards-in:{interview.pk}:")
    assert list(told.values_list("to", flat=True)) == [owner.email]
