"""screening's writes for the question bank, interview kits and a brief's kits.

Nothing is deleted: a question or kit that is no longer wanted is archived. Kits keep
the archived questions they hold, and interviews keep working after their kit is
archived (each interview stores its own focus list).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import Conflict, NotAllowed, Refused
from accounts.models import Company, User
from screening.models import (
    BriefKit,
    Focus,
    InterviewKind,
    InterviewKit,
    KitQuestion,
    Question,
)
from searches.models import Brief


def _lock_company(company: Company) -> None:
    """Take the company's row for this transaction, so two saves of the same question or
    kit at once (a double submit) run one after the other and the second sees the first."""
    list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk", flat=True))


def _check_new_question(company: Company, text: str, *, other_than: int | None = None) -> None:
    """Conflict when the bank (the company's questions and the starters) already holds
    this question, word for word: a second copy is a double submit, not a new question."""
    same = Question.objects.for_company(company).filter(text__iexact=text.strip())
    if other_than is not None:
        same = same.exclude(pk=other_than)
    found = same.first()
    if found is not None:
        raise Conflict(
            f"That question is already in your bank, under {Focus(found.focus).label}. "
            "Nothing was saved."
        )


def _own(question: Question) -> None:
    if question.is_starter:
        raise NotAllowed(
            "Karigar's starter questions are shared by every company: they cannot be changed."
        )


@transaction.atomic
def question_add(
    *, company: Company, user: User, text: str, focus: str, good_answer: str
) -> Question:
    _lock_company(company)
    _check_new_question(company, text)
    return Question.objects.create(
        company=company, created_by=user, text=text, focus=focus, good_answer=good_answer
    )


@transaction.atomic
def question_update(*, question: Question, text: str, focus: str, good_answer: str) -> Question:
    """Rewords one of the company's questions; kits that hold it show the new words."""
    _own(question)
    if question.company is not None:
        _lock_company(question.company)
        _check_new_question(question.company, text, other_than=question.pk)
    question.text, question.focus, question.good_answer = text, focus, good_answer
    question.save(update_fields=["text", "focus", "good_answer"])
    return question


@transaction.atomic
def question_archive(*, question: Question, now: datetime | None = None) -> Question:
    """Takes a question out of the bank. Kits that hold it keep it."""
    _own(question)
    updated = Question.objects.filter(pk=question.pk, archived_at__isnull=True).update(
        archived_at=now or timezone.now()
    )
    if not updated:
        raise Conflict("This question was already archived.")
    question.refresh_from_db(fields=["archived_at"])
    return question


@transaction.atomic
def kit_save(
    *,
    company: Company,
    user: User,
    title: str,
    kind: str,
    focus: list[str],
    notes: str,
    question_ids: list[int],
    kit: InterviewKit | None = None,
) -> InterviewKit:
    """Creates a kit, or changes one, with its questions in the order given."""
    if not question_ids:
        raise Refused("Choose at least one question from the bank.")
    if not focus:
        raise Refused("Choose at least one focus attribute for interviewers to rate.")
    if kit is not None and kit.archived_at is not None:
        raise Conflict("This kit is archived: it can no longer be changed.")
    allowed = Q(company=company) | Q(company__isnull=True)
    held = kit.kit_questions.values("question_id") if kit is not None else []
    found = set(
        Question.objects.filter(allowed, pk__in=question_ids)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=held))
        .values_list("pk", flat=True)
    )
    if found != set(question_ids):
        raise Refused("One of the chosen questions is not in your question bank.")
    _lock_company(company)
    same_title = InterviewKit.objects.filter(
        company=company, archived_at__isnull=True, title__iexact=title.strip()
    )
    if kit is not None:
        same_title = same_title.exclude(pk=kit.pk)
    if same_title.exists():
        raise Conflict(
            f"You already have a kit called “{title.strip()}”. Open it to change it, or give "
            "this one another title. Nothing was saved."
        )
    if kit is None:
        kit = InterviewKit(company=company, created_by=user)
    kit.title, kit.kind, kit.focus, kit.notes = title, kind, list(dict.fromkeys(focus)), notes
    kit.save()
    KitQuestion.objects.filter(kit=kit).delete()
    KitQuestion.objects.bulk_create(
        KitQuestion(kit=kit, question_id=pk, position=n)
        for n, pk in enumerate(dict.fromkeys(question_ids), start=1)
    )
    # A brief's technical kit is a technical kit: one that became a final kit leaves it.
    BriefKit.objects.filter(kit=kit).exclude(kind=kind).delete()
    return kit


@transaction.atomic
def kit_archive(*, kit: InterviewKit, now: datetime | None = None) -> int:
    """Archives a kit: no longer offered for new interviews, and no brief uses it any
    more. Returns how many briefs lost it. Interviews already using it are untouched."""
    updated = InterviewKit.objects.filter(pk=kit.pk, archived_at__isnull=True).update(
        archived_at=now or timezone.now()
    )
    if not updated:
        raise Conflict("This kit was already archived.")
    kit.refresh_from_db(fields=["archived_at"])
    cleared, _ = BriefKit.objects.filter(kit=kit).delete()
    return cleared


@transaction.atomic
def brief_kits_set(
    *, brief: Brief, technical: InterviewKit | None, final: InterviewKit | None
) -> None:
    """Sets (or clears, with None) the kit of a brief's technical and final interviews."""
    for kind, kit in ((InterviewKind.TECHNICAL, technical), (InterviewKind.FINAL, final)):
        if kit is None:
            BriefKit.objects.filter(brief=brief, kind=kind).delete()
            continue
        if kit.company_id != brief.company_id or kit.archived_at is not None or kit.kind != kind:
            raise Refused(
                f"That kit cannot be the brief's {InterviewKind(kind).label.lower()} kit."
            )
        BriefKit.objects.update_or_create(brief=brief, kind=kind, defaults={"kit": kit})
