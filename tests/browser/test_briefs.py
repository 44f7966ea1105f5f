"""An employer's brief, from writing it to comparing a shortlist, in a real browser."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from searches.models import Brief, ShortlistEntry
from tests.factories import PASSWORD, BriefFactory, EmployerFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def employer() -> User:
    return EmployerFactory(
        email="ayesha@acme.example",
        full_name="Ayesha Khan",
        membership__company__name="Acme Logistics",
    )


@pytest.fixture
def engineers() -> None:
    """Four Python engineers in different mixes and rates, and one without Python."""
    for name, skills, rate, years in [
        ("Ali Raza", ["Python", "Django", "PostgreSQL"], "25", 4),
        ("Bilal Ahmed", ["Python", "Django"], "35", 7),
        ("Hina Malik", ["Python", "PostgreSQL"], "45", 9),
        ("Zara Qureshi", ["Python", "Django", "PostgreSQL"], "60", 12),
        ("Omar Farooq", ["Go", "PostgreSQL"], "20", 5),
    ]:
        ProfileFactory(
            user__full_name=name,
            skills=skills,
            status="approved",
            hourly_rate_usd=Decimal(rate),
            years_experience=years,
        )


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_employer_writes_a_brief_refines_it_shortlists_two_and_compares_them(
    page: Page, employer: User, engineers: None
) -> None:
    log_in(page, "ayesha@acme.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Briefs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefs")
    page.get_by_role("link", name=re.compile("Write (a|your first) brief")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Write a brief")
    page.get_by_label("Title").fill("Payments API, 3 months")
    page.get_by_label("Project description").fill(
        "Build the settlement service of a payments startup with our team in Lahore."
    )
    picker = page.get_by_role("combobox", name=re.compile("Must-have skills"))
    picker.press_sequentially("Pyth")
    picker.press("Enter")
    page.get_by_label("min. years of Python").fill("3")
    page.locator("summary", has_text="Nice-to-have skills").click()
    page.get_by_role("checkbox", name="Django").check()
    page.get_by_label("Budget: most per hour (USD)").fill("80")
    page.get_by_label("Required overlap (hours a day)").fill("4")
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payments API, 3 months")
    summary = page.get_by_role("region", name="Who matches")
    expect(summary).to_contain_text("4 engineers match this brief.")
    expect(summary).to_contain_text(re.compile(r"median USD \d+ an hour"))
    brief = Brief.objects.get(title="Payments API, 3 months")
    assert brief.company == employer.membership.company

    page.get_by_role("link", name="See matching engineers").click()
    expect(page).to_have_url(re.compile(rf"/briefs/{brief.pk}/results/$"))
    results = page.get_by_role("region", name="Results")
    expect(results).to_contain_text("4 engineers match")
    expect(results.get_by_role("heading", level=3)).to_have_count(4)
    expect(results).not_to_contain_text("Omar Farooq")

    # Refining swaps the list in place: a full page load would forget this marker.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Highest rate (USD an hour)").fill("40")
    page.get_by_label("Highest rate (USD an hour)").press("Enter")
    expect(page).to_have_url(re.compile(r"max_rate=40"))
    expect(results).to_contain_text("2 engineers match")
    page.get_by_label("Sort by").select_option(label="Lowest rate")
    expect(page).to_have_url(re.compile(r"sort=rate"))
    expect(results.get_by_role("heading", level=3)).to_have_text(["Ali Raza", "Bilal Ahmed"])
    assert page.evaluate("window.stillTheSamePage") is True

    for name in ("Ali Raza", "Bilal Ahmed"):
        results.get_by_role("button", name=re.compile(rf"^Shortlist {name} for ")).click()
        added = results.get_by_role("button", name=re.compile(rf"^Shortlisted ✓ Remove {name} "))
        expect(added).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.stillTheSamePage") is True

    page.goto(f"/briefs/{brief.pk}/")
    page.get_by_role("link", name="Shortlist (2)").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Compare 2 engineers")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Ali Raza"))).to_contain_text("USD 25 an hour")
    expect(table.get_by_role("row", name=re.compile("Bilal Ahmed"))).to_contain_text(
        "USD 35 an hour"
    )
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two engineers

    entries = ShortlistEntry.objects.filter(brief=brief).order_by("profile__user__full_name")
    assert [e.profile.user.full_name for e in entries] == ["Ali Raza", "Bilal Ahmed"]
    assert all(e.added_by == employer for e in entries)


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_search_pages_have_no_accessibility_violations(
    axe_page: Page, employer: User, engineers: None, width: int
) -> None:
    brief = BriefFactory(
        company=employer.membership.company,
        created_by=employer,
        title="Payments API",
        must=["Python"],
        nice=["Django"],
        max_hourly_usd=Decimal("50"),
    )
    paths = [
        "/search/",
        f"/briefs/{brief.pk}/",
        f"/briefs/{brief.pk}/results/",
        f"/briefs/{brief.pk}/shortlist/",
    ]
    axe_page.set_viewport_size({"width": width, "height": 900})
    log_in(axe_page, "ayesha@acme.example")
    expect(axe_page).not_to_have_url(re.compile("/accounts/login/"))
    axe_page.goto(f"/briefs/{brief.pk}/results/")
    axe_page.get_by_role("button", name=re.compile("^Shortlist Ali Raza ")).click()
    expect(axe_page.get_by_role("button", name=re.compile("^Shortlisted ✓"))).to_be_visible()

    problems = []
    for path in paths:
        axe_page.goto(path)
        expect(axe_page.get_by_role("heading", level=1)).to_be_visible()
        results = Axe().run(axe_page)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
        if width == 375:
            overflow = axe_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{path}: {overflow}px wider than a 375px screen")
    assert not problems, "\n\n".join(problems)


def test_shortlisting_works_with_javascript_off(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    employer: User,
    engineers: None,
) -> None:
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, must=["Python"], nice=["Django"]
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/results/?sort=rate")

    page.get_by_role("button", name=re.compile(r"^Shortlist Ali Raza for ")).click()

    expect(page).to_have_url(re.compile(rf"/briefs/{brief.pk}/results/\?sort=rate$"))
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "Ali Raza is on the shortlist"
    )
    expect(
        page.get_by_role("button", name=re.compile(r"^Shortlisted ✓ Remove Ali Raza "))
    ).to_have_attribute("aria-pressed", "true")
    assert ShortlistEntry.objects.get(brief=brief).profile.user.full_name == "Ali Raza"
    context.close()
