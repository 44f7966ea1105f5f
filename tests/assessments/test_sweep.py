"""The sweep: a reminder 24 hours before the deadline at a sensible local hour, and
expiry at the deadline, each sent once however often the sweep runs. The last test runs
the beat task on a real Celery worker delivering to a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accounts.models import OutboundEmail, User
from screening.models import Assessment
from screening.services import assessments as services
from screening.services.assessments import assessment_sweep, reminder_at
from screening.tasks import assessment_sweep as sweep_task
from tests.assessments.conftest import emails
from tests.hiring.conftest import ThreadRuns


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def local(zone: str, *parts: int) -> datetime:
    """A wall-clock time in ``zone``, as plain zoneinfo computes it, in UTC."""
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


# The reminder's time (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "deadline", "expected"),
    [
        # Berlin springs forward at 02:00 on Sunday 28 March 2027 (CET+1 → CEST+2).
        # 24 h before 08:00 CEST on the 29th is 08:00 CEST on the 28th: too early, so
        # 20:00 on Saturday the 27th, still CET: 19:00 UTC (not 18:00).
        ("Europe/Berlin", utc(2027, 3, 29, 6, 0), local("Europe/Berlin", 2027, 3, 27, 20, 0)),
        ("Europe/Berlin", utc(2027, 3, 29, 6, 0), utc(2027, 3, 27, 19, 0)),
        # 10:00 CEST on the 28th: a sensible hour, sent as it is.
        ("Europe/Berlin", utc(2027, 3, 29, 8, 0), utc(2027, 3, 28, 8, 0)),
        # 01:30 CET, in the night the clocks change: the evening before.
        ("Europe/Berlin", utc(2027, 3, 29, 0, 30), utc(2027, 3, 27, 19, 0)),
        # 22:00 CET on the 27th: 20:00 the same evening.
        ("Europe/Berlin", utc(2027, 3, 28, 21, 0), utc(2027, 3, 27, 19, 0)),
        # Berlin falls back at 03:00 on Sunday 31 October 2027 (CEST+2 → CET+1).
        # 08:30 CET on the 31st is too early: 20:00 on the 30th, still CEST: 18:00 UTC.
        ("Europe/Berlin", utc(2027, 11, 1, 7, 30), local("Europe/Berlin", 2027, 10, 30, 20, 0)),
        ("Europe/Berlin", utc(2027, 11, 1, 7, 30), utc(2027, 10, 30, 18, 0)),
        # 09:00 CET exactly is already sensible.
        ("Europe/Berlin", utc(2027, 11, 1, 8, 0), utc(2027, 10, 31, 8, 0)),
        # 21:00 CET on the 31st is not: 20:00 CET, 19:00 UTC.
        ("Europe/Berlin", utc(2027, 11, 1, 20, 0), utc(2027, 10, 31, 19, 0)),
        # Karachi is UTC+5 all year.
        ("Asia/Karachi", utc(2027, 6, 10, 2, 0), utc(2027, 6, 8, 15, 0)),
        ("Asia/Karachi", utc(2027, 6, 10, 15, 59), utc(2027, 6, 9, 15, 59)),
        ("Asia/Karachi", utc(2027, 6, 10, 16, 0), utc(2027, 6, 9, 15, 0)),
        ("Asia/Karachi", utc(2027, 6, 10, 4, 0), utc(2027, 6, 9, 4, 0)),
    ],
)
def test_the_reminder_goes_24_hours_before_or_the_evening_before(
    zone: str, deadline: datetime, expected: datetime
) -> None:
    assert reminder_at(deadline, zone) == expected


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Karachi", "America/New_York"])
def test_every_reminder_falls_between_9_and_21_local_and_never_later_than_24_hours_before(
    zone: str,
) -> None:
    start = utc(2027, 3, 1, 0, 0)
    for quarter in range(0, 4 * 24 * 275, 7):  # every 105 minutes from March to November
        deadline = start + timedelta(minutes=15 * quarter)
        due = reminder_at(deadline, zone)
        hour = due.astimezone(ZoneInfo(zone)).time()
        assert hour.hour >= 9 and (hour.hour < 21), (deadline, due)
        assert deadline - timedelta(hours=37) <= due <= deadline - timedelta(hours=24)


# The sweep in process -----------------------------------------------------------------------


def set_times(assessment: Assessment, *, sent: datetime, deadline: datetime) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(sent_at=sent, deadline=deadline)
    assessment.refresh_from_db()
    return assessment


DEADLINE = utc(2027, 3, 29, 6, 0)  # 08:00 in Berlin, the engineer's zone
DUE = utc(2027, 3, 27, 19, 0)  # 20:00 in Berlin on the Saturday


@pytest.mark.django_db
def test_the_sweep_reminds_once_and_expires_once(sent: Assessment, owner: User) -> None:
    assessment = set_times(sent, sent=utc(2027, 3, 20, 9, 0), deadline=DEADLINE)

    assert assessment_sweep(now=DUE - timedelta(minutes=1)) == {"reminded": 0, "expired": 0}
    assert assessment_sweep(now=DUE) == {"reminded": 1, "expired": 0}
    assert assessment_sweep(now=DUE) == {"reminded": 0, "expired": 0}
    assert assessment_sweep(now=DUE + timedelta(hours=5)) == {"reminded": 0, "expired": 0}
    (reminder,) = emails("assessment_reminder")
    assert reminder.to == sent.candidacy.profile.user.email
    assert "Monday 29 March 2027, 08:00 (Europe/Berlin)" in reminder.body_text

    assert assessment_sweep(now=DEADLINE - timedelta(seconds=1)) == {"reminded": 0, "expired": 0}
    assert assessment_sweep(now=DEADLINE) == {"reminded": 0, "expired": 1}
    assert assessment_sweep(now=DEADLINE) == {"reminded": 0, "expired": 0}

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EXPIRED
    assert assessment.closed_at == DEADLINE
    assert [e.to for e in emails("assessment_expired")] == [reminder.to]
    assert [e.to for e in emails("assessment_expired_team")] == [owner.email]
    assert len(emails("assessment_reminder")) == 1


@pytest.mark.django_db
def test_a_handed_in_or_withdrawn_assessment_never_expires_nor_is_reminded(
    submitted: Assessment,
) -> None:
    set_times(submitted, sent=utc(2027, 3, 20, 9, 0), deadline=DEADLINE)

    assert assessment_sweep(now=DUE) == {"reminded": 0, "expired": 0}
    assert assessment_sweep(now=DEADLINE + timedelta(days=1)) == {"reminded": 0, "expired": 0}
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.django_db
def test_a_granted_extension_is_reminded_again_for_the_new_deadline(
    sent: Assessment, engineer: User, owner: User
) -> None:
    assessment = set_times(sent, sent=utc(2027, 3, 20, 9, 0), deadline=DEADLINE)
    assessment_sweep(now=DUE)
    later = DEADLINE + timedelta(days=3)  # Thursday 1 April, 08:00 in Berlin
    asked_at = DEADLINE - timedelta(hours=6)
    services.extension_ask(
        assessment=assessment, user=engineer, until=later, note="Ill.", now=asked_at
    )
    services.extension_answer(
        assessment=assessment, user=owner, grant=True, now=asked_at + timedelta(hours=1)
    )

    assert assessment_sweep(now=DEADLINE) == {"reminded": 0, "expired": 0}
    new_due = utc(2027, 3, 30, 18, 0)  # 20:00 CEST on Tuesday 30 March
    assert assessment_sweep(now=new_due) == {"reminded": 1, "expired": 0}
    assert assessment_sweep(now=new_due) == {"reminded": 0, "expired": 0}
    keys = [e.key for e in emails("assessment_reminder")]
    assert len(keys) == 2 and keys[0] != keys[1]


@pytest.mark.django_db
def test_no_reminder_falls_due_before_the_engineer_heard_of_the_deadline(
    sent: Assessment,
) -> None:
    # Sent at 21:30 Berlin time on Saturday, due Monday 08:00: the reminder would have
    # been Saturday 20:00, before they were told. They get none.
    set_times(sent, sent=utc(2027, 3, 27, 20, 30), deadline=DEADLINE)

    assert assessment_sweep(now=utc(2027, 3, 28, 12, 0)) == {"reminded": 0, "expired": 0}
    assert not emails("assessment_reminder")


# Through the real worker and an SMTP server --------------------------------------------------


@pytest.fixture
def runs(celery_worker: Any, smtp_inbox: Any) -> Iterator[ThreadRuns]:
    from celery.signals import task_postrun

    counter = ThreadRuns()
    task_postrun.connect(counter, weak=False)
    yield counter
    task_postrun.disconnect(counter)


def received(inbox: Any, prefix: str) -> list[str]:
    return [m["X-Karigar-Email"] for m in inbox.messages if m["X-Karigar-Email"].startswith(prefix)]


def test_the_worker_reminds_and_expires_once_each_over_smtp(
    runs: ThreadRuns, smtp_inbox: Any, sent: Assessment, owner: User
) -> None:
    runs.delivered()  # the sent and grader emails
    assessment = set_times(sent, sent=utc(2027, 3, 20, 9, 0), deadline=DEADLINE)
    engineer_email = assessment.candidacy.profile.user.email

    for moment in (DUE - timedelta(minutes=1), DUE, DUE, DEADLINE, DEADLINE):
        runs.run(sweep_task, now=moment.isoformat())
    runs.delivered()

    assert received(smtp_inbox, f"assessment-reminder:{assessment.pk}:") == [
        f"assessment-reminder:{assessment.pk}:20270329T060000"
    ]
    assert received(smtp_inbox, f"assessment-expired:{assessment.pk}") == [
        f"assessment-expired:{assessment.pk}"
    ]
    assert received(smtp_inbox, f"assessment-expired-team:{assessment.pk}:") == [
        f"assessment-expired-team:{assessment.pk}:{owner.email}"
    ]
    (reminder,) = [
        m for m in smtp_inbox.messages if m["X-Karigar-Email"].startswith("assessment-reminder")
    ]
    assert reminder["To"] == engineer_email
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EXPIRED
    assert OutboundEmail.objects.filter(key__startswith="assessment-reminder").count() == 1
