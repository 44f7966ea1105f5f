"""Load the demo accounts once and print their logins (developer machines only).

Besides the named accounts, it makes sure a few hundred generated engineers
exist (candidates' generate_engineers, fixed seed) so that browsing has
something to show, and gives the two named engineers approved profiles built
through candidates.services like any engineer's.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import User
from candidates import services as profiles
from candidates.management.commands.generate_engineers import generate_engineers
from candidates.models import Job, PortfolioItem, Profile, Skill

DEMO_PASSWORD = "karigar-demo-2026"  # noqa: S105 - printed on purpose; DEBUG only

DEMO_USERS = [
    ("employer@karigar.localhost", "Ayesha Siddiqui", User.Role.EMPLOYER),
    ("bilal@karigar.localhost", "Bilal Ahmed", User.Role.ENGINEER),
    ("hira@karigar.localhost", "Hira Malik", User.Role.ENGINEER),
    ("staff@karigar.localhost", "Karigar Staff", User.Role.STAFF),
]

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
            "headline": "Go and PostgreSQL engineer for high-traffic APIs",
            "bio": (
                "Four years of backend work in Go and Node.js, mostly ride-hailing and food "
                "delivery: dispatch, pricing and the APIs the apps call. I work Lahore "
                "afternoons into the evening, which overlaps well with European teams."
            ),
            "years_experience": 4,
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
            ("Go", "4", 3),
            ("PostgreSQL", "4", 3),
            ("Redis", "3", 2),
            ("Node.js", "2", 2),
            ("Kubernetes", "2", 2),
            ("gRPC", "1.5", 2),
        ],
        "portfolio": [
            (
                "Rider dispatch service",
                "Rewrote rider assignment in Go with Redis for live positions; median time "
                "to assign a rider fell from 40 to 9 seconds.",
                2024,
                ["Go", "Redis"],
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


class Command(BaseCommand):
    help = "Create the demo employer, engineers and staff user if they are missing."

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
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, _, role in DEMO_USERS:
            self.stdout.write(f"  {role.label:<20} {email}")

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
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role == User.Role.EMPLOYER:
            services.company_create(
                owner=user, name="Ravi Logistics", website="https://ravi-logistics.example"
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
        profiles.profile_submit(profile=profile)
        profiles.profile_approve(profile=profile)
