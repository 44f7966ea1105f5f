"""Fixtures of the interview tests: an Interested engineer (Karachi, 10:00-19:00) on a
brief of the owner's company (Karachi, 09:00-18:00), a kit with questions, and helpers
that offer and book through the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pytest

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from screening.models import (
    Candidacy,
    Interview,
    InterviewKit,
    KitQuestion,
    Question,
    Stage,
)
from screening.selectors import interviews as selectors
from screening.services import interviews as services
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, candidacy_in
from tests.screening.conftest import walk_to

LINK = "https://meet.example.com/abc-defg-hij"
KIT_NOTES = "Interviewer notes: probe how they would shard the ledger."
GOOD_ANSWER = "Idempotency keys stored with the result, retries that replay it."


@pytest.fixture
def profile(engineer: User) -> Profile:
    """The ``engineer`` fixture's listed profile: Karachi, 10:00-19:00, Sat-Sun off."""
    return ProfileFactory(user=engineer, status="approved")


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")


@pytest.fixture
def candidacy(brief: Brief, profile: Profile, owner: User) -> Candidacy:
    """The engineer in Interested: they accepted the owner's outreach."""
    return walk_to(candidacy_in(brief, profile, user=owner), Stage.INTERESTED, owner)


@pytest.fixture
def kit(owner: User) -> InterviewKit:
    """A technical kit of the owner's company with two questions (one a starter)."""
    company = owner.membership.company
    kit = InterviewKit.objects.create(
        company=company,
        title="Backend technical",
        kind="technical",
        focus=["apis", "databases"],
        notes=KIT_NOTES,
        created_by=owner,
    )
    own = Question.objects.create(
        company=company,
        text="How would you make a payments API safe to retry?",
        focus="apis",
        good_answer=GOOD_ANSWER,
    )
    starter = Question.objects.create(
        text="When does an index make a query slower?",
        focus="databases",
        good_answer="Writes pay for every index; low-selectivity columns.",
    )
    KitQuestion.objects.create(kit=kit, question=own, position=1)
    KitQuestion.objects.create(kit=kit, question=starter, position=2)
    return kit


def members_of(company: Any, users: Sequence[User]) -> list[Any]:
    wanted = {u.pk for u in users}
    return [m for m in selectors.teammates(company) if m.user_id in wanted]


def free_starts(
    candidacy: Candidacy, interviewers: Sequence[User], *, length: int = 60, exclude: Any = None
) -> list[datetime]:
    found = selectors.proposal(
        company=candidacy.company,
        engineer=candidacy.profile,
        interviewers=members_of(candidacy.company, interviewers),
        length_minutes=length,
        exclude=exclude,
    )
    return [slot.starts for slot in found.free]


def spread(starts: Sequence[datetime], n: int) -> list[datetime]:
    """``n`` of the free starts, away from the first few (which the 12 hours' notice may
    drop while a test runs) and two hours apart, so they never overlap each other."""
    picked: list[datetime] = []
    for start in starts[4:]:
        if all(abs((start - other).total_seconds()) >= 7200 for other in picked):
            picked.append(start)
        if len(picked) == n:
            break
    assert len(picked) == n, "not enough free times for the test"
    return picked


def offer(
    candidacy: Candidacy,
    by: User,
    interviewers: Sequence[User] | None = None,
    *,
    n: int = 3,
    kind: str = "technical",
    kit: InterviewKit | None = None,
    length: int = 60,
    starts: Sequence[datetime] | None = None,
) -> Interview:
    interviewers = list(interviewers or [by])
    chosen = starts or spread(free_starts(candidacy, interviewers, length=length), n)
    return services.interview_offer(
        candidacy=candidacy,
        by=by,
        kind=kind,
        kit=kit,
        interviewers=interviewers,
        length_minutes=length,
        video_link=LINK,
        starts=chosen,
    )


def book(interview: Interview, engineer: User, index: int = 0) -> Interview:
    slot = interview.slots.order_by("starts_at")[index]
    return services.interview_book(interview=interview, user=engineer, slot_id=slot.pk)


def emails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=f"email/{template}").order_by("pk"))


def parse_ics(text: str) -> tuple[Any, Any]:
    """The calendar and its one event, parsed back with icalendar."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def attendees(event: Any) -> set[str]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:") for a in found}


def invitation_of(email: OutboundEmail) -> str:
    [attachment] = email.attachments
    assert attachment["filename"] == "invite.ics"
    assert attachment["content_type"] == "text/calendar"
    return str(attachment["content"])
