"""Fixtures of the ending-and-reviews tests: an active contract between the owner's
company and the ``engineer`` fixture (Karachi), and helpers that end it and review it
through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from hiring.contracts.terms import version_copy, version_freeze
from hiring.models import ChangeOrder, Contract, ContractReview, Side
from hiring.reviews import services
from tests.factories import (
    BriefFactory,
    ProfileFactory,
    UserFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)

KARACHI = ZoneInfo("Asia/Karachi")
COMPANY_TEXT = "Sana shipped the settlement service on time and documented it well."
ENGINEER_TEXT = "A clear brief, quick answers on the pull requests, and paid on the day."


@pytest.fixture
def profile(engineer: User) -> Profile:
    return ProfileFactory(user=engineer, status="approved")


@pytest.fixture
def contract(owner: User, profile: Profile) -> Contract:
    """Active since today: 90 days agreed, 14 days' notice, in Karachi time."""
    brief = BriefFactory(company=owner.membership.company, created_by=owner, title="Payments")
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=owner))
    return Contract.objects.select_related("current").get(pk=contract_made(candidacy).pk)


@pytest.fixture
def other_engineer(db: None) -> User:
    """An engineer with a contract of their own, nothing to do with ``contract``."""
    return ProfileFactory(status="approved", user__email="other@example.com").user


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))
    return client


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def local_midnight(day: date) -> datetime:
    """The moment ``day`` begins in Karachi."""
    return datetime.combine(day, time(0), tzinfo=KARACHI)


def give_notice(
    contract: Contract, by: User, *, side: str = Side.COMPANY, days: int = 14
) -> Contract:
    return services.contract_end(
        contract=contract,
        by=by,
        side=side,
        reason="The project is done.",
        ends_on=timezone.localdate(timezone.now(), KARACHI) + timedelta(days=days),
    )


def ended(contract: Contract, *, ago: timedelta = timedelta(days=1)) -> Contract:
    """The contract as the sweep leaves it, ``ago`` before now (written straight in)."""
    now = timezone.now()
    contract.status = Contract.Status.ENDED
    contract.ends_on = timezone.localdate(now - ago, KARACHI) - timedelta(days=1)
    contract.ended_at = now - ago
    contract.reviews_close_at = contract.ended_at + timedelta(days=Contract.REVIEW_DAYS)
    contract.save(update_fields=["status", "ends_on", "ended_at", "reviews_close_at"])
    return contract


def review(contract: Contract, by: User, side: str, **changes: Any) -> ContractReview:
    values: dict[str, Any] = {
        "stars": 5 if side == Side.COMPANY else 4,
        "scores": {"quality": 5, "time_zones": 4}
        if side == Side.COMPANY
        else {"clarity": 4, "paying_on_time": 5},
        "public_text": COMPANY_TEXT if side == Side.COMPANY else ENGINEER_TEXT,
        "private_note": f"Private from the {side}.",
    }
    values.update(changes)
    return services.review_create(contract=contract, by=by, side=side, **values)


def review_data(side: str, **changes: Any) -> dict[str, Any]:
    """The review form as a browser posts it."""
    data: dict[str, Any] = {
        "stars": "5",
        "public_text": COMPANY_TEXT if side == Side.COMPANY else ENGINEER_TEXT,
        "private_note": "Only for staff.",
    }
    data.update(
        {"quality": "5", "communication": "4"} if side == Side.COMPANY else {"clarity": "4"}
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def open_change_order(contract: Contract, by: User) -> ChangeOrder:
    """An open change order on the version in force (its proposal sent, not accepted)."""
    assert contract.current is not None
    proposal = version_copy(contract.current, by=by)
    proposal.hours_cap = 20
    proposal.save()
    version_freeze(proposal, number=None)
    return ChangeOrder.objects.create(
        contract=contract, base=contract.current, proposal=proposal, side="company", proposed_by=by
    )


def emails(template: str) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(template=f"hiring/reviews/email/{template}").order_by("pk")
    )


def page(client: Client, contract: Contract) -> str:
    response = client.get(reverse("hiring:contract_detail", args=[contract.pk]))
    assert response.status_code == 200
    return response.content.decode()
