"""Who may see a contract: the company's members and the engineer. Anyone else gets 404.

Every contract page starts from ``contract_for_user``, which also says which side
the viewer is on. An id in a URL never grants access by itself.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Membership, User
from hiring.models import Contract, Side


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    """Every contract the user is a party to, on either side."""
    company_ids = Membership.objects.filter(user=user).values("company_id")
    return Contract.objects.filter(company_id__in=company_ids) | Contract.objects.filter(
        profile__user=user
    )


def contract_for_user(user: User, pk: int, *, for_update: bool = False) -> tuple[Contract, str]:
    """The contract and the viewer's side (``Side.COMPANY`` or ``Side.ENGINEER``); 404
    for anyone who is neither the company's member nor the engineer.

    A draft is the company's alone: the engineer gets 404 until a version is sent.
    """
    qs = Contract.objects.select_related("company", "profile__user", "current", "brief")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    contract = qs.filter(pk=pk).first()
    if contract is None or not user.is_authenticated:
        raise Http404("No such contract.")
    if Membership.objects.filter(user=user, company_id=contract.company_id).exists():
        return contract, Side.COMPANY
    if contract.profile.user_id == user.pk and contract.status != Contract.Status.DRAFT:
        return contract, Side.ENGINEER
    raise Http404("No such contract.")
