"""The skill picker on the brief form and in the search filters, and the shortlist table,
in a real browser with and without JavaScript."""

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
from candidates.models import Profile
from searches.models import Brief, BriefSkill, ShortlistEntry
from tests.factories import PASSWORD, BriefFactory, EmployerFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def employer() -> User:
    return EmployerFactory(email="sana@acme.example", membership__company__name="Acme Logistics")


@pytest.fixture
def engineers() -> None:
    for name, skills, rate in [
        ("Ali Raza", ["Python", "Django", "PostgreSQL"], "25"),
        ("Bilal Ahmed", ["Python", "Django"], "35"),
        ("Hina Malik", ["Python", "PostgreSQL"], "45"),
        ("Omar Farooq", ["Go", "PostgreSQL"], "20"),
    ]:
        ProfileFactory(
            user__full_name=name,
            skills=skills,
            status="approved",
            hourly_rate_usd=Decimal(rate),
            years_experience=6,
        )


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def fill_project(page: Page, title: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Project description").fill(
        "Move our order history from MySQL to PostgreSQL without downtime."
    )


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_employer_picks_a_must_have_skill_with_the_keyboard_and_gives_its_years(
    page: Page, employer: User
) -> None:
    log_in(page, employer.email)
    page.goto("/briefs/new/")
    fill_project(page, "Order history move")

    picker = page.get_by_role("combobox", name=re.compile("Must-have skills"))
    picker.press_sequentially("postg")
    expect(picker).to_have_attribute("aria-expanded", "true")
    listbox = page.get_by_role("listbox", name="Suggested skills")
    expect(listbox.get_by_role("option").first).to_contain_text("PostgreSQL")
    picker.press("ArrowDown")
    active = picker.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    picker.press("Enter")

    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(picker).to_have_value("")
    chips = page.get_by_role("list", name="Chosen must-have skills")
    expect(chips.get_by_role("listitem")).to_have_text([re.compile("PostgreSQL")])
    page.get_by_label("min. years of PostgreSQL").fill("3")
    picker.press_sequentially("djan")
    picker.press("Escape")  # closes the suggestions, then clears what was typed
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(picker).to_have_value("djan")
    picker.press("Escape")
    expect(picker).to_have_value("")
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Order history move")
    expect(page.get_by_role("region", name="What you asked for")).to_contain_text(
        "PostgreSQL, 3+ years"
    )
    must = BriefSkill.objects.get(brief__title="Order history move")
    assert (must.skill.name, must.min_years, must.kind) == ("PostgreSQL", 3, "must")


def test_a_chosen_skill_can_be_removed_before_saving(page: Page, employer: User) -> None:
    log_in(page, employer.email)
    page.goto("/briefs/new/")
    fill_project(page, "Two skills, then one")
    picker = page.get_by_role("combobox", name=re.compile("Must-have skills"))
    for text in ("Python", "Django"):
        picker.press_sequentially(text)
        picker.press("Enter")
    page.get_by_role("button", name="Remove Python").click()
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two skills, then one")
    brief = Brief.objects.get(title="Two skills, then one")
    assert [s.skill.name for s in brief.skills.all()] == ["Django"]


def test_without_javascript_skills_are_typed_and_a_typo_gets_a_suggestion(
    no_js_page: Page, employer: User
) -> None:
    page = no_js_page
    log_in(page, employer.email)
    page.goto("/briefs/new/")
    fill_project(page, "Typed skills")
    expect(page.locator("input[role=combobox]")).to_have_count(0)
    page.get_by_label("Must-have skills").fill("PostgreSQL:3, Djnago")
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_must_error")).to_contain_text('"Djnago" is not a skill we know.')
    expect(page.locator("#id_must_error")).to_contain_text("Did you mean Django?")
    assert not Brief.objects.filter(title="Typed skills").exists()

    page.get_by_label("Must-have skills").fill("PostgreSQL:3")
    page.get_by_role("button", name="Save the brief and see matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Typed skills")
    expect(page.get_by_role("region", name="What you asked for")).to_contain_text(
        "PostgreSQL, 3+ years"
    )


def test_with_javascript_a_typo_left_in_the_picker_gets_did_you_mean_too(
    page: Page, employer: User
) -> None:
    log_in(page, employer.email)
    page.goto("/briefs/new/")
    fill_project(page, "Typed in the picker")
    picker = page.get_by_role("combobox", name=re.compile("Must-have skills"))
    picker.press_sequentially("PostgreSQL:3")  # the text field's format works here too
    picker.press("Enter")
    expect(page.get_by_label("min. years of PostgreSQL")).to_have_value("3")
    picker.press_sequentially("Djnago")  # saved without picking anything
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.locator("#id_must_error")).to_contain_text("Did you mean Django?")
    chips = page.get_by_role("list", name="Chosen must-have skills")
    expect(chips).to_contain_text("Djnago(not a known skill)")
    expect(page.get_by_label("min. years of PostgreSQL")).to_have_value("3")
    page.get_by_role("button", name="Remove Djnago").click()
    picker.press_sequentially("Django")
    picker.press("Enter")
    page.get_by_role("button", name="Save the brief and see matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Typed in the picker")
    brief = Brief.objects.get(title="Typed in the picker")
    assert {(s.skill.name, s.min_years) for s in brief.skills.all()} == {
        ("PostgreSQL", 3),
        ("Django", None),
    }


