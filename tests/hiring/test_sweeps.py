"""Reminders and expiry of outreach, at 10:00 in each engineer's own zone, sent once.

The proofs marked "worker" run the beat task on a real Celery worker (Redis broker,
PostgreSQL) that delivers to a real SMTP server; the sweep runs twice each time. Time
travel is the sweeps' ``now=`` argument.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from accounts import emails
from accounts.models import OutboundEmail
from hiring import services
from hiring.models import Message, Outreach
from hiring.tasks import outreach_sweep
from screening.models import Candidacy, Stage
from tests.factories import ProfileFactory, candidacy_in, outreach_sent


def waiting_outreach(zone: str, sent_at: datetime, decide_by: date) -> Outreach:
    """An outreach sent at ``sent_at`` to an engineer in ``zone``, to answer by ``decide_by``."""
    outreach = outreach_sent(
        candidacy_in(profile=ProfileFactory(status="approved", time_zone=zone))
    )
    Outreach.objects.filter(pk=outreach.pk).update(sent_at=sent_at, decide_by=decide_by)
    outreach.refresh_from_db()
    return outreach


def keys(inbox: Any, prefix: str) -> list[str]:
    """The outbox keys of the emails the SMTP server received, that start with ``prefix``."""
    return [m["X-Karigar-Email"] for m in inbox.messages if m["X-Karigar-Email"].startswith(prefix)]


def sweep_twice(runs: Any, now: datetime) -> None:
    runs.run(outreach_sweep, now=now.isoformat())
    runs.run(outreach_sweep, now=now.isoformat())
    runs.delivered()


# Through the real worker --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "sent_at", "first_due", "second_due"),
    [
        # New York moves to daylight time on Sunday 14 March 2027: the first reminder goes at
        # 10:00 EDT (14:00 UTC), although the outreach was sent while it was EST (UTC-5).
        (
            "America/New_York",
            datetime(2027, 3, 11, 15, 0, tzinfo=UTC),
            datetime(2027, 3, 14, 14, 0, tzinfo=UTC),
            datetime(2027, 3, 18, 14, 0, tzinfo=UTC),
        ),
        # London moves to summer time on Sunday 28 March 2027: 10:00 BST is 09:00 UTC.
        (
            "Europe/London",
            datetime(2027, 3, 25, 12, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 9, 0, tzinfo=UTC),
            datetime(2027, 4, 1, 9, 0, tzinfo=UTC),
        ),
        # Kolkata is UTC+5:30 all year; sent at 23:00 UTC it was already the 12th there.
        (
            "Asia/Kolkata",
            datetime(2027, 3, 11, 23, 0, tzinfo=UTC),
            datetime(2027, 3, 15, 4, 30, tzinfo=UTC),
            datetime(2027, 3, 19, 4, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_worker_sends_each_reminder_once_at_10_in_the_engineers_zone(
    thread_runs: Any,
    thread_smtp: Any,
    zone: str,
    sent_at: datetime,
    first_due: datetime,
    second_due: datetime,
) -> None:
    outreach = waiting_outreach(zone, sent_at, date(2027, 4, 30))
    prefix = f"outreach-follow-up:{outreach.pk}:"
    inbox = thread_smtp.inbox

    sweep_twice(thread_runs, first_due - timedelta(minutes=1))
    assert keys(inbox, prefix) == []

    sweep_twice(thread_runs, first_due)
    assert keys(inbox, prefix) == [f"{prefix}1"]
    (reminder,) = [m for m in inbox.messages if m["X-Karigar-Email"] == f"{prefix}1"]
    assert reminder["To"] == outreach.profile.user.email

    sweep_twice(thread_runs, second_due - timedelta(minutes=1))
    sweep_twice(thread_runs, second_due)
    sweep_twice(thread_runs, second_due + timedelta(days=2))
    assert keys(inbox, prefix) == [f"{prefix}1", f"{prefix}2"]
    outreach.refresh_from_db()
    assert outreach.follow_ups_sent == 2
    assert OutboundEmail.objects.filter(key__startswith=prefix).count() == 2


def test_the_worker_expires_an_unanswered_outreach_and_tells_the_sender_once(
    thread_runs: Any, thread_smtp: Any
) -> None:
    outreach = waiting_outreach(
        "America/New_York", datetime(2027, 3, 1, 15, 0, tzinfo=UTC), date(2027, 3, 15)
    )
    # The end of 15 March in New York (EDT by then) is 04:00 UTC on the 16th.
    end = datetime(2027, 3, 16, 4, 0, tzinfo=UTC)
    assert outreach.expires_at() == end

    sweep_twice(thread_runs, end - timedelta(minutes=1))
    outreach.refresh_from_db()
    assert outreach.status == Outreach.Status.SENT

    sweep_twice(thread_runs, end)
    sweep_twice(thread_runs, end + timedelta(hours=1))

    outreach.refresh_from_db()
    assert outreach.status == Outreach.Status.EXPIRED
    assert Candidacy.objects.get(pk=outreach.candidacy_id).stage == Stage.NO_ANSWER
    expired = keys(thread_smtp.inbox, f"outreach-expired:{outreach.pk}:")
    assert expired == [f"outreach-expired:{outreach.pk}:{outreach.sender.email}"]
    assert (
        Message.objects.filter(thread=outreach.thread, body__contains="expired without").count()
        == 1
    )


def test_a_reminder_queued_while_smtp_is_down_stays_in_the_outbox_and_arrives_once(
    thread_runs: Any, thread_smtp: Any
) -> None:
    from accounts.tasks import deliver_email

    outreach = waiting_outreach(
        "Asia/Karachi", datetime(2027, 5, 3, 4, 0, tzinfo=UTC), date(2027, 5, 20)
    )
    thread_runs.delivered()  # the outreach email itself
    thread_smtp.stop()
    due = datetime(2027, 5, 6, 5, 0, tzinfo=UTC)  # 10:00 in Lahore

    thread_runs.run(outreach_sweep, now=due.isoformat())
    row = OutboundEmail.objects.get(key=f"outreach-follow-up:{outreach.pk}:1")
    thread_runs.until(lambda: OutboundEmail.objects.filter(pk=row.pk, attempts=1).exists())
    thread_runs.until(lambda: OutboundEmail.objects.get(pk=row.pk).last_error != "")
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.QUEUED  # kept for the retry, not lost
    thread_runs.run(outreach_sweep, now=due.isoformat())  # a second sweep adds nothing
    assert OutboundEmail.objects.filter(key__startswith="outreach-follow-up:").count() == 1

    thread_smtp.start()
    # The task's own retry comes 30 s later; queueing it now is what that retry does.
    thread_runs.run(deliver_email, row.pk)
    thread_runs.delivered()

    assert keys(thread_smtp.inbox, "outreach-follow-up:") == [row.key]
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert row.attempts == 2
    assert emails.outbox_sweep() == 0


# What stops reminders (in process: the sweep's logic, without the worker) -------------------


NY_SENT = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)
NY_FIRST = datetime(2027, 3, 14, 14, 0, tzinfo=UTC)


@pytest.fixture
def ny_outreach(db: None) -> Outreach:
    outreach = waiting_outreach("America/New_York", NY_SENT, date(2027, 3, 25))
    mail.outbox.clear()
    return outreach


def reminders_sent(outreach: Outreach, *moments: datetime) -> int:
    for now in moments:
        services.outreach_sweep(now=now)
    return OutboundEmail.objects.filter(
        key__startswith=f"outreach-follow-up:{outreach.pk}:"
    ).count()


@pytest.mark.django_db
def test_an_untouched_outreach_gets_its_two_reminders(ny_outreach: Outreach) -> None:
    later = NY_FIRST + timedelta(days=4)
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST, later, later) == 2


@pytest.mark.django_db
def test_accepting_cancels_the_reminders(ny_outreach: Outreach) -> None:
    services.outreach_accept(outreach=ny_outreach, user=ny_outreach.profile.user)
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_declining_cancels_the_reminders(ny_outreach: Outreach) -> None:
    services.outreach_decline(outreach=ny_outreach, user=ny_outreach.profile.user, reason="rate")
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_a_reply_without_deciding_cancels_the_reminders(ny_outreach: Outreach) -> None:
    services.outreach_reply(outreach=ny_outreach, user=ny_outreach.profile.user, body="Remote?")
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_a_reply_after_the_first_reminder_cancels_the_second(ny_outreach: Outreach) -> None:
    assert reminders_sent(ny_outreach, NY_FIRST) == 1
    ny_outreach.refresh_from_db()
    services.outreach_reply(outreach=ny_outreach, user=ny_outreach.profile.user, body="Remote?")
    assert reminders_sent(ny_outreach, NY_FIRST + timedelta(days=4)) == 1


@pytest.mark.django_db
def test_writing_in_the_thread_cancels_the_reminders(ny_outreach: Outreach) -> None:
    services.message_post(
        thread=ny_outreach.thread, author=ny_outreach.profile.user, side="engineer", body="Hi"
    )
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0
    ny_outreach.refresh_from_db()
    assert ny_outreach.status == Outreach.Status.SENT  # still open until the decide-by date


@pytest.mark.django_db
def test_a_message_from_the_company_does_not_cancel_the_reminders(ny_outreach: Outreach) -> None:
    services.message_post(
        thread=ny_outreach.thread, author=ny_outreach.sender, side="company", body="Any news?"
    )
    assert reminders_sent(ny_outreach, NY_FIRST) == 1


@pytest.mark.django_db
def test_withdrawing_cancels_the_reminders(ny_outreach: Outreach) -> None:
    services.outreach_withdraw(outreach=ny_outreach, user=ny_outreach.sender)
    assert reminders_sent(ny_outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_no_reminder_falls_after_the_decide_by_date() -> None:
    # Decide by 16 March: the day-3 reminder (14 March) goes, the day-7 one (18th) does not.
    outreach = waiting_outreach("America/New_York", NY_SENT, date(2027, 3, 16))
    assert reminders_sent(outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 1
    outreach.refresh_from_db()
    assert outreach.status == Outreach.Status.EXPIRED


@pytest.mark.django_db
def test_a_decide_by_date_before_the_first_reminder_means_none_is_sent() -> None:
    outreach = waiting_outreach("America/New_York", NY_SENT, date(2027, 3, 13))
    assert reminders_sent(outreach, NY_FIRST, NY_FIRST + timedelta(days=4)) == 0
    outreach.refresh_from_db()
    assert outreach.status == Outreach.Status.EXPIRED


@pytest.mark.django_db
def test_an_answered_outreach_never_expires(ny_outreach: Outreach) -> None:
    services.outreach_accept(outreach=ny_outreach, user=ny_outreach.profile.user)
    services.outreach_sweep(now=datetime(2027, 4, 30, tzinfo=UTC))
    ny_outreach.refresh_from_db()
    assert ny_outreach.status == Outreach.Status.ACCEPTED
    assert not OutboundEmail.objects.filter(key__startswith="outreach-expired:").exists()


@pytest.mark.django_db
def test_a_sweep_that_was_down_past_day_seven_sends_one_reminder_not_two() -> None:
    outreach = outreach_sent()
    second = outreach.follow_up_due_at(1)
    assert second is not None
    mail.outbox.clear()

    late = services.outreach_sweep(now=second + timedelta(hours=1))
    again = services.outreach_sweep(now=second + timedelta(hours=1, minutes=15))

    assert late == {"expired": 0, "follow_ups": 1}
    assert again == {"expired": 0, "follow_ups": 0}
    assert Outreach.objects.get(pk=outreach.pk).follow_ups_sent == 2
