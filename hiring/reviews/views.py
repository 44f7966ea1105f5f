"""Ending a contract, the handover checklist, and reviews, for both sides.

Every view starts from ``contract_for_user`` (or ``review_for_user``, which starts from
it): 404 for anyone who is not the company's member or the engineer. Writes are
POSTs; a form that does not validate comes back with its errors and a 400, a refused
change with the service's message and its 4xx. Nothing is saved then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import Conflict, Refused
from accounts.web import AuthedRequest, posted, reply_refused
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import contract_url, day_text, engineer_zone, viewer_zone, zone_label
from hiring.models import Contract, ContractReview, Side
from hiring.reviews import selectors, services
from hiring.reviews.forms import EndForm, HandoverForm, ReplyForm, ReportForm, ReviewForm


def _other_name(contract: Contract, side: str) -> str:
    return contract.company.name if side == Side.ENGINEER else contract.profile.user.display_name


# Giving notice ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contract_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """Either side gives notice: a reason and the last day, after the notice period."""
    contract, side = contract_for_user(request.user, pk)
    back = contract_url(contract, "ending")
    refusal = services.end_refusal(contract)
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    earliest, latest = services.earliest_end(contract), services.latest_end(contract)
    trial = services.in_trial(contract)
    form = EndForm(posted(request), earliest=earliest, latest=latest, trial=trial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.contract_end(
                    contract=contract,
                    by=request.user,
                    side=side,
                    reason=form.cleaned_data["reason"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except Refused as exc:
                form.add_error("ends_on" if exc.status == 400 else None, str(exc))
                status = exc.status
            else:
                messages.success(
                    request,
                    f"Notice given: the contract's last day is "
                    f"{day_text(form.cleaned_data['ends_on'])}. "
                    f"{_other_name(contract, side)} has been told.",
                )
                return redirect(back)
        else:
            status = 400
    context = {
        "contract": contract,
        "side": side,
        "form": form,
        "other": _other_name(contract, side),
        "notice_days": contract.current.notice_days if contract.current else 0,
        "zone": zone_label(engineer_zone(contract)),
        "back": back,
    }
    return render(request, "hiring/reviews/end.html", context, status=status)


# The handover checklist ----------------------------------------------------------------


@login_required
@require_POST
def handover_tick(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tick (or untick) one item of the handover checklist for the viewer's side."""
    contract, side = contract_for_user(request.user, pk)
    back = contract_url(contract, "handover")
    form = HandoverForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return reply_refused(request, Refused(f"{first} Nothing was saved."), back=back)
    item, ticking = form.cleaned_data["item"], form.cleaned_data["action"] == "tick"
    try:
        services.handover_tick(
            contract=contract, by=request.user, side=side, item=item, ticked=ticking
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return redirect(back)


# Reviews ----------------------------------------------------------------------------------


def _review_page(
    request: AuthedRequest,
    contract: Contract,
    side: str,
    form: ReviewForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    zone = viewer_zone(contract, side, request.user)
    context = {
        "contract": contract,
        "side": side,
        "form": form,
        "score_fields": [form[name] for name in form.score_names],
        "other": _other_name(contract, side),
        "closes": selectors.when_text(contract.reviews_close_at, zone)
        if contract.reviews_close_at
        else "",
        "days": Contract.REVIEW_DAYS,
        "error": error,
        "back": contract_url(contract, "reviews"),
    }
    return render(request, "hiring/reviews/review_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """One side's review of an ended contract, within its review days."""
    contract, side = contract_for_user(request.user, pk)
    back = contract_url(contract, "reviews")
    refusal = services.review_refusal(contract, side)
    if refusal is None and ContractReview.objects.filter(contract=contract, side=side).exists():
        refusal = Conflict(
            "Your side has already reviewed this contract: there is one review per side."
        )
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    form = ReviewForm(posted(request), side=side)
    if request.method == "GET":
        return _review_page(request, contract, side, form)
    if not form.is_valid():
        return _review_page(request, contract, side, form, status=400)
    try:
        review = services.review_create(
            contract=contract,
            by=request.user,
            side=side,
            stars=form.cleaned_data["stars"],
            scores=form.scores(),
            public_text=form.cleaned_data["public_text"],
            private_note=form.cleaned_data["private_note"],
        )
    except Refused as exc:
        return _review_page(request, contract, side, form, error=str(exc), status=exc.status)
    other = _other_name(contract, side)
    messages.success(
        request,
        "Your review is in. Both reviews are in, so both are published now."
        if review.published_at
        else f"Your review is in. It stays hidden from {other} until they write theirs or the "
        f"{Contract.REVIEW_DAYS} days end, then both are published.",
    )
    return redirect(back)


def _answer_page(
    request: AuthedRequest,
    review: ContractReview,
    side: str,
    form: ReplyForm | ReportForm,
    *,
    template: str,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    contract = review.contract
    zone = viewer_zone(contract, side, request.user)
    context: dict[str, Any] = {
        "contract": contract,
        "row": selectors.review_row(review, contract=contract, side=side, zone=zone),
        "form": form,
        "error": error,
        "back": contract_url(contract, "reviews"),
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_reply(request: AuthedRequest, review_pk: int) -> HttpResponse:
    """The side reviewed answers a published review in public, once."""
    review, side = selectors.review_for_user(request.user, review_pk)
    form = ReplyForm(posted(request))
    page: dict[str, Any] = {"template": "hiring/reviews/reply.html"}
    if request.method == "GET":
        refusal = _answer_refusal(review, side, "a reply", review.replied_at is not None)
        if refusal is not None:
            return reply_refused(request, refusal, back=contract_url(review.contract, "reviews"))
        return _answer_page(request, review, side, form, **page)
    if not form.is_valid():
        return _answer_page(request, review, side, form, status=400, **page)
    try:
        services.review_reply(
            review=review, by=request.user, side=side, text=form.cleaned_data["text"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(review.contract, "reviews"))
    messages.success(request, "Your reply is published under the review.")
    return redirect(contract_url(review.contract, "reviews"))


@login_required
@require_http_methods(["GET", "POST"])
def review_report(request: AuthedRequest, review_pk: int) -> HttpResponse:
    """The side reviewed asks Karigar staff to look at a published review."""
    review, side = selectors.review_for_user(request.user, review_pk)
    form = ReportForm(posted(request))
    page: dict[str, Any] = {"template": "hiring/reviews/report.html"}
    if request.method == "GET":
        refusal = _answer_refusal(review, side, "a report", review.reported_at is not None)
        if refusal is not None:
            return reply_refused(request, refusal, back=contract_url(review.contract, "reviews"))
        return _answer_page(request, review, side, form, **page)
    if not form.is_valid():
        return _answer_page(request, review, side, form, status=400, **page)
    try:
        services.review_report(
            review=review, by=request.user, side=side, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=contract_url(review.contract, "reviews"))
    messages.success(request, "Thank you: Karigar staff will look at the review and may hide it.")
    return redirect(contract_url(review.contract, "reviews"))


def _answer_refusal(review: ContractReview, side: str, what: str, done: bool) -> Refused | None:
    """What the service would refuse, said before the form is shown."""
    try:
        services.check_reviewed_side(review, side, what)
    except Refused as exc:
        return exc
    if done:
        return Conflict(
            "This review already has its reply."
            if what == "a reply"
            else "This review has already been reported; Karigar staff will look at it."
        )
    return None
