"""Interviews: offering slots inside everyone's working hours, booking, rescheduling,
cancelling, no-shows, the calendar file, and the engineer's side.

Company pages start from ``get_candidacy_for_user`` or ``get_interview_for_user`` (404
for another company's, and for engineers); the engineer's pages (``my/...``) from
``get_interview_for_engineer`` (404 for anyone else, employers included).
Scheduling is two steps on one page, both plain form posts: "Find times" shows the
free slots, "Offer these times" checks the ticked ones again and saves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import Conflict, Refused
from accounts.models import Company, Membership
from accounts.web import AuthedRequest, posted, reply_refused
from screening.forms.interviews import (
    CancelForm,
    OthersForm,
    PickForm,
    ReofferForm,
    ScheduleForm,
)
from screening.models import Candidacy, Interview
from screening.selectors import get_candidacy_for_user
from screening.selectors import interviews as selectors
from screening.services import interviews as services

# Scheduling ------------------------------------------------------------------------------


def _zone_of(user_id: int, members: list[Membership], company: Company) -> str:
    """The viewer's zone, from the team list the page already has."""
    mine = next((m for m in members if m.user_id == user_id), None)
    return mine.working_day.time_zone if mine else company.time_zone


def _slot_days(
    proposal: selectors.Proposal | None,
    *,
    viewer_tz: str,
    engineer_tz: str,
    ticked: list[datetime] | None,
) -> list[selectors.SlotDay] | None:
    """The free slots as the page shows them (None: times not looked for yet). The
    teammate's own ticks are kept; a first look pre-ticks two a day."""
    if proposal is None:
        return None
    return selectors.slot_days(
        proposal.free,
        viewer_tz=viewer_tz,
        other_tz=engineer_tz,
        ticked=set(ticked) if ticked else None,
        pretick=not ticked,
    )


