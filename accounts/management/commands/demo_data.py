"""Load the demo accounts once and print their logins (developer machines only)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import User

DEMO_PASSWORD = "karigar-demo-2026"  # noqa: S105 - printed on purpose; DEBUG only

DEMO_USERS = [
    ("employer@karigar.localhost", "Ayesha Siddiqui", User.Role.EMPLOYER),
    ("bilal@karigar.localhost", "Bilal Ahmed", User.Role.ENGINEER),
    ("hira@karigar.localhost", "Hira Malik", User.Role.ENGINEER),
    ("staff@karigar.localhost", "Karigar Staff", User.Role.STAFF),
]


class Command(BaseCommand):
    help = "Create the demo employer, engineers and staff user if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for developer machines (DEBUG=true) only.")
        with transaction.atomic():
            created = [self._ensure(email, name, role) for email, name, role in DEMO_USERS]
        if any(created):
            self.stdout.write("Loaded demo data.")
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
