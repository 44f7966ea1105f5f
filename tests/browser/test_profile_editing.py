"""The engineer's profile pages in a real browser: htmx in place, plain posts without it."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from candidates.models import ProfileSkill
from tests.factories import PASSWORD, EngineerFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/profile/",
    "/profile/about/",
    "/profile/skills/",
    "/profile/portfolio/",
    "/profile/experience/",
    "/profile/resume/",
    "/profile/blocked/",
    "/profile/delete/",
]


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


def log_in(page: Page) -> None:
    EngineerFactory(email="sana@example.com", full_name="Sana Javed")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("sana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page).to_have_url(re.compile("/profile/$"))


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_skills_are_added_and_removed_in_place(page: Page) -> None:
    log_in(page)
    page.goto("/profile/skills/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Skill", exact=True).select_option(label="Python")
    page.get_by_label("Years using it").fill("4")
    page.get_by_role("button", name="Save skill").click()

    expect(page.get_by_role("status")).to_contain_text("Python added.")
    expect(page.get_by_role("cell", name="Python", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove Python").click()
    expect(page.get_by_role("status")).to_contain_text("Python removed.")
    expect(page.get_by_role("cell", name="Python", exact=True)).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    assert not ProfileSkill.objects.exists()


def test_skill_errors_show_in_place(page: Page) -> None:
    log_in(page)
    page.goto("/profile/skills/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Years using it").fill("-1")
    page.get_by_role("button", name="Save skill").click()

    expect(page.locator(".field__errors").first).to_be_visible()
    expect(page.get_by_label("Years using it")).to_have_value("-1")
    assert page.evaluate("window.notReloaded") is True


def test_skills_and_projects_work_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    log_in(page)
    page.goto("/profile/skills/")

    page.get_by_label("Skill", exact=True).select_option(label="Django")
    page.get_by_label("Years using it").fill("3")
    page.get_by_role("button", name="Save skill").click()

    expect(page).to_have_url(re.compile("/profile/skills/$"))
    expect(page.get_by_text("Django added.")).to_be_visible()
    page.goto("/profile/portfolio/")
    page.get_by_label("Title").fill("Settlement engine")
    page.get_by_label("What you did").fill("Designed the ledger and its nightly jobs.")
    page.get_by_role("button", name="Add project").click()
    expect(page.get_by_role("heading", name=re.compile("Settlement engine"))).to_be_visible()
    page.get_by_role("button", name="Remove Settlement engine").click()
    expect(page.get_by_text("No projects yet")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violations_on_the_profile_pages(axe_page: Page, width: int) -> None:
    axe_page.set_viewport_size({"width": width, "height": 900})
    log_in(axe_page)
    for path in PAGES:
        axe_page.goto(path)
        results = Axe().run(axe_page)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
        overflow = axe_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
