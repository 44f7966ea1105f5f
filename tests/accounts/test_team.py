from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.forms import INVITATION_SESSION_KEY
from accounts.models import Company, Invitation, Membership, OutboundEmail, User
from tests.factories import (
    PASSWORD,
    EngineerFactory,
    InvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def invite(client: Client, email: str) -> Invitation:
    response = client.post(reverse("accounts:invitation_create"), {"email": email})
    assert response.status_code == 302, response.content.decode()
    return Invitation.objects.get(email=email, accepted_at__isnull=True, revoked_at__isnull=True)


def test_the_owner_invites_a_teammate_by_email(client: Client, owner: User) -> None:
    client.force_login(owner)

    invitation = invite(client, "new.mate@acme.example")

    assert invitation.company == owner.membership.company
    sent = OutboundEmail.objects.get(key=f"invitation:{invitation.pk}")
    assert sent.to == "new.mate@acme.example"
    assert owner.membership.company.name in sent.subject
    assert reverse("accounts:invitation", args=[invitation.token]) in sent.body_text
    assert reverse("accounts:invitation", args=[invitation.token]) in sent.body_html


def test_inviting_an_existing_teammate_is_refused(
    client: Client, owner: User, teammate: User
) -> None:
    client.force_login(owner)

    response = client.post(reverse("accounts:invitation_create"), {"email": teammate.email})

    assert response.status_code == 400
    assert "already on your team" in response.content.decode()


def test_a_bad_invitation_address_gets_a_clear_message(client: Client, owner: User) -> None:
    client.force_login(owner)

    response = client.post(reverse("accounts:invitation_create"), {"email": "not an email"})

    assert response.status_code == 400
    assert "valid email" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_the_owner_can_invite(client: Client, teammate: User) -> None:
    client.force_login(teammate)

    response = client.post(reverse("accounts:invitation_create"), {"email": "x@acme.example"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_owner_cannot_withdraw_another_companys_invitation(
    client: Client, owner: User, outsider: User
) -> None:
    theirs = InvitationFactory(company=outsider.membership.company)
    client.force_login(owner)

    response = client.post(reverse("accounts:invitation_revoke", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_invited_person_signs_up_and_joins_the_company(client: Client, owner: User) -> None:
    invitation = InvitationFactory(company=owner.membership.company, email="joiner@acme.example")

    landing = client.get(reverse("accounts:invitation", args=[invitation.token]))
    assert landing.status_code == 200
    assert owner.membership.company.name in landing.content.decode()

    # The sign-up form now skips the role and company questions.
    form = client.get(reverse("account_signup"))
    assert "company_name" not in form.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "joiner@acme.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Joiner Person",
        },
    )
    user = User.objects.get(email="joiner@acme.example")
    assert user.role == User.Role.EMPLOYER
    assert Company.objects.count() == 1  # no second company was created

    mail = OutboundEmail.objects.get(to="joiner@acme.example")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body_text).group(0)
    after_verify = client.post(link)
    # Verified and logged in, they come back to the invitation to confirm.
    assert after_verify["Location"] == reverse("accounts:invitation", args=[invitation.token])
    joined = client.post(after_verify["Location"])

    assert joined["Location"] == reverse("accounts:dashboard")
    assert Membership.objects.get(user=user).company == owner.membership.company
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert INVITATION_SESSION_KEY not in client.session


def test_an_invitation_cannot_be_used_twice(client: Client, owner: User) -> None:
    invitation = InvitationFactory(company=owner.membership.company, email="twice@acme.example")
    first = UserFactory(email="twice@acme.example", role=User.Role.EMPLOYER)
    client.force_login(first)
    client.post(reverse("accounts:invitation", args=[invitation.token]))

    again = client.post(reverse("accounts:invitation", args=[invitation.token]))

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert Membership.objects.filter(company=owner.membership.company).count() == 2


def test_an_invitation_cannot_be_used_by_someone_else(client: Client, owner: User) -> None:
    invitation = InvitationFactory(company=owner.membership.company, email="right@acme.example")
    wrong = UserFactory(email="wrong@acme.example", role=User.Role.EMPLOYER)
    client.force_login(wrong)

    response = client.post(reverse("accounts:invitation", args=[invitation.token]))

    assert response.status_code == 403
    assert "different email address" in response.content.decode()
    assert not Membership.objects.filter(user=wrong).exists()


def test_an_engineer_cannot_join_a_hiring_team(client: Client, owner: User) -> None:
    engineer = EngineerFactory(email="eng@acme.example")
    invitation = InvitationFactory(company=owner.membership.company, email=engineer.email)
    client.force_login(engineer)

    response = client.post(reverse("accounts:invitation", args=[invitation.token]))

    assert response.status_code == 403
    assert "Engineer accounts cannot join" in response.content.decode()


def test_an_expired_invitation_says_so(client: Client, owner: User) -> None:
    invitation = InvitationFactory(
        company=owner.membership.company, expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(reverse("accounts:invitation", args=[invitation.token]))

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_withdrawn_invitation_says_so(client: Client, owner: User) -> None:
    invitation = InvitationFactory(company=owner.membership.company)
    client.force_login(owner)
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    client.logout()

    response = client.get(reverse("accounts:invitation", args=[invitation.token]))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_unknown_invitation_link_is_a_404(client: Client) -> None:
    response = client.get(reverse("accounts:invitation", args=["made-up-token"]))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_dashboard_shows_only_the_users_own_company(
    client: Client, owner: User, teammate: User, outsider: User
) -> None:
    client.force_login(teammate)

    body = client.get(reverse("accounts:dashboard")).content.decode()

    assert owner.membership.company.name in body
    assert owner.email in body
    assert outsider.email not in body
    assert outsider.membership.company.name not in body


def test_engineers_and_visitors_cannot_open_the_dashboard(client: Client, engineer: User) -> None:
    anonymous = client.get(reverse("accounts:dashboard"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    client.force_login(engineer)
    assert client.get(reverse("accounts:dashboard")).status_code == 403


def test_the_owner_edits_company_details_and_bad_input_keeps_what_was_typed(
    client: Client, owner: User
) -> None:
    client.force_login(owner)
    url = reverse("accounts:company_edit")
    bad = client.post(
        url,
        {
            "name": "Acme Renamed",
            "website": "ftp://nope",
            "city": "Lahore",
            "time_zone": "Asia/Karachi",
            "work_starts": "09:00",
            "work_ends": "17:00",
        },
    )
    assert bad.status_code == 400
    assert 'value="Acme Renamed"' in bad.content.decode()
    owner.membership.company.refresh_from_db()
    assert owner.membership.company.name != "Acme Renamed"

    good = client.post(
        url,
        {
            "name": "Acme Renamed",
            "website": "https://acme.example",
            "city": "Lahore",
            "time_zone": "Europe/London",
            "work_starts": "10:00",
            "work_ends": "19:00",
        },
    )
    assert good.status_code == 302
    owner.membership.company.refresh_from_db()
    assert owner.membership.company.time_zone == "Europe/London"


def test_a_teammate_cannot_edit_company_details(client: Client, teammate: User) -> None:
    client.force_login(teammate)
    assert client.get(reverse("accounts:company_edit")).status_code == 403


def test_email_addresses_are_unverified_until_confirmed(client: Client) -> None:
    client.post(
        reverse("account_signup"),
        {
            "email": "x@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "X",
            "role": "engineer",
        },
    )
    assert not EmailAddress.objects.get(email="x@example.com").verified


def test_an_employer_without_a_company_is_asked_to_set_one_up(client: Client) -> None:
    orphan = UserFactory(email="orphan@acme.example", role=User.Role.EMPLOYER)
    client.force_login(orphan)

    landing = client.get(reverse("accounts:home"), follow=True)
    assert landing.request["PATH_INFO"] == reverse("accounts:company_create")
    bad = client.post(reverse("accounts:company_create"), {"name": ""})
    assert bad.status_code == 400
    created = client.post(
        reverse("accounts:company_create"),
        {
            "name": "Orphan Works",
            "website": "",
            "city": "Lahore",
            "time_zone": "Asia/Karachi",
            "work_starts": "09:00",
            "work_ends": "17:00",
        },
    )

    assert created["Location"] == reverse("accounts:dashboard")
    membership = Membership.objects.get(user=orphan)
    assert membership.is_owner and membership.company.name == "Orphan Works"
    # A second company cannot be created on top of the first.
    assert client.get(reverse("accounts:company_create"))["Location"] == reverse(
        "accounts:dashboard"
    )


def test_past_its_hourly_limit_a_company_is_told_when_it_can_invite_again(
    client: Client, owner: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.INVITATION_LIMITS = {"per_hour": 2, "per_day": 50, "per_address_per_day": 3}
    client.force_login(owner)
    invite(client, "first@acme.example")
    invite(client, "second@acme.example")

    refused = client.post(reverse("accounts:invitation_create"), {"email": "third@acme.example"})

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "sent its 2 invitations for this hour" in page
    # The day is named when the hour ends after midnight (accounts.limits.retry_phrase).
    assert re.search(
        r"Try again after \d\d:\d\d(?: on \w{3} \d{1,2} \w{3})? \(in about \d+ minutes?\)", page
    )
    assert int(refused["Retry-After"]) <= 3600
    assert 'value="third@acme.example"' in page  # the form keeps what was typed
    # Nothing was sent, and the invitations already out are still open.
    assert not Invitation.objects.filter(email="third@acme.example").exists()
    assert not OutboundEmail.objects.filter(to="third@acme.example").exists()
    assert set(owner.membership.company.invitations.pending().values_list("email", flat=True)) == {
        "first@acme.example",
        "second@acme.example",
    }


def test_past_its_daily_limit_a_company_cannot_invite_until_tomorrow(
    client: Client, owner: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.INVITATION_LIMITS = {"per_hour": 20, "per_day": 1, "per_address_per_day": 3}
    client.force_login(owner)
    invite(client, "first@acme.example")

    refused = client.post(reverse("accounts:invitation_create"), {"email": "second@acme.example"})

    assert refused.status_code == 429
    assert "sent its 1 invitations for today" in refused.content.decode()
    assert not OutboundEmail.objects.filter(to="second@acme.example").exists()


def test_one_address_gets_only_a_few_invitations_a_day_from_all_companies_together(
    client: Client, owner: User, outsider: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.INVITATION_LIMITS = {"per_hour": 20, "per_day": 50, "per_address_per_day": 2}
    client.force_login(owner)
    invite(client, "Target@Example.com")
    kept = invite(client, "Target@Example.com")  # a resend replaces the first and counts too
    client.force_login(outsider)

    refused = client.post(reverse("accounts:invitation_create"), {"email": "target@example.com"})

    assert refused.status_code == 429
    assert "target@example.com has been invited as often as we allow in one day" in (
        refused.content.decode()
    )
    assert OutboundEmail.objects.filter(to__iexact="target@example.com").count() == 2
    assert not outsider.membership.company.invitations.exists()
    kept.refresh_from_db()
    assert kept.revoked_at is None


def test_a_refused_invitation_does_not_use_up_the_companys_allowance(
    client: Client, owner: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.INVITATION_LIMITS = {"per_hour": 3, "per_day": 50, "per_address_per_day": 1}
    client.force_login(owner)
    invite(client, "once@acme.example")
    for _ in range(3):  # the address is used up; these are refused and count for nothing
        response = client.post(
            reverse("accounts:invitation_create"), {"email": "once@acme.example"}
        )
        assert response.status_code == 429

    invite(client, "other@acme.example")
    invite(client, "third@acme.example")
