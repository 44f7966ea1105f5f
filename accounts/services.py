"""Writes that span rows or send mail for accounts, companies and invitations."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts import registry
from accounts.emails import email_send
from accounts.limits import Limit, limits_consume
from accounts.models import Company, Invitation, Membership, OutboundEmail, User, Weekend


class InvitationError(Exception):
    """An invitation cannot be used; the message says why, for the person holding it.

    ``status`` is the HTTP status that fits: 410 when the invitation is gone for
    everyone, 403 when it is fine but not for this account.
    """

    def __init__(self, message: str, status: int = 410) -> None:
        super().__init__(message)
        self.status = status


@transaction.atomic
def company_create(
    *,
    owner: User,
    name: str,
    website: str = "",
    city: str = "Lahore",
    time_zone: str = "Asia/Karachi",
    work_starts: time = time(9),
    work_ends: time = time(18),
    weekend: str = Weekend.SAT_SUN,
) -> Company:
    company = Company.objects.create(
        name=name,
        website=website,
        city=city,
        time_zone=time_zone,
        work_starts=work_starts,
        work_ends=work_ends,
        weekend=weekend,
    )
    Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
    return company


@transaction.atomic
def invitation_send(*, company: Company, invited_by: User, email: str, base_url: str) -> Invitation:
    """Invite ``email`` to ``company``; an earlier open invitation to it is replaced.

    Raises accounts.limits.LimitExceeded, before anything is saved or sent, when
    the company or the address has had its share of invitations for now.
    """
    email = email.strip()
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        raise InvitationError(f"{email} is already on your team.", status=400)
    per_hour = settings.INVITATION_LIMITS["per_hour"]
    per_day = settings.INVITATION_LIMITS["per_day"]
    per_address = settings.INVITATION_LIMITS["per_address_per_day"]
    limits_consume(
        Limit(
            ("invite", company.pk),
            count=per_hour,
            seconds=3600,
            reason=f"Your company has sent its {per_hour} invitations for this hour.",
        ),
        Limit(
            ("invite", company.pk),
            count=per_day,
            seconds=86400,
            reason=f"Your company has sent its {per_day} invitations for today.",
        ),
        Limit(
            ("invite-to", email.lower()),
            count=per_address,
            seconds=86400,
            reason=f"{email} has been invited as often as we allow in one day.",
        ),
    )
    Invitation.objects.filter(
        company=company, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(company=company, email=email, invited_by=invited_by)
    link = base_url + reverse("accounts:invitation", args=[invitation.token])
    email_send(
        to=email,
        template="email/team_invitation",
        context={
            "invitation": invitation,
            "company": company,
            "inviter": invited_by,
            "link": link,
            "valid_days": Invitation.VALID_DAYS,
        },
        key=f"invitation:{invitation.pk}",
    )
    return invitation


def invitation_check(*, invitation: Invitation, user: User | None) -> None:
    """Raise InvitationError if ``user`` may not use ``invitation`` now."""
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used.")
    if invitation.revoked_at is not None:
        raise InvitationError("This invitation was withdrawn. Ask your team for a new one.")
    if invitation.is_expired:
        raise InvitationError("This invitation has expired. Ask your team to send a new one.")
    if user is None:
        return
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            "This invitation was sent to a different email address. "
            "Log in with the address it was sent to.",
            status=403,
        )
    if not user.is_employer:
        raise InvitationError("Engineer accounts cannot join a hiring team.", status=403)
    if Membership.objects.filter(user=user).exists():
        raise InvitationError("Your account already belongs to a company.", status=403)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("company").get(token=token)
    invitation_check(invitation=invitation, user=user)
    membership = Membership.objects.create(
        user=user, company=invitation.company, role=Membership.Role.MEMBER
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# A person's data. Each app registers its part in accounts.registry (accounts' own
# part is below); these two run every part, so a new app only has to register.


def account_data_export(user: User) -> dict[str, Any]:
    """accounts' part of the export: the account and the emails sent to it."""
    return {
        "account": {
            "email": user.email,
            "name": user.full_name,
            "role": user.role,
            "joined": user.date_joined.isoformat(),
        },
        "emails_sent_to_you": list(
            OutboundEmail.objects.filter(to__iexact=user.email)
            .values("subject", "status", "created_at")
            .order_by("created_at")
        ),
    }


def account_data_erase(user: User) -> None:
    """The outbox keeps a record that mail went out, never to whom or what it said."""
    OutboundEmail.objects.filter(to__iexact=user.email).update(
        to="erased@invalid", subject="(erased)", body_text="", body_html=""
    )


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Karigar holds about a person, as JSON-ready data, from every app."""
    data: dict[str, Any] = {}
    for part in registry.personal_data_parts():
        if part.export is not None:
            data.update(part.export(user))
    return data


@transaction.atomic
def account_delete(*, request: HttpRequest, user: User) -> None:
    """Erase a person for good: every app's part (higher apps first), then the account."""
    for part in reversed(registry.personal_data_parts()):
        if part.erase is not None:
            part.erase(user)
    logout(request)
    user.delete()
