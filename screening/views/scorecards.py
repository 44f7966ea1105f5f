"""Scorecards: an interviewer's own (blind until submitted) and the side-by-side summary.

Every scorecard shown here comes through ``screening.selectors.scorecards.scorecards_for``,
which applies the blind rule in the query itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.errors import Refused
from accounts.web import AuthedRequest, reply_changed, reply_refused
from screening import presenters
from screening.forms.scorecards import ScorecardForm
from screening.models import SCREENING_STAGES, Candidacy, Interview, KitQuestion, NotAFitReason
from screening.selectors import get_candidacy_for_user
from screening.selectors import scorecards as selectors
from screening.services import scorecards as services


def _questions_by_focus(
    questions: list[KitQuestion], focus: list[str]
) -> tuple[dict[str, list[KitQuestion]], list[KitQuestion]]:
    """The kit's questions under the attribute each probes, and those probing others."""
    by_focus: dict[str, list[KitQuestion]] = {name: [] for name in focus}
    others = []
    for kq in questions:
        if kq.question.focus in by_focus:
            by_focus[kq.question.focus].append(kq)
        else:
            others.append(kq)
    return by_focus, others


def _scorecard_page(
    request: AuthedRequest,
    interview: Interview,
    form: ScorecardForm | None = None,
    status: int = 200,
) -> HttpResponse:
    found = selectors.scorecards_for(
        viewer=request.user, candidacy=interview.candidacy, interview=interview
    )
    cards = found[0] if found else selectors.InterviewCards(interview)
    mine = cards.mine
    closed = services.scorecard_closed_reason(interview)
    writing = mine is not None and not mine.submitted and not closed
    questions = selectors.kit_questions(interview)
    by_focus, other_questions = _questions_by_focus(questions, cards.focus)
    sections = []
    if writing:
        form = form or ScorecardForm(focus=interview.focus)
        sections = [
            {**section, "questions": by_focus.get(section["focus"], [])}
            for section in form.sections()
        ]
    context = {
        "interview": interview,
        "candidacy": interview.candidacy,
        "engineer": interview.candidacy.profile.user,
        "cards": cards,
        "mine": mine,
        "writing": writing,
        "closed": closed,
        "form": form,
        "sections": sections,
        "questions": questions,
        "other_questions": other_questions if writing else questions,
        "zone": selectors.viewer_zone(request.user, interview.company),
    }
    return render(request, "screening/scorecards/scorecard.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard(request: AuthedRequest, pk: int) -> HttpResponse:
    """The interviewer's scorecard for one interview: the form until they submit (the
    kit's questions beside it), then their card and, as the blind rule allows, the
    others'. Only the interview's interviewers reach it (404 for anyone else)."""
    interview = selectors.get_interview_for_interviewer(request.user, pk)
    if request.method == "GET":
        return _scorecard_page(request, interview)
    back = reverse("screening:scorecard", args=[interview.pk])
    refusal = services.scorecard_refusal(interview=interview, interviewer=request.user)
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    form = ScorecardForm(request.POST, focus=interview.focus)
    if not form.is_valid():
        return _scorecard_page(request, interview, form, status=400)
    try:
        services.scorecard_submit(
            interview=interview,
            interviewer=request.user,
            ratings=form.ratings,
            recommendation=form.cleaned_data["recommendation"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(
        request,
        notice="Your scorecard is in. It is final; thank you.",
        redirect_to=reverse("screening:scorecards", args=[interview.candidacy_id]),
    )


@login_required
@require_GET
def summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """A candidacy's scorecards side by side, per interview, as far as the blind rule
    lets the viewer read them; then the next step: another interview, a move, or a close."""
    candidacy = get_candidacy_for_user(request.user, pk)
    brief = candidacy.brief
    interviews = selectors.scorecards_for(viewer=request.user, candidacy=candidacy)
    context = {
        "candidacy": candidacy,
        "brief": brief,
        "engineer": candidacy.profile.user,
        "interviews": interviews,
        "card": presenters.card(candidacy, brief.company, presenters.today()),
        "reasons": NotAFitReason.choices,
        "can_schedule": candidacy.stage in SCREENING_STAGES,
        "zone": selectors.viewer_zone(request.user, candidacy.company),
    }
    return render(request, "screening/scorecards/summary.html", context)


def candidacy_panel(request: HttpRequest, *, candidacy: Candidacy) -> dict[str, Any] | None:
    """The scorecards part of the candidacy page: per interview, who recommended what
    (as the blind rule allows) and who still has to submit (None: no interviews yet)."""
    interviews = selectors.scorecards_for(viewer=request.user, candidacy=candidacy)  # type: ignore[arg-type]
    if not interviews:
        return None
    return {
        "candidacy": candidacy,
        "interviews": interviews,
        "zone": selectors.viewer_zone(request.user, candidacy.company),  # type: ignore[arg-type]
    }
