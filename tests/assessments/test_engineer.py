"""The engineer's side (their page, handing in, asking once for more time) and the
team's answers (grant, refuse, withdraw): every state change and its emails."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from screening.models import Assessment
from screening.services import assessments as services
from tests.assessments.conftest import emails, grade_post, local_input, login, url
from tests.factories import EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db

BERLIN = "Europe/Berlin"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def test_the_engineer_reads_the_terms_in_their_own_zone(
    client: Client, engineer: User, sent: Assessment
) -> None:
    page = text(login(client, engineer).get(url("my_assessment", sent.pk)))

    berlin = timezone.localtime(sent.deadline, ZoneInfo(BERLIN))
    lahore = timezone.localtime(sent.deadline, ZoneInfo("Asia/Karachi"))
    assert f"{berlin:%H:%M}</time> ({BERLIN})" in page
    assert f"{lahore:%H:%M} (Asia/Karachi)" in page
    assert "USD 100, paid by" in page
    assert "4 hours of work" in page
    assert "Share a private repository" in page
    assert "Build a small double-entry ledger" in page
    assert "Waiting for your work" in page


def test_nobody_else_sees_the_engineers_page(
    client: Client, owner: User, outsider: User, sent: Assessment
) -> None:
    other = EngineerFactory()
    ProfileFactory(user=other, status="approved")
    for user in (other, owner, outsider):
        login(client, user)
        assert client.get(url("my_assessment", sent.pk)).status_code == 404
        assert (
            client.post(
                url("my_assessment_submit", sent.pk), {"url": "https://x.example"}
            ).status_code
            == 404
        )
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SENT


def test_handing_in_tells_the_sender_and_the_graders(
    client: Client, engineer: User, owner: User, teammate: User, sent: Assessment
) -> None:
    response = login(client, engineer).post(
        url("my_assessment_submit", sent.pk),
        {"url": "https://github.com/sana/ledger", "note": "Run make test."},
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SUBMITTED
    assert (sent.submission_url, sent.submission_note) == (
        "https://github.com/sana/ledger",
        "Run make test.",
    )
    told = emails("assessment_submitted")
    assert sorted(e.to for e in told) == sorted([owner.email, teammate.email])
    assert all("Sana Javed handed in" in e.subject for e in told)
    assert "Handed in" in text(client.get(url("my_assessment", sent.pk)))


def test_anonymous_graders_read_no_name_when_it_is_handed_in(
    interested, send, engineer: User, owner: User, grader: User
) -> None:  # type: ignore[no-untyped-def]
    assessment = send(interested, anonymous=True, graders=[grader])

    services.assessment_submit(assessment=assessment, user=engineer, url="https://x.example/r")

    by_recipient = {e.to: e for e in emails("assessment_submitted")}
    assert "Sana Javed" in by_recipient[owner.email].subject  # the sender, not a grader
    hidden = by_recipient[grader.email]
    assert "Sana Javed" not in hidden.subject + hidden.body_text + hidden.body_html
    assert f"Candidate A-{assessment.pk}" in hidden.subject


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://files.example/work.zip", "file:///etc/passwd", "not a link", ""],
)
def test_only_http_links_are_taken(
    client: Client, engineer: User, sent: Assessment, link: str
) -> None:
    response = login(client, engineer).post(url("my_assessment_submit", sent.pk), {"url": link})

    assert response.status_code == 400
    page = text(response)
    assert "starting with https:// or http://" in page or "required" in page
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SENT
    assert sent.submission_url == ""
    assert not emails("assessment_submitted")


def test_handing_in_after_the_deadline_is_refused_as_expired(
    client: Client, engineer: User, sent: Assessment
) -> None:
    Assessment.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = login(client, engineer).post(
        url("my_assessment_submit", sent.pk), {"url": "https://github.com/sana/ledger"}
    )

    assert response.status_code == 409
    assert "expired" in text(response)
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SENT  # the sweep closes it, with its emails
    assert sent.submission_url == ""


def test_handing_in_twice_is_a_conflict(client: Client, engineer: User, sent: Assessment) -> None:
    login(client, engineer)
    data = {"url": "https://github.com/sana/ledger"}

    assert client.post(url("my_assessment_submit", sent.pk), data).status_code == 302
    second = client.post(url("my_assessment_submit", sent.pk), {"url": "https://other.example"})

    assert second.status_code == 409
    sent.refresh_from_db()
    assert sent.submission_url == "https://github.com/sana/ledger"
    assert len(emails("assessment_submitted")) == 2  # sender and one grader, once each


def ask(
    client: Client, assessment: Assessment, days: float, note: str = "Family wedding."
) -> object:
    until = assessment.deadline + timedelta(days=days)
    return client.post(
        url("my_assessment_extension", assessment.pk),
        {"until": local_input(until, BERLIN), "note": note},
    )


def test_asking_for_more_time_once_tells_the_team(
    client: Client, engineer: User, owner: User, sent: Assessment
) -> None:
    response = ask(login(client, engineer), sent, 3)

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.extension == Assessment.Extension.ASKED
    assert sent.extension_until == (sent.deadline + timedelta(days=3)).replace(
        second=0, microsecond=0
    )
    assert sent.extension_note == "Family wedding."
    (told,) = emails("assessment_extension_asked")
    assert told.to == owner.email
    assert "Family wedding." in told.body_text
    assert "has not answered yet" in text(client.get(url("my_assessment", sent.pk)))

    second = ask(client, sent, 2, "Still busy.")
    assert second.status_code == 409
    assert "already asked for more time once" in text(second)
    sent.refresh_from_db()
    assert sent.extension_note == "Family wedding."
    assert len(emails("assessment_extension_asked")) == 1


@pytest.mark.parametrize(
    ("days", "note", "message"),
    [
        (-1, "Busy", "later than the current one"),
        (14.5, "Busy", "at most 14 more days"),
        (2, "", "Say why you need more time"),
    ],
)
def test_a_bad_request_for_more_time_is_refused(
    client: Client, engineer: User, sent: Assessment, days: float, note: str, message: str
) -> None:
    response = ask(login(client, engineer), sent, days, note)

    assert response.status_code == 400
    assert message in text(response)
    sent.refresh_from_db()
    assert sent.extension == Assessment.Extension.NONE
    assert not emails("assessment_extension_asked")


def test_granting_moves_the_deadline_and_rearms_the_reminder(
    client: Client, engineer: User, teammate: User, sent: Assessment
) -> None:
    ask(login(client, engineer), sent, 3)
    Assessment.objects.filter(pk=sent.pk).update(reminded_at=timezone.now())
    sent.refresh_from_db()

    response = login(client, teammate).post(
        url("assessment_extension_answer", sent.pk), {"answer": "grant", "note": "Of course."}
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.extension == Assessment.Extension.GRANTED
    assert sent.deadline == sent.extension_until
    assert sent.reminded_at is None
    (told,) = emails("assessment_extension_answered")
    assert told.to == engineer.email
    assert told.subject.startswith("More time granted")
    new = timezone.localtime(sent.deadline, ZoneInfo(BERLIN))
    assert f"{new:%H:%M} ({BERLIN})" in told.body_text
    assert "Of course." in told.body_text
    again = client.post(url("assessment_extension_answer", sent.pk), {"answer": "refuse"})
    assert again.status_code == 409


def test_refusing_keeps_the_deadline_and_tells_the_engineer(
    client: Client, engineer: User, owner: User, sent: Assessment
) -> None:
    deadline = sent.deadline
    ask(login(client, engineer), sent, 3)

    response = login(client, owner).post(
        url("assessment_extension_answer", sent.pk), {"answer": "refuse"}
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.extension, sent.deadline) == (Assessment.Extension.REFUSED, deadline)
    (told,) = emails("assessment_extension_answered")
    assert told.subject.startswith("No extra time")
    page = text(login(client, engineer).get(url("my_assessment", sent.pk)))
    assert "could not give more time" in page
    assert ask(client, sent, 1).status_code == 409


def test_an_answer_without_a_request_is_a_conflict(
    client: Client, owner: User, sent: Assessment
) -> None:
    login(client, owner)

    assert (
        client.post(url("assessment_extension_answer", sent.pk), {"answer": "grant"}).status_code
        == 409
    )
    assert (
        client.post(url("assessment_extension_answer", sent.pk), {"answer": "maybe"}).status_code
        == 400
    )
    assert not emails("assessment_extension_answered")


def test_withdrawing_tells_the_engineer_with_the_note(
    client: Client, owner: User, engineer: User, sent: Assessment
) -> None:
    login(client, owner)
    assert client.post(url("assessment_withdraw", sent.pk), {"note": ""}).status_code == 400
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SENT

    response = client.post(url("assessment_withdraw", sent.pk), {"note": "The role is filled."})

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.WITHDRAWN
    assert sent.closed_at is not None
    (told,) = emails("assessment_withdrawn")
    assert told.to == engineer.email
    assert "The role is filled." in told.body_text
    assert client.post(url("assessment_withdraw", sent.pk), {"note": "Again"}).status_code == 409
    page = text(login(client, engineer).get(url("my_assessment", sent.pk)))
    assert "Withdrawn by the company" in page
    assert "Hand in your work" not in page
    submit = client.post(url("my_assessment_submit", sent.pk), {"url": "https://x.example"})
    assert submit.status_code == 409


def test_a_handed_in_assessment_can_still_be_withdrawn_but_not_a_graded_one(
    client: Client, owner: User, teammate: User, submitted: Assessment
) -> None:
    for user in (owner, teammate):
        login(client, user).post(
            url("assessment_grade", submitted.pk), grade_post(submitted, [3, 3])
        )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.GRADED

    response = client.post(url("assessment_withdraw", submitted.pk), {"note": "No"})

    assert response.status_code == 409
    assert not emails("assessment_withdrawn")


def test_the_engineer_never_sees_scores_graders_or_notes(
    client: Client, owner: User, teammate: User, engineer: User, submitted: Assessment
) -> None:
    for user in (owner, teammate):
        login(client, user).post(
            url("assessment_grade", submitted.pk),
            grade_post(submitted, [2, 4], **{"recommendation": "-1"}),
        )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.GRADED

    page = text(login(client, engineer).get(url("my_assessment", submitted.pk)))

    assert "Handed in" in page
    for secret in ("of 4", "Saw it in", "Owner Person", "mate@acme", "Graded", "No</", "Strong"):
        assert secret not in page
    assert client.get(url("assessment", submitted.pk)).status_code == 404
    assert client.get(url("assessment_grade", submitted.pk)).status_code == 404
    # Nothing the engineer was emailed carries a score or a grader's note.
    for email in emails("assessment_sent") + emails("assessment_graded"):
        if email.to == engineer.email:
            assert "of 4" not in email.body_text
    assert all(e.to != engineer.email for e in emails("assessment_graded"))


def test_closing_the_card_as_not_a_fit_withdraws_the_waiting_assessment(
    client: Client, owner: User, engineer: User, sent: Assessment
) -> None:
    response = login(client, owner).post(
        url("move", sent.candidacy_id),
        {"to": "not_a_fit", "expected": "assessment", "reason": "rate", "note": "Too dear."},
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.WITHDRAWN
    (told,) = emails("assessment_withdrawn")
    assert told.to == engineer.email
    assert "Too dear" not in told.body_text and "rate" not in told.body_text.lower()
    assert "Their note" not in told.body_text


def test_an_engineer_who_steps_back_is_not_emailed_about_their_assessment(
    engineer: User, sent: Assessment
) -> None:
    from screening.services import candidacy_move

    candidacy_move(candidacy=sent.candidacy, to="withdrawn", by=engineer, via_outreach=True)

    sent.refresh_from_db()
    assert sent.status == Assessment.Status.WITHDRAWN
    assert not emails("assessment_withdrawn")


def test_work_already_handed_in_stays_for_the_graders_when_the_card_closes(
    owner: User, submitted: Assessment
) -> None:
    from screening.services import candidacy_move

    candidacy_move(candidacy=submitted.candidacy, to="not_a_fit", by=owner, reason="skills")

    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_past_its_deadline_the_engineer_reads_it_as_closed_before_the_sweep_runs(
    client: Client, engineer: User, sent: Assessment
) -> None:
    Assessment.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    page = text(login(client, engineer).get(url("my_assessment", sent.pk)))

    assert "Deadline passed" in page
    assert "Hand in your work" not in page
    assert "Ask for more time" not in page


def test_the_team_page_shows_the_request_with_grant_and_refuse(
    client: Client, engineer: User, teammate: User, sent: Assessment
) -> None:
    ask(login(client, engineer), sent, 3)

    page = text(login(client, teammate).get(url("assessment", sent.pk)))

    assert "Request for more time: asked" in page
    assert "Family wedding." in page
    assert 'name="answer" value="grant"' in page and 'name="answer" value="refuse"' in page
    assert url("assessment_extension_answer", sent.pk) in page


def test_an_answer_after_the_deadline_is_too_late(
    client: Client, engineer: User, owner: User, sent: Assessment
) -> None:
    ask(login(client, engineer), sent, 3)
    Assessment.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = login(client, owner).post(
        url("assessment_extension_answer", sent.pk), {"answer": "grant"}
    )

    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.extension == Assessment.Extension.ASKED
    assert not emails("assessment_extension_answered")


def test_the_team_page_shows_what_was_handed_in(
    client: Client, teammate: User, submitted: Assessment
) -> None:
    page = text(login(client, teammate).get(url("assessment", submitted.pk)))

    assert 'href="https://github.com/sana/ledger"' in page
    assert "Run make test." in page
    assert "Submitted, being graded" in page
