"""An engineer working through the profile sections: no console errors, a way on from
each section, and "Submit for review" only when there is something to submit."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.factories import PASSWORD, EngineerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Every console error and Content-Security-Policy violation the pages report."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + (e.sample || e.blockedURI)))"
    )
    yield errors


def log_in(page: Page) -> None:
    EngineerFactory(email="sana@example.com", full_name="Sana Javed")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("sana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(re.compile("/profile/$"))


def test_adding_a_skill_and_a_project_logs_no_console_errors(
    page: Page, console_errors: list[str]
) -> None:
    log_in(page)
    page.goto("/profile/skills/")
    page.get_by_label("Skill", exact=True).select_option(label="Python")
    page.get_by_label("Years using it").fill("4")
    page.get_by_role("button", name="Save skill").click()
    expect(page.get_by_role("status")).to_contain_text("Python added.")
    page.get_by_role("button", name="Remove Python").click()
    expect(page.get_by_role("status")).to_contain_text("Python removed.")

    page.get_by_role("link", name="Next: Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    page.get_by_label("Title").fill("Ledger service")
    page.get_by_label("What you did").fill("Designed the double-entry ledger of a wallet.")
    page.locator("summary", has_text="Skills used").click()
    page.get_by_role("checkbox", name="Python").check()
    page.get_by_role("button", name="Add project").click()
    expect(page.get_by_role("heading", name=re.compile("Ledger service"))).to_be_visible()
    page.get_by_role("button", name="Remove Ledger service").click()
    expect(page.get_by_text("No projects yet")).to_be_visible()
    page.goto("/profile/")

    assert console_errors == []


def test_each_section_leads_on_to_the_next(page: Page) -> None:
    log_in(page)
    page.goto("/profile/about/")
    page.get_by_label("Headline").fill("Django engineer for payments")
    page.get_by_role("button", name="Save and continue to Skills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills")

    for section in ("Portfolio", "Experience", "Resume"):
        page.get_by_role("link", name=f"Next: {section}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(section)
    page.get_by_role("link", name="Next: Review and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")


def test_an_empty_profile_is_told_what_is_missing_instead_of_offered_a_submit_button(
    page: Page,
) -> None:
    log_in(page)

    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    missing = page.locator("#submit-missing")
    expect(missing).to_contain_text("You can submit your profile for review once it has:")
    missing.get_by_role("link", name="At least 3 skills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills")


def test_fields_needed_to_submit_are_marked_so_and_not_optional(page: Page) -> None:
    log_in(page)
    page.goto("/profile/about/")

    expect(page.get_by_text("Headline (needed to submit)")).to_be_visible()
    expect(page.get_by_text("Hourly rate", exact=False).first).to_contain_text(
        "(either rate needed to submit)"
    )
    expect(page.locator("label", has_text="GitHub")).to_contain_text("(optional)")
