"""Fixtures of the milestone tests: an active fixed-price contract between the owner's
company and the engineer (Karachi), two milestones of USD 3,000 each, paid per milestone
within 14 days, deemed accepted after 7; and helpers to post and to read what was sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from hiring.models import Contract, Message, Milestone
from searches.models import Brief
from tests.factories import (
    BriefFactory,
    EngineerFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)

NOTE = "The settlement API is deployed to staging; all its tests pass."
LINK = "https://github.com/acme/settlement/pull/42"


@pytest.fixture
def profile(engineer: User) -> Profile:
    return ProfileFactory(user=engineer, status="approved", time_zone="Asia/Karachi")


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")


def make_contract(brief: Brief, profile: Profile, owner: User, **terms: Any) -> Contract:
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=owner))
    return contract_made(candidacy, **terms)


@pytest.fixture
def contract(brief: Brief, profile: Profile, owner: User) -> Contract:
    """Active, fixed price USD 6,000, two milestones of USD 3,000, per milestone."""
    return make_contract(brief, profile, owner)


@pytest.fixture
def other_engineer(db: None) -> User:
    user = EngineerFactory(email="other@example.com")
    ProfileFactory(user=user, status="approved")
    return user


def first(contract: Contract) -> Milestone:
    return contract.current.milestones.order_by("position")[0]


def url(name: str, contract: Contract, *args: Any) -> str:
    return reverse(f"hiring:{name}", args=[contract.pk, *args])


def page(contract: Contract) -> str:
    return reverse("hiring:contract_detail", args=[contract.pk])


def emails(template: str, to: str | None = None) -> list[OutboundEmail]:
    found = OutboundEmail.objects.filter(template=f"hiring/milestones/email/{template}")
    if to is not None:
        found = found.filter(to=to)
    return list(found.order_by("pk"))


def lines(contract: Contract) -> list[str]:
    """The system lines of the contract's thread, oldest first."""
    return list(
        Message.objects.filter(thread=contract.thread, side=Message.Side.SYSTEM)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def karachi_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo("Asia/Karachi")).date()
