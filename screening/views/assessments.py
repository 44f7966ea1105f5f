"""Assessments: templates with rubrics, sending one to an engineer who said yes, the
company's page of an assessment, grading (blind, optionally anonymous), and the
engineer's side (hand in a link, ask once for more time).

Company pages start from accounts' get_company (403 for anyone but a hiring team) or a
fetch-and-check helper of screening.selectors.assessments (404 for another company's
ids, for engineers and for visitors). The engineer's pages 404 for everyone but the
engineer the assessment was sent to. Grades reach a page only through
``selectors.visible_grades``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import Conflict, Refused
from accounts.selectors import get_company
from accounts.web import AuthedRequest, posted, reply_changed, reply_refused
from screening.forms import assessments as forms
from screening.models import Assessment, AssessmentTemplate, Candidacy, Grade
from screening.selectors import assessments as selectors
from screening.selectors import get_candidacy_for_user
from screening.services import assessments as services

# Templates --------------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request: AuthedRequest) -> HttpResponse:
    """The company's assessment templates: in use, then archived."""
    company = get_company(request.user)
    templates = list(selectors.company_templates(company))
    context = {
        "company": company,
        "templates": [t for t in templates if t.archived_at is None],
        "archived": [t for t in templates if t.archived_at is not None],
    }
    return render(request, "screening/assessments/template_list.html", context)


def _template_page(
    request: AuthedRequest,
    form: forms.TemplateForm,
    rubric: forms.BaseRubricFormSet,
    *,
    template: AssessmentTemplate | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "rubric": rubric, "template": template}
    return render(request, "screening/assessments/template_form.html", context, status=status)


