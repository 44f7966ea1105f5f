"""Briefs: writing and editing them, their status, who may see them, what they cost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company, User
from candidates.models import Profile, Skill
from searches import engine
from searches.engine import Criteria, Must
from searches.models import Brief, BriefSkill
from searches.selectors import brief_skills, get_brief_and_skills_for_user, get_brief_for_user
from searches.stats import rate_summary
from tests.conftest import AssertQueries
from tests.factories import BriefFactory, EngineerFactory, ProfileFactory, ShortlistEntryFactory

pytestmark = pytest.mark.django_db


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Payments API",
        "description": "A ledger and settlement service for a Lahore payments startup.",
        "must": "Python:3, django",
        "nice": [Skill.objects.get(name="PostgreSQL").pk],
        "min_years": "4",
        "seniority": "senior",
        "engagement": "contract",
        "hours_per_week": "40",
        "max_hourly_usd": "40",
        "max_monthly_pkr": "",
        "start_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "min_overlap_hours": "3",
        "keywords": "payments",
        "alerts_enabled": "on",
    }
    data.update(changes)
    return data


def own_brief(user: User, **fields: Any) -> Brief:
    return BriefFactory(company=user.membership.company, created_by=user, **fields)


def skills_of(brief: Brief) -> set[tuple[str, str, int | None]]:
    return {(s.skill.name, s.kind, s.min_years) for s in brief.skills.select_related("skill")}


def test_it_creates_a_brief_with_must_and_nice_skills(client: Client, owner: User) -> None:
    client.force_login(owner)

    response = client.post(reverse("searches:brief_create"), form_data())

    brief = Brief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("searches:brief_detail", args=[brief.pk])
    assert brief.company == owner.membership.company and brief.created_by == owner
    assert brief.max_hourly_usd == Decimal("40") and brief.min_overlap_hours == 3
    assert skills_of(brief) == {
        ("Python", "must", 3),
        ("Django", "must", None),
        ("PostgreSQL", "nice", None),
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"must": "Pythn:3"}, "&quot;Pythn&quot; is not a skill we know"),
        ({"must": "Python:lots"}, "Years for Python must be a whole number from 1 to 30"),
        ({"must": "Python, python"}, "Python is listed twice"),
        ({"must": ""}, "This field is required"),
        ({"nice": [0]}, "Select a valid choice"),
        ({"max_hourly_usd": "-5"}, "greater than or equal to 1"),
        ({"max_monthly_pkr": "0"}, "greater than or equal to 10000"),
        ({"min_overlap_hours": "13"}, "less than or equal to 12"),
        ({"min_overlap_hours": "-1"}, "greater than or equal to 0"),
        ({"start_date": "2001-01-01"}, "The start date cannot be in the past"),
    ],
)
def test_bad_input_is_kept_with_a_clear_message_and_a_400(
    client: Client, owner: User, changes: dict[str, Any], message: str
) -> None:
    client.force_login(owner)

    response = client.post(reverse("searches:brief_create"), form_data(**changes))

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'value="Payments API"' in body
    assert not Brief.objects.exists()


def test_a_skill_cannot_be_both_must_and_nice(client: Client, owner: User) -> None:
    client.force_login(owner)
    python = Skill.objects.get(name="Python")

    response = client.post(reverse("searches:brief_create"), form_data(nice=[python.pk]))

    assert response.status_code == 400
    assert "Python is already a must-have; a skill cannot be both." in response.content.decode()


def test_the_edit_form_shows_the_skills_and_saves_changes(client: Client, owner: User) -> None:
    brief = own_brief(owner, title="Old title")
    BriefSkill.objects.create(brief=brief, skill=Skill.objects.get(name="Go"), min_years=2)
    client.force_login(owner)

    page = client.get(reverse("searches:brief_edit", args=[brief.pk]))
    response = client.post(
        reverse("searches:brief_edit", args=[brief.pk]), form_data(title="New", must="Rust")
    )

    assert "Go:2" in page.content.decode()
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.title == "New"
    assert skills_of(brief) == {("Rust", "must", None), ("PostgreSQL", "nice", None)}


def test_an_edited_brief_keeps_a_start_date_that_has_since_passed(
    client: Client, owner: User
) -> None:
    past = timezone.localdate() - timedelta(days=3)
    brief = own_brief(owner, start_date=past)
    client.force_login(owner)

    response = client.post(
        reverse("searches:brief_edit", args=[brief.pk]), form_data(start_date=past.isoformat())
    )

    assert response.status_code == 302


def test_status_moves_between_open_paused_and_closed(client: Client, teammate: User) -> None:
    brief = own_brief(teammate)
    client.force_login(teammate)
    url = reverse("searches:brief_status", args=[brief.pk])

    for status in ("paused", "closed", "open"):
        assert client.post(url, {"status": status}).status_code == 302
        brief.refresh_from_db()
        assert brief.status == status
    bad = client.post(url, {"status": "deleted"})
    assert bad.status_code == 400 and "Choose open, paused or closed" in bad.content.decode()
    assert client.get(url).status_code == 405


def test_a_teammate_sees_the_owners_brief(client: Client, owner: User, teammate: User) -> None:
    brief = own_brief(owner)
    client.force_login(teammate)

    assert client.get(reverse("searches:brief_detail", args=[brief.pk])).status_code == 200
    assert brief.title in client.get(reverse("searches:brief_list")).content.decode()


def other_company_urls(brief: Brief, profile_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("searches:brief_detail", args=[brief.pk])),
        ("get", reverse("searches:brief_edit", args=[brief.pk])),
        ("post", reverse("searches:brief_edit", args=[brief.pk])),
        ("post", reverse("searches:brief_status", args=[brief.pk])),
        ("get", reverse("searches:shortlist", args=[brief.pk])),
        ("post", reverse("searches:shortlist_toggle", args=[brief.pk, profile_pk])),
        ("post", reverse("searches:shortlist_note", args=[brief.pk, profile_pk])),
    ]


def test_a_company_never_sees_another_companys_brief_or_shortlist(
    client: Client, owner: User, outsider: User
) -> None:
    brief = own_brief(owner, title="Secret project")
    entry = ShortlistEntryFactory(brief=brief, note="strong on ledgers")
    client.force_login(outsider)

    for method, url in other_company_urls(brief, entry.profile.pk):
        response = getattr(client, method)(url, {"status": "closed", "note": "x"})
        assert response.status_code == 404, url
    assert "Secret project" not in client.get(reverse("searches:brief_list")).content.decode()
    brief.refresh_from_db()
    entry.refresh_from_db()
    assert brief.status == "open" and entry.note == "strong on ledgers"


def test_a_brief_is_read_whole_with_its_company_for_its_teams_members_only(
    owner: User, teammate: User, outsider: User, assert_queries: AssertQueries
) -> None:
    """get_brief_for_user writes its own SQL: it must give what the ORM would, the
    company with it, and nothing to anyone outside the company."""
    brief = own_brief(
        owner, max_hourly_usd=Decimal("35.50"), start_date=timezone.localdate(), min_years=4
    )
    ShortlistEntryFactory.create_batch(3, brief=brief)
    expected = Brief.objects.get(pk=brief.pk)

    with assert_queries(1):
        found = get_brief_for_user(teammate, brief.pk, shortlist_size=True)
        assert found.company.name == owner.membership.company.name

    fields = [f.attname for f in Brief._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert found.shortlist_size == 3  # type: ignore[attr-defined]
    assert found.company == expected.company and not found._state.adding
    for stranger in (outsider, EngineerFactory()):
        with pytest.raises(Http404):
            get_brief_for_user(stranger, brief.pk)


def test_a_briefs_skills_are_read_as_the_orm_would_with_must_haves_first(
    owner: User, assert_queries: AssertQueries
) -> None:
    brief = own_brief(owner, must=["Python", "Django"], nice=["Redis", "Celery"])
    BriefSkill.objects.filter(brief=brief, skill__name="Django").update(min_years=3)
    expected = list(brief.skills.select_related("skill").order_by("kind", "skill__name"))

    with assert_queries(1):
        found = brief_skills(brief)
        names = [(s.kind, s.skill.name, s.min_years) for s in found]

    assert found == expected
    assert names == [
        ("must", "Django", 3),
        ("must", "Python", None),
        ("nice", "Celery", None),
        ("nice", "Redis", None),
    ]
    assert [s.skill.aliases for s in found] == [s.skill.aliases for s in expected]


def test_a_brief_and_its_skills_are_read_in_one_query_as_they_are_read_apart(
    owner: User, teammate: User, outsider: User, assert_queries: AssertQueries
) -> None:
    """The results page reads the brief, its company, its shortlist's size and its
    skills in one round trip: the same instances as the two reads apart, a brief
    without skills included, and nothing for anyone outside the company."""
    brief = own_brief(owner, must=["Python", "Django"], nice=["Redis"], min_years=2)
    BriefSkill.objects.filter(brief=brief, skill__name="Python").update(min_years=4)
    ShortlistEntryFactory.create_batch(2, brief=brief)
    bare = own_brief(owner)

    with assert_queries(1):
        found, skills = get_brief_and_skills_for_user(teammate, brief.pk, shortlist_size=True)
    with assert_queries(1):
        _, none = get_brief_and_skills_for_user(teammate, bare.pk)

    apart = get_brief_for_user(teammate, brief.pk, shortlist_size=True)
    fields = [f.attname for f in Brief._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(apart, f) for f in fields]
    assert found.company == apart.company and found.shortlist_size == 2  # type: ignore[attr-defined]
    assert skills == brief_skills(brief)
    assert [(s.kind, s.skill.name, s.min_years) for s in skills] == [
        ("must", "Django", None),
        ("must", "Python", 4),
        ("nice", "Redis", None),
    ]
    assert none == []
    for stranger in (outsider, EngineerFactory()):
        with pytest.raises(Http404):
            get_brief_and_skills_for_user(stranger, brief.pk)


def test_engineers_and_visitors_get_no_briefs(client: Client, owner: User) -> None:
    """Pages for hiring teams refuse others (403); a brief's own pages answer 404 to
    anyone outside its company, so an id never tells whether it exists."""
    brief = own_brief(owner)
    entry = ShortlistEntryFactory(brief=brief)
    client.force_login(EngineerFactory())

    for url in [reverse("searches:brief_list"), reverse("searches:brief_create")]:
        assert client.get(url).status_code == 403, url
    for method, url in other_company_urls(brief, entry.profile.pk):
        assert getattr(client, method)(url).status_code == 404, url
    client.logout()
    assert client.get(reverse("searches:brief_list")).status_code == 302


def test_the_brief_list_shows_status_and_shortlist_size(client: Client, owner: User) -> None:
    brief = own_brief(owner, title="Payments API")
    ShortlistEntryFactory.create_batch(2, brief=brief)
    own_brief(owner, title="Data pipeline", status=Brief.Status.PAUSED)
    client.force_login(owner)

    body = client.get(reverse("searches:brief_list")).content.decode()

    assert "Payments API" in body and "2 engineers" in body
    assert "Data pipeline" in body and "Paused" in body


def test_the_brief_list_empty_state_invites_a_first_brief(client: Client, owner: User) -> None:
    client.force_login(owner)

    body = client.get(reverse("searches:brief_list")).content.decode()

    assert "No briefs yet" in body and reverse("searches:brief_create") in body


def test_the_brief_page_shows_matches_rates_and_a_low_budget_warning(
    client: Client, owner: User
) -> None:
    for rate in ("20", "30", "32", "35", "50"):
        ProfileFactory(status="approved", hourly_rate_usd=Decimal(rate), skills=["Python"])
    ProfileFactory(status="approved", hourly_rate_usd=Decimal("10"), skills=["Go"])
    brief = own_brief(owner, must=["Python"], max_hourly_usd=Decimal("15"))
    client.force_login(owner)

    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert "No engineers</strong> match this brief" in body
    assert "median USD 32 an hour" in body
    assert "<svg" in body and "<rect" in body and "style=" not in body.split("<svg")[1]
    assert "30 to under 35" in body  # the table that says what the chart shows


def test_no_warning_when_the_budget_covers_most_rates(client: Client, owner: User) -> None:
    for rate in ("20", "30", "32"):
        ProfileFactory(status="approved", hourly_rate_usd=Decimal(rate), skills=["Python"])
    brief = own_brief(owner, must=["Python"], max_hourly_usd=Decimal("31"))
    client.force_login(owner)

    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert "<strong>2</strong> engineers match this brief" in body
    assert "ask more than your budget" not in body


def test_rate_summary_figures() -> None:
    python = Skill.objects.get(name="Python")
    for rate in ("10", "20", "30", "40", "50"):
        ProfileFactory(status="approved", hourly_rate_usd=Decimal(rate), skills=["Python"])
    ProfileFactory(hourly_rate_usd=Decimal("99"), skills=["Python"])  # a draft: never counted

    summary = rate_summary(Criteria(must=[Must(python.pk)], max_rate_usd=Decimal("25")), None)

    assert (summary.count, summary.capped, summary.sample_size) == (2, False, 5)
    assert (summary.p25, summary.median, summary.p75) == (Decimal(20), Decimal(30), Decimal(40))
    assert sum(b.count for b in summary.buckets) == 5
    assert not summary.budget_below_most


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("Djnago", "Did you mean Django?"),
        ("postgress:2", "Did you mean PostgreSQL?"),  # close to the alias "postgres"
        ("kubernets", "Did you mean Kubernetes?"),
    ],
)
def test_a_misspelt_skill_gets_a_did_you_mean(
    client: Client, owner: User, typed: str, suggestion: str
) -> None:
    client.force_login(owner)

    response = client.post(reverse("searches:brief_create"), form_data(must=typed))

    assert response.status_code == 400
    assert suggestion in response.content.decode()
    assert not Brief.objects.exists()


def test_a_name_like_no_skill_gets_no_suggestion(client: Client, owner: User) -> None:
    client.force_login(owner)

    response = client.post(reverse("searches:brief_create"), form_data(must="Basket weaving"))

    body = response.content.decode()
    assert "&quot;Basket weaving&quot; is not a skill we know" in body
    assert "Did you mean" not in body


def test_a_budget_range_is_saved_and_shown_on_the_brief_page(client: Client, owner: User) -> None:
    client.force_login(owner)

    client.post(
        reverse("searches:brief_create"),
        form_data(
            min_hourly_usd="25",
            max_hourly_usd="40",
            min_monthly_pkr="300000",
            max_monthly_pkr="",
        ),
    )

    brief = Brief.objects.get()
    assert (brief.min_hourly_usd, brief.max_hourly_usd) == (Decimal("25"), Decimal("40"))
    body = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()
    assert "USD 25–USD 40 an hour; From PKR 300,000 a month" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"min_hourly_usd": "50", "max_hourly_usd": "40"},
            "The least you would pay (USD 50 an hour) is more than the most (USD 40 an hour).",
        ),
        (
            {"min_monthly_pkr": "500000", "max_monthly_pkr": "300000"},
            "The least you would pay (PKR 500,000 a month) is more than the most "
            "(PKR 300,000 a month).",
        ),
    ],
)
def test_a_budget_minimum_above_its_maximum_is_refused_and_the_brief_kept(
    client: Client, owner: User, changes: dict[str, str], message: str
) -> None:
    brief = own_brief(owner, must=["Python"], max_hourly_usd=Decimal("60"))
    client.force_login(owner)

    response = client.post(reverse("searches:brief_edit", args=[brief.pk]), form_data(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    brief.refresh_from_db()
    assert brief.title != "Payments API" and brief.max_hourly_usd == Decimal("60")


def test_the_budget_minimum_says_it_does_not_hide_cheaper_engineers(
    client: Client, owner: User
) -> None:
    client.force_login(owner)

    body = client.get(reverse("searches:brief_create")).content.decode()

    assert "Engineers who ask less still appear in your results." in body


def test_the_brief_form_marks_required_fields_instead_of_optional_ones(
    client: Client, owner: User
) -> None:
    client.force_login(owner)

    body = client.get(reverse("searches:brief_create")).content.decode()

    assert "(optional)" not in body
    for label in ("Title", "Project description", "Must-have skills"):
        assert f'{label} <span class="field__required">(required)</span>' in body
    assert 'Keywords <span class="field__required">' not in body


def test_the_brief_form_embeds_the_skill_taxonomy_for_the_picker(
    client: Client, owner: User
) -> None:
    client.force_login(owner)

    body = client.get(reverse("searches:brief_create")).content.decode()

    assert 'data-skill-picker="text"' in body
    assert '<script id="skill-taxonomy" type="application/json">' in body
    assert '{"name": "PostgreSQL", "aliases": ["postgres", "psql"]' in body


def test_the_models_read_from_rows_convert_nothing_they_read() -> None:
    """get_brief_for_user, brief_skills and engine.cards make instances from rows with
    Model.from_db, which does not apply the fields' converters: a field that needs one
    (a JSONField, say) would be read wrong there, so it must fail here first."""
    read = {
        Brief: None,
        Company: None,
        BriefSkill: None,
        Skill: None,
        Profile: engine.CARD_FIELDS,
        User: engine.CARD_USER_FIELDS,
    }
    converting = [
        f"{model.__name__}.{f.attname}"
        for model, names in read.items()
        for f in model._meta.concrete_fields
        if (names is None or f.attname in names) and f.get_db_converters(connection)
    ]
    assert converting == []
