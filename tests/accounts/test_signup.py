from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, OutboundEmail, User
from tests.factories import PASSWORD, EngineerFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def employer_form(**overrides: str) -> dict[str, str]:
    data = {
        "email": "ayesha@acme.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Ayesha Khan",
        "role": "employer",
        "company_name": "Acme Logistics",
        "company_website": "https://acme.example",
        "company_city": "Lahore",
        "company_time_zone": "Asia/Karachi",
        "work_starts": "09:00",
        "work_ends": "18:00",
    }
    data.update(overrides)
    return data


def verification_link(email: str) -> str:
    row = OutboundEmail.objects.filter(to=email, template__contains="email_confirmation").latest(
        "created_at"
    )
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", row.body_text).group(0)


def test_it_creates_an_employer_with_their_company_as_owner(client: Client) -> None:
    response = client.post(SIGNUP, employer_form())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ayesha@acme.example")
    assert user.role == User.Role.EMPLOYER
    assert user.full_name == "Ayesha Khan"
    membership = Membership.objects.select_related("company").get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.company.name == "Acme Logistics"
    assert membership.company.time_zone == "Asia/Karachi"


def test_it_creates_an_engineer_without_a_company(client: Client) -> None:
    data = employer_form(email="sana@example.com", role="engineer", company_name="")
    response = client.post(SIGNUP, data)

    assert response.status_code == 302
    user = User.objects.get(email="sana@example.com")
    assert user.role == User.Role.ENGINEER
    assert not Membership.objects.filter(user=user).exists()


def test_it_requires_a_company_name_from_an_employer(client: Client) -> None:
    response = client.post(SIGNUP, employer_form(company_name="  "))

    assert response.status_code == 200
    assert "Tell us your company" in response.content.decode()
    assert not User.objects.exists()
    # What the person typed is still in the form.
    assert 'value="ayesha@acme.example"' in response.content.decode()


def test_it_refuses_a_working_day_that_ends_when_it_starts(client: Client) -> None:
    response = client.post(SIGNUP, employer_form(work_starts="09:00", work_ends="09:00"))

    assert "must start and end at different times" in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_weak_password_with_a_reason(client: Client) -> None:
    response = client.post(SIGNUP, employer_form(password1="password", password2="password"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "too common" in body or "too short" in body
    assert not User.objects.exists()


def test_a_duplicate_sign_up_looks_like_any_other_and_emails_the_owner(client: Client) -> None:
    EngineerFactory(email="taken@example.com")

    response = client.post(SIGNUP, employer_form(email="taken@example.com"))

    # Same answer as a new sign-up, so the page does not reveal that the address has an account.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    sent = OutboundEmail.objects.get(to="taken@example.com")
    assert sent.template == "account/email/account_already_exists"


def test_it_sends_a_verification_link_that_logs_in_to_the_dashboard(client: Client) -> None:
    client.post(SIGNUP, employer_form())
    link = verification_link("ayesha@acme.example")

    page = client.get(link)
    assert page.status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="ayesha@acme.example").verified
    assert client.get(confirmed["Location"], follow=True).request["PATH_INFO"] == reverse(
        "accounts:dashboard"
    )


def test_an_unverified_employer_cannot_log_in(client: Client) -> None:
    client.post(SIGNUP, employer_form())
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "ayesha@acme.example", "password": PASSWORD}
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_a_wrong_verification_link_says_so(client: Client) -> None:
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code in (200, 404)
    assert "expired or is invalid" in response.content.decode()


def test_an_expired_verification_link_says_so(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    client.post(SIGNUP, employer_form())
    address = EmailAddress.objects.get(email="ayesha@acme.example")
    key = EmailConfirmationHMAC(address).key
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0

    url = reverse("account_confirm_email", args=[key])
    response = client.post(url)

    assert "expired or is invalid" in client.get(url).content.decode()
    assert response.status_code != 500
    address.refresh_from_db()
    assert not address.verified


def test_an_engineer_lands_on_their_profile(client: Client, engineer: User) -> None:
    client.force_login(engineer)

    response = client.get(reverse("accounts:home"), follow=True)

    assert response.request["PATH_INFO"] == reverse("candidates:me")
    assert "profile" in response.content.decode().lower()


def test_staff_land_on_the_admin(client: Client) -> None:
    staff = EngineerFactory(
        email="staff@karigar.example", is_staff=True, is_superuser=True, role=User.Role.STAFF
    )
    client.force_login(staff)

    response = client.get(reverse("accounts:home"))

    assert response["Location"] == reverse("admin:index")
