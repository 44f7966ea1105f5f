"""Issue 10 end to end in Chromium: an employer screens two engineers from a brief's
results, reaches out to both from a template; one accepts and talks, the other declines;
the board and the funnel show it. Then axe on the pages in the states this journey leaves
them in (the other browser tests cover the empty and waiting states), and a move on the
board with JavaScript off."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from hiring import services as hiring
from hiring.models import MessageTemplate, Outreach
from screening.models import Candidacy, Stage
from screening.services import review_save
from searches.models import Brief
from tests.factories import (
    PASSWORD,
    BriefFactory,
    EmployerFactory,
    ProfileFactory,
    candidacy_in,
    outreach_sent,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMPLOYER = "ayesha@acme.example"
SANA = "sana@example.com"
BILAL = "bilal@example.com"


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def brief(live_server, settings: Any) -> Brief:  # type: ignore[no-untyped-def]
    """Acme's open brief, whose results hold two approved engineers, and one template.

    Emails link to SITE_URL: point it at the live server so the links work as sent."""
    settings.SITE_URL = live_server.url
    employer = EmployerFactory(
        email=EMPLOYER, full_name="Ayesha Khan", membership__company__name="Acme Logistics"
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
    for email, name in ((SANA, "Sana Javed"), (BILAL, "Bilal Ahmed")):
        ProfileFactory(
            user__email=email, user__full_name=name, status="approved", skills=["Python"]
        )
    return brief


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def new_page(browser: Browser, base_url: str, **options: Any) -> Page:
    page = browser.new_context(base_url=base_url, **options).new_page()
    page.set_default_timeout(10_000)
    return page


def link_in_last_email(to: str, pattern: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def column(page: Page, slug: str) -> Locator:
    """A board column (open or closed) by its heading's id."""
    return page.locator("section", has=page.locator(f"#column-{slug}"))


def funnel_row(page: Page, stage: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=stage))


def reach_out_from_the_board(page: Page, brief: Brief, name: str, first_name: str) -> None:
    page.goto(f"/briefs/{brief.pk}/pipeline/")
    sourced = column(page, "sourced")
    sourced.get_by_role("link", name=re.compile(rf"^Reach out\W+{name}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reach out to {name}")
    page.get_by_label("Start from a template").select_option(label="First contact")
    page.get_by_role("button", name="Use this template").click()
    expect(page.get_by_label("Personal message")).to_have_value(
        f"Hi {first_name}, Acme Logistics is hiring for Payments API."
    )
    page.get_by_role("button", name="Preview the email").click()
    preview = page.locator(".outreach-preview__body")
    expect(preview).to_contain_text(f"Hi {first_name}, Acme Logistics is hiring for Payments API.")
    page.get_by_role("button", name="Send outreach").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Outreach sent to {name}: they are now in Contacted."
    )


