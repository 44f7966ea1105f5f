"""Fetch-and-check helpers and reads for assessments, and the one blind rule.

Templates and assessments belong to a company: every member sees them, anyone else
(another company, an engineer, a visitor) gets 404. The engineer's side is fetched by
the engineer of the candidacy only; employers get 404 there.

Blind grading lives in ``visible_grades``: every page that shows grades (the grading
page, the assessment page, the candidacy panel) takes them from it, so a grader who has
not submitted their own grade never reads another's, whatever the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Company, Membership, User
from screening.models import Assessment, AssessmentTemplate, Candidacy, Grade
from screening.services.assessments import candidate_label, weighted_total


def _is_employer(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_employer)


def _ascii_id(pk: Any) -> int | None:
    text = str(pk)
    return int(text) if text.isascii() and text.isdigit() else None


def _viewer_zone(user: User) -> Subquery:
    """The viewing teammate's own time zone ("" when it is the company's), as a column."""
    return Subquery(Membership.objects.filter(user=user).values("time_zone")[:1])


# Templates -----------------------------------------------------------------------------


def get_template_for_user(user: Any, pk: Any) -> AssessmentTemplate:
    """A template of the user's company; 404 for everyone else."""
    template = None
    number = _ascii_id(pk)
    if _is_employer(user) and number is not None:
        template = (
            AssessmentTemplate.objects.select_related("company")
            .prefetch_related("criteria")
            .filter(pk=number, company__memberships__user=user)
            .first()
        )
    if template is None:
        raise Http404("No such assessment template.")
    return template


def company_templates(company: Company) -> QuerySet[AssessmentTemplate]:
    """The company's templates (in use first), each with its number of criteria."""
    return (
        AssessmentTemplate.objects.filter(company=company)
        .select_related("created_by")
        .annotate(criteria_count=Count("criteria"))
        .order_by("archived_at", "title", "pk")
    )


def sendable_templates(company: Company) -> QuerySet[AssessmentTemplate]:
    """The templates a teammate can send: in use and with a rubric."""
    return (
        AssessmentTemplate.objects.filter(company=company, archived_at__isnull=True)
        .filter(criteria__isnull=False)
        .distinct()
        .order_by("title", "pk")
    )


def company_teammates(company: Company) -> QuerySet[User]:
    """The company's members, who can grade."""
    return User.objects.filter(membership__company=company).order_by("full_name", "email")


# Assessments ---------------------------------------------------------------------------

_RELATED = ("company", "candidacy__profile__user", "candidacy__brief", "sent_by")


def get_assessment_for_user(user: Any, pk: int) -> Assessment:
    """An assessment of the user's company, with its engineer and brief and the viewer's
    own zone (``viewer_zone``), in one query; 404 for everyone else."""
    assessment = None
    if _is_employer(user):
        assessment = (
            Assessment.objects.select_related(*_RELATED)
            .filter(pk=pk, company__memberships__user=user)
            .annotate(viewer_zone=_viewer_zone(user))
            .first()
        )
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def get_assessment_for_engineer(user: Any, pk: int) -> Assessment:
    """An assessment sent to this engineer; to anyone else it does not exist."""
    assessment = None
    if user.is_authenticated and user.is_engineer:
        assessment = (
            Assessment.objects.select_related(*_RELATED)
            .filter(pk=pk, candidacy__profile__user=user)
            .first()
        )
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def assessment_grades(assessment: Assessment) -> list[Grade]:
    """Every grade row of an assessment (graders picked, submitted or not), with the
    grader. Pages pass this through ``visible_grades`` before showing any of it."""
    return list(assessment.grades.select_related("grader"))


def viewer_zone(assessment: Assessment) -> str:
    """The zone to show a teammate times in: their own, else the company's."""
    return getattr(assessment, "viewer_zone", "") or assessment.company.time_zone


