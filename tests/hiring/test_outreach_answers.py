"""The engineer answers an outreach: accept, decline, reply, step back, report."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from candidates.models import CompanyBlock, ContactConsent
from hiring.models import ConsentGrant, Message, Outreach, Report
from hiring.services import outreach_decline, outreach_expire, outreach_withdraw
from screening.models import Stage
from tests.factories import EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _post(client: Client, name: str, outreach: Any, data: dict[str, Any] | None = None) -> Any:
    return client.post(reverse(f"hiring:{name}", args=[outreach.pk]), data or {})


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _stage(outreach: Any) -> str:
    outreach.candidacy.refresh_from_db()
    return outreach.candidacy.stage


def test_accepting_moves_the_card_to_interested_and_tells_the_sender(
    client: Client, engineer: Any, outreach_waiting: Any, django_capture_on_commit_callbacks: Any
):
    client.force_login(engineer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "accept", outreach_waiting, {"note": "Free on Monday."})

    assert response.status_code == 302
    assert response["Location"] == reverse("hiring:opportunity", args=[outreach_waiting.pk])
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.ACCEPTED
    assert outreach_waiting.answer_note == "Free on Monday."
    assert _stage(outreach_waiting) == Stage.INTERESTED
    # The answer, and the note as a message of the thread (its digest).
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["owner@acme.example"], "Sana Javed accepted your outreach for Payments backend"),
        (["owner@acme.example"], "Sana Javed wrote to you (1 unread message)"),
    ]
    assert Message.objects.filter(
        thread=outreach_waiting.thread, side="engineer", body="Free on Monday."
    ).exists()
    page = _text(client.get(response["Location"]))
    assert "In conversation" in page
    assert reverse("hiring:thread", args=[outreach_waiting.thread_id]) in page
    assert reverse("hiring:step_back", args=[outreach_waiting.pk]) in page
    assert reverse("hiring:accept", args=[outreach_waiting.pk]) not in page


def test_accepting_twice_grants_and_emails_once(
    client: Client, engineer: Any, outreach_waiting: Any, django_capture_on_commit_callbacks: Any
):
    client.force_login(engineer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, "accept", outreach_waiting)
        second = _post(client, "accept", outreach_waiting)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "You have already accepted this outreach." in _text(second)
    assert ConsentGrant.objects.count() == 1
    assert ContactConsent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_declining_tells_the_sender_the_reason_and_can_block_the_company(
    client: Client,
    owner: Any,
    engineer: Any,
    outreach_waiting: Any,
    django_capture_on_commit_callbacks: Any,
):
    client.force_login(engineer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            "decline",
            outreach_waiting,
            {"reason": "rate", "note": "I charge more.", "block": "on"},
        )

    assert response.status_code == 302
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.DECLINED
    assert outreach_waiting.decline_reason == "rate"
    assert _stage(outreach_waiting) == Stage.DECLINED
    [email] = mail.outbox
    assert email.to == ["owner@acme.example"]
    assert "The rate is too low" in email.body
    assert CompanyBlock.objects.filter(profile=outreach_waiting.profile, kind="name").exists()
    assert "You declined" in _text(client.get(response["Location"]))
    client.force_login(owner)
    profile_url = reverse("candidates:detail", args=[outreach_waiting.profile_id])
    assert client.get(profile_url).status_code == 404


def test_declining_without_blocking_keeps_the_profile_visible(
    client: Client, owner: Any, engineer: Any, outreach_waiting: Any
):
    client.force_login(engineer)

    _post(client, "decline", outreach_waiting, {"reason": "availability"})

    assert not CompanyBlock.objects.exists()
    client.force_login(owner)
    profile_url = reverse("candidates:detail", args=[outreach_waiting.profile_id])
    assert client.get(profile_url).status_code == 200


@pytest.mark.parametrize(
    "data",
    [{}, {"reason": "bored"}, {"reason": "rate", "note": "x" * 2001}],
)
def test_a_decline_without_a_known_reason_changes_nothing(
    client: Client, engineer: Any, outreach_waiting: Any, data: dict[str, str]
):
    client.force_login(engineer)
    mail.outbox.clear()

    response = _post(client, "decline", outreach_waiting, data)

    assert response.status_code == 400
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.SENT
    assert mail.outbox == []


def test_a_question_keeps_the_outreach_open_and_stops_reminders(
    client: Client, engineer: Any, outreach_waiting: Any, django_capture_on_commit_callbacks: Any
):
    client.force_login(engineer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "reply", outreach_waiting, {"body": "Is the team remote?"})

    assert response.status_code == 302
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.SENT
    assert outreach_waiting.replied_at is not None
    assert outreach_waiting.follow_up_due_at() is None
    assert Message.objects.filter(side="engineer", body="Is the team remote?").exists()
    assert _stage(outreach_waiting) == Stage.CONTACTED
    [email] = mail.outbox  # the sender hears of it through the thread's digest
    assert email.to == ["owner@acme.example"]
    assert "Is the team remote?" in email.body


def test_a_counter_proposal_is_kept_and_shown(client: Client, engineer: Any, outreach_waiting: Any):
    client.force_login(engineer)

    _post(client, "reply", outreach_waiting, {"counter_amount": "45", "counter_unit": "USD/hour"})

    outreach_waiting.refresh_from_db()
    assert outreach_waiting.counter_amount == 45
    assert outreach_waiting.counter_unit == "USD/hour"
    page = _text(client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk])))
    assert "You proposed USD 45 an hour." in page
    assert Message.objects.filter(side="engineer", body__contains="USD 45 an hour").exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "both were empty"),
        ({"body": "   "}, "both were empty"),
        ({"body": "x" * 5001}, "at most 5000 characters"),
        ({"counter_amount": "-10", "counter_unit": "USD/hour"}, "Give a rate above zero."),
        ({"counter_amount": "0", "counter_unit": "USD/hour"}, "Give a rate above zero."),
        ({"counter_amount": "99999", "counter_unit": "USD/hour"}, "looks like a typo"),
        ({"counter_amount": "45"}, "per hour or per month"),
        ({"counter_amount": "45", "counter_unit": "EUR/day"}, "Select a valid choice"),
    ],
)
def test_a_bad_reply_is_refused_and_nothing_is_sent(
    client: Client, engineer: Any, outreach_waiting: Any, data: dict[str, str], error: str
):
    client.force_login(engineer)

    response = _post(client, "reply", outreach_waiting, data)

    assert response.status_code == 400
    assert error in _text(response)
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.replied_at is None
    assert not Message.objects.filter(side="engineer").exists()


def test_accepting_after_declining_is_a_409_with_the_reason(
    client: Client, engineer: Any, outreach_waiting: Any
):
    outreach_decline(outreach=outreach_waiting, user=engineer, reason="project")
    client.force_login(engineer)

    response = _post(client, "accept", outreach_waiting)

    assert response.status_code == 409
    assert "You have already declined this outreach. Nothing was changed." in _text(response)
    assert not ContactConsent.objects.exists()


def test_accepting_after_expiry_is_a_409_with_the_reason(
    client: Client, engineer: Any, outreach_waiting: Any, django_capture_on_commit_callbacks: Any
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert outreach_expire(outreach=outreach_waiting, now=outreach_waiting.expires_at())
    [email] = mail.outbox
    assert email.to == ["owner@acme.example"]
    client.force_login(engineer)

    response = _post(client, "accept", outreach_waiting)

    assert response.status_code == 409
    assert "expired on its decide-by date" in _text(response)
    assert _stage(outreach_waiting) == Stage.NO_ANSWER
    assert not ContactConsent.objects.exists()


def test_answering_a_withdrawn_outreach_is_a_409(
    client: Client, owner: Any, engineer: Any, outreach_waiting: Any
):
    outreach_withdraw(outreach=outreach_waiting, user=owner)
    client.force_login(engineer)

    for name, data in (("accept", {}), ("decline", {"reason": "rate"}), ("reply", {"body": "?"})):
        response = _post(client, name, outreach_waiting, data)
        assert response.status_code == 409
        assert "The company withdrew this outreach" in _text(response)
    page = _text(client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk])))
    assert "Withdrawn by the company" in page
    assert reverse("hiring:accept", args=[outreach_waiting.pk]) not in page


def test_stepping_back_after_accepting_closes_the_card(
    client: Client, engineer: Any, outreach_waiting: Any
):
    client.force_login(engineer)
    _post(client, "accept", outreach_waiting)

    response = _post(client, "step_back", outreach_waiting, {"note": "Took another job."})
    again = _post(client, "step_back", outreach_waiting)

    assert response.status_code == 302
    assert _stage(outreach_waiting) == Stage.WITHDRAWN
    assert "You stepped back" in _text(client.get(response["Location"]))
    assert again.status_code == 409


def test_stepping_back_before_accepting_is_a_409(
    client: Client, engineer: Any, outreach_waiting: Any
):
    client.force_login(engineer)

    response = _post(client, "step_back", outreach_waiting)

    assert response.status_code == 409
    assert "only from an opportunity you accepted" in _text(response)
    assert _stage(outreach_waiting) == Stage.CONTACTED


def test_reporting_an_outreach_thanks_the_engineer_once(
    client: Client, engineer: Any, outreach_waiting: Any
):
    client.force_login(engineer)

    response = client.post(
        reverse("hiring:report_outreach", args=[outreach_waiting.pk]),
        {"report-note": "Asked for a deposit."},
        follow=True,
    )
    client.post(reverse("hiring:report_outreach", args=[outreach_waiting.pk]), {})

    assert "Thank you for telling us." in _text(response)
    report = Report.objects.get()
    assert report.note == "Asked for a deposit."
    assert report.company == outreach_waiting.company


def test_another_engineer_cannot_open_or_answer_it(client: Client, outreach_waiting: Any):
    other = ProfileFactory(status="approved").user
    client.force_login(other)

    assert client.get(reverse("hiring:opportunity", args=[outreach_waiting.pk])).status_code == 404
    for name, data in (
        ("accept", {}),
        ("decline", {"reason": "rate"}),
        ("reply", {"body": "Hi"}),
        ("step_back", {}),
        ("report_outreach", {}),
    ):
        assert _post(client, name, outreach_waiting, data).status_code == 404
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.SENT
    assert outreach_waiting.seen_at is None
    assert not Report.objects.exists()


def test_employers_cannot_answer_for_the_engineer(
    client: Client, owner: Any, outsider: Any, outreach_waiting: Any
):
    for user in (owner, outsider):
        client.force_login(user)
        opportunity = reverse("hiring:opportunity", args=[outreach_waiting.pk])
        assert client.get(opportunity).status_code == 404
        assert _post(client, "accept", outreach_waiting).status_code == 404
    client.logout()
    assert _post(client, "accept", outreach_waiting).status_code == 302  # to the login page
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.SENT


def test_a_new_engineer_account_has_no_opportunities(client: Client):
    client.force_login(EngineerFactory())

    page = _text(client.get(reverse("hiring:opportunities")))

    assert "No companies have reached out yet" in page
