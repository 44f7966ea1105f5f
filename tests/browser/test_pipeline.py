"""The pipeline board in a real browser: adding from the results, moving by keyboard with
htmx and without JavaScript, accessible at desktop and phone widths."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from screening.models import Candidacy, Stage
from screening.services import candidacy_move, review_save
from searches.models import Brief
from tests.factories import PASSWORD, BriefFactory, EmployerFactory, ProfileFactory, candidacy_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def employer() -> User:
    return EmployerFactory(email="ayesha@acme.example", full_name="Ayesha Khan")


@pytest.fixture
def brief(employer: User) -> Brief:
    return BriefFactory(
        company=employer.membership.company, created_by=employer, title="Payments API"
    )


def on_board(brief: Brief, name: str, stage: Stage) -> Candidacy:
    """An engineer walked to ``stage`` on the brief's board."""
    candidacy = candidacy_in(brief, ProfileFactory(status="approved", user__full_name=name))
    by = brief.created_by
    if stage != Stage.SOURCED:
        candidacy_move(candidacy=candidacy, to="contacted", by=by, via_outreach=True)
        candidacy_move(candidacy=candidacy, to="interested", by=by, via_outreach=True)
    if stage not in (Stage.SOURCED, Stage.INTERESTED):
        candidacy_move(candidacy=candidacy, to=stage, by=by)
    return candidacy


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_pipeline_pages_have_no_accessibility_violations(
    axe_page: Page, employer: User, brief: Brief, width: int
) -> None:
    sourced = on_board(brief, "Ali Raza", Stage.SOURCED)
    review_save(candidacy=sourced, author=employer, rating=1, note="Good tests")
    on_board(brief, "Bilal Ahmed", Stage.INTERVIEW)
    closed = on_board(brief, "Hina Malik", Stage.INTERESTED)
    candidacy_move(candidacy=closed, to="not_a_fit", by=employer, reason="rate")
    paths = [
        f"/briefs/{brief.pk}/pipeline/",
        f"/pipeline/{sourced.pk}/",
        f"/briefs/{brief.pk}/funnel/",
        "/pipeline/",
        f"/engineers/{sourced.profile.pk}/",
    ]
    axe_page.set_viewport_size({"width": width, "height": 900})
    log_in(axe_page, employer.email)

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


def test_a_card_moves_in_place_by_keyboard(page: Page, employer: User, brief: Brief) -> None:
    candidacy = on_board(brief, "Bilal Ahmed", Stage.INTERVIEW)
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/pipeline/")
    url = page.url

    page.get_by_label("Move Bilal Ahmed to").focus()
    page.get_by_label("Move Bilal Ahmed to").select_option("Offer")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    offer = page.locator("section", has=page.locator("#column-offer"))
    # exact: the Offer card also has "Draft the contract: Bilal Ahmed" (hiring.contracts).
    expect(offer.get_by_role("link", name="Bilal Ahmed", exact=True)).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("Bilal Ahmed is now in Offer.")
    assert page.url == url  # swapped in place, no page load
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.OFFER


def test_the_board_works_with_javascript_off(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    employer: User,
    brief: Brief,
) -> None:
    candidacy = on_board(brief, "Bilal Ahmed", Stage.INTERVIEW)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/pipeline/")

    page.get_by_text("Not a fit: Bilal Ahmed", exact=True).click()
    page.get_by_label("Why not a fit").select_option("Communication")
    page.get_by_label("Tell the engineer (sends a kind note)").check()
    page.get_by_role("button", name=re.compile(r"^Close as not a fit\W+Bilal Ahmed")).click()

    expect(page).to_have_url(re.compile(rf"/briefs/{brief.pk}/pipeline/$"))
    expect(page.locator(".messages")).to_contain_text("Bilal Ahmed is now in Not a fit.")
    page.get_by_role("button", name=re.compile(r"^Reopen in Interview\W+Bilal Ahmed")).click()
    expect(page.locator(".messages")).to_contain_text("Bilal Ahmed is now in Interview.")
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERVIEW
    assert candidacy.moves.filter(to_stage="not_a_fit", told_engineer=True).count() == 1
    context.close()


def test_engineers_are_added_from_the_results_in_place(
    page: Page, employer: User, brief: Brief
) -> None:
    ProfileFactory(status="approved", user__full_name="Ali Raza", skills=["Python"])
    log_in(page, employer.email)
    page.goto(f"/briefs/{brief.pk}/results/")
    expect(page.get_by_role("heading", name="Ali Raza")).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^Add to pipeline\W+Ali Raza")).click()

    expect(page.get_by_role("link", name=re.compile(r"^In the pipeline ✓"))).to_be_visible()
    assert Candidacy.objects.get(brief=brief).profile.user.full_name == "Ali Raza"
