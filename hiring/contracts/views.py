"""Contracts: drafting from an offer, sending, both sides accepting, the printable copy.

Every page starts from ``contract_for_user`` (404 for anyone but the company's members
and the engineer). The contract page gathers one panel from each part of the work
(terms, change orders, milestones and payments, check-ins, ending and reviews, the
timeline): each part's ``selectors.contract_panel`` adds its context and its template
``hiring/<part>/_contract_panel.html`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import Conflict, NotAllowed, Refused
from accounts.models import User
from accounts.web import AuthedRequest, reply_refused
from hiring.changes import selectors as changes
from hiring.checkins import selectors as checkins
from hiring.contracts import selectors, services
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import contract_url, viewer_zone, zone_label
from hiring.contracts.forms import (
    AcceptForm,
    DeclineForm,
    TermsForm,
    WithdrawForm,
    posted_as_initial,
    terms_forms,
)
from hiring.dashboards import selectors as dashboards
from hiring.milestones import selectors as milestones
from hiring.models import Contract, Outreach, Side, VersionAcceptance
from hiring.reviews import selectors as reviews
from screening.models import Candidacy
from screening.selectors import get_candidacy_for_user

#: Contracts per page of the list.
LIST_PAGE = 50
Panel = Callable[..., dict[str, Any]]

#: The contract page's parts, in the order their context is gathered.
PANELS: tuple[Panel, ...] = (
    selectors.contract_panel,
    changes.contract_panel,
    milestones.contract_panel,
    checkins.contract_panel,
    reviews.contract_panel,
    dashboards.contract_panel,
)


def contract_context(contract: Contract, side: str, user: User, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"contract": contract, "side": side}
    for panel in PANELS:
        context.update(panel(contract=contract, side=side, user=user))
    context.update(extra)
    return context


def _detail_page(
    request: AuthedRequest, contract: Contract, side: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = contract_context(contract, side, request.user, **extra)
    return render(request, "hiring/contracts/detail.html", context, status=status)


@login_required
@require_GET
def contract_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contract, side = contract_for_user(request.user, pk)
    return _detail_page(request, contract, side)


# Drafting and revising -------------------------------------------------------------------


def _terms_page(
    request: AuthedRequest,
    form: TermsForm,
    *,
    candidacy: Candidacy,
    contract: Contract | None = None,
    number: int = 1,
    revising: bool = False,
    outreach: Outreach | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    profile = candidacy.profile
    context = {
        "form": form,
        "milestones": form.milestones,
        "candidacy": candidacy,
        "contract": contract,
        "engineer": profile.user,
        "brief": candidacy.brief,
        "number": number,
        "revising": revising,
        "outreach": outreach,
        "engineer_zone": zone_label(profile.time_zone),
        "company_zone": zone_label(candidacy.company.time_zone),
        "error": error,
    }
    return render(request, "hiring/contracts/form.html", context, status=status)


def _unbound(request: AuthedRequest, initial: dict[str, Any], rows: list[dict[str, Any]]) -> Any:
    """The form to show for a GET, or again with more milestone rows ("more" pressed)."""
    if request.method == "POST":
        initial, rows, blank = posted_as_initial(request.POST)
        return terms_forms(initial=initial, milestones=rows, blank_rows=blank)
    return terms_forms(initial=initial, milestones=rows)


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Draft the contract of a candidacy in Offer, prefilled from the accepted outreach.
    A candidacy has one contract: once drafted, this page leads to it."""
    candidacy = get_candidacy_for_user(request.user, pk)
    existing = Contract.objects.filter(candidacy=candidacy).values_list("pk", flat=True).first()
    if existing is not None:
        return redirect("hiring:contract_detail", existing)
    refusal = services.contract_refusal(candidacy)
    if refusal is not None:
        back = reverse("screening:candidacy", args=[candidacy.pk])
        return reply_refused(request, refusal, back=back)
    outreach = selectors.accepted_outreach(candidacy)
    page: dict[str, Any] = {"candidacy": candidacy, "outreach": outreach}
    if request.method == "GET" or "more" in request.POST:
        initial = selectors.draft_initial(candidacy, outreach)
        return _terms_page(request, _unbound(request, initial, []), **page)
    form = terms_forms(request.POST)
    if not form.is_valid():
        return _terms_page(request, form, status=400, **page)
    try:
        contract = services.contract_draft(
            candidacy=candidacy,
            by=request.user,
            terms=form.terms(),
            milestones=form.milestones.rows(),
        )
    except Refused as exc:
        return _terms_page(request, form, error=str(exc), status=exc.status, **page)
    messages.success(
        request,
        f"Draft saved. Only your team sees it: read it over, then send it to "
        f"{candidacy.profile.user.display_name}.",
    )
    return redirect("hiring:contract_detail", contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit the draft; while a version is on offer or was declined, write its revision
    (saved as a draft of the next version; the offer changes only when it is sent)."""
    contract, side = contract_for_user(request.user, pk)
    back = contract_url(contract)
    if side != Side.COMPANY:
        refusal: Refused = NotAllowed("Only the company's team can change a contract's terms.")
        return reply_refused(request, refusal, back=back)
    if contract.status not in selectors.PRE_START:
        refusal = Conflict(
            "This contract is no longer an offer: its terms change only through a change "
            "order both sides accept."
            if contract.status != Contract.Status.WITHDRAWN
            else "This offer was withdrawn: it can no longer be changed."
        )
        return reply_refused(request, refusal, back=back)
    draft = selectors.draft_of(contract)
    base = draft or contract.current
    if base is None:  # pragma: no cover - a contract always has a version
        raise Http404("This contract has no version.")
    page: dict[str, Any] = {
        "candidacy": contract.candidacy,
        "contract": contract,
        "number": selectors.next_number(contract),
        "revising": contract.status != Contract.Status.DRAFT,
    }
    if request.method == "GET" or "more" in request.POST:
        prefetch_related_objects([base], "milestones")
        initial, rows = selectors.version_initial(base)
        return _terms_page(request, _unbound(request, initial, rows), **page)
    form = terms_forms(request.POST)
    if not form.is_valid():
        return _terms_page(request, form, status=400, **page)
    try:
        services.draft_save(
            contract=contract,
            by=request.user,
            terms=form.terms(),
            milestones=form.milestones.rows(),
        )
    except Refused as exc:
        return _terms_page(request, form, error=str(exc), status=exc.status, **page)
    messages.success(
        request,
        "Draft saved. "
        + (
            f"{contract.profile.user.display_name} still sees the version on offer until "
            "you send this one."
            if page["revising"]
            else "Send it when it is ready."
        ),
    )
    return redirect(back)


@login_required
@require_POST
def contract_send(request: AuthedRequest, pk: int) -> HttpResponse:
    contract, _side = contract_for_user(request.user, pk)
    try:
        version = services.contract_send(contract=contract, by=request.user)
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(contract))
    messages.success(
        request,
        f"Version {version.number} sent to {contract.profile.user.display_name}, who gets an "
        "email. The contract starts when both sides have accepted it.",
    )
    return redirect(contract_url(contract))


@login_required
@require_POST
def contract_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take back the offer before the start (a draft nobody was sent is discarded)."""
    contract, side = contract_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, contract, side, withdraw_form=form, status=400)
    candidacy_url = reverse("screening:candidacy", args=[contract.candidacy_id])
    try:
        kept = services.contract_withdraw(
            contract=contract, by=request.user, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(contract))
    if kept is None:
        messages.success(request, "Draft discarded. You can draft a new contract from the card.")
        return redirect(candidacy_url)
    messages.success(
        request, f"Offer withdrawn. {contract.profile.user.display_name} has been told."
    )
    return redirect(contract_url(contract))


