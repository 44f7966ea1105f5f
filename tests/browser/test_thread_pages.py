"""A conversation in a real browser: reading, replying with and without JavaScript,
axe-clean and usable at phone width."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, Page, expect

from hiring import services
from hiring.models import Message, Outreach
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
def conversation() -> Outreach:
    employer = EmployerFactory(
        email="ayesha@acme.example", full_name="Ayesha Khan", membership__company__name="Acme"
    )
    profile = ProfileFactory(
        user__email="sana@example.com", user__full_name="Sana Javed", status="approved"
    )
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, title="Payments backend"
    )
    outreach = outreach_sent(candidacy_in(brief, profile), sender=employer)
    services.message_post(
        thread=outreach.thread,
        author=employer,
        side="company",
        body="Hello Sana,\nthe brief is at https://example.com/brief. <b>Questions</b> welcome.",
    )
    return outreach


@pytest.fixture
def axe_context(browser: Browser, live_server) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context
    context.close()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_the_engineer_reads_and_answers_with_htmx(page: Page, conversation: Outreach) -> None:
    log_in(page, "sana@example.com")
    page.goto("/messages/")
    page.get_by_role("link", name="Acme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation with Acme")
    expect(page.get_by_role("link", name="https://example.com/brief")).to_have_attribute(
        "rel", "nofollow noopener"
    )
    expect(page.locator(".thread-message__body").first).to_contain_text("<b>Questions</b>")
    page.get_by_label("Your message").fill("Thanks! Is it remote?")
    page.get_by_role("button", name="Send message").click()

    expect(page.locator("#thread-messages")).to_contain_text("Thanks! Is it remote?")
    expect(page.get_by_role("status")).to_contain_text("Message sent.")
    expect(page.get_by_label("Your message")).to_have_value("")
    assert Message.objects.filter(side="engineer").count() == 1


def test_the_employer_answers_without_javascript(
    browser: Browser,
    live_server,
    conversation: Outreach,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ayesha@acme.example")
    page.goto(f"/messages/{conversation.thread_id}/")
    page.get_by_label("Your message").fill("We are fully remote.")
    page.get_by_role("button", name="Send message").click()

    expect(page.locator("#thread-messages")).to_contain_text("We are fully remote.")
    assert page.url.endswith(
        f"#message-{Message.objects.get(side='company', body__contains='remote').pk}"
    )
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("who", ["sana@example.com", "ayesha@acme.example"])
def test_the_inbox_and_the_thread_are_axe_clean_and_fit_a_phone(
    axe_context: Browser, conversation: Outreach, width: int, who: str
) -> None:
    page = axe_context.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, who)
    for path in ("/messages/", f"/messages/{conversation.thread_id}/"):
        page.goto(path)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
