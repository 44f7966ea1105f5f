"""Issue 11 end to end in Chromium: an employer in Berlin sends an assessment to an
engineer in Lahore who said yes; the engineer hands in a link; two teammates grade it
blind (and anonymously); the employer schedules an interview with the brief's kit; the
engineer picks a time and the invitation arrives over SMTP with its .ics; both
interviewers submit scorecards; the summary shows both side by side.

Every email goes through the outbox to a real Celery worker and a real SMTP server, as
in production. Setup is by the services; everything after it is done in the browser.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Locator, Page, expect

from screening.models import Assessment, Interview, Scorecard, Stage
from screening.selectors.interviews import span_text
from tests.browser.conftest import ARTIFACTS
from tests.browser.screening_data import (
    COMPANY_TZ,
    ENGINEER_TZ,
    OWNER,
    TEAMMATE,
    log_in,
    make_acme,
)
from tests.conftest import Inbox
from tests.hiring.conftest import ThreadRuns

pytestmark = pytest.mark.django_db(transaction=True)

ENGINEER = "sana@example.com"
WORK_URL = "https://github.com/sana/ledger-api"
VIDEO_LINK = "https://meet.example.com/abc-defg-hij"


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def runs(celery_worker: Any, smtp_inbox: Inbox) -> Iterator[ThreadRuns]:
    """The real worker delivering the outbox to ``smtp_inbox``; ``.until(...)`` waits."""
    from celery.signals import task_postrun

    counter = ThreadRuns()
    task_postrun.connect(counter, weak=False)
    yield counter
    task_postrun.disconnect(counter)


@pytest.fixture
def signed_in(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[str], Page]]:
    """``signed_in(email)``: a browser context of that person's own, logged in. Each is
    closed afterwards; on a failure, each page's screenshot goes to test-artifacts/."""
    pages: dict[str, Page] = {}

    def open_for(email: str) -> Page:
        page = browser.new_context(base_url=live_server.url).new_page()
        page.set_default_timeout(10_000)
        log_in(page, email)
        pages[email] = page
        return page

    yield open_for
    report = getattr(request.node, "rep_call", None)
    for email, page in pages.items():
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{request.node.name}-{email.split('@')[0]}.png"
            page.screenshot(path=shot, full_page=True)
        page.context.close()


