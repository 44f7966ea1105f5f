"""Funnels on a known history: how many reached each stage, conversions, median days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Stage, StageMove
from screening.selectors import funnel
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=10)


def history(brief: Brief, by: User, steps: list[tuple[Stage, float]]) -> Candidacy:
    """A candidacy whose moves happened ``days`` after T0, written as the rows they are."""
    last, day = steps[-1]
    candidacy = Candidacy.objects.create(
        company=brief.company,
        brief=brief,
        profile=ProfileFactory(status="approved"),
        stage=last,
        stage_since=T0 + timedelta(days=day),
        added_by=by,
    )
    previous = ""
    for stage, days in steps:
        StageMove.objects.create(
            candidacy=candidacy,
            from_stage=previous,
            to_stage=stage,
            by=by,
            at=T0 + timedelta(days=days),
        )
        previous = stage
    return candidacy


@pytest.fixture
def known(brief: Brief, owner: User) -> Brief:
    # A: interested, then in an assessment for 3 days by NOW.
    history(
        brief,
        owner,
        [
            (Stage.SOURCED, 0),
            (Stage.CONTACTED, 2),
            (Stage.INTERESTED, 3),
            (Stage.ASSESSMENT, 7),
        ],
    )
    # B: contacted, then declined: still counts as having reached Contacted.
    history(brief, owner, [(Stage.SOURCED, 0), (Stage.CONTACTED, 4), (Stage.DECLINED, 6)])
    # C: not a fit after a day, reopened on day 2, and in Sourced since.
    history(brief, owner, [(Stage.SOURCED, 0), (Stage.NOT_A_FIT, 1), (Stage.SOURCED, 2)])
    # D: in Sourced for all 10 days.
    history(brief, owner, [(Stage.SOURCED, 0)])
    return brief


def test_it_counts_who_reached_each_stage_with_conversions(known: Brief) -> None:
    result = funnel(company=known.company, brief=known, now=NOW)

    assert result.total == 4
    assert [(s.stage, s.reached, s.conversion) for s in result.steps] == [
        (Stage.SOURCED, 4, None),
        (Stage.CONTACTED, 2, 50),
        (Stage.INTERESTED, 1, 50),
        (Stage.ASSESSMENT, 1, 100),
        (Stage.INTERVIEW, 0, 0),
        (Stage.OFFER, 0, None),
        (Stage.HIRED, 0, None),
    ]


def test_it_takes_the_median_days_over_every_stay_including_current_ones(known: Brief) -> None:
    result = funnel(company=known.company, brief=known, now=NOW)

    medians = {s.stage: (s.median_days, s.stays) for s in result.steps}
    # Sourced stays: A 2, B 4, C 1 then 8 (reopened, still there), D 10 → median 4.
    assert medians[Stage.SOURCED] == (4.0, 5)
    # Contacted: A 1 day, B 2 days.
    assert medians[Stage.CONTACTED] == (1.5, 2)
    assert medians[Stage.INTERESTED] == (4.0, 1)
    assert medians[Stage.ASSESSMENT] == (3.0, 1)  # the current stay, up to NOW
    assert medians[Stage.INTERVIEW] == (None, 0)


def test_the_company_funnel_adds_up_every_brief_of_the_company(
    known: Brief, owner: User, outsider: User
) -> None:
    second = BriefFactory(company=known.company, created_by=owner)
    history(second, owner, [(Stage.SOURCED, 0), (Stage.CONTACTED, 1)])
    elsewhere = BriefFactory(company=outsider.membership.company, created_by=outsider)
    history(elsewhere, outsider, [(Stage.SOURCED, 0), (Stage.CONTACTED, 1)])

    result = funnel(company=known.company, now=NOW)

    assert result.total == 5
    assert [s.reached for s in result.steps][:3] == [5, 3, 1]
    assert result.steps[1].conversion == 60


def test_the_funnel_bars_are_proportional_to_who_reached(known: Brief) -> None:
    result = funnel(company=known.company, brief=known, now=NOW)

    assert [s.bar for s in result.steps] == [400, 200, 100, 100, 0, 0, 0]


def test_the_brief_funnel_page_shows_a_chart_and_the_same_numbers_in_a_table(
    client: Client, owner: User, known: Brief
) -> None:
    client.force_login(owner)

    page = client.get(reverse("screening:brief_funnel", args=[known.pk])).content.decode()

    assert page.count("<h1") == 1
    assert 'role="img"' in page
    assert "Sourced 4, Contacted 2, Interested 1, Assessment 1, Interview 0" in page
    table = page[page.index("<table") : page.index("</table>")]
    assert '<td data-label="Reached">4</td>' in table
    assert '<td data-label="From the stage before">50%</td>' in table
    assert '<td data-label="From the stage before">100%</td>' in table
    assert "1.5" in table  # Contacted's median days


def test_the_company_page_lists_its_pipelines_with_counts(
    client: Client, owner: User, known: Brief
) -> None:
    client.force_login(owner)

    page = client.get(reverse("screening:company_funnel")).content.decode()

    row = page[page.index(reverse("screening:board", args=[known.pk])) :]
    row = row[: row.index("</tr>")]
    assert '<td data-label="Open">3</td>' in row
    assert '<td data-label="Closed">1</td>' in row
    assert reverse("screening:brief_funnel", args=[known.pk]) in row
    assert "4 engineers in your company" in page


def test_the_funnels_explain_how_to_start_when_there_is_no_pipeline(
    client: Client, owner: User, brief: Brief
) -> None:
    client.force_login(owner)

    for url in (
        reverse("screening:brief_funnel", args=[brief.pk]),
        reverse("screening:company_funnel"),
    ):
        page = client.get(url).content.decode()
        assert "No pipeline yet" in page
        assert "Add to pipeline" in page
        assert 'role="img"' not in page


def test_the_header_links_employers_to_their_pipelines(client: Client, owner: User) -> None:
    client.force_login(owner)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    header = page[page.index("<header") : page.index("</header>")]
    assert f'href="{reverse("screening:company_funnel")}"' in header
    assert ">Pipeline<" in header
