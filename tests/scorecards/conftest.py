"""Fixtures of the scorecard tests: a candidacy in Interview, a team of four, booked
interviews made directly with the ORM (scheduling is another part), and a helper that
submits a card through the service.

The team: ``owner`` (schedules, interviews nobody), ``teammate`` and ``second`` (the
technical interview's panel), ``third`` (on the final interview only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from screening.models import (
    Candidacy,
    Focus,
    Interview,
    InterviewKind,
    InterviewKit,
    KitQuestion,
    Question,
    Scorecard,
    Stage,
)
from screening.services.scorecards import scorecard_submit
from searches.models import Brief
from tests.factories import BriefFactory, MembershipFactory, ProfileFactory, candidacy_in
from tests.screening.conftest import walk_to

#: What the technical interview rates (the kit's order).
TECH_FOCUS = [Focus.SYSTEM_DESIGN.value, Focus.DATABASES.value, Focus.SECURITY.value]
FINAL_FOCUS = [Focus.COMMUNICATION.value, Focus.COLLABORATION.value]


@pytest.fixture
def second(owner: User) -> User:
    """Another hiring manager of the owner's company (the technical panel's second)."""
    return MembershipFactory(
        company=owner.membership.company,
        user__email="second@acme.example",
        user__full_name="Bilal Second",
    ).user


@pytest.fixture
def third(owner: User) -> User:
    """A hiring manager on the final interview only."""
    return MembershipFactory(
        company=owner.membership.company,
        user__email="third@acme.example",
        user__full_name="Chand Third",
    ).user


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")


@pytest.fixture
def candidacy(brief: Brief, owner: User, engineer: User) -> Candidacy:
    """The ``engineer`` in the brief's pipeline, walked to Interview."""
    profile = ProfileFactory(user=engineer, status="approved")
    return walk_to(candidacy_in(brief, profile, user=owner), Stage.INTERVIEW, owner)


@pytest.fixture
def kit(owner: User) -> InterviewKit:
    """A technical kit: a question per rated attribute, and one on testing it does not rate."""
    company = owner.membership.company
    kit = InterviewKit.objects.create(
        company=company,
        title="Backend technical",
        kind=InterviewKind.TECHNICAL,
        focus=TECH_FOCUS,
        notes="Ask every question; probe the ledger design.",
        created_by=owner,
    )
    texts = {
        Focus.SYSTEM_DESIGN: ("Design a payouts ledger.", "Double entry, idempotent writes."),
        Focus.DATABASES: ("How would you index settlements?", "Composite indexes, EXPLAIN."),
        Focus.SECURITY: ("Where do you keep API secrets?", "A vault, rotation, least privilege."),
        Focus.TESTING: ("How do you test a Celery task?", "Eager mode and a real worker."),
    }
    for n, (focus, (text, good)) in enumerate(texts.items()):
        question = Question.objects.create(
            company=company, text=text, focus=focus, good_answer=good, created_by=owner
        )
        KitQuestion.objects.create(kit=kit, question=question, position=n)
    return kit


def make_interview(
    candidacy: Candidacy,
    interviewers: Iterable[User],
    *,
    kind: str = InterviewKind.TECHNICAL,
    focus: list[str] | None = None,
    status: str = Interview.Status.BOOKED,
    kit: InterviewKit | None = None,
    created_by: User | None = None,
    ends_at: datetime | None = None,
) -> Interview:
    """An interview with a Scorecard row per interviewer, as scheduling leaves it."""
    ends_at = ends_at or timezone.now() - timedelta(minutes=30)
    booked = status != Interview.Status.PROPOSED
    interview = Interview.objects.create(
        candidacy=candidacy,
        company=candidacy.company,
        kit=kit,
        kind=kind,
        focus=list(focus or (TECH_FOCUS if kind == InterviewKind.TECHNICAL else FINAL_FOCUS)),
        length_minutes=60,
        video_link="https://meet.example.com/abc",
        status=status,
        starts_at=ends_at - timedelta(hours=1) if booked else None,
        ends_at=ends_at if booked else None,
        created_by=created_by or candidacy.brief.created_by,
    )
    for user in interviewers:
        Scorecard.objects.create(interview=interview, interviewer=user)
    return interview


@pytest.fixture
def interview_for() -> Callable[..., Interview]:
    return make_interview


def ratings_of(interview: Interview, who: str, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """A rating of every focus attribute but ``skip``, with evidence naming ``who``."""
    return {
        focus: {"score": 3, "evidence": f"{who}-EVIDENCE-{focus}"}
        for focus in interview.focus
        if focus not in skip
    }


def submit(
    interview: Interview,
    user: User,
    *,
    recommendation: int = 1,
    skip: Iterable[str] = (),
    who: str | None = None,
    now: datetime | None = None,
) -> Scorecard:
    """``user`` submits a card through the service, evidence tagged with their email
    (``now``: when, for an interview dated ahead of the real clock)."""
    return scorecard_submit(
        interview=interview,
        interviewer=user,
        ratings=ratings_of(interview, who or user.email.split("@")[0].upper(), skip=skip),
        recommendation=recommendation,
        now=now,
    )


def form_data(interview: Interview, **overrides: str) -> dict[str, str]:
    """A valid scorecard post: every attribute scored 3 with evidence, recommendation yes."""
    data = {}
    for focus in interview.focus:
        data[f"score-{focus}"] = "3"
        data[f"evidence-{focus}"] = f"POSTED-EVIDENCE-{focus}"
    data["recommendation"] = "1"
    data.update(overrides)
    return data
