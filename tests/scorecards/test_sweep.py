"""One reminder to each interviewer whose scorecard is still missing two hours after a
booked interview's end; the sweep run twice (or late, or again) sends it once.

The first test runs beat's task on a real Celery worker (Redis broker, PostgreSQL) that
delivers to a real SMTP server. Time travel is the sweep's ``now=`` argument.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from celery.signals import task_postrun
from django.core import mail

from accounts.models import OutboundEmail, User
from screening.models import Candidacy, Interview, Scorecard
from screening.services.scorecards import scorecard_sweep
from screening.tasks import scorecard_sweep as scorecard_sweep_task
from tests.conftest import Inbox
from tests.scorecards.conftest import make_interview, submit

ENDED = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
DUE = ENDED + timedelta(hours=2)


class Runs:
    """Counts the tasks the worker finished, so the test can wait for each run."""

    WAIT_SECONDS = 30

    def __init__(self) -> None:
        self.done = 0
        self.changed = threading.Condition()

    def __call__(self, sender: Any = None, **kwargs: Any) -> None:
        if sender is not None and sender.name == scorecard_sweep_task.name:
            with self.changed:
                self.done += 1
                self.changed.notify_all()

    def sweep(self, now: datetime) -> None:
        with self.changed:
            before = self.done
        scorecard_sweep_task.delay(now=now.isoformat())
        with self.changed:
            ran = self.changed.wait_for(lambda: self.done > before, timeout=self.WAIT_SECONDS)
        assert ran, "the worker did not run the sweep in time"

    def until(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not condition():
            assert time.monotonic() < deadline, "the worker did not get there in time"
            time.sleep(0.05)


@pytest.fixture
def runs(celery_worker: Any, smtp_inbox: Inbox) -> Iterator[Runs]:
    counter = Runs()
    task_postrun.connect(counter, weak=False)
    yield counter
    task_postrun.disconnect(counter)


@pytest.mark.django_db(transaction=True)
def test_the_worker_reminds_each_missing_interviewer_once(
    runs: Runs,
    smtp_inbox: Inbox,
    candidacy: Candidacy,
    owner: User,
    teammate: User,
    second: User,
    third: User,
) -> None:
    interview = make_interview(candidacy, [teammate, second, third], ends_at=ENDED)
    submit(interview, third, now=ENDED)
    reminders = OutboundEmail.objects.filter(key__startswith="scorecard-reminder:")

    runs.sweep(DUE - timedelta(minutes=1))
    runs.sweep(DUE - timedelta(minutes=1))
    assert not reminders.exists()

    runs.sweep(DUE)
    runs.sweep(DUE)
    runs.sweep(DUE + timedelta(minutes=15))
    runs.until(lambda: reminders.count() == 2 and not reminders.exclude(status="sent").exists())

    time.sleep(0.5)  # room for a wrongly duplicated send to arrive, had there been one
    received = [
        m for m in smtp_inbox.messages if m["X-Karigar-Email"].startswith("scorecard-reminder:")
    ]
    assert sorted(m["To"] for m in received) == sorted([teammate.email, second.email])
    message = received[0]
    assert "is still to write" in message["Subject"]
    body = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert f"/interviews/{interview.pk}/scorecard/" in body
    cards = Scorecard.objects.filter(interview=interview)
    assert [c.reminded_at is not None for c in cards.order_by("interviewer__email")] == [
        True,
        True,
        False,
    ]  # mate, second (reminded); third (submitted)


# In process ---------------------------------------------------------------------------


@pytest.fixture
def booked(candidacy: Candidacy, teammate: User, second: User) -> Interview:
    return make_interview(candidacy, [teammate, second], ends_at=ENDED)


@pytest.mark.django_db
def test_it_waits_two_hours_after_the_end(
    booked: Interview, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_sweep(now=DUE - timedelta(seconds=1)) == {"due": 0, "reminded": 0}
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_sweep(now=DUE) == {"due": 2, "reminded": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["mate@acme.example", "second@acme.example"]


@pytest.mark.django_db
def test_run_twice_it_sends_once(
    booked: Interview, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = scorecard_sweep(now=DUE)
        second = scorecard_sweep(now=DUE)
        later = scorecard_sweep(now=DUE + timedelta(days=3))
    assert (first["reminded"], second["reminded"], later["reminded"]) == (2, 0, 0)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_card_claimed_by_another_run_is_not_sent_again(
    booked: Interview, teammate: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Two sweeps at once: the one that finds the card already claimed sends nothing."""
    Scorecard.objects.filter(interview=booked, interviewer=teammate).update(reminded_at=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_sweep(now=DUE)["reminded"] == 1
    assert [m.to for m in mail.outbox] == [["second@acme.example"]]


@pytest.mark.django_db
def test_submitted_cards_get_no_reminder(
    booked: Interview, teammate: User, django_capture_on_commit_callbacks: Any
) -> None:
    submit(booked, teammate, now=ENDED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_sweep(now=DUE)["reminded"] == 1
    assert [m.to for m in mail.outbox] == [["second@acme.example"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Interview.Status.CANCELLED, Interview.Status.NO_SHOW, Interview.Status.PROPOSED]
)
def test_only_booked_interviews_are_chased(
    candidacy: Candidacy, teammate: User, status: str, django_capture_on_commit_callbacks: Any
) -> None:
    interview = make_interview(candidacy, [teammate], ends_at=ENDED)
    Interview.objects.filter(pk=interview.pk).update(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_sweep(now=DUE + timedelta(hours=1)) == {"due": 0, "reminded": 0}
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_reminder_shows_the_time_in_the_interviewers_zone(
    booked: Interview, teammate: User, django_capture_on_commit_callbacks: Any
) -> None:
    teammate.membership.time_zone = "Europe/Berlin"
    teammate.membership.save()
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_sweep(now=DUE)
    (email,) = [m for m in mail.outbox if m.to == [teammate.email]]
    # Started 10:00 UTC on 10 March 2027: 11:00 in Berlin (CET).
    assert "10 Mar, 11:00 Europe/Berlin" in email.body
