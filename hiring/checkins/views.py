"""Weekly check-ins: the list of weeks with its chart, one week's check-in (both sides
answer there), skipping a week, and the weekly call's calendar file.

Every page starts from ``contract_for_user`` (404 for anyone but the company's members
and the engineer) and then ``checkin_for`` (404 for another contract's check-in). The
side allowed to act is checked before the form: the company posting the engineer's
side (or the other way round) gets 403, a side already answered 409, nothing saved.
An email's link works logged out: login_required sends to the login page and back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import Conflict, Refused
from accounts.web import AuthedRequest, reply_message, reply_refused, safe_next
from hiring.checkins import selectors, services
from hiring.checkins.forms import AnswerForm, ReplyForm, SkipForm
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import day_text, engineer_zone, viewer_zone, zone_label
from hiring.models import CheckIn, Contract, Side


@login_required
@require_GET
def checkin_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every week's check-in with its status, health, hours and who answered, a chart of
    the latest weeks, and this week's and next week's skip buttons."""
    contract, side = contract_for_user(request.user, pk)
    context = selectors.list_context(contract, side, request.user)
    return render(request, "hiring/checkins/list.html", context)


def _detail_page(
    request: AuthedRequest,
    contract: Contract,
    side: str,
    checkin: CheckIn,
    *,
    answer_form: AnswerForm | None = None,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = viewer_zone(contract, side, request.user)
    options = [
        o for o in selectors.skip_options(contract, [checkin], zone) if o.week_of == checkin.week_of
    ]
    their_zone = engineer_zone(contract)
    context = {
        "contract": contract,
        "side": side,
        "checkin": checkin,
        "week": day_text(checkin.week_of),
        "when": services.moment_text(checkin.due_at, zone),
        "engineer_when": services.moment_text(checkin.due_at, their_zone),
        "viewer_tz": zone,
        "zone": zone_label(zone),
        "engineer_zone": zone_label(their_zone),
        "previous": selectors.previous_plan(checkin),
        "can_answer": services.answer_refusal(checkin, side) is None,
        "can_reply": services.reply_refusal(checkin, side) is None,
        "answer_form": answer_form or AnswerForm(),
        "reply_form": reply_form or ReplyForm(),
        "options": options,
    }
    return render(request, "hiring/checkins/detail.html", context, status=status)


@login_required
@require_GET
def checkin_detail(request: AuthedRequest, pk: int, checkin_pk: int) -> HttpResponse:
    """One week's check-in: the engineer's answer and the company's side, each written
    by its own side on this page."""
    contract, side = contract_for_user(request.user, pk)
    return _detail_page(request, contract, side, selectors.checkin_for(contract, checkin_pk))


@login_required
@require_POST
def checkin_answer(request: AuthedRequest, pk: int, checkin_pk: int) -> HttpResponse:
    """The engineer answers the week's check-in (a missed one too, late)."""
    contract, side = contract_for_user(request.user, pk)
    checkin = selectors.checkin_for(contract, checkin_pk)
    back = reverse("hiring:checkin_detail", args=[pk, checkin_pk])
    refusal = services.answer_refusal(checkin, side)
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, contract, side, checkin, answer_form=form, status=400)
    try:
        services.checkin_answer(checkin=checkin, by=request.user, side=side, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    messages.success(
        request, f"Check-in sent. {contract.company.name} has been told and will answer its side."
    )
    return redirect(back)


@login_required
@require_POST
def checkin_reply(request: AuthedRequest, pk: int, checkin_pk: int) -> HttpResponse:
    """The company answers its side of an answered check-in."""
    contract, side = contract_for_user(request.user, pk)
    checkin = selectors.checkin_for(contract, checkin_pk)
    back = reverse("hiring:checkin_detail", args=[pk, checkin_pk])
    refusal = services.reply_refusal(checkin, side)
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, contract, side, checkin, reply_form=form, status=400)
    try:
        services.checkin_reply(checkin=checkin, by=request.user, side=side, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    messages.success(
        request, f"Your answer is sent. {contract.profile.user.display_name} has been told."
    )
    return redirect(back)


@login_required
@require_POST
def checkin_skip(request: AuthedRequest, pk: int) -> HttpResponse:
    """Either side skips this week's or next week's check-in in one click."""
    contract, side = contract_for_user(request.user, pk)
    back = safe_next(request, reverse("hiring:checkin_list", args=[pk]))
    form = SkipForm(request.POST)
    if not form.is_valid():
        return reply_message(request, str(form.errors["week"][0]), back=back, status=400)
    try:
        checkin, skipped = services.checkin_skip(
            contract=contract, by=request.user, side=side, week_of=form.cleaned_data["week"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    other = contract.company.name if side == Side.ENGINEER else contract.profile.user.display_name
    week = day_text(checkin.week_of)
    if skipped:
        messages.success(
            request, f"The check-in for the week of {week} is skipped. {other} is told."
        )
    else:
        messages.info(request, f"The check-in for the week of {week} was already skipped.")
    return redirect(back)


@login_required
@require_GET
def call_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The weekly call as a recurring calendar event (the same one the emails carry)."""
    contract, _side = contract_for_user(request.user, pk)
    back = reverse("hiring:contract_detail", args=[pk])
    version = contract.current
    if version is None or not services.has_call(version):
        return reply_message(
            request, "This contract has no weekly call in its terms.", back=back, status=404
        )
    if contract.started_at is None:
        refusal = Conflict("The weekly call goes to calendars once the contract starts.")
        return reply_refused(request, refusal, back=back)
    text = services.call_text(contract, services.call_of(contract, version))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="weekly-call-{contract.pk}.ics"'
    return response
