"""Scope changes: proposing a change order, the change shown as a difference, the answers
(accept, reject, counter, withdraw), and the history of versions.

Every page starts from ``contract_for_user`` (404 for anyone but the company's members
and the engineer); a change order is looked up inside its contract only. Writes are
plain form posts; the services lock the contract and say what went wrong (400 for what
was typed, 409 when the change or the contract moved on), and nothing is saved then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import Conflict, Refused
from accounts.web import AuthedRequest, posted, reply_refused
from hiring.changes import forms, selectors, services
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import contract_url, viewer_zone, zone_label
from hiring.models import ChangeOrder, Contract, ContractVersion, Side


def _change_url(change: ChangeOrder) -> str:
    return reverse("hiring:change_detail", args=[change.contract_id, change.pk])


# Proposing and countering -------------------------------------------------------------------


def _proposal_page(
    request: AuthedRequest,
    contract: Contract,
    side: str,
    *,
    source: ContractVersion,
    answering: ChangeOrder | None,
) -> HttpResponse:
    """The proposal form (new, or a counter starting from the answered proposal): GET
    shows it, POST proposes; the version in force's locked milestones are read-only."""
    current = contract.current
    assert current is not None
    states = selectors.milestone_states(contract, current)
    form, milestones = forms.proposal_forms(posted(request), source=source, states=states)
    page: dict[str, Any] = {
        "contract": contract,
        "side": side,
        "current": current,
        "answering": answering,
        "form": form,
        "milestones": milestones,
        "locked": [s for s in states if not s.editable],
        "error": "",
    }
    template = "hiring/changes/form.html"
    if request.method == "GET":
        return render(request, template, page)
    valid = form.is_valid()
    if not milestones.is_valid() or not valid:
        return render(request, template, page, status=400)
    proposed = forms.proposed(form, milestones)
    try:
        if answering is None:
            change = services.change_propose(contract=contract, by=request.user, proposed=proposed)
        else:
            change = services.change_counter(
                contract=contract, change=answering, by=request.user, proposed=proposed
            )
    except services.TermsRefused as exc:
        forms.show_terms_errors(form, exc.errors)
        return render(request, template, page, status=exc.status)
    except Refused as exc:
        return render(request, template, page | {"error": str(exc)}, status=exc.status)
    other = "the engineer" if side == Side.COMPANY else contract.company.name
    messages.success(
        request,
        f"Your {'counter-proposal' if answering else 'change'} is sent. {other[:1].upper()}"
        f"{other[1:]} will accept, reject or counter it; you will get an email when they do.",
    )
    return redirect(_change_url(change))


