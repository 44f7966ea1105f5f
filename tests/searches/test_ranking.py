"""How a search's ranking is made and kept: the plan chosen from a sample, the search
tokens behind the GIN plan, and the ranking cache. Whatever the plan or the cache,
the same criteria must give the same engineers in the same order."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import Company
from candidates import services
from candidates.models import SEARCH_TOKENS, Profile, Skill
from searches import engine
from searches import services as searches_services
from searches.engine import Criteria, Must, Sort, search
from tests.conftest import AssertQueries
from tests.factories import BriefFactory, EmployerFactory, ProfileFactory
from tests.searches.test_briefs import form_data
from tests.searches.test_search import brief_criteria, engineer

pytestmark = pytest.mark.django_db

CACHED = override_settings(SEARCH_CACHE_SECONDS=600)


def ranked(criteria: Criteria, company: Company, plan: str, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """The ranking with the plan forced (its planner switches included)."""
    return list(engine.rank(criteria, company, plan=plan).ids)


@pytest.mark.parametrize("sort", [Sort.MATCH, Sort.RATE, Sort.EXPERIENCE, Sort.RECENT])
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"seniority": "senior", "engagement": "contract"},
        {"max_rate_usd": Decimal("25"), "min_years": 4},
        {"text": "payments"},
        {"min_overlap_hours": 4, "hours_per_week": 20},
        {"available_by": date(2030, 1, 1), "text": "ledgers"},
    ],
    ids=["skills", "seniority-engagement", "budget-years", "text", "overlap-hours", "date-text"],
)
def test_both_plans_give_the_same_ranking(
    company: Company,
    people: dict[str, Profile],
    monkeypatch,  # type: ignore[no-untyped-def]
    sort: str,
    changes: dict[str, object],
) -> None:
    Profile.objects.filter(pk=people["ayesha"].pk).update(
        seniority="senior", engagement_types=["contract"], bio="Built payments systems."
    )
    Profile.objects.filter(pk=people["hira"].pk).update(bio="Payments and ledgers.")
    criteria = brief_criteria(**{"sort": sort, "max_rate_usd": None, **changes})

    walk = ranked(criteria, company, "walk", monkeypatch)
    bitmap = ranked(criteria, company, "bitmap", monkeypatch)

    assert walk == bitmap
    assert walk, "the case should match someone"
    assert people["fahad"].pk not in walk  # blocked the company
    assert people["sana"].pk not in walk  # paused


def test_the_plan_walks_for_common_filters_and_uses_the_gin_index_for_rare_ones(
    company: Company,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(engine, "WINDOW", 10)
    for n in range(30):
        engineer(f"Common{n} Pythonista", {"Python": "4"}, "30", 4)
    engineer("Rare Rustacean", {"Python": "4", "Rust": "3"}, "30", 4)
    python, rust = (Skill.objects.get(name=n).pk for n in ("Python", "Rust"))

    assert engine.choose_plan(Criteria(must=[Must(python)]), company) == "walk"
    assert engine.choose_plan(Criteria(must=[Must(rust)]), company) == "bitmap"
    # Nothing the GIN indexes could narrow: always a walk.
    assert engine.choose_plan(Criteria(min_overlap_hours=2), company) == "walk"


def test_by_rate_a_seniority_is_sampled_from_its_own_entries(
    company: Company,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """Cheapest seniors: the walk reads the seniors' index entries only (the index on
    seniority and rate), so the sample is theirs; sampled among everyone, the two
    seniors would look rare and the walk dear."""
    monkeypatch.setattr(engine, "WINDOW", 10)
    for n in range(120):
        engineer(f"Junior{n} Coder", {"Python": "1"}, "8", 1, seniority="junior")
    seniors = [
        engineer(f"Senior{n} Lead", {"Python": "6"}, "40", 8, seniority="senior") for n in range(2)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_profile")  # the walk's cost is capped at the table
    criteria = Criteria(seniority="senior", sort=Sort.RATE)

    assert engine.choose_plan(criteria, company) == "walk"
    assert list(engine.rank(criteria, company).ids) == [p.pk for p in seniors]
    # By best match the order's index holds every seniority: sampled among everyone.
    assert engine.choose_plan(Criteria(seniority="senior"), company) == "bitmap"


@pytest.mark.django_db(transaction=True)
def test_the_planner_switches_end_with_the_rankings_own_transaction() -> None:
    owner = EmployerFactory()
    ProfileFactory(status=Profile.Status.APPROVED, seniority="lead", years_experience=12)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        before = cursor.fetchone()[0]

    assert len(engine.rank(Criteria(seniority="lead"), owner.membership.company).ids) == 1

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == before == "on"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] != "0"


def test_search_tokens_hold_every_filter_the_gin_plan_asks(company: Company) -> None:
    profile = engineer(
        "Token Person",
        {"Python": "3.5", "Django": "0.5"},
        "14",
        6,
        seniority="senior",
        engagement_types=["contract", "part_time"],
        hours_per_week=25,
    )
    tokens = set(
        Profile.objects.annotate(t=SEARCH_TOKENS).values_list("t", flat=True).get(pk=profile.pk)
    )
    python, django = (Skill.objects.get(name=n).pk for n in ("Python", "Django"))

    assert {python * 100, python * 100 + 3, django * 100} <= tokens
    assert python * 100 + 4 not in tokens and django * 100 + 1 not in tokens
    asks = Criteria(
        must=[Must(python, 3), Must(django)],
        seniority="senior",
        engagement="part_time",
        max_rate_usd=Decimal("14"),
        min_years=6,
        hours_per_week=20,
    )
    assert set(engine.search_tokens(asks)) <= tokens
    # A budget of 12 asks for "rate <= 15", which a USD 14 rate has: the column filter
    # then keeps the exact answer.
    tight = Criteria(must=[Must(python)], max_rate_usd=Decimal("12"))
    assert set(engine.search_tokens(tight)) <= tokens
    assert profile.pk not in engine.rank(tight, company).ids
    for wrong in (
        Criteria(seniority="lead"),
        Criteria(engagement="full_time"),
        Criteria(min_years=7),
    ):
        assert not set(engine.search_tokens(wrong)) <= tokens


@CACHED
def test_a_cached_ranking_costs_no_search_query(
    company: Company,
    people: dict[str, Profile],
    assert_queries: AssertQueries,
) -> None:
    criteria = brief_criteria()
    first = [p.pk for p in search(criteria, company).results]

    with assert_queries(1):  # the page's cards only
        second = [p.pk for p in search(criteria, company).results]

    assert second == first


@CACHED
def test_a_profile_hidden_after_ranking_leaves_the_cached_results(
    company: Company,
    people: dict[str, Profile],
) -> None:
    criteria = Criteria(must=[Must(Skill.objects.get(name="Python").pk)])
    assert people["ayesha"] in search(criteria, company).results

    services.profile_pause(profile=people["ayesha"])
    services.company_block(profile=people["hira"], kind="name", value=company.name)
    shown = search(criteria, company).results

    assert people["ayesha"] not in shown and people["hira"] not in shown
    assert shown, "the others are still shown from the cached ranking"


@CACHED
def test_a_served_pages_stamps_are_its_cards_stamps_and_leave_out_hidden_engineers(
    company: Company,
    people: dict[str, Profile],
    assert_queries: AssertQueries,
) -> None:
    """stamps() reads by SQL what a page of cards would give: equal values (or every
    served page would miss its cached cards), fresh shortlist states, and neither
    paused engineers nor those who block the company since the ranking was made."""
    brief = BriefFactory(company=company, must=["Python"])
    criteria = Criteria(must=[Must(Skill.objects.get(name="Python").pk)])
    searches_services.shortlist_add(brief=brief, profile=people["ayesha"], user=brief.created_by)
    carded = search(criteria, company, brief=brief)
    with assert_queries(1):
        read = engine.stamps(engine.locate(criteria, company), company, brief)

    assert read == engine.stamps(carded, company, brief)
    shortlisted = {row[0] for row in read if row[4]}
    assert shortlisted == {people["ayesha"].pk}

    services.profile_pause(profile=people["ayesha"])
    services.company_block(profile=people["hira"], kind="name", value=company.name)
    shown = [row[0] for row in engine.stamps(engine.locate(criteria, company), company, brief)]

    assert people["ayesha"].pk not in shown and people["hira"].pk not in shown
    assert shown, "the others are still shown from the cached ranking"


@CACHED
def test_other_criteria_or_another_company_get_their_own_ranking(
    company: Company,
    people: dict[str, Profile],
) -> None:
    criteria = brief_criteria()
    other_company = BriefFactory().company

    assert engine.ranking_key(criteria, company) != engine.ranking_key(
        brief_criteria(max_rate_usd=Decimal("25")), company
    )
    assert engine.ranking_key(criteria, company) != engine.ranking_key(criteria, other_company)
    # Fahad blocked this company only: the other company's ranking has him.
    assert people["fahad"].pk not in engine.ranking(criteria, company).ids
    assert people["fahad"].pk in engine.ranking(criteria, other_company).ids


@CACHED
def test_saving_a_brief_ranks_it_before_the_employer_opens_it(
    client: Client,
    people: dict[str, Profile],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    brief = BriefFactory(must=["Python"], nice=["Django"])
    client.force_login(brief.created_by)
    data = form_data(
        must="Python:3",
        nice=[Skill.objects.get(name="Django").pk],
        min_years="",
        seniority="",
        hours_per_week="",
        min_overlap_hours="",
        keywords="",
        start_date="",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("searches:brief_edit", args=[brief.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("searches:results", args=[brief.pk]))

    assert response.status_code == 200
    assert "Ayesha Khan" in response.content.decode()
    assert not [q for q in page.captured_queries if "set_config" in q["sql"]]
    # The brief's own page (who matches, what they ask) was summarised by the worker too.
    with CaptureQueriesContext(connection) as detail:
        response = client.get(reverse("searches:brief_detail", args=[brief.pk]))
    assert response.status_code == 200 and "Rates asked by the" in response.content.decode()
    assert not [q for q in detail.captured_queries if "candidates_profile" in q["sql"]]


@CACHED
def test_a_cached_results_page_still_shows_fresh_shortlists_and_profiles(
    client: Client, people: dict[str, Profile]
) -> None:
    brief = BriefFactory(must=["Python"], nice=["Django"])
    client.force_login(brief.created_by)
    url = reverse("searches:results", args=[brief.pk])
    first = client.get(url).content.decode()
    assert _without_tokens(client.get(url).content.decode()) == _without_tokens(first)

    ayesha = people["ayesha"]
    toggle = reverse("searches:shortlist_toggle", args=[brief.pk, ayesha.pk])
    client.post(toggle, {"action": "add"})
    ayesha.headline = "Payments backend lead"
    ayesha.save()
    body = client.get(url).content.decode()

    assert "Payments backend lead" in body
    assert f'Shortlisted ✓ Remove<span class="visually-hidden"> {ayesha.user.display_name}' in body
    # The cached results carry no CSRF token: the shortlist buttons share one form.
    results = body[body.index('<section id="results"') : body.index("</section>")]
    assert "csrfmiddlewaretoken" not in results and 'form="shortlist-form"' in results
    assert body.count('id="shortlist-form"') == 1


@CACHED
def test_a_served_page_reads_its_engineers_stamps_instead_of_their_cards(
    client: Client, people: dict[str, Profile]
) -> None:
    """A cached ranking and cached cards: the page asks only for each engineer's version
    (no highlighting, no card fields), and shows the very same cards."""
    employer = EmployerFactory()
    client.force_login(employer)
    url = reverse("searches:browse")
    query = {"q": "payments", "sort": "match"}
    first = client.get(url, query).content.decode()
    assert "<mark>" in first

    with CaptureQueriesContext(connection) as served:
        again = client.get(url, query).content.decode()

    profile_reads = [q["sql"] for q in served.captured_queries if "candidates_profile" in q["sql"]]
    assert len(profile_reads) == 1
    assert "ts_headline" not in profile_reads[0] and '"headline"' not in profile_reads[0]
    assert _without_tokens(again) == _without_tokens(first)


class _CacheCalls:
    """The views' cache, recording the name of every call made of it."""

    def __init__(self, real: Any) -> None:
        self.real, self.calls = real, []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.real, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attr(*args, **kwargs)

        return call


@CACHED
def test_the_results_and_the_filters_share_one_cache_round_trip(
    client: Client, people: dict[str, Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first visit looks for the filter sidebar and writes both parts in one go; a
    served page reads both in one; with caching off the page asks nothing of the
    cache. Each page is the same, sidebar and all."""
    from searches import views

    calls = _CacheCalls(views.cache)
    monkeypatch.setattr(views, "cache", calls)
    client.force_login(EmployerFactory())
    url, query = reverse("searches:browse"), {"q": "payments", "skills": "python"}

    first = client.get(url, query).content.decode()
    assert calls.calls == ["get", "set_many"]
    calls.calls.clear()
    served = client.get(url, query).content.decode()
    assert calls.calls == ["get_many"]
    calls.calls.clear()
    with override_settings(SEARCH_CACHE_SECONDS=0):
        cold = client.get(url, query).content.decode()
    assert calls.calls == []
    assert 'id="search-form"' in first and 'value="payments"' in first
    assert _without_tokens(served) == _without_tokens(first) == _without_tokens(cold)


def _without_tokens(body: str) -> str:
    """The page with its CSRF tokens blanked: they are masked afresh on every request."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", body)