def _template_save(
    request: AuthedRequest,
    form: forms.TemplateForm,
    rubric: forms.BaseRubricFormSet,
    template: AssessmentTemplate | None,
) -> HttpResponse:
    """Validate the template and its rubric together; 400 with every error, else save."""
    valid = form.is_valid()
    if not rubric.is_valid() or not valid:
        return _template_page(request, form, rubric, template=template, status=400)
    try:
        saved = services.template_save(
            company=get_company(request.user),
            user=request.user,
            fields=form.cleaned_data,
            criteria=rubric.criteria,
            template=template,
        )
    except Refused as exc:
        form.add_error(None, str(exc))
        return _template_page(request, form, rubric, template=template, status=exc.status)
    messages.success(request, f"Template “{saved.title}” saved. Your whole team can send it.")
    return redirect("screening:assessment_templates")


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: AuthedRequest) -> HttpResponse:
    """Write a template: the task, its terms and its rubric."""
    get_company(request.user)
    form = forms.TemplateForm(posted(request))
    rubric = forms.rubric_formset(posted(request))
    if request.method != "POST":
        return _template_page(request, form, rubric)
    return _template_save(request, form, rubric, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a template and its rubric; assessments already sent keep their copy."""
    template = selectors.get_template_for_user(request.user, pk)
    criteria = [
        {"name": c.name, "weight": c.weight} | dict(zip(_LEVELS, c.levels, strict=True))
        for c in template.criteria.all()
    ]
    form = forms.TemplateForm(posted(request), initial=forms.TemplateForm.initial_for(template))
    rubric = forms.rubric_formset(posted(request), initial=criteria)
    if request.method != "POST":
        return _template_page(request, form, rubric, template=template)
    return _template_save(request, form, rubric, template)


_LEVELS = ("level_1", "level_2", "level_3", "level_4")


@login_required
@require_POST
def template_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Archive a template (``restore`` brings it back)."""
    template = selectors.get_template_for_user(request.user, pk)
    back = reverse("screening:assessment_templates")
    restore = "restore" in request.POST
    try:
        services.template_archive(template=template, archive=not restore)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    notice = (
        f"“{template.title}” is back in use."
        if restore
        else f"“{template.title}” is archived: it can no longer be sent. Assessments already "
        "sent are not changed."
    )
    return reply_changed(request, notice=notice, redirect_to=back)


# Sending --------------------------------------------------------------------------------------


def _default_deadline(template: AssessmentTemplate) -> datetime:
    """Now plus the template's days to submit, on the next whole hour."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start + timedelta(days=template.deadline_days)


def _send_form(
    request: AuthedRequest, candidacy: Candidacy, templates: Any, listed: list[AssessmentTemplate]
) -> forms.SendForm:
    """The send form; on GET prefilled from the template picked (``?template=``) or the
    first one: its deadline, and the viewer as a grader."""
    initial: dict[str, Any] = {"graders": [request.user.pk]}
    if request.method != "POST":
        chosen = listed[0] if listed else None
        if request.GET.get("template"):
            chosen = selectors.get_template_for_user(request.user, request.GET["template"])
        if chosen is not None:
            initial |= {"template": chosen.pk, "deadline": _default_deadline(chosen)}
    return forms.SendForm(
        posted(request),
        initial=initial,
        templates=templates,
        teammates=selectors.company_teammates(candidacy.company),
        zone=candidacy.company.time_zone,
        viewer=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send an assessment to an engineer in Interested or Assessment: template, deadline
    (in the company's zone), graders and anonymity."""
    candidacy = get_candidacy_for_user(request.user, pk)
    back = reverse("screening:candidacy", args=[candidacy.pk])
    refusal = services.send_refusal(candidacy)
    if refusal is not None:
        return reply_refused(request, refusal, back=back)
    templates = selectors.sendable_templates(candidacy.company)
    listed = list(templates)
    form = _send_form(request, candidacy, templates, listed)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment = services.assessment_send(
                    candidacy=candidacy,
                    template=data["template"],
                    sender=request.user,
                    deadline=data["deadline"],
                    graders=data["graders"],
                    anonymous=data["anonymous"],
                )
            except Refused as exc:
                form.add_error(None, str(exc))
                status = exc.status
            else:
                messages.success(
                    request,
                    f"“{assessment.title}” sent to {candidacy.profile.user.display_name}. "
                    "They have been emailed, and so have the graders.",
                )
                return redirect("screening:assessment", assessment.pk)
    context = {
        "candidacy": candidacy,
        "brief": candidacy.brief,
        "engineer": candidacy.profile.user,
        "form": form,
        "templates": listed,
    }
    return render(request, "screening/assessments/send.html", context, status=status)


# The company's page -----------------------------------------------------------------------------


def _detail_page(
    request: AuthedRequest, assessment: Assessment, *, status: int = 200, **bound: Any
) -> HttpResponse:
    user = request.user
    grades = selectors.assessment_grades(assessment)
    cards = selectors.grade_cards(assessment, selectors.visible_grades(assessment, user, grades))
    is_open = assessment.is_open
    context = {
        "assessment": assessment,
        "zone": selectors.viewer_zone(assessment),
        "grades": grades,
        "mine": selectors.own_grade(grades, user),
        "blind": selectors.is_blind(grades, user),
        "named": selectors.shows_engineer(assessment, grades, user),
        "candidate": selectors.candidate_name(assessment, grades, user),
        "cards": cards,
        "score": selectors.weighted_score(cards),
        "answer_form": bound.get("answer_form") or forms.ExtensionAnswerForm(),
        "withdraw_form": bound.get("withdraw_form") or forms.WithdrawForm(),
        "graders_form": (
            bound.get("graders_form")
            or forms.GradersForm(
                initial={"graders": [g.grader_id for g in grades]},
                teammates=selectors.company_teammates(assessment.company),
                viewer=user,
            )
        )
        if is_open
        else None,
    }
    return render(request, "screening/assessments/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One assessment for the team: status, deadline, submission, extension request,
    graders, and the grade cards the viewer may see with the weighted score."""
    return _detail_page(request, selectors.get_assessment_for_user(request.user, pk))


@login_required
@require_POST
def graders(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the graders: add teammates, remove those who have not graded yet."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    back = reverse("screening:assessment", args=[assessment.pk])
    form = forms.GradersForm(
        request.POST,
        teammates=selectors.company_teammates(assessment.company),
        viewer=request.user,
    )
    if not form.is_valid():
        return _detail_page(request, assessment, graders_form=form, status=400)
    try:
        added, removed = services.graders_set(
            assessment=assessment, user=request.user, graders=form.cleaned_data["graders"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    if not (added or removed):
        notice = "The graders are unchanged."
    else:
        notice = f"Graders updated: {added} added (and emailed), {removed} removed."
    return reply_changed(request, notice=notice, redirect_to=back)


@login_required
@require_POST
def extension_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Grant or refuse the engineer's request for more time."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    back = reverse("screening:assessment", args=[assessment.pk])
    form = forms.ExtensionAnswerForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, assessment, answer_form=form, status=400)
    grant = form.cleaned_data["answer"] == "grant"
    try:
        services.extension_answer(
            assessment=assessment, user=request.user, grant=grant, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    notice = (
        "More time granted: the new deadline is set and the engineer has been emailed."
        if grant
        else "Request refused: the deadline stays, and the engineer has been emailed."
    )
    return reply_changed(request, notice=notice, redirect_to=back)


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw an open assessment, with a note the engineer is emailed."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    back = reverse("screening:assessment", args=[assessment.pk])
    form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, assessment, withdraw_form=form, status=400)
    try:
        services.assessment_withdraw(
            assessment=assessment, user=request.user, note=form.cleaned_data["note"]
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(
        request, notice="Assessment withdrawn. The engineer has been emailed.", redirect_to=back
    )


# Grading ---------------------------------------------------------------------------------------


def _grade_page(
    request: AuthedRequest,
    assessment: Assessment,
    grades: list[Grade],
    mine: Grade,
    form: forms.GradeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    cards = selectors.grade_cards(assessment, selectors.visible_grades(assessment, user, grades))
    context = {
        "assessment": assessment,
        "zone": selectors.viewer_zone(assessment),
        "mine": mine,
        "named": selectors.shows_engineer(assessment, grades, user),
        "candidate": selectors.candidate_name(assessment, grades, user),
        "cards": cards,
        "score": selectors.weighted_score(cards),
        "pending": sum(1 for g in grades if g.submitted_at is None),
        "form": form or forms.GradeForm(rubric=assessment.rubric),
    }
    return render(request, "screening/assessments/grade.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def grade(request: AuthedRequest, pk: int) -> HttpResponse:
    """A grader's page: the work and the rubric, a score of 1 to 4 and evidence per
    criterion and a recommendation; once submitted, final, and the other grades show."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    grades = selectors.assessment_grades(assessment)
    mine = selectors.own_grade(grades, request.user)
    if mine is None:
        raise Http404("You are not a grader of this assessment.")
    if request.method != "POST":
        return _grade_page(request, assessment, grades, mine)
    back = reverse("screening:assessment_grade", args=[assessment.pk])
    if mine.submitted_at is not None:
        return reply_refused(
            request, Conflict("You have already submitted your grade; it is final."), back=back
        )
    if assessment.status != Assessment.Status.SUBMITTED:
        return reply_refused(
            request,
            Conflict(
                "There is nothing to grade: the engineer has not handed in (or the assessment "
                f"is {assessment.get_status_display().lower()})."
            ),
            back=back,
        )
    form = forms.GradeForm(request.POST, rubric=assessment.rubric)
    if not form.is_valid():
        return _grade_page(request, assessment, grades, mine, form, status=400)
    try:
        services.grade_submit(
            assessment=assessment,
            grader=request.user,
            scores=form.scores,
            recommendation=form.cleaned_data["recommendation"],
        )
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    messages.success(request, "Your grade is submitted. You can now read the other graders' cards.")
    return redirect(back)


# The engineer's side ----------------------------------------------------------------------------


def _engineer_page(
    request: AuthedRequest, assessment: Assessment, *, status: int = 200, **bound: Any
) -> HttpResponse:
    profile = assessment.candidacy.profile
    context = {
        "assessment": assessment,
        "zone": profile.time_zone,
        "company_zone": assessment.company.time_zone,
        "status_text": selectors.engineer_status(assessment),
        "can_act": assessment.status == Assessment.Status.SENT
        and assessment.deadline > timezone.now(),
        "submit_form": bound.get("submit_form") or forms.SubmitForm(),
        "extension_form": bound.get("extension_form")
        or forms.ExtensionForm(zone=profile.time_zone, deadline=assessment.deadline),
    }
    return render(request, "screening/assessments/engineer_detail.html", context, status=status)


@login_required
@require_GET
def engineer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The assessment as the engineer sees it: the task, the time box, the pay, the
    deadline in their zone, and how to hand in. Never grades or graders."""
    return _engineer_page(request, selectors.get_assessment_for_engineer(request.user, pk))


@login_required
@require_POST
def engineer_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hand in a link (http or https) and an optional note before the deadline."""
    assessment = selectors.get_assessment_for_engineer(request.user, pk)
    back = reverse("screening:my_assessment", args=[assessment.pk])
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        return _engineer_page(request, assessment, submit_form=form, status=400)
    try:
        services.assessment_submit(assessment=assessment, user=request.user, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(
        request,
        notice=f"Handed in. {assessment.company.name} has been told and will review your work.",
        redirect_to=back,
    )


@login_required
@require_POST
def engineer_extension(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask, once, for a later deadline (at most 14 more days), saying why."""
    assessment = selectors.get_assessment_for_engineer(request.user, pk)
    back = reverse("screening:my_assessment", args=[assessment.pk])
    if assessment.extension:
        return reply_refused(
            request,
            Conflict("You have already asked for more time once on this assessment."),
            back=back,
        )
    form = forms.ExtensionForm(
        request.POST, zone=assessment.candidacy.profile.time_zone, deadline=assessment.deadline
    )
    if not form.is_valid():
        return _engineer_page(request, assessment, extension_form=form, status=400)
    try:
        services.extension_ask(assessment=assessment, user=request.user, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(
        request,
        notice=f"Request sent. {assessment.company.name} will grant or refuse it; until then "
        "your deadline stays as it is.",
        redirect_to=back,
    )


# The candidacy page's panel ----------------------------------------------------------------------


def candidacy_panel(
    request: HttpRequest, *, candidacy: Candidacy, **page: Any
) -> dict[str, Any] | None:
    """The assessments part of the candidacy page: each assessment with its status,
    deadline, weighted score and the grade cards the viewer may see, and "Send an
    assessment" when one can be sent. Left out (None) when there is neither."""
    user = request.user
    assessments = selectors.candidacy_assessments(candidacy, user)  # type: ignore[arg-type]
    can_send = candidacy.stage in services.SEND_STAGES and not any(a.is_open for a in assessments)
    if not assessments and not can_send:
        return None
    entries = []
    for assessment in assessments:
        grades = list(assessment.grades.all())
        cards = selectors.grade_cards(
            assessment, selectors.visible_grades(assessment, user, grades)
        )
        entries.append(
            {
                "assessment": assessment,
                "zone": selectors.viewer_zone(assessment),
                "cards": cards,
                "score": selectors.weighted_score(cards),
                "blind": selectors.is_blind(grades, user),
                "graded": sum(1 for g in grades if g.submitted_at is not None),
                "graders": len(grades),
            }
        )
    return {"candidacy": candidacy, "entries": entries, "can_send": can_send}
