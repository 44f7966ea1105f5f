"""New messages email the other side as a digest: at most one email per thread per
15 minutes, listing every message still unread; opening the thread stops it.

The worker tests run the digest task and the beat sweep on a real Celery worker that
delivers to a real SMTP server. Time travel is the services' ``now=`` argument.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring import services
from hiring.models import Message, Outreach
from hiring.tasks import send_thread_digest, thread_digest_sweep
from tests.factories import outreach_sent


def digests(inbox: Any, thread_id: int) -> list[Any]:
    prefix = f"thread-digest:{thread_id}:"
    return [m for m in inbox.messages if m["X-Karigar-Email"].startswith(prefix)]


def text_of(message: Any) -> str:
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def company_says(runs: Any, outreach: Outreach, body: str, now: datetime | None = None) -> Message:
    """A message from the company; waits until the worker has run the digest task it queued."""
    before = runs.counts.get(send_thread_digest.name, 0)
    message = services.message_post(
        thread=outreach.thread, author=outreach.sender, side="company", body=body, now=now
    )
    runs.wait(send_thread_digest.name, before + 1)
    runs.delivered()
    return message


def sweep_twice(runs: Any, now: datetime) -> None:
    runs.run(thread_digest_sweep, now=now.isoformat())
    runs.run(thread_digest_sweep, now=now.isoformat())
    runs.delivered()


def test_three_messages_in_15_minutes_make_one_email_then_one_digest_of_all_three(
    thread_runs: Any, thread_smtp: Any
) -> None:
    outreach = outreach_sent()
    start = timezone.now()
    inbox = thread_smtp.inbox

    company_says(thread_runs, outreach, "First: thanks for your time.")
    (first,) = digests(inbox, outreach.thread_id)  # the first message goes out at once
    assert first["To"] == outreach.profile.user.email
    assert "First: thanks for your time." in text_of(first)

    company_says(thread_runs, outreach, "Second: the stack is Django.")
    company_says(thread_runs, outreach, "Third: can you start in May?")
    sweep_twice(thread_runs, start + timedelta(minutes=10))
    assert len(digests(inbox, outreach.thread_id)) == 1  # still inside the 15 minutes

    sweep_twice(thread_runs, start + timedelta(minutes=16))
    sent = digests(inbox, outreach.thread_id)
    assert len(sent) == 2
    text = text_of(sent[1])
    for line in ("First: thanks", "Second: the stack", "Third: can you start"):
        assert line in text
    assert "(3 unread messages)" in sent[1]["Subject"]

    # Nothing new: later sweeps send nothing more.
    sweep_twice(thread_runs, start + timedelta(minutes=40))
    assert len(digests(inbox, outreach.thread_id)) == 2

    # A new message 4 minutes after that email: exactly one more email once the
    # 15 minutes since it are over, and only one however often the sweep runs.
    company_says(thread_runs, outreach, "Fourth: any questions?", now=start + timedelta(minutes=20))
    sweep_twice(thread_runs, start + timedelta(minutes=30))
    assert len(digests(inbox, outreach.thread_id)) == 2
    sweep_twice(thread_runs, start + timedelta(minutes=32))
    sweep_twice(thread_runs, start + timedelta(minutes=60))
    sent = digests(inbox, outreach.thread_id)
    assert len(sent) == 3
    assert "Fourth: any questions?" in text_of(sent[2])


def test_opening_the_thread_stops_a_pending_digest(
    thread_runs: Any, thread_smtp: Any, client: Client
) -> None:
    outreach = outreach_sent()
    start = timezone.now()
    company_says(thread_runs, outreach, "Are you around this week?")
    company_says(thread_runs, outreach, "We could talk on Friday.")
    assert len(digests(thread_smtp.inbox, outreach.thread_id)) == 1

    client.force_login(outreach.profile.user)
    assert client.get(reverse("hiring:thread", args=[outreach.thread_id])).status_code == 200
    sweep_twice(thread_runs, start + timedelta(minutes=16))
    sweep_twice(thread_runs, start + timedelta(minutes=60))

    assert len(digests(thread_smtp.inbox, outreach.thread_id)) == 1


def test_an_engineers_reply_reaches_the_sender_of_the_outreach(
    thread_runs: Any, thread_smtp: Any
) -> None:
    outreach = outreach_sent()
    engineer = outreach.profile.user
    before = thread_runs.counts.get(send_thread_digest.name, 0)
    services.message_post(thread=outreach.thread, author=engineer, side="engineer", body="Hi!")
    thread_runs.wait(send_thread_digest.name, before + 1)
    thread_runs.delivered()

    (digest,) = digests(thread_smtp.inbox, outreach.thread_id)
    assert digest["To"] == outreach.sender.email
    assert "Hi!" in text_of(digest)
    assert f"/messages/{outreach.thread_id}/" in text_of(digest)


# In process -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_digest_lists_only_the_other_sides_unread_messages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    outreach = outreach_sent()
    thread, engineer = outreach.thread, outreach.profile.user
    services.message_post(thread=thread, author=outreach.sender, side="company", body="Read one")
    services.thread_mark_read(thread=thread, side="engineer")
    later = timezone.now() + timedelta(seconds=1)
    services.message_post(thread=thread, author=engineer, side="engineer", body="My own line")
    services.message_post(
        thread=thread, author=outreach.sender, side="company", body="Unread one", now=later
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(thread_id=thread.pk, reader="engineer", now=later)

    (email,) = mail.outbox
    assert "Unread one" in email.body
    assert "Read one" not in email.body
    assert "My own line" not in email.body
    assert "invited you" not in email.body  # events are on the page, not in the digest


@pytest.mark.django_db
def test_nothing_unread_sends_nothing(django_capture_on_commit_callbacks: Any) -> None:
    outreach = outreach_sent()
    services.message_post(thread=outreach.thread, author=outreach.sender, side="company", body="x")
    services.thread_mark_read(thread=outreach.thread, side="engineer")
    mail.outbox.clear()
    later = timezone.now() + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_sweep(now=later) == 0
        assert not services.digest_send(thread_id=outreach.thread_id, reader="engineer", now=later)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_double_submit_is_one_message_and_one_line_in_the_digest() -> None:
    outreach = outreach_sent()
    for _ in range(2):
        services.message_post(
            thread=outreach.thread, author=outreach.sender, side="company", body="Same text"
        )
    assert Message.objects.filter(side="company").count() == 1