def test_an_employer_screens_reaches_out_and_hears_back_from_two_engineers(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    brief: Brief,
) -> None:
    url = live_server.url
    employer = new_page(browser, url)
    sana = new_page(browser, url)
    bilal = new_page(browser, url)

    # 1. Results → pipeline, then a review on Sana's candidacy page.
    log_in(employer, EMPLOYER)
    employer.goto(f"/briefs/{brief.pk}/results/")
    for name in ("Sana Javed", "Bilal Ahmed"):
        employer.get_by_role("button", name=re.compile(rf"^Add to pipeline\W+{name}")).click()
        expect(
            employer.get_by_role("link", name=re.compile(rf"^In the pipeline ✓\W+{name}"))
        ).to_be_visible()
    employer.goto(f"/briefs/{brief.pk}/")
    employer.get_by_role("link", name="Open the pipeline").click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Pipeline for “Payments API”")
    expect(column(employer, "sourced").locator(".pipeline-card")).to_have_count(2)
    column(employer, "sourced").get_by_role("link", name="Sana Javed", exact=True).click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Sana Javed for “Payments API”")
    employer.get_by_label("Strong yes").check()
    employer.get_by_label("Your note").fill("Clean payment code in her portfolio.")
    employer.get_by_role("button", name="Save your review").click()
    reviews = employer.get_by_role("region", name=re.compile("^Your team's reviews"))
    expect(reviews).to_contain_text("Strong yes")
    expect(reviews).to_contain_text("Clean payment code in her portfolio.")
    employer.get_by_role("link", name="Back to the board").click()
    sana_card = employer.locator(".pipeline-card", has_text="Sana Javed")
    expect(sana_card).to_contain_text("1 yes")

    # 2. An outreach to each, from the template, previewed, sent: both cards in Contacted.
    reach_out_from_the_board(employer, brief, "Sana Javed", "Sana")
    reach_out_from_the_board(employer, brief, "Bilal Ahmed", "Bilal")
    employer.goto(f"/briefs/{brief.pk}/pipeline/")
    contacted = column(employer, "contacted")
    expect(contacted.get_by_role("link", name="Sana Javed", exact=True)).to_be_visible()
    expect(contacted.get_by_role("link", name="Bilal Ahmed", exact=True)).to_be_visible()
    expect(column(employer, "sourced").locator(".pipeline-card")).to_have_count(0)

    # 3. Sana follows the email's link, accepts with a note, and writes in the conversation.
    log_in(sana, SANA)
    sana.goto(link_in_last_email(SANA, r"https?://\S+/opportunities/\d+/"))
    expect(sana.get_by_role("heading", level=1)).to_have_text(
        "Acme Logistics would like to talk about “Payments API”"
    )
    accept = sana.get_by_role("region", name="Accept", exact=True)
    accept.get_by_label("A note to the company").fill("Happy to talk this week.")
    accept.get_by_role("button", name="Accept and share my contact details").click()
    expect(sana.get_by_text("In conversation", exact=True)).to_be_visible()
    sana.get_by_role("link", name="Open your conversation with Acme Logistics").click()
    expect(sana.get_by_role("heading", level=1)).to_have_text("Conversation with Acme Logistics")
    sana.get_by_label("Your message").fill("Is the team fully remote?")
    sana.get_by_role("button", name="Send message").click()
    expect(sana.locator("#thread-messages")).to_contain_text("Is the team fully remote?")

    # 4. Ayesha sees Sana's email and the card in Interested, and answers; Sana reads it.
    employer.goto(f"/briefs/{brief.pk}/pipeline/")
    in_interested = column(employer, "interested").get_by_role(
        "link", name="Sana Javed", exact=True
    )
    expect(in_interested).to_be_visible()
    in_interested.click()
    expect(employer.get_by_text("Happy to talk this week.")).to_be_visible()
    employer.get_by_role("link", name="Read Sana Javed's full profile").click()
    contact = employer.get_by_role("region", name="Contact", exact=True)
    expect(contact.get_by_role("link", name=SANA)).to_be_visible()
    employer.go_back()
    employer.get_by_role("link", name="Conversation", exact=True).click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Conversation with Sana Javed")
    expect(employer.locator("#thread-messages")).to_contain_text("Is the team fully remote?")
    employer.get_by_label("Your message").fill("Yes, fully remote, with three hours of overlap.")
    employer.get_by_role("button", name="Send message").click()
    expect(employer.locator("#thread-messages")).to_contain_text("Yes, fully remote")
    sana.reload()
    expect(sana.locator("#thread-messages")).to_contain_text(
        "Yes, fully remote, with three hours of overlap."
    )

    # 5. Bilal declines with a reason; his card closes as Declined.
    log_in(bilal, BILAL)
    bilal.goto(link_in_last_email(BILAL, r"https?://\S+/opportunities/\d+/"))
    decline = bilal.get_by_role("region", name="Decline", exact=True)
    decline.get_by_label("The rate is too low").check()
    decline.get_by_role("button", name="Decline").click()
    expect(
        bilal.get_by_text("You declined. Acme Logistics has been told your reason.")
    ).to_be_visible()
    employer.goto(f"/briefs/{brief.pk}/pipeline/")
    in_declined = column(employer, "declined").get_by_role("link", name="Bilal Ahmed", exact=True)
    expect(in_declined).to_be_visible()
    expect(column(employer, "contacted").locator(".pipeline-card")).to_have_count(0)
    in_declined.click()
    expect(employer.get_by_text("Reason: The rate is too low")).to_be_visible()
    employer.get_by_role("link", name="Back to the board").click()

    # 6. The funnel's table: 2 sourced, 2 contacted, 1 interested.
    employer.get_by_role("link", name="Funnel").click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Funnel for “Payments API”")
    for stage, reached in (("Sourced", "2"), ("Contacted", "2"), ("Interested", "1")):
        expect(funnel_row(employer, stage).get_by_role("cell").first).to_have_text(reached)

    outreach = {o.profile.user.email: o for o in Outreach.objects.select_related("profile__user")}
    assert (outreach[SANA].status, outreach[BILAL].status) == ("accepted", "declined")
    assert outreach[BILAL].decline_reason == "rate"
    for page in (employer, sana, bilal):
        page.context.close()


