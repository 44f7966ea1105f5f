"""Sending an assessment: only to an engineer who said yes, one open at a time, with a
deadline the engineer can meet, graders from the team; what is copied, who is emailed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from accounts.errors import Conflict
from accounts.models import User
from screening.models import Assessment, AssessmentTemplate, Candidacy, Grade, Stage
from screening.services import assessments as services
from tests.assessments.conftest import emails, local_input, login, make_template, url
from tests.factories import EmployerFactory, ProfileFactory, candidacy_in
from tests.screening.conftest import moves_of, walk_to

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 10, 6, 30, tzinfo=UTC)  # 11:30 in Lahore


def form(
    template: AssessmentTemplate, deadline: datetime, graders: list[User], **extra: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "template": str(template.pk),
        "deadline": local_input(deadline, "Asia/Karachi"),
        "graders": [str(g.pk) for g in graders],
    }
    return data | extra


def test_the_form_is_prefilled_in_the_companys_zone(
    client: Client, owner: User, interested: Candidacy, template: AssessmentTemplate
) -> None:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        page = login(client, owner).get(url("assessment_send", interested.pk)).content.decode()

    # 11:30 in Lahore, on the next whole hour, plus the template's five days.
    assert 'value="2027-03-15T12:00"' in page
    assert "In your company's time (Asia/Karachi)" in page
    assert f'value="{owner.pk}"' in page and "checked" in page


def test_sending_copies_the_template_moves_the_card_and_emails_everyone(
    client: Client,
    owner: User,
    teammate: User,
    engineer: User,
    interested: Candidacy,
    template: AssessmentTemplate,
) -> None:
    deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=5)

    response = login(client, owner).post(
        url("assessment_send", interested.pk), form(template, deadline, [owner, teammate])
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert response["Location"] == url("assessment", assessment.pk)
    assert assessment.status == Assessment.Status.SENT
    assert assessment.deadline == deadline
    assert (assessment.title, assessment.time_box_hours, assessment.paid, assessment.amount) == (
        "Ledger API",
        4,
        True,
        100,
    )
    assert assessment.submit_note == "Share a private repository with hiring@acme.example."
    keys = [f"c{c.pk}" for c in template.criteria.all()]
    assert assessment.rubric == [
        {
            "key": keys[0],
            "name": "Correctness",
            "weight": 60,
            "levels": [
                "Does not run",
                "Runs, main path broken",
                "Main path works",
                "Works, edge cases too",
            ],
        },
        {
            "key": keys[1],
            "name": "Tests",
            "weight": 40,
            "levels": [
                "None",
                "A few happy paths",
                "Main behaviour covered",
                "Thorough and readable",
            ],
        },
    ]
    assert sorted(g.grader_id for g in Grade.objects.filter(submitted_at__isnull=True)) == sorted(
        [owner.pk, teammate.pk]
    )
    assert moves_of(interested)[-1] == (Stage.INTERESTED, Stage.ASSESSMENT)
    (to_engineer,) = emails("assessment_sent")
    assert to_engineer.to == engineer.email
    assert "Ledger API" in to_engineer.subject
    local = timezone.localtime(deadline, __import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert f"{local:%H:%M} (Europe/Berlin)" in to_engineer.body_text
    assert "- Pay: USD 100\n" in to_engineer.body_text
    assert url("my_assessment", assessment.pk) in to_engineer.body_text
    assert sorted(e.to for e in emails("assessment_grader")) == sorted(
        [owner.email, teammate.email]
    )
    assert all("Sana Javed" in e.subject for e in emails("assessment_grader"))


def test_a_card_already_in_assessment_stays_there(
    owner: User, interested: Candidacy, send: Callable[..., Assessment]
) -> None:
    first = send(interested)
    services.assessment_withdraw(assessment=first, user=owner, note="Wrong task, sorry.")
    moves = len(moves_of(interested))

    second = send(interested)

    assert second.status == Assessment.Status.SENT
    interested.refresh_from_db()
    assert interested.stage == Stage.ASSESSMENT
    assert len(moves_of(interested)) == moves


def test_anonymous_grading_keeps_the_name_out_of_the_graders_email(
    interested: Candidacy, send: Callable[..., Assessment]
) -> None:
    assessment = send(interested, anonymous=True)

    for email in emails("assessment_grader"):
        assert "Sana Javed" not in email.subject + email.body_text + email.body_html
        assert f"Candidate A-{assessment.pk}" in email.subject
        assert "/pipeline/" not in email.body_text


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.CONTACTED, Stage.OFFER, Stage.NOT_A_FIT])
def test_only_an_engineer_who_said_yes_can_be_sent_one(
    client: Client, owner: User, brief: Any, template: AssessmentTemplate, stage: Stage
) -> None:
    candidacy = walk_to(candidacy_in(brief, ProfileFactory(status="approved")), stage, owner)
    deadline = timezone.now() + timedelta(days=3)

    get = login(client, owner).get(url("assessment_send", candidacy.pk))
    post = client.post(url("assessment_send", candidacy.pk), form(template, deadline, [owner]))

    assert get.status_code == post.status_code == 409
    assert "engineers who said yes to your outreach" in unescape(post.content.decode())
    assert not Assessment.objects.exists()


def test_a_second_open_assessment_is_a_conflict(
    client: Client,
    owner: User,
    interested: Candidacy,
    template: AssessmentTemplate,
    send: Callable[..., Assessment],
) -> None:
    send(interested)

    response = login(client, owner).post(
        url("assessment_send", interested.pk),
        form(template, timezone.now() + timedelta(days=3), [owner]),
    )

    assert response.status_code == 409
    assert "already has an open assessment" in unescape(response.content.decode())
    assert Assessment.objects.count() == 1
    with pytest.raises(Conflict):
        services.assessment_send(
            candidacy=interested,
            template=template,
            sender=owner,
            deadline=timezone.now() + timedelta(days=3),
            graders=[owner],
        )


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (timedelta(hours=-1), "That deadline has already passed"),
        (timedelta(hours=3), "less than the time box (4 hours) away"),
        (timedelta(days=61), "at most 60 days from now"),
    ],
)
def test_a_deadline_the_engineer_cannot_meet_is_refused(
    client: Client,
    owner: User,
    interested: Candidacy,
    template: AssessmentTemplate,
    deadline: timedelta,
    message: str,
) -> None:
    response = login(client, owner).post(
        url("assessment_send", interested.pk), form(template, timezone.now() + deadline, [owner])
    )

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Assessment.objects.exists()
    assert not Grade.objects.exists()
    interested.refresh_from_db()
    assert interested.stage == Stage.INTERESTED
    assert not emails("assessment_sent")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": "next friday"}, "Give a date and a time"),
        ({"deadline": "2027-03-14T02:30"}, "does not exist"),  # Lahore has no gap: see below
        ({"graders": []}, "Pick at least one grader from your team."),
        ({"template": "999999"}, "Pick one of your team's templates."),
    ],
)
def test_bad_input_is_refused_and_nothing_sent(
    client: Client,
    owner: User,
    interested: Candidacy,
    template: AssessmentTemplate,
    change: dict[str, Any],
    message: str,
) -> None:
    if "does not exist" in message:  # a company in New York: 02:30 on 14 March 2027 never happens
        company = owner.membership.company
        company.time_zone = "America/New_York"
        company.save()
    data = form(template, timezone.now() + timedelta(days=3), [owner]) | change

    response = login(client, owner).post(url("assessment_send", interested.pk), data)

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Assessment.objects.exists()


def test_graders_from_another_company_are_refused(
    client: Client, owner: User, outsider: User, interested: Candidacy, template: AssessmentTemplate
) -> None:
    data = form(template, timezone.now() + timedelta(days=3), [owner, outsider])

    response = login(client, owner).post(url("assessment_send", interested.pk), data)

    assert response.status_code == 400
    assert "Graders must be members of your team." in unescape(response.content.decode())
    assert not Assessment.objects.exists()


def test_another_companys_template_cannot_be_sent(
    client: Client, owner: User, outsider: User, interested: Candidacy
) -> None:
    theirs = make_template(outsider.membership.company, outsider)
    data = form(theirs, timezone.now() + timedelta(days=3), [owner])

    login(client, owner)
    assert client.post(url("assessment_send", interested.pk), data).status_code == 400
    assert (
        client.get(url("assessment_send", interested.pk) + f"?template={theirs.pk}").status_code
        == 404
    )
    assert not Assessment.objects.exists()


def test_archived_templates_are_not_offered(
    client: Client, owner: User, interested: Candidacy, template: AssessmentTemplate
) -> None:
    services.template_archive(template=template)

    page = unescape(
        login(client, owner).get(url("assessment_send", interested.pk)).content.decode()
    )
    response = client.post(
        url("assessment_send", interested.pk),
        form(template, timezone.now() + timedelta(days=3), [owner]),
    )

    assert "Your team has no template ready to send" in page
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_only_the_company_reaches_the_send_page(
    client: Client, outsider: User, engineer: User, interested: Candidacy
) -> None:
    assert login(client, outsider).get(url("assessment_send", interested.pk)).status_code == 404
    assert login(client, engineer).get(url("assessment_send", interested.pk)).status_code == 404
    other = EmployerFactory()
    assert login(client, other).post(url("assessment_send", interested.pk), {}).status_code == 404


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "2027-02-30T10:00"])
def test_dates_at_the_ends_of_the_calendar_are_a_400_not_a_500(
    client: Client, owner: User, interested: Candidacy, template: AssessmentTemplate, typed: str
) -> None:
    company = owner.membership.company
    company.time_zone = "America/New_York"
    company.save()
    data = form(template, timezone.now() + timedelta(days=3), [owner]) | {"deadline": typed}

    response = login(client, owner).post(url("assessment_send", interested.pk), data)

    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_an_unpaid_assessment_says_so_before_the_engineer_starts(
    client: Client, owner: User, engineer: User, interested: Candidacy
) -> None:
    unpaid = make_template(
        owner.membership.company, owner, title="Short review", paid=False, amount=None
    )
    services.assessment_send(
        candidacy=interested,
        template=unpaid,
        sender=owner,
        deadline=timezone.now() + timedelta(days=2),
        graders=[owner],
    )

    (email,) = emails("assessment_sent")
    assert "- Pay: Unpaid\n" in email.body_text
    page = unescape(
        login(client, engineer)
        .get(url("my_assessment", Assessment.objects.get().pk))
        .content.decode()
    )
    assert "<dt>Pay</dt><dd>Unpaid</dd>" in page
