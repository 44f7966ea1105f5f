"""Fetch-and-check helpers: each returns what the user may see or raises.

One policy for "which company is this employer in?", used by every app:
- a page for hiring teams refuses anyone else with 403 (``require_employer``);
- an employer without a company (e.g. their invitation was withdrawn) gets
  ``NoCompany``, a 404 that says to set one up (the dashboard sends them there);
- a resource named by an id in the URL (a brief, an invitation, a profile) answers
  404 to everyone who may not see it, whatever their role, so an id never reveals
  whether the thing exists. Each app has one ``get_<resource>_for_<who>`` helper.
``company_of`` is the one non-raising form, for pages that anyone may open and that
show more to an employer (the profile page).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Company, Invitation, Membership, User


class NoCompany(Http404):
    """An employer account that belongs to no company."""


def require_employer(user: Any) -> None:
    """403 for engineers, staff and visitors: the page is for hiring teams."""
    if not user.is_authenticated or not user.is_employer:
        raise PermissionDenied("This page is for hiring teams.")


def get_membership(user: User) -> Membership:
    """The employer's membership, with its company; 403 for others, NoCompany for none."""
    require_employer(user)
    membership = Membership.objects.select_related("company").filter(user=user).first()
    if membership is None:
        raise NoCompany("Set up your company first.")
    return membership


def get_company(user: User) -> Company:
    """The employer's company; 403 for others, NoCompany (404) for an employer without one."""
    return get_membership(user).company


def company_of(user: Any) -> Company | None:
    """The company of an employer, or None for anyone else (engineers, staff, visitors)."""
    if not user.is_authenticated or not user.is_employer:
        return None
    membership = Membership.objects.select_related("company").filter(user=user).first()
    return membership.company if membership else None


def get_company_for_owner(user: User) -> Company:
    """The company of its owner; 403 for teammates and everyone else."""
    membership = get_membership(user)
    if not membership.is_owner:
        raise PermissionDenied("Only the company's owner can do this.")
    return membership.company


def get_invitation_for_owner(user: User, pk: int) -> Invitation:
    company = get_company_for_owner(user)
    try:
        return Invitation.objects.get(pk=pk, company=company)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def get_invitation_by_token(token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("company").get(token=token)
    except Invitation.DoesNotExist:
        raise Http404("This invitation link is not valid.") from None


def team_recipients(company: Company, sender: User | None) -> list[str]:
    """Who on a company's side hears about something a teammate started (an outreach, an
    assessment, an interview): that teammate, or the company's owners once they have left."""
    if sender is not None and Membership.objects.filter(user=sender, company=company).exists():
        return [sender.email]
    owners = Membership.objects.filter(company=company, role=Membership.Role.OWNER)
    return [m.user.email for m in owners.select_related("user")]
