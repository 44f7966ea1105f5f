"""Pipeline pages: the board per brief, a candidacy, reviews, funnels.

Every view starts from a fetch-and-check helper of screening.selectors (404 for a
brief or candidacy of another company, and for engineers and visitors) or from
accounts' get_company (403 for anyone but a hiring team).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import registry
from accounts import selectors as account_selectors
from accounts.errors import Refused
from accounts.web import AuthedRequest, reply_changed, reply_message, reply_refused, safe_next
from screening import presenters, selectors, services
from screening.forms import AddForm, MoveForm, ReviewForm
from screening.models import Candidacy, NotAFitReason, Stage
from searches.models import Brief


def _board_page(
    request: AuthedRequest, brief: Brief, *, notice: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    """The board, or for htmx only the board itself (``#board``) with the notice."""
    context = {
        "brief": brief,
        "board": presenters.board(brief),
        "reasons": NotAFitReason.choices,
        "notice": notice,
        "error": error,
    }
    template = "screening/board.html" + ("#board" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
@require_GET
def board(request: AuthedRequest, pk: int) -> HttpResponse:
    """A brief's pipeline: a column per stage, each card with its moves."""
    brief = selectors.get_brief_for_user(request.user, pk)
    return _board_page(request, brief)


def _added_button(
    request: AuthedRequest, brief: Brief, candidacy: Candidacy | None, *, notice: str
) -> HttpResponse:
    context = {"brief": brief, "candidacy": candidacy, "notice": notice}
    return render(request, "screening/_added.html", context)


@login_required
@require_POST
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Puts one or more engineers (``profile``) in the brief's pipeline, each once."""
    brief = selectors.get_brief_for_user(request.user, pk)
    back = safe_next(request, reverse("screening:board", args=[brief.pk]))
    form = AddForm(request.POST)
    if not form.is_valid():
        return reply_message(request, str(form.non_field_errors()[0]), back=back)
    try:
        added = services.candidacies_add(
            brief=brief, profile_ids=form.cleaned_data["profile_ids"], user=request.user
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    shown = added.added + added.already
    candidacy = shown[0] if shown else None
    button = partial(_added_button, request, brief, candidacy)
    return reply_changed(request, notice=added.notice(brief), redirect_to=back, fragment=button)


@login_required
@require_POST
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Moves a card (``to``) from the stage the teammate saw (``expected``)."""
    candidacy = selectors.get_candidacy_for_user(request.user, pk)
    brief = candidacy.brief
    back = safe_next(request, reverse("screening:board", args=[brief.pk]))
    form = MoveForm(request.POST)
    on_board = bool(request.htmx) and request.htmx.target == "board"  # the board's forms
    try:
        if not form.is_valid():
            raise Refused(form.first_error())
        data = form.cleaned_data
        services.candidacy_move(
            candidacy=candidacy,
            to=data["to"],
            by=request.user,
            expected=data["expected"],
            reason=data["reason"] if data["to"] == Stage.NOT_A_FIT else "",
            note=data["note"],
            told_engineer=data["told_engineer"] and data["expected"] != Stage.SOURCED,
        )
    except Refused as exc:
        if on_board:  # the board as it now stands, with what went wrong
            return _board_page(request, brief, error=str(exc), status=exc.status)
        return reply_refused(request, exc, back=back)
    notice = f"{candidacy.profile.user.display_name} is now in {candidacy.get_stage_display()}."
    fragment = partial(_board_page, request, brief) if on_board else None
    return reply_changed(request, notice=notice, redirect_to=back, fragment=fragment)


def _candidacy_page(
    request: AuthedRequest, candidacy: Candidacy, form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    reviews = selectors.candidacy_reviews(candidacy)
    brief = candidacy.brief
    context = {
        "candidacy": candidacy,
        "brief": brief,
        "card": presenters.card(candidacy, brief.company, presenters.today()),
        "moves": selectors.candidacy_moves(candidacy),
        "reviews": reviews,
        "review_summary": presenters.review_summary(reviews),
        "review_form": form or presenters.own_review_form(reviews, request.user),
        "reasons": NotAFitReason.choices,
        "panels": registry.panels_render("candidacy", request, candidacy=candidacy),
    }
    return render(request, "screening/candidacy.html", context, status=status)


@login_required
@require_GET
def candidacy(request: AuthedRequest, pk: int) -> HttpResponse:
    """One engineer in one pipeline: stage, history, the team's reviews, the moves."""
    return _candidacy_page(request, selectors.get_candidacy_for_user(request.user, pk))


@login_required
@require_POST
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    """Leaves or changes the teammate's own review of a Sourced engineer."""
    candidacy = selectors.get_candidacy_for_user(request.user, pk)
    back = reverse("screening:candidacy", args=[candidacy.pk])
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _candidacy_page(request, candidacy, form, status=400)
    try:
        services.review_save(
            candidacy=candidacy,
            author=request.user,
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(request, notice="Your review is saved.", redirect_to=back)


@login_required
@require_GET
def brief_funnel(request: AuthedRequest, pk: int) -> HttpResponse:
    """How far a brief's engineers got: reached, conversion, days in each stage."""
    brief = selectors.get_brief_for_user(request.user, pk)
    context = {"brief": brief, "funnel": selectors.funnel(company=brief.company, brief=brief)}
    return render(request, "screening/funnel.html", context)


@login_required
@require_GET
def company_funnel(request: AuthedRequest) -> HttpResponse:
    """The company's funnel over every brief, and its list of pipelines."""
    company = account_selectors.get_company(request.user)
    context = {
        "company": company,
        "funnel": selectors.funnel(company=company),
        "pipelines": selectors.company_pipelines(company),
    }
    return render(request, "screening/company_funnel.html", context)
