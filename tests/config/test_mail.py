"""Development mail is printed readably: subject, recipient and body, every link whole."""

from __future__ import annotations

import secrets
from io import StringIO
from typing import Any

import pytest

from accounts.emails import email_send
from accounts.models import OutboundEmail
from tests.config.test_settings import run_manage


@pytest.mark.django_db
def test_a_long_link_survives_the_development_email_output(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    settings.MAILERS = {
        "default": {"BACKEND": "config.mail.ConsoleEmailBackend", "OPTIONS": {"stream": out}}
    }
    token = secrets.token_urlsafe(200)[:200]
    link = f"http://127.0.0.1:8123/accounts/invitation/{token}/"

    # The real path: rendered, recorded in the outbox, delivered by the (eager) task.
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="new.hire@example.com",
            template="email/team_invitation",
            context={
                "invitation": {"email": "new.hire@example.com"},
                "company": {"name": "Ravi Logistics"},
                "inviter": {"display_name": "Ayesha", "email": "ayesha@example.com"},
                "link": link,
                "valid_days": 7,
            },
        )

    printed = out.getvalue()
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert link in printed.split()
    assert "To:      new.hire@example.com" in printed
    assert "Subject: " in printed
    assert "Ravi Logistics" in printed


@pytest.mark.django_db
def test_development_settings_print_mail_with_the_readable_backend() -> None:
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])",
        DEBUG="true",
        EMAIL_URL="console://",
    )

    assert result.stdout.split()[-1] == "config.mail.ConsoleEmailBackend", result.stderr
