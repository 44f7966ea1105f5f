"""Rate limits count per client, not per proxy.

TRUSTED_PROXY_COUNT says how much of X-Forwarded-For to believe.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

import config.settings as production_settings
from accounts.models import User
from tests.config.test_settings import PRODUCTION, run_manage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
PROXY = "10.0.0.2"  # every request reaches gunicorn from the TLS proxy


def post_login(client: Client, email: str, password: str, *, forwarded_for: str):  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN,
        {"login": email, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
        REMOTE_ADDR=PROXY,
    )


@pytest.fixture
def rate_limits(settings) -> None:  # type: ignore[no-untyped-def]
    """The limits production runs with (the test settings turn them off)."""
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS


def test_behind_one_trusted_proxy_one_client_failing_logins_does_not_lock_out_another(
    rate_limits: None, engineer: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for n in range(10):
        failed = post_login(
            attacker, f"guess{n}@example.com", "wrong-password-1", forwarded_for="203.0.113.5"
        )
        assert "Too many failed" not in failed.content.decode()

    # The proxy appends the address it saw; whatever the client wrote comes before it.
    logged_in = post_login(
        colleague, engineer.email, PASSWORD, forwarded_for="203.0.113.5, 198.51.100.7"
    )
    still_blocked = post_login(
        attacker, engineer.email, PASSWORD, forwarded_for="198.51.100.7, 203.0.113.5"
    )

    assert logged_in.status_code == 302
    assert "Too many failed" in still_blocked.content.decode()


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_limit(
    rate_limits: None, engineer: User
) -> None:
    client = Client()
    for n in range(10):
        post_login(
            client, f"guess{n}@example.com", "wrong-password-1", forwarded_for=f"192.0.2.{n}"
        )

    blocked = post_login(client, engineer.email, PASSWORD, forwarded_for="192.0.2.200")

    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_request_that_skipped_a_trusted_proxy_is_counted_against_its_sender(
    rate_limits: None, engineer: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    response = post_login(Client(), engineer.email, PASSWORD, forwarded_for="203.0.113.5")

    assert response.status_code == 302


def test_the_trusted_proxy_count_comes_from_the_environment() -> None:
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        TRUSTED_PROXY_COUNT="1",
        **PRODUCTION,
    )
    refused = run_manage("check", TRUSTED_PROXY_COUNT="-1", **PRODUCTION)

    assert shown.stdout.strip().splitlines()[-1] == "1", shown.stderr
    assert refused.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be between 0 and 5" in refused.stderr
