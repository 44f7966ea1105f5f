"""Accepted contract rates feed a brief's rate chart beside the rates engineers list:
in USD an hour like the listed ones, from engineers with the brief's must-have skills,
read in the same query and cached with the rest of the summary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from candidates.models import Profile, Skill, comparable_rate
from searches.engine import Criteria, Must
from searches.stats import rate_summary
from tests.conftest import AssertQueries
from tests.dashboards.conftest import contract_with, ended
from tests.factories import BriefFactory, ProfileFactory
from tests.searches.test_query_counts import BRIEF_DETAIL_QUERIES

pytestmark = pytest.mark.django_db


def python() -> Criteria:
    return Criteria(must=[Must(Skill.objects.get(name="Python").pk)])


def pythonista(**fields: Any) -> Profile:
    return ProfileFactory(status="approved", skills=["Python"], **fields)


def hourly(owner: User, profile: Profile, rate: str, currency: str = "USD", **terms: Any) -> Any:
    terms = {"engagement": "hourly", "invoice_cadence": "weekly", **terms}
    return contract_with(owner, profile, rate=Decimal(rate), currency=currency, **terms)


def test_accepted_rates_are_usd_an_hour_like_the_listed_ones(owner: User, settings: Any) -> None:
    settings.PKR_PER_USD, settings.HOURS_PER_MONTH = 280, 160
    hourly(owner, pythonista(), "45")  # USD 45 an hour
    hourly(owner, pythonista(), "14000", "PKR")  # 14,000 / 280 = 50
    hourly(owner, pythonista(), "1120000", "PKR", engagement="monthly")  # / (280 * 160) = 25
    hourly(owner, pythonista(), "6400", engagement="monthly")  # 6,400 / 160 = 40
    contract_with(owner, pythonista())  # a fixed price says nothing of an hourly rate

    summary = rate_summary(python(), None)

    assert summary.accepted_size == 4
    assert summary.accepted_median == Decimal("42")  # between 40 and 45, rounded
    # USD 5 buckets from 25 (the range of both series): 25, 40, 45 and 50 an hour.
    assert [(b.low, b.accepted) for b in summary.buckets if b.accepted] == [
        (25, 1),
        (40, 1),
        (45, 1),
        (50, 1),
    ]
    # PKR a month is converted exactly as a profile's comparable rate is.
    assert comparable_rate(None, Decimal("1120000")) == Decimal("25.00")


def test_only_started_contracts_of_engineers_with_the_must_have_skills_count(owner: User) -> None:
    hourly(owner, pythonista(), "45")
    ended(hourly(owner, pythonista(), "35"))  # ended contracts ran: they count
    hourly(owner, pythonista(), "99", status="offered")  # not accepted yet
    hourly(owner, ProfileFactory(status="approved", skills=["Go"]), "80")  # not a peer
    paused = pythonista()
    hourly(owner, paused, "55")
    # At work, the engineer paused the listing: still a peer.
    Profile.objects.filter(pk=paused.pk).update(availability=Profile.Availability.NOT_LOOKING)

    summary = rate_summary(python(), None)

    assert summary.accepted_size == 3
    assert summary.accepted_median == Decimal("45")  # of 35, 45 and 55


def test_the_brief_page_shows_both_series_side_by_side_with_a_legend_and_a_table(
    client: Client, owner: User, assert_queries: AssertQueries
) -> None:
    for rate in ("20", "30"):
        pythonista(hourly_rate_usd=Decimal(rate))
    hourly(owner, pythonista(hourly_rate_usd=Decimal("30")), "45")
    brief = BriefFactory(company=owner.membership.company, created_by=owner, must=["Python"])
    client.force_login(owner)
    url = reverse("searches:brief_detail", args=[brief.pk])
    client.get(url)

    with assert_queries(BRIEF_DETAIL_QUERIES):  # the same as without contracts
        body = client.get(url).content.decode()

    assert "Rates accepted on 1 contract on Karigar" in body
    assert "USD 45 an hour" in body
    assert "rate-chart__bar--accepted" in body
    assert "Right bar: rates accepted on contracts" in body
    assert '<th scope="col">Contracts accepted</th>' in body
    assert "<td>1</td>" in body


def test_without_accepted_contracts_the_chart_is_as_before(client: Client, owner: User) -> None:
    pythonista(hourly_rate_usd=Decimal("20"))
    brief = BriefFactory(company=owner.membership.company, created_by=owner, must=["Python"])
    client.force_login(owner)

    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert "rate-chart__bar" in body
    assert "Contracts accepted" not in body and "rate-chart__bar--accepted" not in body


def test_accepted_rates_alone_still_draw_the_chart(client: Client, owner: User) -> None:
    hired = pythonista()
    hourly(owner, hired, "45")
    Profile.objects.filter(pk=hired.pk).update(hourly_rate_usd=None, rate_usd=None)
    brief = BriefFactory(company=owner.membership.company, created_by=owner, must=["Python"])
    client.force_login(owner)

    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert "No rates to show" in body  # nobody listed asks a rate
    assert "Rates accepted on 1 contract" in body and "rate-chart__bar--accepted" in body


@override_settings(SEARCH_CACHE_SECONDS=600)
def test_the_summary_with_accepted_rates_is_cached(
    owner: User, assert_queries: AssertQueries
) -> None:
    hourly(owner, pythonista(hourly_rate_usd=Decimal("30")), "45")
    criteria = python()
    rate_summary(criteria, None)

    with assert_queries(0):
        cached = rate_summary(criteria, None)

    assert cached.accepted_size == 1
