"""Fetch-and-check helpers: each returns what the user may see or raises Http404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Company, Invitation, Membership, User


def get_membership(user: User) -> Membership:
    """The requesting employer's membership; 404 for anyone without a company."""
    try:
        return Membership.objects.select_related("company").get(user=user)
    except Membership.DoesNotExist:
        raise Http404("You are not part of a company.") from None


def get_company_for_owner(user: User) -> Company:
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
