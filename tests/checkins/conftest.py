"""Fixtures of the check-in tests: the owner's company hiring the ``engineer`` fixture
(an approved profile in Lahore) on a contract made straight into the tables, and
helpers that read what was sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from hiring.checkins import schedule
from hiring.contracts.terms import version_copy, version_freeze
from hiring.models import CheckIn, Contract, ContractVersion
from tests.factories import BriefFactory, ProfileFactory, candidacy_at_offer, candidacy_in

MAKER = Callable[..., Contract]
ANSWER = {
    "done": "Shipped the ledger export and its tests.",
    "next": "Reconciliation job, then the retry queue.",
    "blockers": "Waiting for staging credentials.",
    "hours": "32.5",
    "health": "on_track",
}
REPLY = {
    "priorities_clear": "partly",
    "feedback": "Good pace. Reconciliation matters more than the queue this week.",
    "company_blockers": "Staging credentials by Tuesday.",
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def profile(engineer: User) -> Profile:
    """The ``engineer`` fixture's approved profile, in Lahore (Asia/Karachi)."""
    return ProfileFactory(user=engineer, status="approved", time_zone="Asia/Karachi")


@pytest.fixture
def new_york(owner: User) -> None:
    """The owner's company works from New York."""
    company = owner.membership.company
    company.time_zone = "America/New_York"
    company.save(update_fields=["time_zone"])


@pytest.fixture
def make_contract(owner: User, profile: Profile) -> MAKER:
    """``make_contract(**terms)``: an active contract of the owner's company with the
    engineer. By default it started two weeks ago and runs 90 days; ``started_at``,
    ``status`` and any version field can be given."""

    def make(**terms: Any) -> Contract:
        from tests.factories import contract_made

        brief = BriefFactory(company=owner.membership.company, created_by=owner)
        candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=owner))
        today = timezone.localdate()
        terms.setdefault("start_on", today - timedelta(days=14))
        terms.setdefault("end_on", terms["start_on"] + timedelta(days=90))
        terms.setdefault("started_at", timezone.now() - timedelta(days=14))
        return contract_made(candidacy, milestones=1, **terms)

    return make


@pytest.fixture
def contract(make_contract: MAKER) -> Contract:
    """Running for two weeks; check-ins on Fridays at 16:00 Lahore time."""
    return make_contract()


def this_monday(contract: Contract, now: datetime | None = None) -> date:
    assert contract.current is not None
    return schedule.week_now(contract.current, now or timezone.now())


def due_checkin(contract: Contract, *, week_of: date | None = None, **fields: Any) -> CheckIn:
    """A check-in made as the sweep makes it (this week's unless told)."""
    assert contract.current is not None
    week_of = week_of or this_monday(contract)
    due = schedule.due_at(contract.current, week_of)
    values: dict[str, Any] = {"due_at": due, "sent_at": due}
    values.update(fields)
    return CheckIn.objects.create(contract=contract, week_of=week_of, **values)


def emails(template: str) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(template=f"hiring/checkins/email/{template}").order_by("pk")
    )


def new_version(contract: Contract, by: User, **changes: Any) -> ContractVersion:
    """The next numbered version with ``changes``, made the one in force (as an accepted
    change order makes it)."""
    current = contract.current
    assert current is not None
    draft = version_copy(current, by=by)
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save()
    version_freeze(draft, number=(current.number or 0) + 1)
    contract.current = draft
    contract.save(update_fields=["current"])
    return draft


def parse_ics(text: str) -> tuple[Any, Any]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def ics_of(email: OutboundEmail) -> str:
    [attachment] = email.attachments
    assert attachment["filename"] == "weekly-call.ics"
    assert attachment["content_type"] == "text/calendar"
    return str(attachment["content"])


CALL = {"call_weekday": 2, "call_time": time(15, 0), "call_minutes": 30}
OVERLAP = {"overlap_starts": time(14, 0), "overlap_ends": time(18, 0)}