# Accepting and declining -------------------------------------------------------------------


@login_required
@require_POST
def version_accept(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """Accept the version read: the page posts that version's content hash."""
    contract, side = contract_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return reply_refused(
            request,
            Refused("Open the contract again and accept from its page."),
            back=contract_url(contract),
        )
    try:
        services.version_accept(
            contract=contract,
            user=request.user,
            number=number,
            content_hash=form.cleaned_data["content_hash"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(contract))
    if contract.status == Contract.Status.ACTIVE:
        notice = "Both sides have accepted: the contract has started. Both sides were emailed."
    else:
        other = (
            contract.company.name if side == Side.ENGINEER else contract.profile.user.display_name
        )
        notice = f"You accepted version {number}. It starts once {other} accepts it too."
    messages.success(request, notice)
    return redirect(contract_url(contract))


@login_required
@require_POST
def version_decline(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    contract, side = contract_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, contract, side, decline_form=form, status=400)
    try:
        services.version_decline(
            contract=contract, user=request.user, number=number, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(contract))
    other = contract.company.name if side == Side.ENGINEER else contract.profile.user.display_name
    messages.success(request, f"You declined version {number}. {other} has been told.")
    return redirect(contract_url(contract))


# The printable copy and the list -------------------------------------------------------------


@login_required
@require_GET
def version_print(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """One version on its own, with both acceptances: the browser's "Save as PDF" of this
    page is the signed copy."""
    contract, side = contract_for_user(request.user, pk)
    version = selectors.version_for_print(contract, side, number)
    acceptances = (
        list(VersionAcceptance.objects.filter(version=version).select_related("user"))
        if version.sent_at
        else []
    )
    zone = viewer_zone(contract, side, request.user)
    context = {
        "contract": contract,
        "side": side,
        "version": version,
        "number": number,
        "terms": selectors.version_terms(version, viewer_tz=zone),
        "state": selectors.version_state(contract, version),
        "acceptances": acceptances,
        "viewer_zone": zone,
    }
    return render(request, "hiring/contracts/print.html", context)


@login_required
@require_GET
def contract_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.contract_rows(request.user), LIST_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "contracts": list(page.object_list),
        "is_employer": request.user.is_employer,
    }
    return render(request, "hiring/contracts/list.html", context)
