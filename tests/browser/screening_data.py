"""What the screening browser tests start from, set up through the services: Acme
Logistics (Berlin) with its owner and a teammate, a brief with a technical interview
kit, an assessment template with a 60/40 rubric, and engineers in Lahore who accepted
the owner's outreach (Interested)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from playwright.sync_api import Page, expect

from accounts.models import User
from candidates.models import Profile
from hiring import services as hiring
from screening.models import AssessmentTemplate, Candidacy, InterviewKit, Stage
from screening.services import assessments, bank
from searches.models import Brief
from tests.factories import (
    PASSWORD,
    BriefFactory,
    EmployerFactory,
    MembershipFactory,
    ProfileFactory,
    candidacy_in,
    outreach_sent,
)

OWNER = "ayesha@acme.example"
TEAMMATE = "omar@acme.example"
COMPANY_TZ = "Europe/Berlin"
ENGINEER_TZ = "Asia/Karachi"

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


@dataclass
class Acme:
    owner: User
    teammate: User
    brief: Brief
    template: AssessmentTemplate
    kit: InterviewKit

    def interested(self, email: str, name: str) -> Candidacy:
        """An engineer in Lahore who accepted the owner's outreach for the brief."""
        profile: Profile = ProfileFactory(
            user__email=email,
            user__full_name=name,
            status="approved",
            city="Lahore",
            time_zone=ENGINEER_TZ,
        )
        outreach = outreach_sent(
            candidacy_in(self.brief, profile), sender=self.owner, message="Hello"
        )
        hiring.outreach_accept(outreach=outreach, user=profile.user, note="Happy to talk")
        candidacy = Candidacy.objects.get(pk=outreach.candidacy_id)
        assert candidacy.stage == Stage.INTERESTED
        return candidacy


def make_acme() -> Acme:
    owner = EmployerFactory(
        email=OWNER,
        full_name="Ayesha Khan",
        membership__company__name="Acme Logistics",
        membership__company__city="Berlin",
        membership__company__time_zone=COMPANY_TZ,
    )
    company = owner.membership.company
    teammate = MembershipFactory(
        company=company, user__email=TEAMMATE, user__full_name="Omar Farooq"
    ).user
    brief = BriefFactory(company=company, created_by=owner, title="Payments API")
    template = assessments.template_save(
        company=company,
        user=owner,
        fields={
            "title": "Ledger API",
            "instructions": "Build a small double-entry ledger API with tests.",
            "time_box_hours": 4,
            "deadline_days": 5,
            "paid": True,
            "amount": Decimal("100"),
            "currency": "USD",
            "submit_kind": "repository",
            "submit_note": "Share a repository we can read.",
        },
        criteria=RUBRIC,
    )
    questions = [
        bank.question_add(
            company=company,
            user=owner,
            text="How would you make a payments API safe to retry?",
            focus="apis",
            good_answer="Idempotency keys stored with the result; retries replay it.",
        ),
        bank.question_add(
            company=company,
            user=owner,
            text="When does an index make a query slower?",
            focus="databases",
            good_answer="Writes pay for every index; low-selectivity columns.",
        ),
    ]
    kit = bank.kit_save(
        company=company,
        user=owner,
        title="Backend technical",
        kind="technical",
        focus=["apis", "databases", "communication"],
        notes="Probe how they would shard the ledger.",
        question_ids=[q.pk for q in questions],
    )
    bank.brief_kits_set(brief=brief, technical=kit, final=None)
    return Acme(owner, teammate, brief, template, kit)


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