def candidacy_assessments(candidacy: Candidacy, user: User) -> list[Assessment]:
    """Every assessment of a candidacy, newest first, each with its grades and graders
    and the viewer's zone: two queries however many there are."""
    grades = Prefetch("grades", Grade.objects.select_related("grader"))
    return list(
        Assessment.objects.filter(candidacy=candidacy)
        .select_related("company")
        .annotate(viewer_zone=_viewer_zone(user))
        .prefetch_related(grades)
    )


def engineer_assessments(user: User) -> list[Assessment]:
    """The assessments sent to an engineer, newest first (for Opportunities)."""
    return list(
        Assessment.objects.filter(candidacy__profile__user=user).select_related(
            "company", "candidacy__brief"
        )
    )


# Blind grading ---------------------------------------------------------------------------


def own_grade(grades: list[Grade], user: Any) -> Grade | None:
    return next((g for g in grades if g.grader_id == user.pk), None)


def is_blind(grades: list[Grade], user: Any) -> bool:
    """True while ``user`` is a grader who has not submitted: they see no other grade."""
    mine = own_grade(grades, user)
    return mine is not None and mine.submitted_at is None


def visible_grades(
    assessment: Assessment, user: Any, grades: list[Grade] | None = None
) -> list[Grade]:
    """The submitted grades ``user`` may read: none while they are a grader who has not
    submitted their own, every submitted one otherwise (graders who have submitted,
    teammates who do not grade). Engineers and outsiders get none.

    ``grades`` is the assessment's rows when the caller already has them (prefetched);
    otherwise they are fetched."""
    if not _is_employer(user):
        return []
    rows = assessment_grades(assessment) if grades is None else grades
    if is_blind(rows, user):
        return []
    return [g for g in rows if g.submitted_at is not None]


def shows_engineer(assessment: Assessment, grades: list[Grade], user: Any) -> bool:
    """False while grading is anonymous and ``user`` is a grader who has not submitted:
    then they read ``candidate_label`` instead of the engineer's name, and no link."""
    return not (assessment.anonymous and is_blind(grades, user))


def candidate_name(assessment: Assessment, grades: list[Grade], user: Any) -> str:
    if shows_engineer(assessment, grades, user):
        return assessment.candidacy.profile.user.display_name
    return candidate_label(assessment)


@dataclass
class GradeLine:
    name: str
    weight: int
    score: int
    level: str
    evidence: str


@dataclass
class GradeCard:
    """One submitted grade as a card: each criterion's score and evidence, the
    recommendation and the grade's own weighted score."""

    grade: Grade
    lines: list[GradeLine] = field(default_factory=list)
    total: float = 0.0


def grade_cards(assessment: Assessment, visible: list[Grade]) -> list[GradeCard]:
    """Cards for grades that ``visible_grades`` returned (only submitted ones)."""
    cards = []
    for grade in visible:
        card = GradeCard(grade=grade, total=weighted_total(assessment.rubric, grade.scores))
        for criterion in assessment.rubric:
            mark = grade.scores.get(criterion["key"], {})
            score = int(mark.get("score", 0))
            level = criterion["levels"][score - 1] if 1 <= score <= 4 else ""
            card.lines.append(
                GradeLine(criterion["name"], criterion["weight"], score, level, mark["evidence"])
            )
        cards.append(card)
    return cards


def weighted_score(cards: list[GradeCard]) -> float | None:
    """The average of the visible grades' weighted scores (1 to 4), or None."""
    if not cards:
        return None
    return sum(card.total for card in cards) / len(cards)


def engineer_status(assessment: Assessment, now: datetime | None = None) -> str:
    """The plain status an engineer reads: never whether or how it was graded. Past its
    deadline an assessment reads as closed even before the sweep expires it."""
    status = assessment.status
    if status == Assessment.Status.SENT:
        if assessment.deadline <= (now or timezone.now()):
            return "Deadline passed"
        return "Waiting for your work"
    if status in (Assessment.Status.SUBMITTED, Assessment.Status.GRADED):
        return "Handed in"
    if status == Assessment.Status.EXPIRED:
        return "Deadline passed"
    return "Withdrawn by the company"
