"""axe-core finds no accessibility violations on issue 12's pages, at 1280 and 375 px
wide, and none of them scrolls sideways on a phone.

Each page is shown in the state that puts the most on it, for both sides where both
see it: a contract running for six weeks, with a version made by a change order and
another change waiting, milestones accepted, paid, submitted and ahead, an overdue
payment, check-ins of every status (the chart), and its timeline; a contract that has
ended (the handover checklist, reviews to write); one whose reviews are published
(the company page, the engineer's profile); a card in Offer (the draft form)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Company, User
from candidates.models import Profile
from hiring.changes import services as changes
from hiring.checkins import schedule
from hiring.checkins import services as checkins
from hiring.milestones import services as milestones
from hiring.models import ChangeOrder, CheckIn, Contract, Payment, Side
from hiring.reviews import services as reviews
from tests.factories import (
    PASSWORD,
    BriefFactory,
    EmployerFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMPLOYER = "ayesha@acme.example"
SANA, BILAL, ZARA, HINA = (
    "sana@example.com",
    "bilal@example.com",
    "zara@example.com",
    "hina@example.com",
)
LAHORE = ZoneInfo("Asia/Karachi")
CALL = {
    "overlap_starts": time(14),
    "overlap_ends": time(18),
    "call_weekday": 1,
    "call_time": time(15),
    "call_minutes": 30,
}


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@dataclass
class Contracts:
    company: Company
    offer: int  # Hina's candidacy, in Offer: the draft form
    running: Contract  # Sana's: version 2 in force, everything under way
    open_change: ChangeOrder  # proposed by Acme against version 2, waiting for Sana
    accepted_change: ChangeOrder  # Sana's, which made version 2
    due: CheckIn  # last week's, waiting for Sana's answer
    answered: CheckIn  # answered by Sana, waiting for Acme's side
    both: CheckIn  # both sides answered
    ended: Contract  # Bilal's: ended after notice, nobody has reviewed yet
    reviewed: Profile  # Zara: her contract ended and both reviews are published


def engineer(email: str, name: str) -> Profile:
    return ProfileFactory(
        user__email=email,
        user__full_name=name,
        status="approved",
        city="Lahore",
        time_zone="Asia/Karachi",
    )


def hire(employer: User, profile: Profile, **terms: Any) -> Contract:
    """An active contract of Acme with ``profile`` on a brief of its own."""
    brief = BriefFactory(
        company=employer.membership.company, created_by=employer, title=f"Brief for {profile}"
    )
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=employer))
    return contract_made(candidacy, status="active", **terms)


def week_checkin(contract: Contract, weeks_ago: int, **fields: Any) -> CheckIn:
    """The check-in of ``weeks_ago`` weeks back, made as the sweep makes it."""
    assert contract.current is not None
    week_of = schedule.week_now(contract.current, timezone.now()) - timedelta(weeks=weeks_ago)
    due = schedule.due_at(contract.current, week_of)
    return CheckIn.objects.create(
        contract=contract, week_of=week_of, due_at=due, sent_at=due, **fields
    )


def answer(checkin: CheckIn, by: User, health: str, hours: str, *, reply: User | None) -> None:
    checkins.checkin_answer(
        checkin=checkin,
        by=by,
        side=Side.ENGINEER,
        done="Reconciliation job and its tests; fixed two rounding bugs in the ledger export.",
        next="The retry queue, then the settlement report.",
        blockers="Waiting for staging credentials.",
        hours=Decimal(hours),
        health=health,
        now=checkin.due_at + timedelta(hours=3),
    )
    if reply is not None:
        checkins.checkin_reply(
            checkin=checkin,
            by=reply,
            side=Side.COMPANY,
            priorities_clear="partly",
            feedback="Good pace. Reconciliation matters more than the queue this week.",
            company_blockers="Staging credentials by Tuesday.",
            now=checkin.due_at + timedelta(hours=20),
        )


def ended_after_notice(contract: Contract, by: User) -> None:
    reviews.contract_end(
        contract=contract,
        by=by,
        side=Side.ENGINEER,
        reason="Moving to a full-time role.",
        ends_on=timezone.localdate(timezone=LAHORE) + timedelta(days=14),
    )


@pytest.fixture
def contracts() -> Contracts:
    today = timezone.localdate(timezone=LAHORE)
    employer = EmployerFactory(
        email=EMPLOYER,
        full_name="Ayesha Khan",
        membership__company__name="Acme Logistics",
        membership__company__city="New York",
        membership__company__time_zone="America/New_York",
    )
    sana, bilal, zara = (
        engineer(SANA, "Sana Javed"),
        engineer(BILAL, "Bilal Ahmed"),
        engineer(ZARA, "Zara Sheikh"),
    )

    # Sana's contract: six weeks in, three milestones of USD 2,000.
    running = hire(
        employer,
        sana,
        milestones=3,
        start_on=today - timedelta(days=42),
        end_on=today + timedelta(days=90),
        started_at=timezone.now() - timedelta(days=42),
        tools=[
            {"kind": "slack", "url": "https://acme-logistics.slack.com/archives/C0LEDGER"},
            {"kind": "repository", "url": "https://github.com/acme-logistics/settlement-ledger"},
        ],
        **CALL,
    )
    keys = list(running.current.milestones.order_by("position").values_list("key", flat=True))  # type: ignore[union-attr]
    version_1 = running.current
    assert version_1 is not None
    accepted_change = changes.change_propose(
        contract=running,
        by=sana.user,
        proposed=changes.Proposed(
            scope=version_1.scope,
            rate=version_1.rate,
            hours_cap=version_1.hours_cap,
            end_on=today + timedelta(days=118),
            note="The bank's sandbox arrives a month late.",
        ),
    )
    changes.change_accept(contract=running, change=accepted_change, by=employer, note="Fine by us.")
    running.refresh_from_db()
    milestones.milestone_submit(
        contract=running,
        user=sana.user,
        key=keys[0],
        note="Schema and migrations.",
        link="https://github.com/acme-logistics/settlement-ledger/pull/12",
    )
    milestones.milestone_accept(contract=running, user=employer, key=keys[0])
    paid = Payment.objects.get(contract=running, milestone_key=keys[0])
    milestones.payment_paid(contract=running, user=employer, payment_id=paid.pk, note="TRX-2041")
    milestones.payment_confirm(contract=running, user=sana.user, payment_id=paid.pk)
    milestones.milestone_submit(
        contract=running,
        user=sana.user,
        key=keys[1],
        note="The settlement API, deployed.",
        link="https://github.com/acme-logistics/settlement-ledger/pull/31",
    )
    Payment.objects.create(
        contract=running,
        label="Paid trial, first two weeks",
        amount=Decimal("800"),
        currency="USD",
        due_on=today - timedelta(days=9),
    )
    open_change = changes.change_propose(
        contract=running,
        by=employer,
        proposed=changes.Proposed(
            scope=version_1.scope + "\n\nAlso: a daily reconciliation report for finance.",
            rate=version_1.rate + Decimal("1500"),
            hours_cap=version_1.hours_cap,
            end_on=today + timedelta(days=118),
            milestones=[
                changes.MilestoneRow(
                    key="",
                    title="Reconciliation report",
                    acceptance_criteria="Finance gets a CSV by 09:00 every working day.",
                    due_on=today + timedelta(days=100),
                    amount=Decimal("1500"),
                )
            ],
            note="Finance asked for a daily report.",
        ),
    )
    # Check-ins of every kind over the last six weeks (the chart, the list).
    both = week_checkin(running, 6)
    answer(both, sana.user, "on_track", "30", reply=employer)
    answer(week_checkin(running, 5), sana.user, "at_risk", "24.5", reply=employer)
    week_checkin(
        running,
        4,
        status=CheckIn.Status.MISSED,
        reminded_at=timezone.now() - timedelta(days=27),
        missed_at=timezone.now() - timedelta(days=26),
    )
    week_checkin(
        running,
        3,
        status=CheckIn.Status.SKIPPED,
        skipped_at=timezone.now() - timedelta(days=22),
        skipped_side=Side.COMPANY,
        skipped_by=employer,
    )
    answered = week_checkin(running, 2)
    answer(answered, sana.user, "off_track", "36", reply=None)
    due = week_checkin(running, 1)

    # Bilal's contract ended after his notice; nobody has reviewed it yet. Zara's ended
    # too and both sides reviewed it (published).
    start = {"start_on": today - timedelta(days=60), "end_on": today + timedelta(days=60)}
    ended = hire(employer, bilal, started_at=timezone.now() - timedelta(days=60), **start)
    finished = hire(employer, zara, started_at=timezone.now() - timedelta(days=60), **start)
    ended_after_notice(ended, bilal.user)
    ended_after_notice(finished, zara.user)
    after = datetime.combine(today + timedelta(days=15), time(1), tzinfo=LAHORE)
    reviews.ending_sweep(now=after)
    for side, by, stars in ((Side.COMPANY, employer, 5), (Side.ENGINEER, zara.user, 4)):
        reviews.review_create(
            contract=finished,
            by=by,
            side=side,
            stars=stars,
            scores={name: stars for name in reviews.SCORES[side]},
            public_text="Clear, careful work; every decision written down."
            if side == Side.COMPANY
            else "A clear brief, quick answers and payments on time.",
        )

    hina = candidacy_at_offer(
        candidacy_in(
            BriefFactory(
                company=employer.membership.company, created_by=employer, title="Data pipeline"
            ),
            engineer(HINA, "Hina Malik"),
            user=employer,
        )
    )
    running.refresh_from_db()
    ended.refresh_from_db()
    return Contracts(
        company=employer.membership.company,
        offer=hina.pk,
        running=running,
        open_change=open_change,
        accepted_change=accepted_change,
        due=due,
        answered=answered,
        both=both,
        ended=ended,
        reviewed=zara,
    )


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Contracts", exact=True)).to_be_visible()


def posted_with_errors(button: str, *, clear: str = "") -> Callable[[Page], None]:
    """The form of ``button`` posted with ``clear`` emptied (or as it is): 400, the
    errors listed at the top and beside each field."""

    def prepare(page: Page) -> None:
        if clear:
            page.get_by_label(clear).fill("")
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("alert").first).to_be_visible()

    prepare.__name__ = f"posting {button!r} with errors"
    return prepare


def opened(*summaries: str) -> Callable[[Page], None]:
    """Disclosures opened, so what they fold away (forms, tables) is checked too."""

    def prepare(page: Page) -> None:
        for summary in summaries:
            disclosures = page.locator("summary").filter(has_text=summary)
            expect(disclosures.first).to_be_visible()
            for disclosure in disclosures.all():
                disclosure.click()

    prepare.__name__ = "with " + ", ".join(repr(s) for s in summaries) + " open"
    return prepare


Visit = tuple[str, Callable[[Page], None] | None]


def problems_on(page: Page, visits: list[Visit], width: int) -> list[str]:
    found = []
    for path, prepare in visits:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if prepare is not None:
            prepare(page)
        where = f"{path} ({prepare.__name__})" if prepare else path
        results = Axe().run(page)
        if results.violations_count:
            found.append(f"{where}:\n{results.generate_report()}")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll_width > width + 1:
            found.append(f"{where}: {scroll_width}px wide on a {width}px screen")
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_the_contract_pages_have_no_accessibility_violations_and_fit_the_screen(
    axe_page: Page, contracts: Contracts, width: int
) -> None:
    c = contracts
    run, ended = f"/contracts/{c.running.pk}", f"/contracts/{c.ended.pk}"
    change = f"{run}/changes/{c.open_change.pk}/"
    axe_page.set_viewport_size({"width": width, "height": 900})

    log_in(axe_page, EMPLOYER)
    problems = problems_on(
        axe_page,
        [
            ("/dashboard/", None),
            ("/contracts/", None),
            (f"/pipeline/{c.offer}/contract/", None),
            (f"/pipeline/{c.offer}/contract/", posted_with_errors("Save draft", clear="Scope")),
            (f"{run}/", opened("Ask for changes", "The chart's weeks as a table")),
            (f"{run}/v2/", None),
            (f"{run}/v1/", None),
            (f"{run}/history/", None),
            (change, opened("Withdraw this change")),
            (f"{run}/changes/{c.accepted_change.pk}/", None),
            (f"{run}/check-ins/", None),
            (f"{run}/check-ins/{c.answered.pk}/", None),
            (f"{run}/check-ins/{c.answered.pk}/", posted_with_errors("Send your answer")),
            (f"{run}/check-ins/{c.both.pk}/", None),
            (f"{run}/end/", None),
            (f"{ended}/", None),
            (f"{ended}/review/", None),
            (f"{ended}/review/", posted_with_errors("Send your review")),
            (f"/companies/{c.company.pk}/", None),
            (f"/engineers/{c.reviewed.pk}/", None),
        ],
        width,
    )
    log_in(axe_page, SANA)
    problems += problems_on(
        axe_page,
        [
            ("/profile/", None),
            ("/contracts/", None),
            (f"{run}/", opened("Submit this milestone", "Give notice to end the contract")),
            (f"{run}/v2/", None),
            (f"{run}/history/", None),
            (change, opened("Reject the change")),
            (f"{change}counter/", None),
            (f"{run}/check-ins/", None),
            (f"{run}/check-ins/{c.due.pk}/", None),
            (f"{run}/check-ins/{c.due.pk}/", posted_with_errors("Send the check-in")),
            (f"{run}/check-ins/{c.answered.pk}/", None),
            (f"/companies/{c.company.pk}/", None),
        ],
        width,
    )
    log_in(axe_page, BILAL)
    problems += problems_on(
        axe_page,
        [
            (f"{ended}/", None),
            (f"{ended}/review/", None),
            ("/profile/", None),
        ],
        width,
    )
    assert not problems, "\n\n".join(problems)
