from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from accounts import emails
from accounts.models import OutboundEmail

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