def region(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


def day_month_time(moment: datetime, zone: str) -> str:
    """A time as the Opportunities list writes it: "17 Mar, 21:00"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%b, %H:%M}"


def interview_day(interview: Interview) -> str:
    """A booked interview as the Opportunities list starts it: "Wed 2 Dec, 13:00"."""
    assert interview.starts_at is not None
    local = interview.starts_at.astimezone(ZoneInfo(ENGINEER_TZ))
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


def calendar_part(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            return payload.decode() if isinstance(payload, bytes) else None
    return None


def subject(message: Message) -> str:
    """The Subject header unfolded and decoded."""
    raw = re.sub(r"\r?\n(?=[ \t])", "", str(message["Subject"]))
    return str(make_header(decode_header(raw)))


def received(inbox: Inbox, prefix: str) -> list[Message]:
    return [m for m in inbox.messages if m["X-Karigar-Email"].startswith(prefix)]


def grade(page: Page, scores: dict[str, tuple[str, str]], call: str) -> None:
    """Fill the grading form: per criterion a score (its level's label) and evidence."""
    for criterion, (level, evidence) in scores.items():
        group = page.get_by_role("group", name=re.compile(rf"^{criterion} \(\d+%\)"))
        group.get_by_role("radio", name=level).check()
        page.get_by_label(f"Evidence for “{criterion}”").fill(evidence)
    page.get_by_role("group", name=re.compile("^Your overall recommendation")).get_by_label(
        call, exact=True
    ).check()
    page.get_by_role("button", name="Submit my grade").click()


def score(page: Page, ratings: dict[str, tuple[str, str]], call: str) -> None:
    """Fill the scorecard: per focus attribute a score (or "Did not assess") and evidence."""
    for attribute, (level, evidence) in ratings.items():
        group = page.get_by_role("group", name=re.compile(rf"^Score for {attribute}"))
        group.get_by_label(level, exact=True).check()
        if evidence:
            page.get_by_label(f"Evidence for {attribute}").fill(evidence)
    page.get_by_role("group", name=re.compile("^Your overall recommendation")).get_by_label(
        call, exact=True
    ).check()
    page.get_by_role("button", name="Submit your scorecard").click()


def test_an_assessment_two_blind_grades_an_interview_and_two_scorecards(
    live_server,  # type: ignore[no-untyped-def]
    settings: Any,
    runs: ThreadRuns,
    smtp_inbox: Inbox,
    signed_in: Callable[[str], Page],
) -> None:
    settings.SITE_URL = live_server.url  # the emails' links point at the live server
    acme = make_acme()
    candidacy = acme.interested(ENGINEER, "Sana Javed")
    owner, teammate, sana = signed_in(OWNER), signed_in(TEAMMATE), signed_in(ENGINEER)

    # 1. Ayesha sends the assessment from the candidacy page: both graders, anonymous,
    #    due in five days at 17:00 Berlin time.
    owner.goto(f"/pipeline/{candidacy.pk}/")
    region(owner, "Assessments").get_by_role("link", name="Send an assessment").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Send an assessment to Sana Javed")
    due_day = timezone.localdate(timezone=ZoneInfo(COMPANY_TZ)) + timedelta(days=5)
    owner.get_by_label("Deadline").fill(f"{due_day:%Y-%m-%d}T17:00")
    graders = owner.get_by_role("group", name=re.compile("^Graders"))
    expect(graders.get_by_label("Ayesha Khan (you)")).to_be_checked()
    graders.get_by_label("Omar Farooq").check()
    owner.get_by_label("Grade anonymously").check()
    owner.get_by_role("button", name="Send the assessment").click()
    expect(owner.locator(".messages")).to_contain_text("“Ledger API” sent to Sana Javed.")
    assessment = Assessment.objects.get(candidacy=candidacy)
    deadline = datetime(due_day.year, due_day.month, due_day.day, 17, tzinfo=ZoneInfo(COMPANY_TZ))
    assert assessment.deadline == deadline
    assert assessment.anonymous
    assert {g.grader.email for g in assessment.grades.all()} == {OWNER, TEAMMATE}
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.ASSESSMENT

    # 2. Sana opens Opportunities: the ask with its deadline in her time and Acme's.
    sana.goto("/opportunities/")
    ask = sana.get_by_role("link", name=re.compile("^Assessment due"))
    expect(ask).to_have_text(
        f"Assessment due {day_month_time(deadline, ENGINEER_TZ)} your time "
        f"({deadline:%H:%M} in Berlin)"
    )
    ask.click()
    expect(sana.get_by_role("heading", level=1)).to_have_text("Ledger API")
    terms = region(sana, "Before you start")
    expect(terms).to_contain_text("USD 100")
    expect(terms).to_contain_text(f"({ENGINEER_TZ})")
    hand_in = region(sana, "Hand in your work")
    hand_in.get_by_label("Link to your work").fill(WORK_URL)
    hand_in.get_by_label("A note for the company").fill("Run make test.")
    hand_in.get_by_role("button", name="Hand in").click()
    expect(sana.locator(".messages")).to_contain_text("Handed in.")
    expect(region(sana, "What you handed in")).to_contain_text(WORK_URL)

    # 3. Ayesha grades first, from the candidacy page, without seeing Sana's name.
    owner.goto(f"/pipeline/{candidacy.pk}/")
    panel = region(owner, "Assessments")
    expect(panel).to_contain_text("the others' stay hidden until you do")
    panel.get_by_role("link", name="Grade it now").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Grade “Ledger API”")
    main = owner.locator("main")
    expect(main).to_contain_text(f"Candidate A-{assessment.pk}")
    expect(main).not_to_contain_text("Sana Javed")
    expect(region(owner, "The work")).to_contain_text(WORK_URL)
    grade(
        owner,
        {
            "Correctness": ("3 · Good", "Ledger balances on every path."),
            "Tests": ("4 · Excellent", "Property tests on posting."),
        },
        "Strong yes",
    )
    expect(owner.locator(".messages")).to_contain_text("Your grade is submitted.")
    grades = owner.get_by_role("region", name=re.compile("^Grades"))
    expect(grades).to_contain_text("Ayesha Khan (you)")
    expect(grades).to_contain_text("3.4 of 4")
    expect(grades).to_contain_text("1 grader still to submit.")
    expect(owner.locator("main")).to_contain_text("Sana Javed")  # named once graded

    # 4. Omar, before grading, sees no other grade anywhere: blind.
    teammate.goto(f"/assessments/{assessment.pk}/")
    expect(teammate.get_by_role("heading", level=1)).to_be_visible()
    for hidden in ("Ledger balances", "Property tests", "of 4"):
        expect(teammate.locator("main")).not_to_contain_text(hidden)
    teammate.goto(f"/pipeline/{candidacy.pk}/")
    panel = region(teammate, "Assessments")
    expect(panel).to_contain_text("the others' stay hidden until you do")
    expect(panel).not_to_contain_text("Ayesha Khan")
    expect(panel.get_by_text(re.compile(r"of 4$"))).to_have_count(0)
    panel.get_by_role("link", name="Grade it now").click()
    expect(teammate.get_by_role("heading", level=1)).to_have_text("Grade “Ledger API”")
    main = teammate.locator("main")
    expect(main).to_contain_text(f"Candidate A-{assessment.pk}")
    for hidden in ("Sana Javed", "Ayesha Khan", "Ledger balances", "Property tests", "of 4"):
        expect(main).not_to_contain_text(hidden)
    expect(teammate.get_by_role("heading", name=re.compile("^Grades"))).to_have_count(0)
    grade(
        teammate,
        {
            "Correctness": ("2 · Mixed", "Refunds double-post."),
            "Tests": ("3 · Good", "Main paths covered."),
        },
        "Yes",
    )
    expect(teammate.locator(".messages")).to_contain_text("Your grade is submitted.")
    expect(teammate.locator("main")).to_contain_text("Ledger balances on every path.")

    # 5. The candidacy shows the weighted score (3.4 and 2.4: 2.9) and both cards.
    owner.goto(f"/pipeline/{candidacy.pk}/")
    panel = region(owner, "Assessments")
    expect(panel).to_contain_text("Graded")
    expect(panel).to_contain_text("2.9 of 4")
    expect(panel).to_contain_text("2 of 2 grades in")
    panel.get_by_text("Grade cards (2)").click()
    for name, total, call in (("Ayesha Khan", "3.4", "Strong yes"), ("Omar Farooq", "2.4", "Yes")):
        card = panel.locator(".grade-card", has_text=name)
        expect(card).to_contain_text(f"{call} · {total} of 4")
    expect(panel.get_by_role("table")).to_have_count(2)
    sana.goto(f"/my/assessments/{assessment.pk}/")  # the engineer reads no grade
    expect(sana.locator(".lead")).to_contain_text("You handed this in")
    for hidden in ("of 4", "Ledger balances", "Refunds double-post", "Ayesha Khan", "Omar Farooq"):
        expect(sana.locator("main")).not_to_contain_text(hidden)

    # 6. Ayesha schedules the technical interview with the brief's kit, both of them
    #    on it, 60 minutes; finds times, offers the ones ticked.
    region(owner, "Interviews").get_by_role("link", name="Schedule an interview").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Schedule an interview with Sana Javed"
    )
    expect(owner.get_by_text("This brief's kits: Backend technical for technical")).to_be_visible()
    owner.get_by_role("combobox", name=re.compile(r"^Interview \(required\)")).select_option(
        "Technical interview"
    )
    owner.get_by_label("Length").select_option("60 minutes")
    interviewers = owner.get_by_role("group", name=re.compile("^Interviewers"))
    interviewers.get_by_label("Omar Farooq").check()
    expect(interviewers.get_by_label("Ayesha Khan")).to_be_checked()
    owner.get_by_label("Video call link").fill(VIDEO_LINK)
    owner.get_by_role("button", name="Find times").click()
    times = owner.get_by_role("group", name="Times to offer")
    expect(times).to_be_visible()
    ticked = times.locator("input[type=checkbox]:checked")
    expect(ticked.first).to_be_checked()
    offered = ticked.count()
    assert 1 <= offered <= 20
    owner.get_by_role("button", name="Offer these times").click()
    expect(owner.locator(".messages")).to_contain_text(f"{offered} times offered to Sana Javed.")
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Technical interview with Sana Javed"
    )
    expect(owner.get_by_role("heading", name="The kit: Backend technical")).to_be_visible()
    interview = Interview.objects.get(candidacy=candidacy)
    assert interview.kit_id == acme.kit.pk
    assert interview.slots.count() == offered
    assert {s.interviewer.email for s in interview.scorecards.all()} == {OWNER, TEAMMATE}

    # 7. Sana picks the first time on her interview page, from Opportunities.
    sana.goto("/opportunities/")
    sana.get_by_role("link", name="Pick an interview time").click()
    expect(sana.get_by_role("heading", level=1)).to_have_text(
        "Technical interview with Acme Logistics"
    )
    pick = region(sana, "Pick a time")
    pick.get_by_role("radio").first.check()
    pick.get_by_role("button", name="Book this time").click()
    expect(sana.locator(".lead")).to_contain_text("Booked for")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.BOOKED
    assert interview.starts_at is not None and interview.ends_at is not None
    when = span_text(interview.starts_at, interview.ends_at, ENGINEER_TZ)
    expect(sana.get_by_role("heading", level=1)).to_have_text(
        "Technical interview with Acme Logistics"
    )
    expect(sana.locator(".lead")).to_contain_text(f"Booked for {when}, your time.")
    expect(sana.get_by_role("link", name="Add to your calendar (.ics)")).to_be_visible()
    sana.goto("/opportunities/")
    expect(
        sana.get_by_role("link", name=re.compile(rf"^Interview {interview_day(interview)}"))
    ).to_be_visible()

    # 8. The invitation arrives over SMTP for all three, each with the .ics of the
    #    booked interview, the time in the reader's own zone.
    prefix = f"interview-booked:{interview.pk}:0:"
    runs.until(lambda: len(received(smtp_inbox, prefix)) == 3)
    invitations = {m["To"]: m for m in received(smtp_inbox, prefix)}
    assert set(invitations) == {ENGINEER, OWNER, TEAMMATE}
    assert when in subject(invitations[ENGINEER])
    berlin = span_text(interview.starts_at, interview.ends_at, COMPANY_TZ)
    assert berlin in subject(invitations[OWNER])
    for message in invitations.values():
        ics = calendar_part(message)
        assert ics is not None, f"no text/calendar part in {subject(message)}"
        calendar = Calendar.from_ical(ics)
        [event] = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == interview.uid
        assert event.decoded("dtstart") == interview.starts_at
        assert event.decoded("dtend") == interview.ends_at

    # The interview happens: scorecards open once it has begun, so its time is moved to
    # the hour just gone (the clock cannot be waited for in a test).
    began = timezone.now() - timedelta(minutes=30)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=began, ends_at=began + timedelta(minutes=60)
    )

    # 9. Omar writes his scorecard first; Ayesha's page shows no card of his until she
    #    submits hers (blind), then both are in and the summary shows them side by side.
    teammate.goto(f"/pipeline/{candidacy.pk}/")
    region(teammate, "Scorecards").get_by_role(
        "link", name="Write your scorecard for the technical interview"
    ).click()
    expect(teammate.get_by_role("heading", level=1)).to_have_text("Your scorecard for Sana Javed")
    score(
        teammate,
        {
            "APIs": ("3 · Good", "Explained idempotency keys and replay."),
            "Databases": ("2 · Mixed", "Unsure about partial indexes."),
            "Communication": ("Did not assess", ""),
        },
        "Yes",
    )
    expect(teammate.locator(".messages")).to_contain_text("Your scorecard is in.")
    expect(teammate.get_by_role("heading", level=1)).to_have_text("Scorecards for Sana Javed")

    owner.goto(f"/interviews/{interview.pk}/scorecard/")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Your scorecard for Sana Javed")
    expect(owner.locator("main")).not_to_contain_text("Explained idempotency keys")
    expect(owner.get_by_role("table")).to_have_count(0)
    seats = region(owner, "Interviewers")
    expect(seats.locator(".entry", has_text="Omar Farooq")).to_contain_text("Submitted")
    expect(seats).not_to_contain_text("Yes")
    score(
        owner,
        {
            "APIs": ("4 · Excellent", "Designed the retry flow unprompted."),
            "Databases": ("3 · Good", "Knew when an index hurts writes."),
            "Communication": ("Did not assess", ""),
        },
        "Strong yes",
    )
    expect(owner.locator(".messages")).to_contain_text("Your scorecard is in.")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Scorecards for Sana Javed")
    table = owner.get_by_role(
        "table", name="Technical interview: scores and evidence by interviewer"
    )
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(["Focus attribute", "Ayesha Khan (you)", "Omar Farooq"])
    apis = table.get_by_role("row").filter(has=owner.get_by_role("rowheader", name="APIs"))
    expect(apis.get_by_role("cell")).to_have_text(
        [
            re.compile(r"^4 · Excellent\s*Designed the retry flow unprompted\.$"),
            re.compile(r"^3 · Good\s*Explained idempotency keys and replay\.$"),
        ]
    )
    recommendations = table.get_by_role("row").filter(
        has=owner.get_by_role("rowheader", name="Recommendation")
    )
    expect(recommendations.get_by_role("cell")).to_have_text(["Strong yes", "Yes"])
    expect(owner.locator("main")).to_contain_text("Nobody rated: Communication.")
    assert Scorecard.objects.filter(interview=interview, submitted_at__isnull=False).count() == 2

    # The last card in: the worker tells Ayesha, who scheduled it, that all are in.
    runs.delivered()
    [done] = received(smtp_inbox, f"scorecards-in:{interview.pk}:")
    assert done["To"] == OWNER