@login_required
@require_http_methods(["GET", "POST"])
def change_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Either side proposes a change to the version in force."""
    contract, side = contract_for_user(request.user, pk)
    waiting = selectors.open_change(contract)
    refusal = services.propose_refusal(contract, waiting)
    if refusal is not None:
        back = _change_url(waiting) if waiting else contract_url(contract)
        return reply_refused(request, refusal, back=back)
    assert contract.current is not None
    return _proposal_page(request, contract, side, source=contract.current, answering=None)


@login_required
@require_http_methods(["GET", "POST"])
def change_counter(request: AuthedRequest, pk: int, change_pk: int) -> HttpResponse:
    """The other side answers a change with its own proposal, starting from that one."""
    contract, side = contract_for_user(request.user, pk)
    change = selectors.get_change(contract, change_pk)
    state = _answer_state(contract, side, change)
    if not state["can_answer"]:
        return reply_refused(request, _why_not(change, side, state), back=_change_url(change))
    return _proposal_page(request, contract, side, source=change.proposal, answering=change)


# The change and its answers -------------------------------------------------------------------


def _answer_state(contract: Contract, side: str, change: ChangeOrder) -> dict[str, bool]:
    waiting = change.status == ChangeOrder.Status.OPEN
    current = waiting and change.base_id == contract.current_id
    active = contract.status == Contract.Status.ACTIVE
    return {
        "is_open": waiting,
        "stale": waiting and not (current and active),
        "can_answer": waiting and current and active and change.side != side,
        "can_withdraw": waiting and change.side == side,
    }


def _why_not(change: ChangeOrder, side: str, state: dict[str, bool]) -> Refused:
    if not state["is_open"]:
        return Conflict(
            f"This change is {change.get_status_display().lower()}: it can no longer be answered."
        )
    if change.side == side:
        return Conflict("Your side proposed this change: the other side answers it.")
    return Conflict(
        "The contract moved on since this change was proposed: it can no longer be answered."
    )


def _detail_page(
    request: AuthedRequest,
    contract: Contract,
    side: str,
    change: ChangeOrder,
    *,
    reject_form: forms.RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.change_view(contract, change)
    zone = viewer_zone(contract, side, request.user)
    context = {
        "contract": contract,
        "side": side,
        "change": change,
        "view": view,
        "zone": zone,
        "zone_name": zone_label(zone),
        "accept_form": forms.AcceptForm(
            initial={"content_hash": change.proposal.content_hash}, prefix="accept"
        ),
        "reject_form": reject_form or forms.RejectForm(prefix="reject"),
        "withdraw_form": forms.WithdrawForm(prefix="withdraw"),
        "mine": change.side == side,
        **_answer_state(contract, side, change),
    }
    return render(request, "hiring/changes/detail.html", context, status=status)


@login_required
@require_GET
def change_detail(request: AuthedRequest, pk: int, change_pk: int) -> HttpResponse:
    """The change as a difference from the version it was proposed against, its effect on
    the total and the end date, the notes, and what the viewer can do with it."""
    contract, side = contract_for_user(request.user, pk)
    return _detail_page(request, contract, side, selectors.get_change(contract, change_pk))


@login_required
@require_POST
def change_accept(request: AuthedRequest, pk: int, change_pk: int) -> HttpResponse:
    contract, _ = contract_for_user(request.user, pk)
    change = selectors.get_change(contract, change_pk)
    form = forms.AcceptForm(request.POST, prefix="accept")
    if not form.is_valid():
        return reply_refused(request, Refused("The note is too long."), back=_change_url(change))
    try:
        accepted = services.change_accept(
            contract=contract,
            change=change,
            by=request.user,
            content_hash=form.cleaned_data["content_hash"],
            note=form.cleaned_data["note"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=_change_url(change))
    messages.success(
        request,
        f"Accepted: version {accepted.proposal.number} is now in force, agreed by both sides.",
    )
    return redirect(_change_url(change))


@login_required
@require_POST
def change_reject(request: AuthedRequest, pk: int, change_pk: int) -> HttpResponse:
    contract, side = contract_for_user(request.user, pk)
    change = selectors.get_change(contract, change_pk)
    form = forms.RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _detail_page(request, contract, side, change, reject_form=form, status=400)
    try:
        services.change_reject(
            contract=contract, change=change, by=request.user, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=_change_url(change))
    messages.success(request, "Rejected. The contract stays as it is; the other side is told.")
    return redirect(_change_url(change))


@login_required
@require_POST
def change_withdraw(request: AuthedRequest, pk: int, change_pk: int) -> HttpResponse:
    contract, _ = contract_for_user(request.user, pk)
    change = selectors.get_change(contract, change_pk)
    form = forms.WithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        return reply_refused(request, Refused("The note is too long."), back=_change_url(change))
    try:
        services.change_withdraw(
            contract=contract, change=change, by=request.user, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=_change_url(change))
    messages.success(request, "Withdrawn. The contract stays as it is; the other side is told.")
    return redirect(contract_url(contract))


# The history of versions --------------------------------------------------------------------


@login_required
@require_GET
def version_history(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every version, newest first, with its difference from the one before and who
    agreed when; then the changes that were not made."""
    contract, side = contract_for_user(request.user, pk)
    zone = viewer_zone(contract, side, request.user)
    context = {
        "contract": contract,
        "side": side,
        "history": selectors.history(contract),
        "zone": zone,
        "zone_name": zone_label(zone),
    }
    return render(request, "hiring/changes/history.html", context)
