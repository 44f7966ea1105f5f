"""Fixtures of the contract tests: an engineer (Karachi, 10:00-19:00) in Offer on a
brief of the owner's company, after accepting its outreach; the contract form as a
browser posts it; and helpers that draft, send and accept through the services."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from hiring.contracts import services
from hiring.models import Contract, ContractVersion, Milestone, VersionAcceptance
from screening.models import Candidacy
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, candidacy_at_offer, candidacy_in

TODAY = timezone.localdate


def start() -> date:
    return TODAY() + timedelta(days=7)


@pytest.fixture
def profile(engineer: User) -> Profile:
    return ProfileFactory(user=engineer, status="approved")


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(
        company=owner.membership.company, created_by=owner, title="Settlement service"
    )


@pytest.fixture
def candidacy(brief: Brief, profile: Profile, owner: User) -> Candidacy:
    """The engineer in Offer: they accepted the owner's outreach (USD 35 an hour, 40
    hours a week, 3 hours' overlap, six months from three weeks from now)."""
    return candidacy_at_offer(candidacy_in(brief, profile, user=owner))


def terms(**overrides: Any) -> dict[str, Any]:
    """Valid terms as the services take them: a fixed price of USD 6,000 in two milestones."""
    values: dict[str, Any] = {
        "title": "Settlement service",
        "scope": "Build the settlement service and hand it over with its runbook.",
        "engagement": "fixed",
        "rate": Decimal("6000"),
        "currency": "USD",
        "hours_cap": 30,
        "start_on": start(),
        "end_on": start() + timedelta(days=90),
        "notice_days": 14,
        "invoice_cadence": "milestone",
        "pay_within_days": 14,
        "deem_accept_days": 7,
        "trial_weeks": None,
        "overlap_starts": None,
        "overlap_ends": None,
        "checkin_weekday": 4,
        "checkin_time": time(16, 0),
        "call_weekday": None,
        "call_time": None,
        "call_minutes": None,
        "tools": [{"kind": "slack", "url": "https://acme.slack.com/archives/C1"}],
    }
    values.update(overrides)
    return values


def milestones(n: int = 2, total: Decimal | int = Decimal("6000")) -> list[dict[str, Any]]:
    return [
        {
            "key": "",
            "title": f"Milestone {i + 1}",
            "acceptance_criteria": f"Part {i + 1} runs on staging and its tests pass.",
            "due_on": start() + timedelta(days=15 * (i + 1)),
            "amount": (Decimal(total) / n).quantize(Decimal("0.01")),
        }
        for i in range(n)
    ]


def form_data(
    rows: list[dict[str, Any]] | None = None, *, blank: int = 1, **overrides: Any
) -> dict[str, str]:
    """The contract form as a browser posts it (``save`` pressed): ``terms()`` changed by
    ``overrides`` (None leaves a field empty), ``rows`` as milestone rows (default two)
    and ``blank`` empty rows after them."""
    values = terms(**overrides)
    tools = {t["kind"]: t["url"] for t in values.pop("tools")}
    data: dict[str, str] = {"save": "1"}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif hasattr(value, "strftime") and name.endswith("_time"):
            data[name] = value.strftime("%H:%M")
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    for kind in ("slack", "trello", "asana", "whatsapp", "repository"):
        data[f"tool_{kind}"] = tools.get(kind, "")
    rows = milestones() if rows is None else rows
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"m-{i}-{name}"] = "" if value is None else str(value)
    data["m-TOTAL_FORMS"] = str(len(rows) + blank)
    data["m-INITIAL_FORMS"] = "0"
    data["m-MIN_NUM_FORMS"] = "0"
    data["m-MAX_NUM_FORMS"] = "20"
    return data


def draft(candidacy: Candidacy, by: User, **overrides: Any) -> Contract:
    return services.contract_draft(
        candidacy=candidacy, by=by, terms=terms(**overrides), milestones=milestones()
    )


def offered(candidacy: Candidacy, by: User, **overrides: Any) -> Contract:
    contract = draft(candidacy, by, **overrides)
    services.contract_send(contract=contract, by=by)
    contract.refresh_from_db()
    return contract


def accept(contract: Contract, user: User, number: int | None = None) -> VersionAcceptance:
    contract.refresh_from_db()
    version = (
        ContractVersion.objects.get(contract=contract, number=number)
        if number
        else contract.current
    )
    assert version is not None
    return services.version_accept(
        contract=contract,
        user=user,
        number=version.number or 0,
        content_hash=version.content_hash,
    )


def counts() -> tuple[int, int, int, int]:
    """Rows of contracts, versions, milestones and acceptances: "nothing saved" checks."""
    return (
        Contract.objects.count(),
        ContractVersion.objects.count(),
        Milestone.objects.count(),
        VersionAcceptance.objects.count(),
    )


def emails(template: str) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(template=f"hiring/contracts/email/{template}").order_by("pk")
    )
