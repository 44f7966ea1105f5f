"""From an empty profile to a listed one: the engineer fills and submits, staff approve."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from candidates.models import Profile
from tests.factories import PASSWORD, EmployerFactory, EngineerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def add_skill(page: Page, name: str, years: str) -> None:
    page.get_by_label("Skill", exact=True).select_option(label=name)
    page.get_by_label("Years using it").fill(years)
    page.get_by_role("button", name="Save skill").click()
    expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible()


def test_an_engineer_fills_a_profile_staff_approve_it_and_it_is_listed(
    page: Page,
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    EngineerFactory(email="sana@example.com", full_name="Sana Javed")
    log_in(page, "sana@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    page.goto("/profile/about/")
    page.get_by_label("Headline").fill("Django engineer for payment systems")
    page.get_by_label("Bio").fill(
        "I design and run payment backends in Django and PostgreSQL, from ledgers to "
        "reconciliation jobs, and I like small, well-tested services."
    )
    page.get_by_label("Years of experience").fill("6")
    page.get_by_label("Seniority").select_option(label="Senior")
    page.get_by_label("Contract").check()
    page.get_by_label("Hours per week").fill("40")
    page.get_by_label("Hourly rate (USD)").fill("35")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    page.goto("/profile/skills/")
    add_skill(page, "Python", "6")
    add_skill(page, "Django", "5")
    add_skill(page, "PostgreSQL", "5")

    page.goto("/profile/")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Waiting for review")).to_be_visible()

    staff = browser.new_context(base_url=live_server.url).new_page()
    EngineerFactory(
        email="staff@karigar.example", role=User.Role.STAFF, is_staff=True, is_superuser=True
    )
    log_in(staff, "staff@karigar.example")
    staff.goto("/admin/candidates/profilereview/")
    staff.get_by_role("checkbox", name=re.compile("Select this object", re.I)).first.check()
    staff.locator("select[name=action]").select_option(label="Approve selected profiles")
    staff.get_by_role("button", name=re.compile("^Go$|^Run$", re.I)).first.click()
    expect(staff.locator(".messagelist")).to_contain_text(re.compile("approved", re.I))
    staff.context.close()

    page.reload()
    expect(page.get_by_text("Approved and listed")).to_be_visible()
    profile = Profile.objects.get(user__email="sana@example.com")
    assert Profile.objects.listed().filter(pk=profile.pk).exists()

    employer = browser.new_context(base_url=live_server.url).new_page()
    EmployerFactory(email="hiring@acme.example")
    log_in(employer, "hiring@acme.example")
    employer.goto(f"/engineers/{profile.pk}/")
    expect(employer.get_by_role("heading", level=1)).to_have_text("Sana Javed")
    expect(employer.get_by_role("row", name=re.compile("Python"))).to_be_visible()
    employer.context.close()
