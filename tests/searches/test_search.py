"""Search on small known data: who matches, in what order, and how bad input is answered."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Company
from candidates import services
from candidates.models import Profile, Skill
from searches.engine import Criteria, Must, Sort, search
from tests.factories import EmployerFactory, EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db

BROWSE = reverse("searches:browse")


def engineer(name: str, skills: dict[str, str], rate: str, years: int, **fields: object) -> Profile:
    user = EngineerFactory(full_name=name, email=f"{name.split()[0].lower()}@example.com")
    profile = ProfileFactory(
        user=user,
        hourly_rate_usd=Decimal(rate),
        years_experience=years,
        status=Profile.Status.APPROVED,
        **fields,
    )
    for skill, skill_years in skills.items():
        services.skill_set(
            profile=profile,
            skill=Skill.objects.get(name=skill),
            years=Decimal(skill_years),
            level=2,
        )
    return Profile.objects.get(pk=profile.pk)


def brief_criteria(**changes: object) -> Criteria:
    python, django, postgres = (
        Skill.objects.get(name=n).pk for n in ("Python", "Django", "PostgreSQL")
    )
    criteria = Criteria(must=[Must(python, 3)], nice=[django, postgres], max_rate_usd=Decimal("40"))
    for name, value in changes.items():
        setattr(criteria, name, value)
    return criteria


def names(criteria: Criteria, company: Company) -> list[str]:
    return [p.user.full_name for p in search(criteria, company).results]


def test_only_listed_unblocked_engineers_meeting_every_must_have_match(
    people: dict[str, Profile], company: Company
) -> None:
    # Bilal has too few Python years, Hassan is over budget, Zainab lacks Python,
    # Sana paused her profile and Fahad blocked this company.
    assert set(names(brief_criteria(), company)) == {"Ayesha Khan", "Hira Allround"}


def test_best_match_puts_more_nice_to_haves_and_a_better_rate_first(
    people: dict[str, Profile], company: Company
) -> None:
    page = search(brief_criteria(), company)

    assert [p.user.full_name for p in page.results] == ["Hira Allround", "Ayesha Khan"]
    hira, ayesha = page.results
    assert hira.score > ayesha.score
    assert round(ayesha.score) == 80  # 15 nice + 20 years + 15 rate + 15 overlap + 15 now


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.RATE, ["Hira Allround", "Ayesha Khan"]),
        (Sort.EXPERIENCE, ["Ayesha Khan", "Hira Allround"]),
    ],
)
def test_other_orders(
    people: dict[str, Profile], company: Company, sort: str, expected: list[str]
) -> None:
    assert names(brief_criteria(sort=sort), company) == expected


def test_overlap_is_computed_from_real_time_zones(
    people: dict[str, Profile], company: Company
) -> None:
    toronto = engineer(
        "Omar Toronto",
        {"Python": "6"},
        "30",
        6,
        time_zone="America/Toronto",
        work_starts=time(9),
        work_ends=time(17),
    )
    criteria = Criteria(must=[Must(Skill.objects.get(name="Python").pk)], min_overlap_hours=2)

    found = names(criteria, company)

    assert toronto.user.full_name not in found
    assert "Ayesha Khan" in found


def test_the_browse_page_filters_by_url_and_highlights_words(
    client: Client, company: Company, people: dict[str, Profile]
) -> None:
    Profile.objects.filter(pk=people["ayesha"].pk).update(
        headline="<img src=x onerror=alert(1)> Ledger & payments engineer",
        bio="<b>Bold</b> claims aside, I rebuilt a payments ledger for a Lahore bank.",
    )
    client.force_login(company.memberships.get().user)

    response = client.get(BROWSE, {"skills": ["python"], "q": "ledger", "max_rate": "40"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ayesha Khan" in body and "Hira Allround" not in body
    assert "<mark>ledger</mark>" in body
    # The engineer's own markup never reaches the page as markup.
    assert "<b>Bold</b>" not in body and "<img src=x" not in body
    assert "ayesha@example.com" not in body  # no contact detail in results


def test_every_filter_has_a_label(client: Client, company: Company) -> None:
    client.force_login(company.memberships.get().user)

    body = client.get(BROWSE).content.decode()

    assert "[invalid name]" not in body
    for label in ("Seniority", "Engagement", "Sort by", "Words to look for"):
        assert f">{label}" in body


def test_htmx_gets_only_the_results(
    client: Client, company: Company, people: dict[str, Profile]
) -> None:
    client.force_login(company.memberships.get().user)

    response = client.get(BROWSE, {"skills": ["python"]}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_going_back_to_a_page_htmx_no_longer_holds_gets_the_whole_page(
    client: Client, company: Company, people: dict[str, Profile]
) -> None:
    client.force_login(company.memberships.get().user)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    response = client.get(BROWSE, {"skills": ["python"]}, headers=headers)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and 'id="search-form"' in body and "Ayesha Khan" in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("params", "message", "status"),
    [
        ({"skills": ["cobol-on-cogs"]}, "no skill called", 400),
        ({"max_rate": "-5"}, "at least USD 1", 400),
        ({"min_years": "-1"}, "cannot be negative", 400),
        ({"page": "99999"}, "past the end", 404),
        ({"q": "x" * 10_000}, "at most 200 characters", 400),
        ({"sort": "cheapest"}, "Select a valid choice", 400),
        ({"available_by": "tomorrowish"}, "Enter a valid date", 400),
    ],
)
def test_bad_filter_values_get_a_clear_message(
    client: Client, company: Company, params: dict[str, object], message: str, status: int
) -> None:
    client.force_login(company.memberships.get().user)

    response = client.get(BROWSE, params)

    assert response.status_code == status
    assert message in re.sub(r"\s+", " ", response.content.decode())


def test_engineers_and_visitors_cannot_search(client: Client) -> None:
    assert client.get(BROWSE).status_code == 302
    client.force_login(EngineerFactory())
    assert client.get(BROWSE).status_code == 403


def test_large_counts_show_as_1000_plus(company: Company, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from searches import engine

    monkeypatch.setattr(engine, "WINDOW", 2)
    for n in range(3):
        engineer(f"Person{n} Test", {"Python": "5"}, "30", 5)

    page = search(Criteria(), company)

    assert page.capped and page.count == 2


def test_another_company_cannot_open_a_briefs_results(client: Client) -> None:
    from tests.factories import BriefFactory

    brief = BriefFactory(must=["Python"])
    client.force_login(EmployerFactory())

    assert client.get(reverse("searches:results", args=[brief.pk])).status_code == 404


def _sidebar(body: str) -> str:
    return body[body.index('<aside class="search-filters"') : body.index("</aside>")]


def test_a_briefs_results_page_starts_its_sidebar_from_the_brief(
    client: Client, people: dict[str, Profile]
) -> None:
    from tests.factories import BriefFactory

    brief = BriefFactory(
        must=["Python"], max_hourly_usd=Decimal("40"), min_overlap_hours=3, keywords="payments"
    )
    brief.min_years, brief.seniority = 4, "senior"
    brief.save()
    client.force_login(brief.created_by)

    sidebar = _sidebar(client.get(reverse("searches:results", args=[brief.pk])).content.decode())

    assert '<option value="python" selected>Python</option>' in sidebar
    assert 'name="max_rate" value="40"' in sidebar
    assert 'name="overlap" value="3"' in sidebar
    assert 'name="min_years" value="4"' in sidebar
    assert 'name="q" value="payments"' in sidebar
    assert '<option value="senior" selected>' in sidebar
    assert 'name="from_brief" value="true"' in sidebar
    assert "(optional)" not in sidebar


def test_a_results_url_with_filters_of_its_own_is_not_prefilled(
    client: Client, people: dict[str, Profile]
) -> None:
    from tests.factories import BriefFactory

    brief = BriefFactory(must=["Python"], max_hourly_usd=Decimal("40"))
    client.force_login(brief.created_by)

    response = client.get(reverse("searches:results", args=[brief.pk]), {"sort": "rate"})

    sidebar = _sidebar(response.content.decode())
    assert 'name="max_rate" value=' not in sidebar
    assert "selected>Python</option>" not in sidebar
    assert 'name="from_brief" value="true"' not in sidebar


def test_the_prefilled_sidebar_stands_in_for_the_brief_so_it_can_widen_the_search(
    client: Client, people: dict[str, Profile], company: Company
) -> None:
    from tests.factories import BriefFactory

    brief = BriefFactory(company=company, must=["Django"], max_hourly_usd=Decimal("40"))
    client.force_login(brief.created_by)
    url = reverse("searches:results", args=[brief.pk])

    def matched(**query: object) -> set[str]:
        body = client.get(url, query).content.decode()
        return set(re.findall(r'class="result__name"><a href="[^"]+">([^<]+)</a>', body))

    as_saved = matched()
    as_shown = matched(from_brief="true", skills=["django"], max_rate="40")
    python_instead = matched(from_brief="true", skills=["python"], max_rate="40")
    dearer = matched(from_brief="true", skills=["python"], max_rate="100")
    refined = matched(skills=["python"], max_rate="100")  # an old-style URL only narrows

    assert as_saved == as_shown == {"Ayesha Khan", "Bilal Junior", "Hira Allround"}
    assert python_instead == as_saved  # Sana is not looking, Zainab knows no Python
    assert dearer == as_saved | {"Hassan Costly"}
    assert refined == as_saved


def test_a_briefs_results_page_links_to_its_shortlist_with_the_count(
    client: Client, people: dict[str, Profile]
) -> None:
    from tests.factories import BriefFactory, ShortlistEntryFactory

    brief = BriefFactory(must=["Python"])
    ShortlistEntryFactory(brief=brief, profile=people["ayesha"])
    client.force_login(brief.created_by)
    shortlist = reverse("searches:shortlist", args=[brief.pk])

    body = client.get(reverse("searches:results", args=[brief.pk])).content.decode()
    assert f'href="{shortlist}" id="shortlist-link">Shortlist (1)' in body

    toggle = reverse("searches:shortlist_toggle", args=[brief.pk, people["bilal"].pk])
    response = client.post(
        toggle, {"action": "add", "show_count": "1"}, headers={"HX-Request": "true"}
    )
    assert 'id="shortlist-link" hx-swap-oob="true">Shortlist (2)' in response.content.decode()
