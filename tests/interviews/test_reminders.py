"""The reminder sweep: 24 hours and 1 hour before, to everyone, each in their own zone;
run twice, it sends once (in-process and with the real worker and an SMTP server)."""

from __future__ import annotations

from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from celery.signals import task_postrun

from accounts.models import User
from screening import tasks
from screening.models import Candidacy, Interview
from screening.selectors import interviews as selectors
from screening.services import interviews as services
from screening.services.interviews import interview_sweep
from tests.conftest import Finished, Inbox, delivered
from tests.interviews.conftest import book, emails, offer, parse_ics


@pytest.fixture
def booked(owner: User, teammate: User, engineer: User, candidacy: Candidacy) -> Interview:
    membership = teammate.membership
    membership.time_zone = "Europe/Berlin"
    membership.save()
    return book(offer(candidacy, owner, [owner, teammate]), engineer)


def test_the_day_reminder_goes_to_everyone_once_in_their_own_zone(
    booked: Interview, owner: User, teammate: User, engineer: User
) -> None:
    start = booked.starts_at
    assert start is not None

    assert interview_sweep(now=start - timedelta(hours=25)) == {"day": 0, "hour": 0}
    first = interview_sweep(now=start - timedelta(hours=23))
    second = interview_sweep(now=start - timedelta(hours=22, minutes=55))

    assert first == {"day": 1, "hour": 0} and second == {"day": 0, "hour": 0}
    sent = {e.to: e for e in emails("interview_reminder")}
    assert set(sent) == {engineer.email, owner.email, teammate.email}
    assert len(emails("interview_reminder")) == 3
    for to, zone in (
        (engineer.email, "Asia/Karachi"),
        (teammate.email, "Europe/Berlin"),
    ):
        when = selectors.span_text(start, booked.ends_at, zone)  # type: ignore[arg-type]
        assert when in sent[to].body_text and sent[to].subject.startswith("Tomorrow")
    booked.refresh_from_db()
    assert booked.reminded_day_at == start - timedelta(hours=23)
    assert booked.reminded_hour_at is None


def test_the_hour_reminder_follows_and_a_late_sweep_sends_only_that_one(
    booked: Interview, engineer: User
) -> None:
    start = booked.starts_at
    assert start is not None

    # The sweep was down for a day: 40 minutes before, only the hour's reminder goes.
    assert interview_sweep(now=start - timedelta(minutes=40)) == {"day": 0, "hour": 1}
    assert interview_sweep(now=start - timedelta(minutes=35)) == {"day": 0, "hour": 0}
    assert interview_sweep(now=start + timedelta(minutes=5)) == {"day": 0, "hour": 0}

    reminders = emails("interview_reminder")
    assert len(reminders) == 3
    assert all(e.subject.startswith("In one hour") for e in reminders)
    booked.refresh_from_db()
    assert booked.reminded_hour_at is not None and booked.reminded_day_at is not None


def test_a_moved_interview_is_reminded_again_and_a_cancelled_one_never(
    booked: Interview, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    start = booked.starts_at
    assert start is not None
    interview_sweep(now=start - timedelta(hours=23))
    later = [
        s
        for s in selectors.proposal(
            company=candidacy.company,
            engineer=candidacy.profile,
            interviewers=selectors.current_members(booked, selectors.interview_scorecards(booked)),
            length_minutes=60,
            exclude=booked.pk,
        ).free
        if s.starts > start + timedelta(days=2)
    ]
    services.interview_reoffer(
        interview=booked, by=owner, length_minutes=60, reason="Clash", starts=[later[0].starts]
    )
    moved = book(booked, engineer)
    assert moved.reminded_day_at is None

    assert interview_sweep(now=later[0].starts - timedelta(hours=20)) == {"day": 1, "hour": 0}
    assert len(emails("interview_reminder")) == 6

    services.interview_cancel(interview=moved, by=owner, side="company", reason="Filled")
    assert interview_sweep(now=later[0].starts - timedelta(minutes=30)) == {"day": 0, "hour": 0}
    assert len(emails("interview_reminder")) == 6


# With the real worker and an SMTP server ----------------------------------------------------


def calendar_part(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            return payload.decode() if isinstance(payload, bytes) else None
    return None


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_the_invitation_and_the_reminders_once(
    smtp_inbox: Inbox,
    celery_worker: Any,
    owner: User,
    teammate: User,
    engineer: User,
    candidacy: Candidacy,
) -> None:
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        interview = book(offer(candidacy, owner, [owner, teammate]), engineer)
        delivered()
        invitations = [m for m in smtp_inbox.messages if m["Subject"].startswith("Booked")]
        assert {m["To"] for m in invitations} == {engineer.email, owner.email, teammate.email}
        for message in invitations:
            ics = calendar_part(message)
            assert ics is not None, "the .ics did not arrive"
            calendar, event = parse_ics(ics)
            assert str(calendar["method"]) == "REQUEST"
            assert str(event["uid"]) == interview.uid
            assert event.decoded("dtstart") == interview.starts_at
        before = len(smtp_inbox.messages)

        moment = (interview.starts_at - timedelta(hours=23)).isoformat()  # type: ignore[operator]
        tasks.interview_sweep.delay(moment)
        tasks.interview_sweep.delay(moment)  # run twice, as a redelivered task would be
        finished.wait(tasks.interview_sweep.name, 2)
        delivered()
    finally:
        task_postrun.disconnect(finished)

    reminders = smtp_inbox.messages[before:]
    assert sorted(m["To"] for m in reminders) == sorted(
        [engineer.email, owner.email, teammate.email]
    )
    assert all(m["Subject"].startswith("Tomorrow") for m in reminders)
    interview.refresh_from_db()
    assert interview.reminded_day_at is not None
