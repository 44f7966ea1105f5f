"""Fixtures of the question bank, kit and working-hours tests. Each carries the prefix
``bank_`` (the owner's company is ``owner.membership.company``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from accounts.models import Company, User
from candidates.models import Profile
from screening.models import (
    Assessment,
    Candidacy,
    Focus,
    Interview,
    InterviewKind,
    InterviewKit,
    InterviewSlot,
    KitQuestion,
    Question,
)
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, candidacy_in

GUIDE_QUESTIONS = [
    "Can you explain the difference between monolithic architecture and microservices?",
    "How do you optimize the performance of a slow database query?",
    "What are some best practices for securing a backend API?",
    "How do you handle errors and exceptions in your code?",
    "Can you describe your experience with containerization using Docker?",
]


@pytest.fixture
def bank_company(owner: User) -> Company:
    return owner.membership.company


@pytest.fixture
def bank_question(owner: User, bank_company: Company) -> Question:
    """One of the owner's company's own questions."""
    return Question.objects.create(
        company=bank_company,
        created_by=owner,
        text="How would you shard the ledger table?",
        focus=Focus.DATABASES,
        good_answer="Shard keys, hot spots, cross-shard reports.",
    )


@pytest.fixture
def bank_foreign_question(outsider: User) -> Question:
    """A question of another company."""
    return Question.objects.create(
        company=outsider.membership.company,
        created_by=outsider,
        text="A question only the other company has",
        focus=Focus.SECURITY,
        good_answer="Something private to them.",
    )


@pytest.fixture
def bank_starter() -> Question:
    return Question.objects.filter(company__isnull=True).order_by("pk").first()  # type: ignore[return-value]


def make_kit(
    company: Company,
    questions: list[Question],
    *,
    title: str = "Backend technical",
    kind: str = InterviewKind.TECHNICAL,
    focus: list[str] | None = None,
    notes: str = "",
) -> InterviewKit:
    kit = InterviewKit.objects.create(
        company=company,
        title=title,
        kind=kind,
        focus=focus or [Focus.SYSTEM_DESIGN, Focus.DATABASES],
        notes=notes,
    )
    for n, question in enumerate(questions, start=1):
        KitQuestion.objects.create(kit=kit, question=question, position=n)
    return kit


@pytest.fixture
def bank_kit(
    bank_company: Company, bank_question: Question, bank_starter: Question
) -> InterviewKit:
    return make_kit(bank_company, [bank_starter, bank_question])


@pytest.fixture
def bank_brief(owner: User, bank_company: Company) -> Brief:
    return BriefFactory(company=bank_company, created_by=owner, title="Ledger service")


# The engineer's side ----------------------------------------------------------------


@pytest.fixture
def bank_profile(engineer: User) -> Profile:
    """The ``engineer`` fixture's approved profile, in Lahore's time zone."""
    return Profile.objects.filter(user=engineer).first() or ProfileFactory(
        user=engineer, status="approved"
    )


def screening_candidacy(
    profile: Profile, employer: User | None = None, *, time_zone: str = ""
) -> Candidacy:
    """The engineer in a pipeline of ``employer``'s company (a new company if not given,
    in ``time_zone``), reached out to and accepted: the outreach is on their
    Opportunities list and the card is in Interested."""
    from hiring.services import outreach_accept
    from tests.factories import EmployerFactory, outreach_sent

    if employer is None:
        employer = EmployerFactory()
    company = employer.membership.company
    if time_zone:
        Company.objects.filter(pk=company.pk).update(time_zone=time_zone)
        company.refresh_from_db()
    brief = BriefFactory(company=company, created_by=employer)
    candidacy = candidacy_in(brief, profile, user=employer)
    outreach_accept(outreach=outreach_sent(candidacy, sender=employer), user=profile.user)
    candidacy.refresh_from_db()
    return candidacy


def assessment_for(
    candidacy: Candidacy, deadline: datetime, *, status: str = Assessment.Status.SENT
) -> Assessment:
    return Assessment.objects.create(
        candidacy=candidacy,
        company=candidacy.company,
        title="Settlement service take-home",
        instructions="Build the settlement endpoint.",
        time_box_hours=4,
        submit_kind="repository",
        rubric=[{"key": "c1", "name": "Design", "weight": 100, "levels": ["a", "b", "c", "d"]}],
        deadline=deadline,
        status=status,
    )


def interview_for(
    candidacy: Candidacy,
    *,
    status: str = Interview.Status.PROPOSED,
    starts_at: datetime | None = None,
    slots: list[datetime] | None = None,
    minutes: int = 45,
    kind: str = InterviewKind.TECHNICAL,
    **fields: Any,
) -> Interview:
    interview = Interview.objects.create(
        candidacy=candidacy,
        company=candidacy.company,
        kind=kind,
        focus=[Focus.SYSTEM_DESIGN],
        length_minutes=minutes,
        video_link="https://meet.example.com/abc",
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes) if starts_at else None,
        **fields,
    )
    for start in slots or []:
        InterviewSlot.objects.create(
            interview=interview, starts_at=start, ends_at=start + timedelta(minutes=minutes)
        )
    return interview


@pytest.fixture
def bank_screening() -> Callable[..., Candidacy]:
    return screening_candidacy
