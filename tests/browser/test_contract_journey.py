"""Issue 12 end to end in Chromium: an employer in New York hires an engineer in Lahore.

The card is in Offer after an accepted outreach (set up by the services); everything
after that is done through the pages, by each side in a browser of their own: the
employer drafts the contract from the Offer card (prefilled from the outreach) and
sends it; the engineer accepts, then the employer; the contract is active and the card
is in Hired. The hourly check-in sweep (called here at the moment the check-in falls
due) emails the engineer, who opens the email's link logged out, logs in and answers;
the employer answers their side. The engineer proposes a later end date, the employer
accepts it and the history shows version 2 with its difference. A milestone is
submitted and accepted; the engineer gives notice and the ending sweep (called after
the last day) ends the contract; both sides review, and the engineer's profile shows
the company's review to employers.

Emails are read from the outbox (the OutboundEmail row the service wrote), as the
worker would send them; tests/hiring and tests/checkins prove the delivery over SMTP.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from accounts.models import OutboundEmail
from hiring.checkins.services import checkin_sweep
from hiring.reviews.services import ending_sweep
from tests.browser.conftest import ARTIFACTS
from tests.factories import (
    PASSWORD,
    BriefFactory,
    EmployerFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMPLOYER = "ayesha@acme.example"
ENGINEER = "sana@example.com"
LAHORE = ZoneInfo("Asia/Karachi")
WORK_LINK = "https://github.com/acme/ledger/pull/12"
REVIEW_OF_SANA = "Sana shipped the ledger schema early and wrote down every decision."
REVIEW_OF_ACME = "Clear brief, quick answers, paid on the day."


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def browse(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., Page]]:
    """``browse(name, email=None)``: a browser context of its own, logged in as
    ``email`` when given. Each is closed afterwards; on a failure each page's
    screenshot goes to test-artifacts/."""
    pages: dict[str, Page] = {}

    def open_for(name: str, email: str | None = None) -> Page:
        page = browser.new_context(base_url=live_server.url).new_page()
        page.set_default_timeout(10_000)
        if email is not None:
            page.goto("/accounts/login/")
            log_in(page, email)
        pages[name] = page
        return page

    yield open_for
    report = getattr(request.node, "rep_call", None)
    for name, page in pages.items():
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"{request.node.name}-{name}.png", full_page=True)
        page.context.close()


def log_in(page: Page, email: str) -> None:
    """Fill the login form the page shows (after a redirect, it keeps where it came from)."""
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def region(page: Page | Locator, name: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("region", name=name, exact=True if isinstance(name, str) else None)


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def notice(page: Page) -> Locator:
    return page.locator(".messages")


def long_day(day: date) -> str:
    """ "Monday 15 June 2026", as the ending and check-in pages write a day."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def short_day(day: date) -> str:
    """ "15 Jun 2026", as the difference tables write a day."""
    return f"{day.day} {day:%b %Y}"


def first_due(after: datetime, weekday: int, at: time) -> datetime:
    """The first check-in moment (weekday and local time in Lahore) at or after ``after``."""
    local = after.astimezone(LAHORE)
    for days in range(8):
        moment = datetime.combine(local.date() + timedelta(days=days), at, tzinfo=LAHORE)
        if moment.weekday() == weekday and moment >= after:
            return moment
    raise AssertionError("no check-in within a week")


def emailed_link(to: str, template: str) -> str:
    """The link in the one email of ``template`` sent to ``to`` (its text body)."""
    [email] = OutboundEmail.objects.filter(to=to, template=template)
    found = re.search(r"https?://\S+", email.body_text)
    assert found is not None, email.body_text
    return found.group(0)


def milestone(page: Page, title: str) -> Locator:
    """One milestone's entry in the contract page's "Milestones and payments"."""
    panel = region(page, "Milestones and payments")
    return panel.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def payments(page: Page) -> Locator:
    """The payments table of the contract page's "Milestones and payments"."""
    return region(page, "Milestones and payments").get_by_role(
        "table", name=re.compile("^Payments")
    )


