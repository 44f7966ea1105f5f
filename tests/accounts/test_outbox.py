from __future__ import annotations

import ast
import smtplib
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from accounts.models import OutboundEmail, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(key: str = "test:1") -> OutboundEmail:
    return emails.email_enqueue(
        to="sana@example.com",
        template="test",
        subject="Hello",
        text="Plain body",
        html="<p>HTML body</p>",
        key=key,
    )


def test_an_email_is_delivered_once_with_text_and_html(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sana@example.com"]
    assert message.subject == "Hello"
    assert message.body == "Plain body"
    assert message.alternatives[0][0] == "<p>HTML body</p>"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


def test_the_same_key_never_makes_a_second_email(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue("invite:7")
        second = queue("invite:7")

    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_delivering_twice_sends_once() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()

    assert emails.email_deliver(email_id=email.pk) is True
    assert emails.email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_refused_email_is_kept_for_a_retry_then_marked_failed() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    refusal = smtplib.SMTPServerDisconnected("connection lost")

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=refusal):
        with pytest.raises(emails.DeliveryDeferred):
            emails.email_deliver(email_id=email.pk)
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.QUEUED
        assert "connection lost" in email.last_error

        assert emails.email_deliver(email_id=email.pk, final_attempt=True) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 2


def test_the_task_retries_with_backoff_on_a_refusal() -> None:
    from accounts.tasks import deliver_email

    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")),
        mock.patch.object(deliver_email, "retry", side_effect=RuntimeError("retry")) as retry,
        pytest.raises(RuntimeError),
    ):
        deliver_email.apply(args=[email.pk], throw=True)

    assert retry.call_args.kwargs["countdown"] == 30


def test_staff_can_send_a_failed_email_again(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED, attempts=6)

    with django_capture_on_commit_callbacks(execute=True):
        assert emails.email_requeue(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_the_sweep_requeues_emails_whose_task_was_lost() -> None:
    from datetime import timedelta

    from django.utils import timezone

    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        lost = queue("lost")
        fresh = queue("fresh")
    OutboundEmail.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert emails.outbox_sweep() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.QUEUED


def test_allauth_emails_go_through_the_outbox(client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from tests.factories import EngineerFactory

    EngineerFactory(email="reset.me@example.com")
    client.post(reverse("account_reset_password"), {"email": "reset.me@example.com"})

    row = OutboundEmail.objects.get(to="reset.me@example.com")
    assert row.template == "account/email/password_reset_key"
    assert "/accounts/password/reset/key/" in row.body_text


def claimed(email: OutboundEmail, *, seconds_ago: float) -> None:
    """As if a worker had claimed the row that long ago and was still (or never again) at it."""
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def past_the_lease() -> float:
    return settings.OUTBOX_LEASE_SECONDS + 1


def test_every_try_of_an_email_carries_the_message_id_stored_on_its_row() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    assert email.message_id.startswith("<") and email.message_id.endswith("@karigar.localhost>")
    tries: list[str] = []

    def refuse_once(message: Any) -> Any:
        tries.append(message.message()["Message-ID"])
        if len(tries) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original_send(message)

    original_send = mail.EmailMultiAlternatives.send
    with mock.patch.object(mail.EmailMultiAlternatives, "send", autospec=True) as send:
        send.side_effect = refuse_once
        with pytest.raises(emails.DeliveryDeferred):
            emails.email_deliver(email_id=email.pk)
        assert emails.email_deliver(email_id=email.pk) is True

    email.refresh_from_db()
    assert tries == [email.message_id, email.message_id]
    assert mail.outbox[0].message()["Message-ID"] == email.message_id


def test_an_email_queued_before_message_ids_were_stored_gets_one_that_sticks() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(message_id="")

    assert emails.email_deliver(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.message_id
    assert mail.outbox[0].message()["Message-ID"] == email.message_id


def test_a_redelivered_task_sends_an_email_whose_senders_lease_ran_out() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    claimed(email, seconds_ago=past_the_lease())

    assert emails.email_deliver(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_a_redelivered_task_leaves_an_email_alone_while_its_sender_holds_the_lease() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    claimed(email, seconds_ago=5)

    assert emails.email_deliver(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENDING
    assert mail.outbox == []


def test_a_sender_that_outlived_its_lease_does_not_undo_the_sender_after_it() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    later_claim = timezone.now() + timedelta(seconds=1)

    def stall_then_fail(*args: Any, **kwargs: Any) -> None:
        # While this sender hung, its lease ran out and another worker claimed the row.
        OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=later_claim)
        raise smtplib.SMTPServerDisconnected("timed out")

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=stall_then_fail):
        assert emails.email_deliver(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENDING
    assert email.claimed_at == later_claim
    assert email.last_error == ""


def test_the_sweep_sends_emails_stuck_in_sending_and_leaves_live_claims_alone() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        stuck = queue("stuck")
        busy = queue("busy")
    claimed(stuck, seconds_ago=past_the_lease())
    claimed(busy, seconds_ago=5)

    assert emails.outbox_sweep() == 1

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.SENT
    assert busy.status == OutboundEmail.Status.SENDING
    assert len(mail.outbox) == 1


def test_the_sweep_gives_up_on_an_email_whose_worker_died_on_every_attempt() -> None:
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        email = queue()
    claimed(email, seconds_ago=past_the_lease())
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=emails.MAX_ATTEMPTS)

    assert emails.outbox_sweep() == 0

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "stopped while sending" in email.last_error
    assert mail.outbox == []


def test_staff_can_send_a_stuck_email_again_but_not_one_being_sent(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    with mock.patch("accounts.tasks.deliver_email.delay_on_commit"):
        stuck = queue("stuck")
        busy = queue("busy")
    claimed(stuck, seconds_ago=past_the_lease())
    claimed(busy, seconds_ago=5)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_outboundemail_changelist"),
            {"action": "send_again", "_selected_action": [stuck.pk, busy.pk]},
            follow=True,
        )

    assert "Queued 1 email(s) again" in response.content.decode()
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.SENT
    assert busy.status == OutboundEmail.Status.SENDING
    assert [m.to for m in mail.outbox] == [["sana@example.com"]]


ACCOUNTS = Path(emails.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_email_service_never_imports_the_tasks_that_call_it() -> None:
    def is_tasks(name: str) -> bool:
        return name == "accounts.tasks" or name.startswith("accounts.tasks.")

    assert "accounts.emails" in imported_modules(ACCOUNTS / "tasks.py")
    assert not [name for name in imported_modules(ACCOUNTS / "emails.py") if is_tasks(name)]


def test_a_web_process_that_never_imported_the_tasks_can_still_queue_an_email() -> None:
    # A fresh interpreter, like a gunicorn worker: nothing has imported accounts.tasks.
    code = (
        "import sys, django; django.setup()\n"
        "from accounts import emails\n"
        "from celery import current_app\n"
        "assert 'accounts.tasks' not in sys.modules\n"
        "task = current_app.tasks[emails.DELIVER_TASK]\n"
        "print(task.name, hasattr(task, 'delay_on_commit'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [emails.DELIVER_TASK, "True"]
