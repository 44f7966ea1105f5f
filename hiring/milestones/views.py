"""Milestones and payments: the engineer submits, the company accepts or asks for changes;
the company marks a payment paid, the engineer confirms receipt.

Every view is a form post from the contract page's panel. It starts from
``contract_for_user`` (404 for anyone but the company's members and the engineer), then
the milestone or payment inside that contract (404 for another key or id), then the
side allowed to act (403 with a message). A form that does not validate shows the
contract page again with the errors beside the form (400); a state that changed since
the page was shown (already accepted, not paid yet) gets its message (409). Nothing is
saved in either case.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.errors import NotAllowed, Refused
from accounts.web import AuthedRequest, reply_refused
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import contract_url
from hiring.contracts.views import contract_context
from hiring.milestones import selectors, services
from hiring.milestones.forms import ChangesForm, PaidForm, SubmitForm, bound
from hiring.models import Contract, Side


def _refused(request: AuthedRequest, contract: Contract, refusal: Refused) -> HttpResponse:
    return reply_refused(request, refusal, back=contract_url(contract, "milestones"))


def _page_with_errors(
    request: AuthedRequest,
    contract: Contract,
    side: str,
    *,
    key: str = "",
    payment_id: int = 0,
    which: str,
    form: Any,
) -> HttpResponse:
    """The contract page again (400), the posted form in its row with its errors."""
    context = contract_context(contract, side, request.user)
    panel: selectors.Panel = context["milestones_panel"]
    row = panel.row(key) if key else panel.payment_row(payment_id)
    if row is not None:
        setattr(row, f"{which}_form", form)
        row.open_form = which
    return render(request, "hiring/contracts/detail.html", context, status=400)


def _only(side: str, wanted: str, what: str) -> NotAllowed | None:
    if side == wanted:
        return None
    if wanted == Side.ENGINEER:
        return NotAllowed(f"Only the engineer on this contract can {what}.")
    return NotAllowed(f"Only the company's team can {what}.")


@login_required
@require_POST
def milestone_submit(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """The engineer hands a milestone over: a note and an https link."""
    contract, side = contract_for_user(request.user, pk)
    milestone = selectors.milestone_in_force(contract, key)
    refusal = _only(side, Side.ENGINEER, "submit a milestone")
    if refusal:
        return _refused(request, contract, refusal)
    form = bound(SubmitForm, request.POST, "submit", key)
    if not form.is_valid():
        return _page_with_errors(request, contract, side, key=key, which="submit", form=form)
    try:
        services.milestone_submit(
            contract=contract,
            user=request.user,
            key=key,
            note=form.cleaned_data["note"],
            link=form.cleaned_data["link"],
        )
    except Refused as exc:
        return _refused(request, contract, exc)
    messages.success(
        request,
        f"“{milestone.title}” is submitted. {contract.company.name} has been told; without an "
        f"answer in {contract.current.deem_accept_days if contract.current else 0} days it "
        "counts as accepted.",
    )
    return redirect(contract_url(contract, "milestones"))


@login_required
@require_POST
def milestone_accept(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """The company accepts a submitted milestone (its payment is then due)."""
    contract, side = contract_for_user(request.user, pk)
    milestone = selectors.milestone_in_force(contract, key)
    refusal = _only(side, Side.COMPANY, "accept a milestone")
    if refusal:
        return _refused(request, contract, refusal)
    try:
        services.milestone_accept(contract=contract, user=request.user, key=key)
    except Refused as exc:
        return _refused(request, contract, exc)
    paid = " Its payment is in the list below." if milestone.amount else ""
    messages.success(
        request,
        f"“{milestone.title}” is accepted. {contract.profile.user.display_name} has been told."
        + paid,
    )
    return redirect(contract_url(contract, "milestones"))


@login_required
@require_POST
def milestone_changes(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """The company sends a submitted milestone back, saying what needs to change."""
    contract, side = contract_for_user(request.user, pk)
    milestone = selectors.milestone_in_force(contract, key)
    refusal = _only(side, Side.COMPANY, "ask for changes")
    if refusal:
        return _refused(request, contract, refusal)
    form = bound(ChangesForm, request.POST, "changes", key)
    if not form.is_valid():
        return _page_with_errors(request, contract, side, key=key, which="changes", form=form)
    try:
        services.milestone_changes(
            contract=contract, user=request.user, key=key, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return _refused(request, contract, exc)
    messages.success(
        request,
        f"Changes asked for “{milestone.title}”. {contract.profile.user.display_name} has "
        "been told and can submit it again.",
    )
    return redirect(contract_url(contract, "milestones"))


@login_required
@require_POST
def payment_paid(request: AuthedRequest, pk: int, payment_pk: int) -> HttpResponse:
    """The company says it paid (with an optional reference)."""
    contract, side = contract_for_user(request.user, pk)
    payment = selectors.payment_of(contract, payment_pk)
    refusal = _only(side, Side.COMPANY, "mark a payment paid")
    if refusal:
        return _refused(request, contract, refusal)
    form = bound(PaidForm, request.POST, "paid", payment.pk)
    if not form.is_valid():
        return _page_with_errors(
            request, contract, side, payment_id=payment.pk, which="paid", form=form
        )
    try:
        services.payment_paid(
            contract=contract,
            user=request.user,
            payment_id=payment.pk,
            note=form.cleaned_data["note"],
        )
    except Refused as exc:
        return _refused(request, contract, exc)
    messages.success(
        request,
        f"“{payment.label}” is marked paid. {contract.profile.user.display_name} is asked to "
        "confirm receipt.",
    )
    return redirect(contract_url(contract, "milestones"))


@login_required
@require_POST
def payment_confirm(request: AuthedRequest, pk: int, payment_pk: int) -> HttpResponse:
    """The engineer confirms they received a payment marked paid."""
    contract, side = contract_for_user(request.user, pk)
    payment = selectors.payment_of(contract, payment_pk)
    refusal = _only(side, Side.ENGINEER, "confirm receipt of a payment")
    if refusal:
        return _refused(request, contract, refusal)
    try:
        services.payment_confirm(contract=contract, user=request.user, payment_id=payment.pk)
    except Refused as exc:
        return _refused(request, contract, exc)
    messages.success(
        request, f"Receipt of “{payment.label}” confirmed. {contract.company.name} can see it."
    )
    return redirect(contract_url(contract, "milestones"))