def test_the_filters_sidebar_picks_skills_with_the_same_picker(
    page: Page, employer: User, engineers: None
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, employer.email)
    page.goto("/search/")
    results = page.get_by_role("region", name="Results")
    expect(results).to_contain_text("4 engineers match")
    expect(page.get_by_role("listbox", name=re.compile("Must know"))).to_have_count(0)

    picker = page.get_by_role("combobox", name="Must know")
    picker.press_sequentially("djan")
    picker.press("ArrowDown")
    picker.press("Enter")

    expect(page).to_have_url(re.compile(r"skills=django"))
    expect(results).to_contain_text("2 engineers match")
    page.get_by_role("button", name="Remove Django").click()
    expect(page).not_to_have_url(re.compile(r"skills=django"))
    expect(results).to_contain_text("4 engineers match")

    # Back to the filtered page from htmx's history: one picker, still working.
    page.go_back()
    expect(page).to_have_url(re.compile(r"skills=django"))
    expect(page.get_by_role("combobox", name="Must know")).to_have_count(1)
    expect(page.get_by_role("list", name="Chosen skills to filter by")).to_have_count(1)
    assert errors == []


def test_a_briefs_results_start_from_its_criteria_and_link_to_its_shortlist(
    page: Page, employer: User, engineers: None
) -> None:
    brief = BriefFactory(
        company=employer.membership.company,
        created_by=employer,
        title="Payments API",
        must=["Python"],
        max_hourly_usd=Decimal("40"),
    )
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/results/")

    expect(page.get_by_label("Highest rate (USD an hour)")).to_have_value("40")
    chips = page.get_by_role("list", name="Chosen skills to filter by")
    expect(chips.get_by_role("listitem")).to_have_text([re.compile("Python")])
    results = page.get_by_role("region", name="Results")
    expect(results).to_contain_text("2 engineers match")
    link = page.get_by_role("link", name="Shortlist (0) for this brief")
    results.get_by_role("button", name=re.compile("^Shortlist Ali Raza ")).click()
    expect(page.get_by_role("link", name="Shortlist (1) for this brief")).to_be_visible()

    # Loosening what the brief asked for widens the search.
    page.get_by_label("Highest rate (USD an hour)").fill("")
    page.get_by_label("Highest rate (USD an hour)").press("Enter")
    expect(results).to_contain_text("3 engineers match")
    page.get_by_role("link", name="Shortlist (1) for this brief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shortlist for “Payments API”")
    assert link  # the same link, found by its new count above


def test_the_comparison_table_fits_its_box_and_every_remove_button_shows(
    page: Page, employer: User
) -> None:
    must = ["Python", "Django", "PostgreSQL", "Redis", "Celery"]
    for name in ("Ali Raza Khan", "Bilal Ahmed Siddiqui", "Hina Malik"):
        ProfileFactory(
            user__full_name=name,
            skills=must,
            status="approved",
            hourly_rate_usd=Decimal("25"),
            monthly_rate_pkr=Decimal("450000"),
            headline="Senior backend engineer for payments and logistics platforms",
        )
    brief = BriefFactory(company=employer.membership.company, created_by=employer, must=must)
    for profile in Profile.objects.all():
        ShortlistEntry.objects.create(
            brief=brief, profile=profile, added_by=employer, note="Ask about on-call"
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/shortlist/")

    expect(page.get_by_role("table").get_by_role("row")).to_have_count(4)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window"
    wrap = page.locator(".table-wrap").bounding_box()
    assert wrap
    buttons = page.get_by_role("button", name=re.compile("^Remove "))
    expect(buttons).to_have_count(3)
    for button in buttons.all():  # in view without scrolling the table sideways
        box = button.bounding_box()
        assert box and wrap["x"] <= box["x"]
        assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1


@pytest.mark.parametrize("width", [1280, 375])
def test_the_brief_form_and_results_with_pickers_have_no_accessibility_violations(
    axe_page: Page, employer: User, engineers: None, width: int
) -> None:
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, must=["Python"], nice=["Go"]
    )
    axe_page.set_viewport_size({"width": width, "height": 900})
    log_in(axe_page, employer.email)
    problems = []
    for path, picker in [
        ("/briefs/new/", "Must-have skills"),
        (f"/briefs/{brief.pk}/edit/", "Must-have skills"),
        (f"/briefs/{brief.pk}/results/", "Must know"),
    ]:
        axe_page.goto(path)
        combobox = axe_page.get_by_role("combobox", name=re.compile(picker))
        combobox.press_sequentially("py")  # with the suggestions open
        expect(combobox).to_have_attribute("aria-expanded", "true")
        combobox.press("ArrowDown")
        results = Axe().run(axe_page)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
        overflow = axe_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow}px wider than a {width}px screen")
    assert not problems, "\n\n".join(problems)
