"""The real path: a Celery worker on the Redis broker delivers to an SMTP server."""

from __future__ import annotations

import threading
from typing import Any

from celery.signals import task_postrun
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail
from accounts.tasks import deliver_email
from tests.conftest import Inbox
from tests.factories import PASSWORD

WAIT_SECONDS = 30


class TaskCounter:
    def __init__(self, task_name: str) -> None:
        self.task_name = task_name
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, sender: Any = None, **kwargs: Any) -> None:
        if sender is not None and sender.name == self.task_name:
            with self.changed:
                self.count += 1
                self.changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout=WAIT_SECONDS)


def test_a_worker_delivers_the_verification_email_once_even_if_queued_twice(
    smtp_inbox: Inbox, celery_worker: Any, client: Client
) -> None:
    finished = TaskCounter(deliver_email.name)
    task_postrun.connect(finished, weak=False)
    try:
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ayesha@acme.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "full_name": "Ayesha Khan",
                "role": "engineer",
            },
        )
        assert response.status_code == 302
        row = OutboundEmail.objects.get(to="ayesha@acme.example")

        # The same email queued a second time, as a redelivered message would be.
        deliver_email.delay(row.pk)
        assert finished.wait_for(2), "the worker did not run both tasks in time"
    finally:
        task_postrun.disconnect(finished)

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "ayesha@acme.example"
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "/accounts/confirm-email/" in text
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert row.attempts == 1
    assert message["Message-ID"] == row.message_id
