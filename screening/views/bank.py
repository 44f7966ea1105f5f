"""The question bank (the company's questions and Karigar's starter set) and interview
kits, and which kit a brief's technical and final interviews use.

Pages for hiring teams: the lists answer 403 to anyone else (accounts' get_company);
an id of another company's question, kit or brief answers 404 (screening.selectors.bank).
"""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.errors import Conflict, Refused
from accounts.models import Company
from accounts.web import AuthedRequest, posted, reply_changed, reply_refused, safe_next
from screening.forms.bank import BriefKitsForm, KitForm, QuestionFilterForm, QuestionForm
from screening.models import Focus, InterviewKind, InterviewKit, Question
from screening.selectors import bank as selectors
from screening.selectors import get_brief_for_user
from screening.services import bank as services


def _grouped(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    """Questions under their focus's label, in the order of the focus list."""
    return [(Focus(f).label, list(qs)) for f, qs in groupby(questions, key=lambda q: q.focus)]


def _bank_page(
    request: AuthedRequest, company: Company, form: QuestionForm, *, status: int = 200
) -> HttpResponse:
    """The bank, narrowed by ``?focus=``; an unknown focus shows everything, says so, 400."""
    filter_form = QuestionFilterForm(request.GET)
    focus, problem = "", ""
    if filter_form.is_valid():
        focus = filter_form.cleaned_data["focus"]
    else:
        problem = str(filter_form.errors["focus"][0])
        status = 400
    questions = selectors.bank_questions(company, focus)
    context = {
        "company": company,
        "filter_form": filter_form,
        "focus": focus,
        "focus_label": Focus(focus).label if focus else "",
        "problem": problem,
        "groups": _grouped(questions),
        "count": len(questions),
        "own_count": sum(1 for q in questions if not q.is_starter),
        "form": form,
    }
    return render(request, "screening/bank/questions.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def question_list(request: AuthedRequest) -> HttpResponse:
    """The company's questions and the starters, by focus, and a form to add one."""
    company = account_selectors.get_company(request.user)
    form = QuestionForm(posted(request))
    if request.method != "POST":
        return _bank_page(request, company, form)
    if not form.is_valid():
        return _bank_page(request, company, form, status=400)
    try:
        question = services.question_add(company=company, user=request.user, **form.cleaned_data)
    except Refused as exc:
        form.add_error(None, str(exc))
        return _bank_page(request, company, form, status=exc.status)
    notice = f"Question added under {question.get_focus_display()}. Put it in a kit to use it."
    return reply_changed(request, notice=notice, redirect_to=reverse("screening:questions"))


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rewords one of the company's own questions (starters are read-only: 403)."""
    back = reverse("screening:questions")
    try:
        question = selectors.get_question_for_user(request.user, pk)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    form = QuestionForm(posted(request), instance=question)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.question_update(question=question, **form.cleaned_data)
            except Refused as exc:
                form.add_error(None, str(exc))
                status = exc.status
            else:
                return reply_changed(request, notice="Question saved.", redirect_to=back)
    context = {"question": question, "form": form}
    return render(request, "screening/bank/question_edit.html", context, status=status)


@login_required
@require_POST
def question_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Takes one of the company's questions out of its bank; kits keep it."""
    back = reverse("screening:questions")
    try:
        question = selectors.get_question_for_user(request.user, pk)
        services.question_archive(question=question)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    notice = "Question archived. It no longer shows in your bank; kits that hold it keep it."
    return reply_changed(request, notice=notice, redirect_to=safe_next(request, back))


# Interview kits ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def kit_list(request: AuthedRequest) -> HttpResponse:
    """The company's kits, technical and final, with the briefs that use each."""
    company = account_selectors.get_company(request.user)
    kits = selectors.company_kits(company)
    context = {
        "company": company,
        "kits": [k for k in kits if k.archived_at is None],
        "archived": [k for k in kits if k.archived_at is not None],
    }
    return render(request, "screening/bank/kits.html", context)


def _kit_page(
    request: AuthedRequest, form: KitForm | None, kit: InterviewKit | None, *, status: int = 200
) -> HttpResponse:
    rows = form.rows() if form is not None else []
    context = {
        "form": form,
        "kit": kit,
        "groups": [
            (Focus(f).label, list(rs)) for f, rs in groupby(rows, key=lambda r: r.question.focus)
        ],
        "held": selectors.kit_questions(kit) if kit is not None and form is None else [],
    }
    return render(request, "screening/bank/kit_form.html", context, status=status)


def _kit_saved(
    request: AuthedRequest, form: KitForm, company: Company, kit: InterviewKit | None
) -> InterviewKit:
    data = form.cleaned_data
    return services.kit_save(
        company=company,
        user=request.user,
        kit=kit,
        title=data["title"],
        kind=data["kind"],
        focus=data["focus"],
        notes=data["notes"],
        question_ids=data["question_ids"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def kit_new(request: AuthedRequest) -> HttpResponse:
    """A new kit: questions from the bank in order, focus attributes, notes."""
    company = account_selectors.get_company(request.user)
    form = KitForm(posted(request), choices=selectors.kit_choices(company))
    if request.method != "POST":
        return _kit_page(request, form, None)
    if not form.is_valid():
        return _kit_page(request, form, None, status=400)
    try:
        kit = _kit_saved(request, form, company, None)
    except Refused as exc:
        form.add_error(None, str(exc))
        return _kit_page(request, form, None, status=exc.status)
    notice = f"Kit “{kit.title}” saved. Choose it for a brief's interviews on the brief's pipeline."
    return reply_changed(request, notice=notice, redirect_to=reverse("screening:kits"))


@login_required
@require_http_methods(["GET", "POST"])
def kit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Changes a kit; an archived kit is shown read-only (409 to a change)."""
    kit = selectors.get_kit_for_user(request.user, pk)
    back = reverse("screening:kits")
    if kit.archived_at is not None:
        if request.method == "POST":
            conflict = Conflict("This kit is archived: it can no longer be changed.")
            return reply_refused(request, conflict, back=back)
        return _kit_page(request, None, kit)
    held = selectors.kit_questions(kit)
    form = KitForm(
        posted(request), choices=selectors.kit_choices(kit.company, kit), kit=kit, held=held
    )
    if request.method != "POST":
        return _kit_page(request, form, kit)
    if not form.is_valid():
        return _kit_page(request, form, kit, status=400)
    try:
        _kit_saved(request, form, kit.company, kit)
    except Refused as exc:
        form.add_error(None, str(exc))
        return _kit_page(request, form, kit, status=exc.status)
    return reply_changed(request, notice=f"Kit “{kit.title}” saved.", redirect_to=back)


@login_required
@require_POST
def kit_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Archives a kit: briefs stop using it; interviews that use it carry on."""
    kit = selectors.get_kit_for_user(request.user, pk)
    back = reverse("screening:kits")
    try:
        cleared = services.kit_archive(kit=kit)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    notice = f"Kit “{kit.title}” archived. Interviews already planned with it keep it."
    if cleared:
        briefs = "one brief" if cleared == 1 else f"{cleared} briefs"
        has = "has" if cleared == 1 else "have"
        notice += f" {briefs.capitalize()} used it and now {has} no kit of that kind."
    return reply_changed(request, notice=notice, redirect_to=back)


# A brief's kits -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def brief_kits(request: AuthedRequest, pk: int) -> HttpResponse:
    """Which kit the brief's technical and final interviews start from."""
    brief = get_brief_for_user(request.user, pk)
    kits = {kind: selectors.usable_kits(brief.company, kind) for kind in InterviewKind.values}
    form = BriefKitsForm(posted(request), kits=kits, current=selectors.brief_kits(brief))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.brief_kits_set(brief=brief, **form.cleaned_data)
            notice = f"Interview kits saved for “{brief.title}”."
            back = safe_next(request, reverse("screening:board", args=[brief.pk]))
            return reply_changed(request, notice=notice, redirect_to=back)
        status = 400
    context = {
        "brief": brief,
        "form": form,
        "has_kits": selectors.has_usable_kits(brief.company),
    }
    return render(request, "screening/bank/brief_kits.html", context, status=status)


def candidacy_panel(request: HttpRequest, *, candidacy: object) -> dict[str, object] | None:
    """The bank part of the candidacy page (None: nothing to show)."""
    return None