@pytest.fixture
def after_the_journey() -> dict[str, Any]:
    """Where the journey leaves things, set up through the services: Sana accepted and
    talked, Bilal declined, Hina still waiting."""
    employer = EmployerFactory(
        email=EMPLOYER, full_name="Ayesha Khan", membership__company__name="Acme Logistics"
    )
    brief = BriefFactory(company=employer.membership.company, created_by=employer)
    sana, bilal, hina = (
        ProfileFactory(user__email=email, user__full_name=name, status="approved")
        for email, name in (
            (SANA, "Sana Javed"),
            (BILAL, "Bilal Ahmed"),
            ("hina@example.com", "Hina Malik"),
        )
    )
    accepted = candidacy_in(brief, sana)
    review_save(candidacy=accepted, author=employer, rating=2, note="Strong portfolio")
    accepted_outreach = outreach_sent(accepted, sender=employer, message="Hi Sana")
    hiring.outreach_accept(outreach=accepted_outreach, user=sana.user, note="Happy to talk")
    hiring.message_post(
        thread=accepted_outreach.thread, author=sana.user, side="engineer", body="Remote?"
    )
    hiring.message_post(
        thread=accepted_outreach.thread, author=employer, side="company", body="Yes."
    )
    declined = outreach_sent(candidacy_in(brief, bilal), sender=employer)
    hiring.outreach_decline(outreach=declined, user=bilal.user, reason="rate", note="Too low")
    outreach_sent(candidacy_in(brief, hina), sender=employer)
    return {"brief": brief, "accepted": accepted_outreach, "declined": declined}


@pytest.fixture
def axe_context(browser: Browser, live_server) -> Iterator[BrowserContext]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context
    context.close()


def axe_problems(page: Page, paths: list[str], width: int) -> list[str]:
    problems = []
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        results = Axe().run(page)
        if results.violations_count:
            problems.append(f"{path}:\n{results.generate_report()}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow}px wider than a {width}px screen")
    return problems


@pytest.mark.parametrize("width", [1280, 375])
def test_the_pages_after_answers_have_no_accessibility_violations(
    axe_context: BrowserContext, after_the_journey: dict[str, Any], width: int
) -> None:
    """The board with Contacted, Interested and Declined cards, the candidacy page with
    its outreach box, the employer's thread with the contact details shown, the profile
    with contact details and a declined opportunity: states the other tests never reach."""
    accepted: Outreach = after_the_journey["accepted"]
    declined: Outreach = after_the_journey["declined"]
    page = axe_context.new_page()
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, EMPLOYER)
    problems = axe_problems(
        page,
        [
            f"/briefs/{after_the_journey['brief'].pk}/pipeline/",
            f"/pipeline/{accepted.candidacy_id}/",
            f"/pipeline/{declined.candidacy_id}/",
            f"/messages/{accepted.thread_id}/",
            f"/engineers/{accepted.profile_id}/",
        ],
        width,
    )
    axe_context.clear_cookies()
    log_in(page, BILAL)
    problems += axe_problems(page, [f"/opportunities/{declined.pk}/"], width)
    assert not problems, "\n\n".join(problems)


def test_a_card_moves_from_interested_to_assessment_with_javascript_off(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    after_the_journey: dict[str, Any],
) -> None:
    brief: Brief = after_the_journey["brief"]
    page = new_page(browser, live_server.url, java_script_enabled=False)
    log_in(page, EMPLOYER)
    page.goto(f"/briefs/{brief.pk}/pipeline/")
    expect(
        column(page, "interested").get_by_role("link", name="Sana Javed", exact=True)
    ).to_be_visible()

    page.get_by_label("Move Sana Javed to").select_option("Assessment")
    page.get_by_role("button", name="Move Sana Javed", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/briefs/{brief.pk}/pipeline/$"))
    expect(page.locator(".messages")).to_contain_text("Sana Javed is now in Assessment.")
    expect(
        column(page, "assessment").get_by_role("link", name="Sana Javed", exact=True)
    ).to_be_visible()
    expect(column(page, "interested").locator(".pipeline-card")).to_have_count(0)
    candidacy = Candidacy.objects.get(pk=after_the_journey["accepted"].candidacy_id)
    assert candidacy.stage == Stage.ASSESSMENT
    page.context.close()
