"""Load the demo story once and print its logins (developer machines only).

The story a visitor can follow after `make run`:
- Ravi Logistics (employer@, owner; usman@, a teammate; one invitation still
  pending) has an open brief, "Django + PostgreSQL payments API", with a
  shortlist and notes, and a paused brief for a Go service;
- Bilal and Hira (bilal@, hira@) have complete, approved profiles that match
  the open brief; a few hundred generated engineers (candidates'
  generate_engineers, fixed seed) fill the search, and the staff review queue
  holds the generated profiles submitted in the last week.

It lives in hiring, the top app, because it writes to every app below it. It
sends no email: accounts are created verified, the named profiles are approved
without the approval email, and the pending invitation is recorded, not sent.
Running it again adds nothing that is already there.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import Company, Invitation, Membership, User
from candidates import services as profiles
from candidates.management.commands.generate_engineers import generate_engineers
from candidates.models import Job, PortfolioItem, Profile, Skill, snapshot
from searches import engine, selectors
from searches import services as briefs
from searches.models import Brief

DEMO_PASSWORD = "karigar-demo-2026"  # noqa: S105 - printed on purpose; DEBUG only

DEMO_USERS = [
    ("employer@karigar.localhost", "Ayesha Siddiqui", User.Role.EMPLOYER),
    ("usman@karigar.localhost", "Usman Tariq", User.Role.EMPLOYER),
    ("bilal@karigar.localhost", "Bilal Ahmed", User.Role.ENGINEER),
    ("hira@karigar.localhost", "Hira Malik", User.Role.ENGINEER),
    ("staff@karigar.localhost", "Karigar Staff", User.Role.STAFF),
]

# What each login is for, as printed after loading.
WHO = {
    "employer@karigar.localhost": "Ravi Logistics, owner (start here)",
    "usman@karigar.localhost": "Ravi Logistics, hiring manager",
    "bilal@karigar.localhost": "Engineer, approved profile",
    "hira@karigar.localhost": "Engineer, approved profile",
    "staff@karigar.localhost": "Staff: review queue at /admin/",
}
COMPANY = "Ravi Logistics"
OWNER = "employer@karigar.localhost"
TEAMMATE = "usman@karigar.localhost"
INVITED = "zara@ravi-logistics.example"

# Below this many profiles, demo_data adds this many generated engineers (same seed each time).
GENERATED_ENGINEERS = 300
GENERATED_SEED = 2026

DEMO_PROFILES: dict[str, dict[str, Any]] = {
    "bilal@karigar.localhost": {
        "fields": {
            "headline": "Senior Django engineer for payments and logistics",
            "bio": (
                "I have spent seven years building Python backends for companies in Lahore "
                "and the Gulf: payment reconciliation, courier tracking and the reporting "
                "that finance teams live in. I like PostgreSQL, boring deployments and code "
                "reviews that teach something."
            ),
            "years_experience": 7,
            "seniority": Profile.Seniority.SENIOR,
            "engagement_types": [Profile.Engagement.CONTRACT, Profile.Engagement.FULL_TIME],
            "hours_per_week": 40,
            "hourly_rate_usd": Decimal("35.00"),
            "monthly_rate_pkr": Decimal("550000"),
            "english": Profile.English.FLUENT,
            "github_url": "https://github.com/bilal-ahmed-demo",
        },
        "skills": [
            ("Python", "7", 4),
            ("Django", "6", 4),
            ("PostgreSQL", "6", 3),
            ("Celery", "4", 3),
            ("Docker", "4", 3),
            ("AWS", "3", 2),
        ],
        "portfolio": [
            (
                "Courier tracking API",
                "Designed the Django REST API that tells shops and customers where a parcel "
                "is, fed by rider apps; about 40,000 updates an hour at peak.",
                2023,
                ["Django", "PostgreSQL", "Celery"],
            ),
            (
                "Payments reconciliation",
                "Matched bank settlement files against orders every night and flagged "
                "mismatches for finance, replacing a spreadsheet that took two people a day.",
                2021,
                ["Python", "PostgreSQL"],
            ),
        ],
        "jobs": [
            ("Anarkali Commerce", "Senior Software Engineer", date(2021, 3, 1), None),
            ("Data Darbar", "Software Engineer", date(2018, 7, 1), date(2021, 2, 28)),
        ],
    },
    "hira@karigar.localhost": {
        "fields": {
            "headline": "Django and Go engineer for high-traffic APIs",
            "bio": (
                "Five years of backend work, mostly ride-hailing and food delivery: "
                "dispatch, pricing and the APIs the apps call. Django and PostgreSQL for "
                "the business side, Go where a service must answer in milliseconds. I work "
                "Lahore afternoons into the evening, which overlaps well with European teams."
            ),
            "years_experience": 5,
            "seniority": Profile.Seniority.MID,
            "engagement_types": [Profile.Engagement.CONTRACT, Profile.Engagement.PART_TIME],
            "hours_per_week": 25,
            "hourly_rate_usd": Decimal("24.00"),
            "english": Profile.English.FLUENT,
            "work_starts": time(13),
            "work_ends": time(22),
            "linkedin_url": "https://www.linkedin.com/in/hira-malik-demo",
        },
        "skills": [
            ("Python", "5", 3),
            ("Django", "4", 3),
            ("PostgreSQL", "5", 3),
            ("Go", "3", 3),
            ("Redis", "3", 2),
            ("Celery", "2", 2),
        ],
        "portfolio": [
            (
                "Rider dispatch service",
                "Rewrote rider assignment in Go with Redis for live positions; median time "
                "to assign a rider fell from 40 to 9 seconds.",
                2024,
                ["Go", "Redis"],
            ),
            (
                "Restaurant payouts",
                "A Django and PostgreSQL service that works out what each restaurant is "
                "owed every week, with Celery jobs that send the bank files.",
                2022,
                ["Django", "PostgreSQL", "Celery"],
            ),
        ],
        "jobs": [
            ("Tanga Mobility", "Backend Engineer", date(2022, 1, 10), None),
            (
                "Chai Break Software",
                "Associate Software Engineer",
                date(2021, 1, 4),
                date(2021, 12, 31),
            ),
        ],
    },
}

OPEN_BRIEF = "Django + PostgreSQL payments API"
PAUSED_BRIEF = "Go service for live rider tracking"

DEMO_BRIEFS: list[dict[str, Any]] = [
    {
        "data": {
            "title": OPEN_BRIEF,
            "description": (
                "Ravi Logistics collects cash on delivery for about 300 shops in Lahore. "
                "We need an API that settles what each shop is owed every night, matches "
                "bank transfers against orders and shows finance what is still open. "
                "Django and PostgreSQL, Celery for the nightly jobs; three months of "
                "contract work to start, with a chance to stay on."
            ),
            "max_hourly_usd": Decimal("50"),
            "min_overlap_hours": 4,
        },
        "must": ["Django", "PostgreSQL"],
        "nice": ["Celery", "Docker", "AWS"],
        "status": Brief.Status.OPEN,
    },
    {
        "data": {
            "title": PAUSED_BRIEF,
            "description": (
                "A small Go service that takes rider positions from the app every few "
                "seconds and tells shops where their parcel is. On hold until the "
                "payments API is live."
            ),
            "engagement": Profile.Engagement.CONTRACT,
            "min_overlap_hours": 3,
        },
        "must": ["Go"],
        "nice": ["Redis", "Kubernetes"],
        "status": Brief.Status.PAUSED,
    },
]

# Who is on the open brief's shortlist, who added them, and why.
SHORTLIST_NOTES = {
    "bilal@karigar.localhost": (
        OWNER,
        "Built courier tracking and nightly bank reconciliation at Anarkali Commerce: "
        "ask about matching settlement files.",
    ),
    "hira@karigar.localhost": (
        TEAMMATE,
        "Restaurant payouts in Django, so she knows settlements. Works 1 to 10 pm: "
        "five hours with us.",
    ),
}
GENERATED_NOTES = [
    (OWNER, "Good fit on paper; check the Celery experience in a first call."),
    (TEAMMATE, "Rate is within budget. Ask whether they can start this month."),
]


class Command(BaseCommand):
    help = "Create the demo company, briefs, engineers and staff user if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for developer machines (DEBUG=true) only.")
        with transaction.atomic():
            created = [self._ensure(email, name, role) for email, name, role in DEMO_USERS]
            for email, profile in DEMO_PROFILES.items():
                self._ensure_profile(email, profile)
        if any(created):
            self.stdout.write("Loaded demo data.")
        if Profile.objects.count() < GENERATED_ENGINEERS:
            # Mostly approved, with some in every other state so the review queue has work.
            made = generate_engineers(
                count=GENERATED_ENGINEERS, seed=GENERATED_SEED, status="mixed"
            )
            self.stdout.write(f"Generated {made} engineers to browse and review.")
        with transaction.atomic():
            self._ensure_team()
            self._ensure_briefs()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, _, _ in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {WHO[email]}")

    def _ensure(self, email: str, name: str, role: str) -> bool:
        if User.objects.filter(email=email).exists():
            return False
        staff = role == User.Role.STAFF
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            role=role,
            is_staff=staff,
            is_superuser=staff,
        )
        # Verified from the start: demo accounts get no confirmation email.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if email == OWNER:
            services.company_create(
                owner=user, name=COMPANY, website="https://ravi-logistics.example"
            )
        return True

    def _ensure_profile(self, email: str, data: dict[str, Any]) -> None:
        """An approved profile for a named demo engineer, unless they have started their own."""
        user = User.objects.get(email=email)
        profile = profiles.profile_ensure(user=user)
        if profile.status != Profile.Status.DRAFT or profile.skills.exists():
            return
        for name, value in data["fields"].items():
            setattr(profile, name, value)
        profile.save()
        skills = {skill.name: skill for skill in Skill.objects.all()}
        for name, years, level in data["skills"]:
            profiles.skill_set(
                profile=profile, skill=skills[name], years=Decimal(years), level=level
            )
        for title, description, year, used in data["portfolio"]:
            profiles.portfolio_save(
                profile=profile,
                item=PortfolioItem(title=title, description=description, year=year),
                skills=[skills[name] for name in used],
            )
        for employer, title, started, ended in data["jobs"]:
            profiles.job_save(
                profile=profile,
                job=Job(employer=employer, title=title, started=started, ended=ended),
            )
        # Submitted through the service, which checks the profile is complete ...
        profiles.profile_submit(profile=profile)
        # ... and approved as staff would, minus the "you are approved" email.
        profile.refresh_from_db()
        profile.status = Profile.Status.APPROVED
        profile.approved_at = timezone.now()
        profile.approved_snapshot = snapshot(profile)
        profile.save(update_fields=["status", "approved_at", "approved_snapshot", "updated_at"])

    def _ensure_team(self) -> None:
        """A teammate who joined through an invitation, and one invitation still open."""
        company = Company.objects.get(memberships__user__email=OWNER)
        owner = User.objects.get(email=OWNER)
        mate = User.objects.get(email=TEAMMATE)
        if not Membership.objects.filter(user=mate).exists():
            invitation = Invitation.objects.create(
                company=company, email=mate.email, invited_by=owner
            )
            services.invitation_accept(token=invitation.token, user=mate)
        pending = Invitation.objects.filter(
            company=company,
            email__iexact=INVITED,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        if not pending.exists():
            # Recorded, not sent: services.invitation_send would email it.
            Invitation.objects.create(company=company, email=INVITED, invited_by=owner)
        else:
            # Still pending however long ago the demo was loaded.
            pending.filter(expires_at__lte=timezone.now()).update(
                expires_at=timezone.now() + timedelta(days=Invitation.VALID_DAYS)
            )

    def _ensure_briefs(self) -> None:
        company = Company.objects.get(memberships__user__email=OWNER)
        owner = User.objects.get(email=OWNER)
        skills = {skill.name: skill for skill in Skill.objects.all()}
        for spec in DEMO_BRIEFS:
            if Brief.objects.filter(company=company, title=spec["data"]["title"]).exists():
                continue
            brief = briefs.brief_create(
                company=company,
                user=owner,
                data=spec["data"],
                must=[(skills[name], None) for name in spec["must"]],
                nice=[skills[name] for name in spec["nice"]],
            )
            if spec["status"] != Brief.Status.OPEN:
                briefs.brief_set_status(brief=brief, status=spec["status"])
            if spec["data"]["title"] == OPEN_BRIEF:
                self._fill_shortlist(brief)

    def _fill_shortlist(self, brief: Brief) -> None:
        """The named engineers and two of the brief's generated matches, each with a note."""
        users = {user.email: user for user in User.objects.filter(email__in=[OWNER, TEAMMATE])}
        criteria = selectors.criteria_from_brief(brief, selectors.brief_skills(brief))
        matches = engine.matching(criteria, brief.company).select_related("user")
        named = {p.user.email: p for p in matches.filter(user__email__in=SHORTLIST_NOTES)}
        for email, (added_by, note) in SHORTLIST_NOTES.items():
            if email in named:
                briefs.shortlist_add(
                    brief=brief, profile=named[email], user=users[added_by], note=note
                )
        others = matches.filter(user__email__endswith="@engineers.example").order_by("pk")
        chosen = list(others[: len(GENERATED_NOTES)])
        for profile, (added_by, note) in zip(chosen, GENERATED_NOTES[: len(chosen)], strict=True):
            briefs.shortlist_add(brief=brief, profile=profile, user=users[added_by], note=note)