def _schedule_page(
    request: AuthedRequest,
    candidacy: Candidacy,
    form: ScheduleForm,
    *,
    viewer_tz: str,
    proposal: selectors.Proposal | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    engineer_tz = candidacy.profile.time_zone
    ticked = form.cleaned_data.get("starts") if form.is_bound and form.offering else None
    context = {
        "candidacy": candidacy,
        "brief": candidacy.brief,
        "engineer": candidacy.profile.user,
        "form": form,
        "brief_kits": form.brief_kits,
        "days": _slot_days(proposal, viewer_tz=viewer_tz, engineer_tz=engineer_tz, ticked=ticked),
        "viewer_zone": selectors.zone_label(viewer_tz),
        "engineer_zone": selectors.zone_label(engineer_tz),
        "error": error,
    }
    return render(request, "screening/interviews/schedule.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    """Choose the interview, find the free times, tick some, offer them."""
    candidacy = get_candidacy_for_user(request.user, pk)
    refusal = services.schedule_refusal(candidacy)
    if refusal is not None:
        return reply_refused(
            request, refusal, back=reverse("screening:candidacy", args=[candidacy.pk])
        )
    company = candidacy.company
    members = selectors.teammates(company)
    offering = "offer" in request.POST
    form = ScheduleForm(
        posted(request),
        kits=selectors.company_kits(company),
        members=members,
        brief_kits=selectors.brief_kits(candidacy.brief_id),
        offering=offering,
        initial={"interviewers": [request.user.pk]},
    )
    viewer_tz = _zone_of(request.user.pk, members, company)
    if request.method == "GET":
        return _schedule_page(request, candidacy, form, viewer_tz=viewer_tz)
    valid = form.is_valid()
    found = None
    if form.chosen_members and "length" in form.cleaned_data:
        found = selectors.proposal(
            company=company,
            engineer=candidacy.profile,
            interviewers=form.chosen_members,
            length_minutes=form.cleaned_data["length"],
        )
    page: dict[str, Any] = {"viewer_tz": viewer_tz, "proposal": found}
    if not valid:
        return _schedule_page(request, candidacy, form, status=400, **page)
    if not offering:
        return _schedule_page(request, candidacy, form, **page)
    data = form.cleaned_data
    try:
        interview = services.interview_offer(
            candidacy=candidacy,
            by=request.user,
            kind=data["kind"],
            kit=data["kit"],
            interviewers=data["interviewers"],
            length_minutes=data["length"],
            video_link=data["video_link"],
            starts=data["starts"],
        )
    except Refused as exc:
        return _schedule_page(request, candidacy, form, error=str(exc), status=exc.status, **page)
    messages.success(
        request,
        f"{len(data['starts'])} time{'s' if len(data['starts']) != 1 else ''} offered to "
        f"{candidacy.profile.user.display_name}. You will get an email with the invitation "
        "once they pick one.",
    )
    return redirect("screening:interview", interview.pk)


# The company's page of an interview ------------------------------------------------------


def _interview_page(
    request: AuthedRequest,
    interview: Interview,
    *,
    cancel_form: CancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    places = selectors.interview_scorecards(interview)
    members = selectors.current_members(interview, places)
    engineer = selectors.engineer_person(interview.candidacy.profile)
    viewer_tz = selectors.viewer_zone(request.user, interview.company)
    interviewing = selectors.is_interviewer(request.user, places)
    context = {
        "interview": interview,
        "candidacy": interview.candidacy,
        "brief": interview.candidacy.brief,
        "engineer": engineer,
        "interviewers": [p.interviewer for p in places],
        "departed": len(places) - len(members),
        "interviewing": interviewing,
        "viewer_zone": selectors.zone_label(viewer_tz),
        "engineer_zone": selectors.zone_label(engineer.time_zone),
        "when": _when(interview, viewer_tz),
        "engineer_when": _when(interview, engineer.time_zone),
        "days": selectors.slot_days(
            selectors.interview_slots(interview), viewer_tz=viewer_tz, other_tz=engineer.time_zone
        ),
        "questions": selectors.kit_questions(interview.kit),
        "cancel_form": cancel_form or CancelForm(),
        "can_mark_no_show": interviewing and _begun(interview),
        **_state(interview),
    }
    return render(request, "screening/interviews/detail.html", context, status=status)


def _when(interview: Interview, tz_name: str) -> str:
    if interview.starts_at is None or interview.ends_at is None:
        return ""
    return selectors.span_text(interview.starts_at, interview.ends_at, tz_name)


def _begun(interview: Interview) -> bool:
    return (
        interview.status == Interview.Status.BOOKED
        and interview.starts_at is not None
        and interview.starts_at <= timezone.now()
    )


def _state(interview: Interview) -> dict[str, bool]:
    """What can still happen to the interview."""
    open_ = interview.status in services.OPEN and not _begun(interview)
    return {
        "is_open": open_,
        "has_time": interview.starts_at is not None,
    }


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An interview for the team: its time, who takes part, the kit, and what to do."""
    return _interview_page(request, selectors.get_interview_for_user(request.user, pk))


def _reoffer_page(
    request: AuthedRequest,
    interview: Interview,
    form: ReofferForm,
    *,
    proposal: selectors.Proposal | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    viewer_tz = selectors.viewer_zone(request.user, interview.company)
    engineer_tz = interview.candidacy.profile.time_zone
    ticked = form.cleaned_data.get("starts") if form.is_bound and form.offering else None
    context = {
        "interview": interview,
        "candidacy": interview.candidacy,
        "engineer": interview.candidacy.profile.user,
        "form": form,
        "when": _when(interview, viewer_tz),
        "days": _slot_days(proposal, viewer_tz=viewer_tz, engineer_tz=engineer_tz, ticked=ticked),
        "viewer_zone": selectors.zone_label(viewer_tz),
        "engineer_zone": selectors.zone_label(engineer_tz),
        "error": error,
    }
    return render(request, "screening/interviews/reoffer.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reoffer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Offer new times (the engineer asked, or the team must move a booked interview)."""
    interview = selectors.get_interview_for_user(request.user, pk)
    back = reverse("screening:interview", args=[interview.pk])
    if not _state(interview)["is_open"]:
        refusal = Conflict("This interview can no longer be moved: it is over or cancelled.")
        return reply_refused(request, refusal, back=back)
    offering = "offer" in request.POST
    form = ReofferForm(
        posted(request),
        offering=offering,
        reason_required=interview.status == Interview.Status.BOOKED,
        initial={"length": str(interview.length_minutes)},
    )
    if request.method == "GET":
        return _reoffer_page(request, interview, form)
    valid = form.is_valid()
    found = None
    if "length" in form.cleaned_data:
        places = selectors.interview_scorecards(interview)
        found = selectors.proposal(
            company=interview.company,
            engineer=interview.candidacy.profile,
            interviewers=selectors.current_members(interview, places),
            length_minutes=form.cleaned_data["length"],
            exclude=interview.pk,
        )
    if not valid:
        return _reoffer_page(request, interview, form, proposal=found, status=400)
    if not offering:
        return _reoffer_page(request, interview, form, proposal=found)
    try:
        services.interview_reoffer(
            interview=interview,
            by=request.user,
            length_minutes=form.cleaned_data["length"],
            reason=form.cleaned_data["reason"],
            starts=form.cleaned_data["starts"],
        )
    except Refused as exc:
        return _reoffer_page(
            request, interview, form, proposal=found, error=str(exc), status=exc.status
        )
    messages.success(
        request,
        "New times offered. "
        + (
            "The booked time holds until the engineer picks one of them."
            if interview.status == Interview.Status.BOOKED
            else "The engineer has an email asking them to pick one."
        ),
    )
    return redirect(back)


@login_required
@require_POST
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The team cancels, with a reason everyone reads."""
    interview = selectors.get_interview_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _interview_page(request, interview, cancel_form=form, status=400)
    try:
        services.interview_cancel(
            interview=interview,
            by=request.user,
            side=Interview.Side.COMPANY,
            reason=form.cleaned_data["reason"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("screening:interview", args=[pk]))
    messages.success(request, "The interview is cancelled. Everyone on it has been told.")
    return redirect("screening:interview", pk)


@login_required
@require_POST
def no_show(request: AuthedRequest, pk: int) -> HttpResponse:
    """An interviewer records that the engineer did not come."""
    interview = selectors.get_interview_for_user(request.user, pk)
    try:
        services.interview_no_show(interview=interview, by=request.user)
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("screening:interview", args=[pk]))
    messages.success(request, "Marked as a no-show.")
    return redirect("screening:interview", pk)


def _ics_response(request: AuthedRequest, interview: Interview, back: str) -> HttpResponse:
    if interview.starts_at is None:
        refusal = Conflict("This interview has no time yet: the calendar file comes once booked.")
        return reply_refused(request, refusal, back=back)
    engineer, interviewers = selectors.interview_people(interview)
    text = services.invitation_text(interview, engineer, interviewers)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


@login_required
@require_GET
def ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The interview's calendar event (the team's download)."""
    interview = selectors.get_interview_for_user(request.user, pk)
    return _ics_response(request, interview, reverse("screening:interview", args=[pk]))


# The engineer's side -------------------------------------------------------------------


def _engineer_page(
    request: AuthedRequest,
    interview: Interview,
    *,
    others_form: OthersForm | None = None,
    cancel_form: CancelForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    places = selectors.interview_scorecards(interview)
    engineer_tz = interview.candidacy.profile.time_zone
    company_tz = interview.company.time_zone
    context = {
        "interview": interview,
        "company": interview.company,
        "brief": interview.candidacy.brief,
        "interviewers": [m.user.display_name for m in selectors.current_members(interview, places)],
        "when": _when(interview, engineer_tz),
        "company_when": _when(interview, company_tz),
        "zone": selectors.zone_label(engineer_tz),
        "company_zone": selectors.zone_label(company_tz),
        "days": selectors.slot_days(
            selectors.interview_slots(interview), viewer_tz=engineer_tz, other_tz=company_tz
        ),
        "others_form": others_form or OthersForm(),
        "cancel_form": cancel_form or CancelForm(),
        "error": error,
        **_state(interview),
    }
    return render(request, "screening/interviews/engineer_detail.html", context, status=status)


@login_required
@require_GET
def engineer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The engineer's interview: times to pick from, or the booked time in their zone."""
    return _engineer_page(request, selectors.get_interview_for_engineer(request.user, pk))


@login_required
@require_POST
def engineer_pick(request: AuthedRequest, pk: int) -> HttpResponse:
    interview = selectors.get_interview_for_engineer(request.user, pk)
    form = PickForm(request.POST)
    if not form.is_valid():
        return _engineer_page(
            request, interview, error="Choose one of the times offered.", status=400
        )
    try:
        booked = services.interview_book(
            interview=interview, user=request.user, slot_id=form.cleaned_data["slot"]
        )
    except Refused as exc:
        interview.refresh_from_db()
        return _engineer_page(request, interview, error=str(exc), status=exc.status)
    messages.success(
        request,
        f"Booked: {_when(booked, booked.candidacy.profile.time_zone)}. "
        "The invitation is in your email; you can also download it here.",
    )
    return redirect("screening:my_interview", pk)


@login_required
@require_POST
def engineer_others(request: AuthedRequest, pk: int) -> HttpResponse:
    interview = selectors.get_interview_for_engineer(request.user, pk)
    form = OthersForm(request.POST)
    if not form.is_valid():
        return _engineer_page(request, interview, others_form=form, status=400)
    try:
        services.interview_ask_others(
            interview=interview, user=request.user, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("screening:my_interview", args=[pk]))
    messages.success(request, f"{interview.company.name} is told, and will offer other times.")
    return redirect("screening:my_interview", pk)


@login_required
@require_POST
def engineer_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    interview = selectors.get_interview_for_engineer(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _engineer_page(request, interview, cancel_form=form, status=400)
    try:
        services.interview_cancel(
            interview=interview,
            by=request.user,
            side=Interview.Side.ENGINEER,
            reason=form.cleaned_data["reason"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("screening:my_interview", args=[pk]))
    messages.success(request, f"The interview is cancelled. {interview.company.name} is told.")
    return redirect("screening:my_interview", pk)


@login_required
@require_GET
def engineer_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The interview's calendar event (the engineer's download): the same event."""
    interview = selectors.get_interview_for_engineer(request.user, pk)
    return _ics_response(request, interview, reverse("screening:my_interview", args=[pk]))


# The candidacy page's panel ------------------------------------------------------------------


def candidacy_panel(request: HttpRequest, *, candidacy: Candidacy) -> dict[str, object] | None:
    """The interviews part of the candidacy page (None: nothing to show): each interview
    with its kind, status and time in the viewer's zone, and a way to schedule one."""
    interviews = selectors.candidacy_interviews(candidacy, request.user)  # type: ignore[arg-type]
    can_schedule = services.schedule_refusal(candidacy) is None
    if not interviews and not can_schedule:
        return None
    own: str = interviews[0].viewer_tz if interviews else ""  # type: ignore[attr-defined]
    viewer_tz = own or candidacy.company.time_zone
    return {
        "candidacy": candidacy,
        "can_schedule": can_schedule,
        "viewer_zone": selectors.zone_label(viewer_tz),
        "rows": [{"interview": i, "when": _when(i, viewer_tz)} for i in interviews],
    }
