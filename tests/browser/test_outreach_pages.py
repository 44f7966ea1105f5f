"""The outreach pages in a real browser: axe-clean at desktop and phone width, and the
form, its preview and the engineer's answer working with JavaScript off."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from hiring.models import MessageTemplate, Outreach
from hiring.services import outreach_accept
from screening.models import Stage
from tests.factories import (
    PASSWORD,
    BriefFactory,
    EmployerFactory,
    ProfileFactory,
    candidacy_in,
    outreach_sent,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def scene() -> dict[str, Any]:
    """Acme's brief with two engineers: Sana in Sourced, Bilal with an outreach waiting,
    and an accepted outreach of another company to Bilal."""
    employer = EmployerFactory(
        email="ayesha@acme.example",
        full_name="Ayesha Khan",
        membership__company__name="Acme Logistics",
    )
    brief = BriefFactory(
        company=employer.membership.company,
        created_by=employer,
        title="Payments API",
        max_hourly_usd=Decimal("40"),
    )
    MessageTemplate.objects.create(
        company=brief.company,
        name="First contact",
        body="Hi {first_name}, {company_name} is hiring for {brief_title}.",
    )
    sana = ProfileFactory(
        user__email="sana@example.com", user__full_name="Sana Javed", status="approved"
    )
    bilal = ProfileFactory(
        user__email="bilal@example.com", user__full_name="Bilal Ahmed", status="approved"
    )
    sourced = candidacy_in(brief, sana, user=employer)
    waiting = outreach_sent(candidacy_in(brief, bilal, user=employer), sender=employer)
    other = EmployerFactory(membership__company__name="Globex")
    other_brief = BriefFactory(company=other.membership.company, created_by=other)
    accepted = outreach_sent(candidacy_in(other_brief, bilal, user=other), sender=other)
    outreach_accept(outreach=accepted, user=bilal.user)
    return {"sourced": sourced, "waiting": waiting, "accepted": accepted}


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _check(page: Page, paths: list[str], width: int) -> list[str]:
    problems = []
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        results = Axe().run(page)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
        if width == 375:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{path}: {overflow}px wider than a 375px screen")
    return problems


@pytest.mark.parametrize("width", [1280, 375])
def test_outreach_pages_have_no_accessibility_violations(
    axe_page: Page, scene: dict[str, Any], width: int
) -> None:
    axe_page.set_viewport_size({"width": width, "height": 900})
    sourced = scene["sourced"]
    template = MessageTemplate.objects.get()
    log_in(axe_page, "ayesha@acme.example")
    problems = _check(
        axe_page,
        [
            f"/pipeline/{sourced.pk}/outreach/",
            f"/pipeline/{sourced.pk}/outreach/?template={template.pk}",
            "/outreach/templates/",
            f"/outreach/templates/{template.pk}/",
        ],
        width,
    )
    axe_page.goto(f"/pipeline/{sourced.pk}/outreach/")
    axe_page.get_by_role("button", name="Preview the email").click()
    expect(axe_page.get_by_role("heading", name=re.compile("^Preview"))).to_be_visible()
    problems += _check(axe_page, [], width)
    results = Axe().run(axe_page)
    if results.violations_count:
        problems.append(f"preview:\n{results.generate_report()}")

    axe_page.context.clear_cookies()
    log_in(axe_page, "bilal@example.com")
    problems += _check(
        axe_page,
        [
            "/opportunities/",
            f"/opportunities/{scene['waiting'].pk}/",
            f"/opportunities/{scene['accepted'].pk}/",
            "/profile/access/",
        ],
        width,
    )
    assert not problems, "\n\n".join(problems)


def test_outreach_works_with_javascript_off(browser: Browser, live_server, scene: dict[str, Any]):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sourced = scene["sourced"]
    log_in(page, "ayesha@acme.example")

    page.goto(f"/pipeline/{sourced.pk}/outreach/")
    page.get_by_label("Start from a template").select_option(label="First contact")
    page.get_by_role("button", name="Use this template").click()
    expect(page.get_by_label("Personal message")).to_have_value(
        "Hi Sana, Acme Logistics is hiring for Payments API."
    )
    page.get_by_label("Rate offered").fill("38")
    page.get_by_role("button", name="Preview the email").click()
    expect(page.locator(".outreach-preview__body")).to_contain_text("USD 38 an hour")
    page.get_by_role("button", name="Send outreach").click()

    outreach = Outreach.objects.get(candidacy=sourced)
    assert outreach.rate_amount == Decimal("38")
    sourced.refresh_from_db()
    assert sourced.stage == Stage.CONTACTED

    context.clear_cookies()
    log_in(page, "sana@example.com")
    page.goto("/opportunities/")
    page.get_by_role("link", name="Acme Logistics").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payments API")
    page.get_by_label("Not interested in the project").check()
    page.get_by_label("Don't show my profile to Acme Logistics again").check()
    page.get_by_role("button", name="Decline").click()
    expect(
        page.get_by_text("You declined. Acme Logistics has been told your reason.")
    ).to_be_visible()
    outreach.refresh_from_db()
    assert (outreach.status, outreach.decline_reason) == ("declined", "project")
    context.close()