def test_an_offer_becomes_a_contract_runs_changes_ends_and_is_reviewed(
    live_server,  # type: ignore[no-untyped-def]
    settings: Any,
    browse: Callable[..., Page],
) -> None:
    settings.SITE_URL = live_server.url  # the emails' links point at the live server
    today = timezone.localdate(timezone=LAHORE)
    employer = EmployerFactory(
        email=EMPLOYER,
        full_name="Ayesha Khan",
        membership__company__name="Acme Logistics",
        membership__company__city="New York",
        membership__company__time_zone="America/New_York",
    )
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, title="Payments API"
    )
    profile = ProfileFactory(
        user__email=ENGINEER,
        user__full_name="Sana Javed",
        status="approved",
        city="Lahore",
        time_zone="Asia/Karachi",
    )
    # Sana accepted Acme's outreach (USD 35 an hour, 40 hours, six months from today)
    # and Ayesha moved her card to Offer.
    candidacy_at_offer(
        candidacy_in(brief, profile),
        start_date=today,
        rate_amount=Decimal("35"),
        hours_per_week=40,
        length_months=6,
    )
    ayesha = browse("ayesha", EMPLOYER)

    # 1. Ayesha opens the Offer card and drafts the contract: the form starts from the
    #    terms Sana accepted.
    ayesha.goto(f"/briefs/{brief.pk}/pipeline/")
    offer = region(ayesha, re.compile(r"^Offer \d"))
    offer.get_by_role("link", name="Draft the contract").click()
    expect(h1(ayesha)).to_have_text("Draft a contract with Sana Javed")
    expect(ayesha.locator(".lead")).to_contain_text("The terms Sana Javed accepted")
    expect(ayesha.get_by_label("Rate")).to_have_value("35.00")
    expect(ayesha.get_by_label("Weekly hours cap")).to_have_value("40")
    expect(ayesha.get_by_label("Start date")).to_have_value(today.isoformat())
    expect(ayesha.get_by_label("Engagement")).to_have_value("hourly")
    end_on = date.fromisoformat(ayesha.get_by_label("End date").input_value())
    assert end_on > today + timedelta(days=150)

    # A fixed price of USD 6,000 in two milestones, paid per milestone; a written
    # check-in on Thursdays at 15:00 Lahore time and a call on Tuesdays at 16:00.
    ayesha.get_by_label("Contract title").fill("Settlement ledger")
    ayesha.get_by_label("Engagement").select_option("Fixed price")
    ayesha.get_by_label("Rate").fill("6000")
    ayesha.get_by_label("Invoice cadence").select_option("Per milestone")
    ayesha.get_by_label("Overlap starts").fill("14:00")
    ayesha.get_by_label("Overlap ends").fill("18:00")
    ayesha.get_by_label("Check-in day").select_option("Thursday")
    ayesha.get_by_label("Check-in time").select_option("15:00")
    ayesha.get_by_label("Weekly call day").select_option("Tuesday")
    ayesha.get_by_label("Weekly call time").fill("16:00")
    ayesha.get_by_label("Weekly call length").select_option("30 minutes")
    ayesha.get_by_label("Code repository").fill("https://github.com/acme/ledger")
    milestones = [
        ("Ledger schema", "Tables and migrations reviewed; tests pass.", 30, "2500"),
        ("Settlement API", "Settles a day's payments in under a minute.", 60, "3500"),
    ]
    for n, (title, criteria, days, amount) in enumerate(milestones, start=1):
        row = ayesha.get_by_role("group", name=f"Milestone {n}", exact=True)
        row.get_by_label("Milestone", exact=True).fill(title)
        row.get_by_label("Acceptance criteria").fill(criteria)
        row.get_by_label("Due date").fill((today + timedelta(days=days)).isoformat())
        row.get_by_label("Amount").fill(amount)
    ayesha.get_by_role("button", name="Save draft").click()
    expect(notice(ayesha)).to_contain_text("Draft saved. Only your team sees it")
    expect(h1(ayesha)).to_have_text("Settlement ledger")
    terms = region(ayesha, "Terms")
    expect(terms).to_contain_text("Draft.")
    expect(terms.get_by_role("table").first).to_contain_text("USD 6,000")

    # 2. She sends it; Sana reads it from her home page and accepts version 1.
    terms.get_by_role("button", name="Send version 1 to Sana Javed").click()
    expect(notice(ayesha)).to_contain_text("Version 1 sent to Sana Javed")
    expect(region(ayesha, "Terms: version 1")).to_contain_text("Waiting for acceptance.")

    sana = browse("sana", ENGINEER)
    sana.goto("/profile/")
    contracts = region(sana, "Your contracts")
    expect(contracts).to_contain_text("Waiting for your answer")
    contracts.get_by_role("link", name="Settlement ledger").click()
    expect(h1(sana)).to_have_text("Settlement ledger")
    expect(sana.locator(".lead")).to_contain_text("Your contract with Acme Logistics")
    offered = region(sana, "Terms: version 1")
    expect(offered.get_by_role("heading", name=re.compile("^Version 1, on offer"))).to_be_visible()
    for title, criteria, _days, _amount in milestones:
        expect(offered).to_contain_text(title)
        expect(offered).to_contain_text(criteria)
    expect(offered).to_contain_text("Every Thursday at 15:00 Karachi time")
    offered.get_by_role("button", name="Accept version 1").click()
    expect(notice(sana)).to_contain_text(
        "You accepted version 1. It starts once Acme Logistics accepts it too."
    )

    # 3. Ayesha accepts for Acme: the contract is active and the card is in Hired.
    ayesha.reload()
    accept = region(ayesha, "Terms: version 1")
    expect(accept).to_contain_text("Sana Javed: accepted on")
    accept.get_by_role("button", name="Accept version 1 for Acme Logistics").click()
    expect(notice(ayesha)).to_contain_text("Both sides have accepted: the contract has started.")
    expect(region(ayesha, "Terms: version 1")).to_contain_text("Active.")
    ayesha.goto(f"/briefs/{brief.pk}/pipeline/")
    hired = region(ayesha, re.compile(r"^Hired \d"))
    expect(hired.get_by_role("link", name="Sana Javed", exact=True)).to_be_visible()
    expect(region(ayesha, re.compile(r"^Offer \d"))).to_contain_text("Nobody in offer.")
    started = timezone.now()
    ayesha.goto("/dashboard/")
    running = region(ayesha, "Contracts").get_by_role("row").filter(has_text="Settlement ledger")
    expect(running).to_contain_text("Sana Javed")
    expect(running).to_contain_text("Active")

    # 4. Thursday 15:00 in Lahore: the hourly sweep sends the week's check-in. Sana opens
    #    the email's link in a browser that is not logged in, logs in and lands on it.
    due = first_due(started, 3, time(15))
    checkin_sweep(now=due.astimezone(ZoneInfo("UTC")))
    link = emailed_link(ENGINEER, "hiring/checkins/email/checkin_due")
    mail = browse("sana-mail")
    mail.goto(link)
    log_in(mail, ENGINEER)
    monday = due.date() - timedelta(days=due.weekday())
    expect(h1(mail)).to_have_text(f"Check-in: week of {long_day(monday)}")
    expect(mail.locator(".lead")).to_contain_text("Write a few lines for Acme Logistics")
    yours = region(mail, "Your check-in")
    yours.get_by_label("Done since last time").fill("Ledger tables and their migrations.")
    yours.get_by_label("Next").fill("The settlement job.")
    yours.get_by_label("Blockers").fill("Need read access to the bank's sandbox.")
    yours.get_by_label("Hours this week").fill("32")
    yours.get_by_role("group", name=re.compile("^How is it going")).get_by_label("On track").check()
    yours.get_by_role("button", name="Send the check-in").click()
    expect(notice(mail)).to_contain_text("Check-in sent. Acme Logistics has been told")
    expect(region(mail, "Your check-in")).to_contain_text("Ledger tables and their migrations.")
    expect(region(mail, "Acme Logistics's side")).to_contain_text("Not answered yet.")

    # 5. Ayesha answers her side, from the contract's list of check-ins.
    ayesha.goto("/contracts/")
    ayesha.get_by_role("link", name="Settlement ledger").click()
    region(ayesha, "Weekly check-ins").get_by_role("link", name="All check-ins").click()
    expect(h1(ayesha)).to_have_text("Weekly check-ins")
    weeks = region(ayesha, "Every week")
    expect(weeks).to_contain_text("Answered")
    expect(weeks).to_contain_text("On track")
    weeks.get_by_role("link", name=long_day(monday)).click()
    expect(h1(ayesha)).to_have_text(f"Check-in: week of {long_day(monday)}")
    expect(region(ayesha, "Sana Javed's check-in")).to_contain_text(
        "Need read access to the bank's sandbox."
    )
    side = region(ayesha, "Your team's side")
    side.get_by_role("group", name=re.compile("^Are the priorities clear")).get_by_label(
        "Yes", exact=True
    ).check()
    side.get_by_label("Feedback").fill("Good start; keep the migrations small.")
    side.get_by_label("Blockers your team owns").fill("Sandbox access by Monday.")
    side.get_by_role("button", name="Send your answer").click()
    expect(notice(ayesha)).to_contain_text("Your answer is sent. Sana Javed has been told.")
    expect(ayesha.locator(".lead")).to_contain_text("Both sides have answered")
    mail.reload()
    expect(region(mail, "Acme Logistics's side")).to_contain_text(
        "Good start; keep the migrations small."
    )

    # 6. Sana proposes a later end date; Ayesha accepts; the history shows version 2.
    later = end_on + timedelta(days=28)
    sana.reload()
    region(sana, "Scope changes").get_by_role("link", name="Propose a change").click()
    expect(h1(sana)).to_have_text("Propose a change")
    sana.get_by_label("End date").fill(later.isoformat())
    sana.get_by_label("Why this change").fill("The bank's sandbox arrives a month late.")
    sana.get_by_role("button", name="Propose this change").click()
    expect(notice(sana)).to_contain_text("Your change is sent.")
    expect(h1(sana)).to_have_text("Proposed change to version 1")

    ayesha.goto("/contracts/")
    ayesha.get_by_role("link", name="Settlement ledger").click()
    changes = region(ayesha, "Scope changes")
    expect(changes).to_contain_text("A change is waiting for your answer")
    changes.get_by_role("link", name="Read it and answer").click()
    expect(h1(ayesha)).to_have_text("Proposed change to version 1")
    what = region(ayesha, "What changes")
    end_row = what.get_by_role("row").filter(has=ayesha.get_by_role("rowheader", name="End date"))
    expect(end_row.get_by_role("cell")).to_have_text([short_day(end_on), short_day(later)])
    expect(what).to_contain_text("(28 days later)")
    expect(what).to_contain_text("Unchanged: USD 6,000")
    ayesha.get_by_role("button", name="Accept the change").click()
    expect(notice(ayesha)).to_contain_text(
        "Accepted: version 2 is now in force, agreed by both sides."
    )
    ayesha.get_by_role("link", name="The history of versions").click()
    expect(h1(ayesha)).to_have_text("History of versions")
    v2 = region(ayesha, "Version 2 In force")
    expect(v2).to_contain_text("From a change Sana Javed (the engineer) proposed")
    table = v2.get_by_role("table", name="What version 2 changed from version 1")
    end_row = table.get_by_role("row").filter(has=ayesha.get_by_role("rowheader", name="End date"))
    expect(end_row.get_by_role("cell")).to_have_text([short_day(end_on), short_day(later)])
    expect(v2).to_contain_text("Sana Javed for the engineer")
    expect(v2).to_contain_text("Ayesha Khan for Acme Logistics")
    expect(region(ayesha, "Version 1")).to_contain_text("The first version")

    # 7. Sana submits the first milestone; Ayesha accepts it and a payment falls due.
    sana.get_by_role("link", name="Back to the contract").click()
    expect(region(sana, "Terms: version 2")).to_contain_text("Active.")
    first = milestone(sana, "Ledger schema")
    first.get_by_text("Submit this milestone").click()
    first.get_by_label("What you are handing over").fill("Schema and migrations, reviewed.")
    first.get_by_label("Link to the work").fill(WORK_LINK)
    first.get_by_role("button", name="Submit “Ledger schema”").click()
    expect(notice(sana)).to_contain_text(
        "“Ledger schema” is submitted. Acme Logistics has been told"
    )
    expect(milestone(sana, "Ledger schema")).to_contain_text("Submitted")

    ayesha.goto("/contracts/")
    ayesha.get_by_role("link", name="Settlement ledger").click()
    first = milestone(ayesha, "Ledger schema")
    expect(first).to_contain_text("Schema and migrations, reviewed.")
    expect(first.get_by_role("link", name=WORK_LINK)).to_be_visible()
    first.get_by_role("button", name="Accept “Ledger schema”").click()
    expect(notice(ayesha)).to_contain_text("“Ledger schema” is accepted. Sana Javed has been told.")
    expect(milestone(ayesha, "Ledger schema")).to_contain_text("Accepted by Ayesha Khan")
    payment = payments(ayesha).get_by_role("row").filter(has_text="Ledger schema")
    expect(payment).to_contain_text("USD 2,500")
    payment.get_by_label("Reference").fill("TRX-2041")
    payment.get_by_role("button", name="Mark paid").click()
    expect(notice(ayesha)).to_contain_text(
        "is marked paid. Sana Javed is asked to confirm receipt."
    )
    sana.reload()
    payment = payments(sana).get_by_role("row").filter(has_text="Ledger schema")
    expect(payment).to_contain_text("Reference: TRX-2041")
    payment.get_by_role("button", name="Confirm receipt").click()
    expect(notice(sana)).to_contain_text("confirmed. Acme Logistics can see it.")

    # 8. Sana gives notice for the earliest day the notice period allows; after that
    #    day the ending sweep ends the contract.
    last_day = today + timedelta(days=14)
    sana.reload()
    ending = region(sana, "Ending the contract")
    ending.get_by_text("Give notice to end the contract").click()
    ending.get_by_label("Why does the contract end?").fill("I am moving to a full-time role.")
    expect(ending.get_by_label("Last day of the contract")).to_have_value(last_day.isoformat())
    ending.get_by_role("button", name="Give notice").click()
    expect(notice(sana)).to_contain_text(
        f"Notice given: the contract's last day is {long_day(last_day)}."
    )
    expect(region(sana, "The contract is ending")).to_contain_text(long_day(last_day))

    after = datetime.combine(last_day + timedelta(days=1), time(1), tzinfo=LAHORE)
    ending_sweep(now=after.astimezone(ZoneInfo("UTC")))

    # 9. Both review. Ayesha's stays hidden until Sana's is in; then both are published.
    ayesha.reload()
    ended = region(ayesha, "The contract has ended")
    expect(ended).to_contain_text("I am moving to a full-time role.")
    ended.get_by_role("link", name="Write your review").click()
    expect(h1(ayesha)).to_have_text("Review Sana Javed")
    ayesha.get_by_role("group", name=re.compile("^Overall")).get_by_label("5 stars").check()
    ayesha.get_by_role("group", name=re.compile("^Quality of work")).get_by_label(
        "5", exact=True
    ).check()
    ayesha.get_by_role("group", name=re.compile("^Working across time zones")).get_by_label(
        "4", exact=True
    ).check()
    ayesha.get_by_label("Your public review").fill(REVIEW_OF_SANA)
    ayesha.get_by_label("A private note to Karigar staff").fill("Would hire again.")
    ayesha.get_by_role("button", name="Send your review").click()
    expect(notice(ayesha)).to_contain_text(
        "Your review is in. It stays hidden from Sana Javed until they write theirs"
    )

    sana.reload()
    ended = region(sana, "The contract has ended")
    expect(ended).not_to_contain_text(REVIEW_OF_SANA)
    ended.get_by_role("link", name="Write your review").click()
    expect(h1(sana)).to_have_text("Review Acme Logistics")
    sana.get_by_role("group", name=re.compile("^Overall")).get_by_label("4 stars").check()
    sana.get_by_role("group", name=re.compile("^Paying on time")).get_by_label(
        "5", exact=True
    ).check()
    sana.get_by_label("Your public review").fill(REVIEW_OF_ACME)
    sana.get_by_role("button", name="Send your review").click()
    expect(notice(sana)).to_contain_text("Both reviews are in, so both are published now.")
    expect(region(sana, "The contract has ended")).to_contain_text(REVIEW_OF_SANA)

    # 10. Sana's profile, as Ayesha sees it, shows Acme's review; Acme's page, Sana's.
    ayesha.goto(f"/engineers/{profile.pk}/")
    reviews = region(ayesha, "Reviews")
    expect(reviews).to_contain_text("5 out of 5")
    expect(reviews).to_contain_text(REVIEW_OF_SANA)
    expect(reviews).to_contain_text("Acme Logistics")
    expect(reviews).not_to_contain_text("Would hire again.")

    # The contract page keeps the story, newest first.
    ayesha.goto("/contracts/")
    ayesha.get_by_role("link", name="Settlement ledger").click()
    timeline = region(ayesha, "Timeline")
    for line in (
        "The reviews were published",
        "The contract ended",
        "Sana Javed gave notice: the contract ends on",
        "Sana Javed confirmed receiving",
        "Ayesha Khan accepted milestone “Ledger schema”",
        "Ayesha Khan accepted the change order: version 2 is in force",
        "Acme Logistics answered its side of the check-in for the week of",
        "Sana Javed answered the check-in for the week of",
        "The contract started: both sides accepted the same version",
    ):
        expect(timeline).to_contain_text(line)
