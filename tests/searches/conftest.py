"""Known engineers for the search tests: who should match, and who must never show."""

from __future__ import annotations

from datetime import time

import pytest

from accounts.models import Company
from candidates import services
from candidates.models import Profile
from tests.factories import EmployerFactory
from tests.searches.test_search import engineer


@pytest.fixture
def company() -> Company:
    owner = EmployerFactory(email="hiring@acme.example")
    company = owner.membership.company
    company.time_zone, company.work_starts, company.work_ends = "Asia/Karachi", time(9), time(18)
    company.save()
    return company


@pytest.fixture
def people(company: Company) -> dict[str, Profile]:
    blocked = engineer("Fahad Blocked", {"Python": "7", "Django": "6", "PostgreSQL": "6"}, "25", 7)
    services.company_block(profile=blocked, kind="name", value=company.name)
    return {
        "ayesha": engineer("Ayesha Khan", {"Python": "6", "Django": "5"}, "30", 6),
        "bilal": engineer("Bilal Junior", {"Python": "2", "Django": "1"}, "20", 2),
        "hassan": engineer("Hassan Costly", {"Python": "8"}, "60", 9),
        "zainab": engineer("Zainab Gopher", {"Go": "5"}, "30", 5),
        "sana": engineer(
            "Sana Paused",
            {"Python": "5", "Django": "4"},
            "35",
            5,
            availability=Profile.Availability.NOT_LOOKING,
        ),
        "hira": engineer(
            "Hira Allround", {"Python": "4", "Django": "3", "PostgreSQL": "2"}, "20", 4
        ),
        "fahad": blocked,
    }
