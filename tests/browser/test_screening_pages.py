"""axe-core finds no accessibility violations on issue 11's pages, at 1280 and 375 px
wide, and none of them scrolls sideways on a phone. Each page is shown in the state
that puts the most on it: forms to fill, slots to tick or pick, cards side by side."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from screening.models import Assessment, Interview
from screening.services import assessments, scorecards
from tests.browser.screening_data import OWNER, TEAMMATE, Acme, log_in, make_acme
from tests.interviews.conftest import book, offer

pytestmark = pytest.mark.django_db(transaction=True)

SANA, BILAL, HINA, ZARA = (
    "sana@example.com",
    "bilal@example.com",
    "hina@example.com",
    "zara@example.com",
)


@pytest.fixture(autouse=True)
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@dataclass
class Screening:
    acme: Acme
    interested: int  # Sana's candidacy: nothing sent yet
    sent: Assessment  # Bilal's, waiting for his work
    proposed: Interview  # Bilal's, times offered
    graded_once: Assessment  # Hina's, handed in, graded by Ayesha only (anonymous)
    half_scored: Interview  # Hina's, booked, Ayesha's scorecard in, Omar's not
    scored: Interview  # Zara's, booked, both scorecards in


def send(acme: Acme, candidacy: Any) -> Assessment:
    return assessments.assessment_send(
        candidacy=candidacy,
        template=acme.template,
        sender=acme.owner,
        deadline=timezone.now() + timedelta(days=5),
        graders=[acme.owner, acme.teammate],
        anonymous=True,
    )


def grade(assessment: Assessment, grader: Any, scores: list[int]) -> None:
    assessments.grade_submit(
        assessment=assessment,
        grader=grader,
        scores={
            criterion["key"]: {"score": score, "evidence": f"Saw it in the {criterion['name']}."}
            for criterion, score in zip(assessment.rubric, scores, strict=True)
        },
        recommendation=1,
    )


def score(interview: Interview, interviewer: Any, recommendation: int) -> None:
    scorecards.scorecard_submit(
        interview=interview,
        interviewer=interviewer,
        ratings={
            "apis": {"score": 3, "evidence": "Explained idempotency keys and replay."},
            "databases": {"score": 2, "evidence": "Unsure about partial indexes."},
        },
        recommendation=recommendation,
        now=interview.starts_at,  # scorecards open when the interview begins
    )


def begun(interview: Interview) -> Interview:
    """The booked interview, moved to the hour just gone: its scorecards open at the start."""
    start = timezone.now() - timedelta(minutes=30)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=interview.length_minutes)
    )
    interview.refresh_from_db()
    return interview


@pytest.fixture
def screening() -> Screening:
    acme = make_acme()
    both = [acme.owner, acme.teammate]
    sana = acme.interested(SANA, "Sana Javed")

    bilal = acme.interested(BILAL, "Bilal Ahmed")
    sent = send(acme, bilal)
    proposed = offer(bilal, acme.owner, both, kit=acme.kit)

    hina = acme.interested(HINA, "Hina Malik")
    graded_once = send(acme, hina)
    assessments.assessment_submit(
        assessment=graded_once,
        user=hina.profile.user,
        url="https://github.com/hina/ledger",
        note="Run make test.",
    )
    grade(graded_once, acme.owner, [3, 4])
    half_scored = begun(book(offer(hina, acme.owner, both, kit=acme.kit), hina.profile.user))
    score(half_scored, acme.owner, 2)

    zara = acme.interested(ZARA, "Zara Sheikh")
    scored = begun(book(offer(zara, acme.owner, both, kit=acme.kit), zara.profile.user))
    score(scored, acme.owner, 2)
    score(scored, acme.teammate, 1)
    return Screening(acme, sana.pk, sent, proposed, graded_once, half_scored, scored)


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def find_times(page: Page) -> None:
    """The schedule page with free times to tick: after "Find times"."""
    page.get_by_label("Video call link").fill("https://meet.example.com/abc-defg-hij")
    page.get_by_role("button", name="Find times").click()
    expect(page.get_by_role("group", name="Times to offer")).to_be_visible()


def submitted_empty(button: str) -> Callable[[Page], None]:
    """The form of ``button`` posted with nothing filled in: 400, the errors listed."""

    def prepare(page: Page) -> None:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("alert")).to_be_visible()

    prepare.__name__ = f"posting {button!r} empty"
    return prepare


Visit = tuple[str, Callable[[Page], None] | None]


def problems_on(page: Page, visits: list[Visit], width: int) -> list[str]:
    found = []
    for path, prepare in visits:
        page.goto(path)
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
def test_the_screening_pages_have_no_accessibility_violations_and_fit_the_screen(
    axe_page: Page, screening: Screening, width: int
) -> None:
    s = screening
    axe_page.set_viewport_size({"width": width, "height": 900})

    log_in(axe_page, OWNER)
    problems = problems_on(
        axe_page,
        [
            (f"/pipeline/{s.interested}/assessment/", None),
            (f"/pipeline/{s.interested}/interview/", find_times),
            (f"/pipeline/{s.graded_once.candidacy_id}/", None),
            (f"/assessments/{s.graded_once.pk}/", None),
            (f"/assessments/{s.graded_once.pk}/grade/", None),  # graded: the cards
            (f"/interviews/{s.proposed.pk}/", None),
            (f"/interviews/{s.half_scored.pk}/", None),
            (f"/interviews/{s.half_scored.pk}/scorecard/", None),  # submitted: the table
            (f"/pipeline/{s.scored.candidacy_id}/scorecards/", None),
            (f"/pipeline/{s.half_scored.candidacy_id}/scorecards/", None),
            ("/assessments/templates/", None),
            (f"/assessments/templates/{s.acme.template.pk}/", None),
            ("/questions/", None),
            ("/kits/", None),
            (f"/kits/{s.acme.kit.pk}/", None),
            (f"/briefs/{s.acme.brief.pk}/kits/", None),
        ],
        width,
    )
    axe_page.context.clear_cookies()
    log_in(axe_page, TEAMMATE)
    problems += problems_on(
        axe_page,
        [
            (f"/assessments/{s.graded_once.pk}/grade/", None),  # blind: the form
            (f"/assessments/{s.graded_once.pk}/grade/", submitted_empty("Submit my grade")),
            (f"/interviews/{s.half_scored.pk}/scorecard/", None),  # the form
            (
                f"/interviews/{s.half_scored.pk}/scorecard/",
                submitted_empty("Submit your scorecard"),
            ),
        ],
        width,
    )
    axe_page.context.clear_cookies()
    log_in(axe_page, BILAL)
    problems += problems_on(
        axe_page,
        [
            ("/opportunities/", None),
            (f"/my/assessments/{s.sent.pk}/", None),
            (f"/my/assessments/{s.sent.pk}/", submitted_empty("Hand in")),
            (f"/my/interviews/{s.proposed.pk}/", None),  # slots to pick
        ],
        width,
    )
    axe_page.context.clear_cookies()
    log_in(axe_page, HINA)
    problems += problems_on(
        axe_page,
        [
            (f"/my/assessments/{s.graded_once.pk}/", None),  # handed in
            (f"/my/interviews/{s.half_scored.pk}/", None),  # booked
        ],
        width,
    )
    assert not problems, "\n\n".join(problems)
