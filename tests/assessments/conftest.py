"""Fixtures of the assessment tests: a template with a two-line rubric, an engineer who
said yes (Interested), an assessment sent to them with two graders, and helpers that
post the forms the way a browser does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail, User
from candidates.models import Profile
from screening.models import Assessment, AssessmentTemplate, Candidacy, Stage
from screening.services import assessments as services
from searches.models import Brief
from tests.factories import BriefFactory, MembershipFactory, ProfileFactory, candidacy_in
from tests.screening.conftest import walk_to

RUBRIC = [
    {
        "name": "Correctness",
        "weight": 60,
        "level_1": "Does not run",
        "level_2": "Runs, main path broken",
        "level_3": "Main path works",
        "level_4": "Works, edge cases too",
    },
    {
        "name": "Tests",
        "weight": 40,
        "level_1": "None",
        "level_2": "A few happy paths",
        "level_3": "Main behaviour covered",
        "level_4": "Thorough and readable",
    },
]

TEMPLATE_FIELDS: dict[str, Any] = {
    "title": "Ledger API",
    "instructions": "Build a small double-entry ledger API with tests.",
    "time_box_hours": 4,
    "deadline_days": 5,
    "paid": True,
    "amount": 100,
    "currency": "USD",
    "submit_kind": "repository",
    "submit_note": "Share a private repository with hiring@acme.example.",
}


def make_template(company: Any, user: User, **changes: Any) -> AssessmentTemplate:
    from decimal import Decimal

    fields = TEMPLATE_FIELDS | {"amount": Decimal("100")} | changes
    return services.template_save(company=company, user=user, fields=fields, criteria=RUBRIC)


def template_post(
    fields: dict[str, Any] | None = None, criteria: list[dict[str, Any]] | None = None
) -> dict[str, str]:
    """The template form and its rubric formset as a browser posts them."""
    data: dict[str, Any] = dict(TEMPLATE_FIELDS | (fields or {}))
    rows = RUBRIC if criteria is None else criteria
    data |= {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "12",
    }
    for n, row in enumerate(rows):
        data |= {f"criteria-{n}-{k}": v for k, v in row.items()}
    if not data.get("paid"):
        data.pop("paid", None)
    return {k: str(v) for k, v in data.items() if v is not None}


def local_input(moment: datetime, zone: str) -> str:
    """How a datetime-local input in ``zone`` posts ``moment``."""
    from zoneinfo import ZoneInfo

    return timezone.localtime(moment, ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def grade_post(assessment: Assessment, scores: list[int], **extra: str) -> dict[str, str]:
    data = {"recommendation": "1"}
    for criterion, score in zip(assessment.rubric, scores, strict=True):
        data[f"score_{criterion['key']}"] = str(score)
        data[f"evidence_{criterion['key']}"] = f"Saw it in {criterion['name'].lower()}."
    return data | extra


def emails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=f"email/{template}").order_by("pk"))


@pytest.fixture
def grader(owner: User) -> User:
    """A second teammate who grades."""
    return MembershipFactory(
        company=owner.membership.company,
        user__email="grader@acme.example",
        user__full_name="Grace Grader",
    ).user


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")


@pytest.fixture
def profile(engineer: User) -> Profile:
    return ProfileFactory(user=engineer, status="approved", time_zone="Europe/Berlin")


@pytest.fixture
def interested(brief: Brief, profile: Profile, owner: User) -> Candidacy:
    """The engineer said yes to the owner's outreach: their card is in Interested."""
    return walk_to(candidacy_in(brief, profile, user=owner), Stage.INTERESTED, owner)


@pytest.fixture
def template(owner: User) -> AssessmentTemplate:
    return make_template(owner.membership.company, owner)


@pytest.fixture
def send(owner: User, teammate: User, template: AssessmentTemplate) -> Callable[..., Assessment]:
    """``send(candidacy, graders=[...], anonymous=..., deadline=...)`` through the service."""

    def go(candidacy: Candidacy, **options: Any) -> Assessment:
        options.setdefault("graders", [owner, teammate])
        options.setdefault("deadline", timezone.now() + timedelta(days=5))
        return services.assessment_send(
            candidacy=candidacy, template=template, sender=owner, **options
        )

    return go


@pytest.fixture
def sent(interested: Candidacy, send: Callable[..., Assessment]) -> Assessment:
    """An assessment waiting for the engineer; the owner and the teammate grade it."""
    return send(interested)


@pytest.fixture
def submitted(sent: Assessment, engineer: User) -> Assessment:
    return services.assessment_submit(
        assessment=sent, user=engineer, url="https://github.com/sana/ledger", note="Run make test."
    )


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def url(name: str, pk: int) -> str:
    return reverse(f"screening:{name}", args=[pk])
