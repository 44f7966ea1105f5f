"""Account security: reset, re-authentication, two-factor, sessions, rate limits."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail, User
from tests.factories import PASSWORD, EngineerFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def log_in(client: Client, email: str, password: str = PASSWORD) -> None:
    """Log in through the form, so allauth records a fresh authentication."""
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def reauthenticate(client: Client) -> None:
    """Sensitive changes ask for the password again, even right after logging in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client: Client, engineer: User
) -> None:
    client.post(reverse("account_reset_password"), {"email": engineer.email})
    mail = OutboundEmail.objects.get(to=engineer.email)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.body_text).group(0)

    form_page = client.get(link, follow=True)
    new_password = "a-brand-new-password-77"
    done = client.post(
        form_page.request["PATH_INFO"], {"password1": new_password, "password2": new_password}
    )

    assert done.status_code == 302
    client.logout()
    log_in(client, engineer.email, new_password)


def test_reset_answers_alike_for_known_and_unknown_addresses(
    client: Client, engineer: User
) -> None:
    known = client.post(reverse("account_reset_password"), {"email": engineer.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_login_failure_says_the_same_for_unknown_and_known_addresses(
    client: Client, engineer: User
) -> None:
    wrong_password = client.post(LOGIN, {"login": engineer.email, "password": "wrong-password-1"})
    no_account = client.post(LOGIN, {"login": "nobody@example.com", "password": "wrong-pass-1"})

    def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
        return response.context["form"].non_field_errors()

    assert errors(wrong_password) == errors(no_account)
    assert errors(no_account)


def test_changing_email_asks_for_the_password_again(client: Client, engineer: User) -> None:
    client.force_login(engineer)  # logged in, but not recently authenticated

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new.address@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new.address@example.com").exists()


def test_a_changed_email_must_be_verified_before_it_replaces_the_old(
    client: Client, engineer: User
) -> None:
    log_in(client, engineer.email)
    reauthenticate(client)

    client.post(reverse("account_email"), {"action_add": "", "email": "new.address@example.com"})

    pending = EmailAddress.objects.get(email="new.address@example.com")
    assert not pending.verified
    assert OutboundEmail.objects.filter(to="new.address@example.com").exists()
    engineer.refresh_from_db()
    assert engineer.email == "engineer@example.com"


def test_an_engineer_turns_on_two_factor_and_login_then_asks_for_a_code(
    client: Client, engineer: User
) -> None:
    log_in(client, engineer.email)
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    activated = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=engineer, type=Authenticator.Type.TOTP).exists()
    client.logout()
    second_login = client.post(LOGIN, {"login": engineer.email, "password": PASSWORD})
    assert second_login["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_user_signs_out_their_other_sessions(engineer: User) -> None:
    laptop, phone = Client(), Client()
    log_in(laptop, engineer.email)
    log_in(phone, engineer.email)
    assert phone.get(reverse("candidates:me")).status_code == 200

    listing = laptop.get(reverse("usersessions_list"))
    assert listing.status_code == 200
    laptop.post(reverse("usersessions_list"))

    assert phone.get(reverse("candidates:me")).status_code == 302
    assert laptop.get(reverse("candidates:me")).status_code == 200


def test_repeated_failed_logins_are_rate_limited(client: Client, engineer: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for _ in range(3):
        assert (
            client.post(LOGIN, {"login": engineer.email, "password": "bad-guess-1"}).status_code
            == 200
        )

    # Even the right password is refused until the window passes.
    blocked = client.post(LOGIN, {"login": engineer.email, "password": PASSWORD})

    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_the_rate_limited_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_staff_see_the_outbox_and_others_do_not(client: Client, engineer: User) -> None:
    staff = EngineerFactory(
        email="staff@karigar.example", is_staff=True, is_superuser=True, role=User.Role.STAFF
    )
    url = reverse("admin:accounts_outboundemail_changelist")

    client.force_login(engineer)
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_a_locked_account_says_so_and_when_its_owner_can_try_again(
    client: Client, engineer: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    first_failure = timezone.now()
    for _ in range(5):
        client.post(LOGIN, {"login": engineer.email, "password": "bad-guess-1"})

    # Even the right password is refused until the five minutes have passed.
    blocked = client.post(LOGIN, {"login": engineer.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    [error] = blocked.context["form"].non_field_errors()
    found = re.fullmatch(
        r"Too many failed attempts for this account\. Try again after (\d\d:\d\d)"
        r"(?: on \w{3} \d{1,2} \w{3})? \(in about [45] minutes\), or reset your password\.",
        error,
    )
    assert found, error
    opens = timezone.localtime(first_failure + timedelta(minutes=5))
    assert found.group(1) in {f"{opens:%H:%M}", f"{opens + timedelta(minutes=1):%H:%M}"}
    assert error in blocked.content.decode()
    assert reverse("account_reset_password") in blocked.content.decode()


def test_a_network_over_its_failed_login_limit_is_told_when_it_can_try_again(
    client: Client, engineer: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,5/5m/key"}
    for n in range(3):
        client.post(LOGIN, {"login": f"guess{n}@example.com", "password": "bad-guess-1"})

    blocked = client.post(LOGIN, {"login": engineer.email, "password": PASSWORD})

    [error] = blocked.context["form"].non_field_errors()
    assert re.fullmatch(
        r"Too many failed login attempts from your network\. Try again after \d\d:\d\d"
        r"(?: on \w{3} \d{1,2} \w{3})? \((in about 1 minute|in less than a minute)\)\.",
        error,
    ), error
