"""Fixtures and helpers of the dashboards tests: contracts written straight into the
tables (tests.factories.contract_made), and the rows the other parts of hiring write
(check-ins, milestone work, payments, reviews) made directly as model objects."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.dashboards.selectors import week_monday
from hiring.models import CheckIn, Contract, ContractReview, Milestone, MilestoneWork, Payment
from tests.factories import (
    BriefFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)


@pytest.fixture
def dash_profile(engineer: User) -> Profile:
    """The ``engineer`` fixture's approved profile (Karachi time), with Python."""
    return ProfileFactory(user=engineer, status="approved", skills=["Python"])


def contract_with(
    employer: User, profile: Profile, *, status: str = "active", **terms: Any
) -> Contract:
    """A contract between ``employer``'s company and ``profile``, on a new brief."""
    brief = BriefFactory(company=employer.membership.company, created_by=employer)
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=employer))
    return contract_made(candidacy, status=status, **terms)


def elsewhere(profile: Profile | None = None, **terms: Any) -> Contract:
    """An active contract of another company (with another engineer unless ``profile``)."""
    candidacy = candidacy_at_offer(candidacy_in(BriefFactory(), profile) if profile else None)
    return contract_made(candidacy, **terms)


def milestones(contract: Contract) -> list[Milestone]:
    return list(contract.current.milestones.order_by("position"))  # type: ignore[union-attr]


def this_week_checkin(contract: Contract, **fields: Any) -> CheckIn:
    """This week's check-in (the engineer's local week), sent an hour ago."""
    now = timezone.now()
    values: dict[str, Any] = {
        "week_of": week_monday(contract.current.time_zone, now),  # type: ignore[union-attr]
        "due_at": now - timedelta(hours=1),
        "sent_at": now - timedelta(hours=1),
    }
    values.update(fields)
    return CheckIn.objects.create(contract=contract, **values)


def work(contract: Contract, milestone: Milestone, status: str, **fields: Any) -> MilestoneWork:
    return MilestoneWork.objects.create(
        contract=contract, key=milestone.key, status=status, **fields
    )


def payment(contract: Contract, label: str, due_on: date, **fields: Any) -> Payment:
    values: dict[str, Any] = {"amount": Decimal("3000"), "currency": "USD"}
    values.update(fields)
    return Payment.objects.create(contract=contract, label=label, due_on=due_on, **values)


def review(
    contract: Contract,
    side: str,
    stars: int,
    *,
    published: bool = True,
    hidden: bool = False,
    **fields: Any,
) -> ContractReview:
    """A review written by ``side`` about the other side: published now (or at
    ``published_at=``), or not yet; hidden by staff when ``hidden``."""
    values: dict[str, Any] = {
        "author": contract.created_by if side == "company" else contract.profile.user,
        "profile": contract.profile,
        "company": contract.company,
        "public_text": f"A {stars}-star review.",
        "published_at": timezone.now() if published else None,
    }
    if hidden:
        values["hidden_at"] = timezone.now()
        values["hidden_note"] = "Reported and found abusive."
    values.update(fields)
    return ContractReview.objects.create(contract=contract, side=side, stars=stars, **values)


def ended(contract: Contract, *, days_ago: int = 20) -> Contract:
    """Mark ``contract`` ended ``days_ago`` days ago."""
    moment = timezone.now() - timedelta(days=days_ago)
    contract.status = Contract.Status.ENDED
    contract.ends_on = moment.date()
    contract.ended_at = moment
    contract.save(update_fields=["status", "ends_on", "ended_at"])
    return contract
