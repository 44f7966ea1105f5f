"""Fetch-and-check helpers and reads of the question bank and interview kits.

A company sees its own questions and kits and Karigar's starter questions (shared,
read-only). Another company's question, kit or brief answers 404 to everyone, so an
id never reveals that it exists; a starter question may be read but not changed (403).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.http import Http404

from accounts.errors import NotAllowed
from accounts.models import Company, User
from screening.models import BriefKit, Focus, InterviewKind, InterviewKit, KitQuestion, Question
from searches.models import Brief

FOCUS_ORDER = {value: n for n, value in enumerate(Focus.values)}


def _is_employer(user: User) -> bool:
    return bool(user.is_authenticated and user.is_employer)


def get_question_for_user(user: User, pk: int) -> Question:
    """One of the company's own questions, still in its bank, to edit or archive.

    404 for another company's question and for archived ones; 403 for a starter
    question (everyone may read it, nobody may change it)."""
    question = None
    if _is_employer(user):
        question = (
            Question.objects.filter(pk=pk, archived_at__isnull=True)
            .filter(Q(company__memberships__user=user) | Q(company__isnull=True))
            .select_related("company")
            .first()
        )
    if question is None:
        raise Http404("No such question in your bank.")
    if question.is_starter:
        raise NotAllowed(
            "This is one of Karigar's starter questions, shared by every company, so it "
            "cannot be changed or archived. Add your own version of it to your bank instead."
        )
    return question


def get_kit_for_user(user: User, pk: int) -> InterviewKit:
    """A kit of the user's company (archived ones too, to read); 404 for everyone else."""
    kit = None
    if _is_employer(user):
        kit = (
            InterviewKit.objects.filter(pk=pk, company__memberships__user=user)
            .select_related("company")
            .first()
        )
    if kit is None:
        raise Http404("No such interview kit.")
    return kit


def sorted_by_focus(questions: Iterable[Question]) -> list[Question]:
    """Questions in the order of the focus list (system design first), then oldest first."""
    return sorted(questions, key=lambda q: (FOCUS_ORDER.get(q.focus, len(FOCUS_ORDER)), q.pk))


def bank_questions(company: Company, focus: str = "") -> list[Question]:
    """The company's questions and the starters, not archived, grouped by focus."""
    questions = Question.objects.for_company(company).select_related("created_by")
    if focus:
        questions = questions.filter(focus=focus)
    return sorted_by_focus(questions)


def kit_choices(company: Company, kit: InterviewKit | None = None) -> list[Question]:
    """What a kit may hold: the bank, plus questions the kit already holds that were
    archived since (so saving the kit again does not drop them by surprise)."""
    held = Q(pk__in=kit.kit_questions.values("question_id")) if kit and kit.pk else Q(pk__in=[])
    questions = Question.objects.filter(
        Q(company=company) | Q(company__isnull=True), Q(archived_at__isnull=True) | held
    )
    return sorted_by_focus(questions)


def kit_questions(kit: InterviewKit) -> list[KitQuestion]:
    """A kit's questions in order."""
    return list(kit.kit_questions.select_related("question"))


def company_kits(company: Company) -> list[InterviewKit]:
    """Every kit of the company (archived last), each with its number of questions and
    the briefs whose interviews use it (``brief_uses``: their BriefKit rows). Two queries."""
    kits: list[InterviewKit] = list(
        InterviewKit.objects.filter(company=company)
        .annotate(question_count=Count("kit_questions"))
        .order_by(F("archived_at").asc(nulls_first=True), "-kind", "title", "pk")  # technical first
    )
    uses: dict[int, list[BriefKit]] = {}
    if kits:
        rows = BriefKit.objects.filter(kit__company=company).select_related("brief")
        for row in rows.order_by("brief__title", "pk"):
            uses.setdefault(row.kit_id, []).append(row)
    for kit in kits:
        kit.brief_uses = uses.get(kit.pk, [])  # type: ignore[attr-defined]
    return kits


def usable_kits(company: Company, kind: InterviewKind | str) -> Iterable[InterviewKit]:
    """The company's kits of one kind a brief may use (not archived)."""
    return InterviewKit.objects.filter(company=company, kind=kind, archived_at__isnull=True)


def has_usable_kits(company: Company) -> bool:
    return InterviewKit.objects.filter(company=company, archived_at__isnull=True).exists()


def brief_kits(brief: Brief) -> dict[str, BriefKit]:
    """The brief's kit per kind (``{"technical": BriefKit, ...}``)."""
    return {bk.kind: bk for bk in BriefKit.objects.filter(brief=brief).select_related("kit")}
