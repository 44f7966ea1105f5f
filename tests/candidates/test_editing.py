"""The engineer edits their own profile: every page, bad input, htmx and plain posts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates import selectors
from candidates.models import Job, PortfolioItem, Profile, ProfileSkill, Skill
from tests.factories import (
    JobFactory,
    PortfolioItemFactory,
    ProfileFactory,
    ProfileSkillFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

PAGES = [
    "candidates:me",
    "candidates:about",
    "candidates:skills",
    "candidates:portfolio",
    "candidates:experience",
    "candidates:resume",
    "candidates:blocked",
    "candidates:delete",
]


@pytest.fixture
def profile(client: Client, engineer: User) -> Profile:
    """The signed-in engineer's profile, as a first visit creates it: empty, a draft."""
    client.force_login(engineer)
    return selectors.get_own_profile(engineer)


def skill(name: str) -> Skill:
    return Skill.objects.get(name=name)


def about_data(**changes: Any) -> dict[str, Any]:
    data = {
        "headline": "Django engineer for payment systems",
        "bio": (
            "I build payment backends in Django and PostgreSQL, "
            "with tests and calm deploys, for years."
        ),
        "city": "Lahore",
        "time_zone": "Asia/Karachi",
        "work_starts": "10:00",
        "work_ends": "19:00",
        "years_experience": "6",
        "seniority": "senior",
        "engagement_types": ["contract"],
        "hours_per_week": "40",
        "availability": "now",
        "available_from": "",
        "hourly_rate_usd": "30",
        "monthly_rate_pkr": "",
        "english": "fluent",
        "github_url": "",
        "linkedin_url": "",
        "website_url": "",
        "phone": "",
    }
    data.update(changes)
    return data


def content(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_it_renders_each_page_for_the_owner(client: Client, profile: Profile, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "<h1>" in content(response)
    assert 'aria-label="Profile sections"' in content(response)


def test_it_renders_the_edit_pages_of_the_owners_rows(client: Client, profile: Profile) -> None:
    item = PortfolioItemFactory(profile=profile, title="Ledger rewrite")
    job = JobFactory(profile=profile, employer="Daraz", title="Backend engineer")

    portfolio = client.get(reverse("candidates:portfolio_edit", args=[item.pk]))
    job_page = client.get(reverse("candidates:job_edit", args=[job.pk]))

    assert portfolio.status_code == 200 and "Ledger rewrite" in content(portfolio)
    assert job_page.status_code == 200 and "Backend engineer at Daraz" in content(job_page)


def test_the_home_names_the_next_most_useful_step(client: Client, profile: Profile) -> None:
    body = content(client.get(reverse("candidates:me")))

    assert "Draft" in body
    assert "0%" in body
    assert "Skills with years" in body
    assert reverse("candidates:skills") in body
    assert reverse("candidates:preview") in body


def test_the_home_shows_the_staff_note_when_changes_are_requested(
    client: Client, profile: Profile
) -> None:
    Profile.objects.filter(pk=profile.pk).update(
        status=Profile.Status.CHANGES_REQUESTED, staff_note="Please describe your role on Ledger."
    )

    body = content(client.get(reverse("candidates:me")))

    assert "Changes requested" in body
    assert "What staff asked you to change" in body
    assert "Please describe your role on Ledger." in body


def test_the_home_says_an_approved_profile_stays_listed_while_edited(
    client: Client, engineer: User
) -> None:
    ProfileFactory(user=engineer, status=Profile.Status.APPROVED)
    client.force_login(engineer)

    body = content(client.get(reverse("candidates:me")))

    assert "Approved and listed" in body
    assert "stays listed" in body


def test_it_saves_the_about_form(client: Client, profile: Profile) -> None:
    response = client.post(reverse("candidates:about"), about_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:me")
    profile.refresh_from_db()
    assert profile.headline == "Django engineer for payment systems"
    assert profile.hourly_rate_usd == Decimal("30")
    assert profile.engagement_types == ["contract"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("years_experience", "-2", "greater than or equal to 0"),
        ("hourly_rate_usd", "12,50abc", "Enter a number"),
        ("github_url", "ftp://github.com/sana", "starting with https:// or http://"),
    ],
)
def test_bad_about_input_keeps_what_was_typed_and_saves_nothing(
    client: Client, profile: Profile, field: str, value: str, message: str
) -> None:
    data = about_data(headline="Typed and kept, not saved", **{field: value})

    response = client.post(reverse("candidates:about"), data)

    assert response.status_code == 400
    body = content(response)
    assert message in body
    assert "Typed and kept, not saved" in body
    assert f'value="{value}"' in body
    profile.refresh_from_db()
    assert profile.headline == ""
    assert profile.years_experience is None


def test_a_job_that_ends_before_it_starts_is_refused(client: Client, profile: Profile) -> None:
    data = {
        "employer": "Daraz",
        "title": "Engineer",
        "started": "2022-05-01",
        "ended": "2021-01-01",
    }

    response = client.post(reverse("candidates:experience"), data)

    assert response.status_code == 400
    assert "The end date must come after the start date." in content(response)
    assert 'value="2021-01-01"' in content(response)
    assert not Job.objects.exists()


def test_a_portfolio_year_in_the_future_is_refused(client: Client, profile: Profile) -> None:
    year = timezone.localdate().year + 1
    data = {"title": "Next year's thing", "description": "Not built yet.", "year": str(year)}

    response = client.post(reverse("candidates:portfolio"), data)

    assert response.status_code == 400
    assert "The year cannot be in the future." in content(response)
    assert "Next year&#x27;s thing" in content(response)
    assert not PortfolioItem.objects.exists()


def test_negative_skill_years_are_refused(client: Client, profile: Profile) -> None:
    data = {"skill": skill("Python").pk, "years": "-1", "level": "2"}

    response = client.post(reverse("candidates:skills"), data)

    assert response.status_code == 400
    assert "greater than or equal to 0" in content(response)
    assert not ProfileSkill.objects.exists()


def test_adding_a_skill_twice_updates_it(client: Client, profile: Profile) -> None:
    url = reverse("candidates:skills")
    client.post(url, {"skill": skill("Python").pk, "years": "2", "level": "1"})

    response = client.post(url, {"skill": skill("Python").pk, "years": "5.5", "level": "3"})

    assert response.status_code == 302
    entry = ProfileSkill.objects.get(profile=profile)
    assert (entry.years, entry.level) == (Decimal("5.5"), 3)
    assert "Python updated." in content(client.get(url))


def test_skill_ids_follow_adds_and_removes(client: Client, profile: Profile) -> None:
    url = reverse("candidates:skills")
    python, django = skill("Python"), skill("Django")
    client.post(url, {"skill": python.pk, "years": "4", "level": "3"})
    client.post(url, {"skill": django.pk, "years": "3", "level": "2"})
    profile.refresh_from_db()
    assert profile.skill_ids == sorted([python.pk, django.pk])

    entry = ProfileSkill.objects.get(profile=profile, skill=python)
    client.post(reverse("candidates:skill_remove", args=[entry.pk]))

    profile.refresh_from_db()
    assert profile.skill_ids == [django.pk]


def test_htmx_gets_only_the_skill_list_and_a_plain_post_a_redirect(
    client: Client, profile: Profile
) -> None:
    url = reverse("candidates:skills")

    partial = client.post(url, {"skill": skill("Go").pk, "years": "2", "level": "2"}, headers=HTMX)
    plain = client.post(url, {"skill": skill("Rust").pk, "years": "1", "level": "1"})

    assert partial.status_code == 200
    body = content(partial)
    assert 'id="skill-list"' in body and "<html" not in body and "site-header" not in body
    assert "Go added." in body
    assert plain.status_code == 302 and plain["Location"] == url
    assert profile.skills.count() == 2


def test_htmx_removes_a_skill_in_place(client: Client, profile: Profile) -> None:
    entry = ProfileSkillFactory(profile=profile, skill=skill("Kotlin"))

    response = client.post(reverse("candidates:skill_remove", args=[entry.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in content(response)
    assert "Kotlin removed." in content(response)
    assert not ProfileSkill.objects.filter(pk=entry.pk).exists()


def test_htmx_gets_the_skill_form_back_with_its_errors(client: Client, profile: Profile) -> None:
    response = client.post(
        reverse("candidates:skills"), {"skill": "", "years": "2", "level": "2"}, headers=HTMX
    )

    assert response.status_code == 400
    assert "<html" not in content(response)
    assert "This field is required." in content(response)


def test_htmx_adds_and_removes_portfolio_items_in_place(client: Client, profile: Profile) -> None:
    data = {
        "title": "Settlement engine",
        "description": "Designed the ledger.",
        "url": "https://example.com",
        "year": "2023",
        "skills": [skill("Python").pk, skill("PostgreSQL").pk],
    }

    added = client.post(reverse("candidates:portfolio"), data, headers=HTMX)

    assert added.status_code == 200
    assert 'id="portfolio-list"' in content(added) and "<html" not in content(added)
    item = PortfolioItem.objects.get(profile=profile)
    assert {s.name for s in item.skills.all()} == {"Python", "PostgreSQL"}
    profile.refresh_from_db()
    assert "Settlement engine" in profile.portfolio_text

    removed = client.post(reverse("candidates:portfolio_remove", args=[item.pk]), headers=HTMX)

    assert removed.status_code == 200 and "<html" not in content(removed)
    assert "Settlement engine" in content(removed)  # in the "removed" notice
    assert not PortfolioItem.objects.exists()


def test_portfolio_works_without_javascript(client: Client, profile: Profile) -> None:
    data = {"title": "Search service", "description": "Built the indexer.", "year": "2022"}

    added = client.post(reverse("candidates:portfolio"), data)
    item = PortfolioItem.objects.get(profile=profile)
    edited = client.post(
        reverse("candidates:portfolio_edit", args=[item.pk]), {**data, "title": "Search API"}
    )
    removed = client.post(reverse("candidates:portfolio_remove", args=[item.pk]))

    assert added.status_code == edited.status_code == removed.status_code == 302
    assert removed["Location"] == reverse("candidates:portfolio")
    assert not PortfolioItem.objects.exists()


def test_work_history_is_added_edited_and_removed(client: Client, profile: Profile) -> None:
    data = {"employer": "Arbisoft", "title": "Engineer", "started": "2019-02-01", "ended": ""}

    client.post(reverse("candidates:experience"), data)
    job = Job.objects.get(profile=profile)
    client.post(reverse("candidates:job_edit", args=[job.pk]), {**data, "title": "Lead engineer"})
    job.refresh_from_db()

    assert (job.title, job.started, job.ended) == ("Lead engineer", date(2019, 2, 1), None)
    client.post(reverse("candidates:job_remove", args=[job.pk]))
    assert not Job.objects.exists()


def test_submit_is_refused_with_what_is_missing_then_accepted(
    client: Client, profile: Profile
) -> None:
    refused = client.post(reverse("candidates:submit"))

    assert refused.status_code == 400
    assert "a headline" in content(refused) and "at least 3 skills" in content(refused)
    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT

    client.post(reverse("candidates:about"), about_data())
    for name in ["Python", "Django", "PostgreSQL"]:
        ProfileSkillFactory(profile=profile, skill=skill(name))
    accepted = client.post(reverse("candidates:submit"))

    assert accepted.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED
    assert "Waiting for review" in content(client.get(reverse("candidates:me")))


def test_pausing_hides_the_profile_and_resuming_restores_it(client: Client, engineer: User) -> None:
    profile = ProfileFactory(user=engineer, status=Profile.Status.APPROVED)
    client.force_login(engineer)
    url = reverse("candidates:visibility")
    assert Profile.objects.listed().filter(pk=profile.pk).exists()

    client.post(url, {"action": "pause"})
    assert not Profile.objects.listed().filter(pk=profile.pk).exists()
    assert "Approved, paused" in content(client.get(reverse("candidates:me")))

    client.post(url, {"action": "resume"})
    assert Profile.objects.listed().filter(pk=profile.pk).exists()


def test_an_unknown_visibility_action_is_refused(client: Client, profile: Profile) -> None:
    response = client.post(reverse("candidates:visibility"), {"action": "vanish"})

    assert response.status_code == 400
    assert "pause or resume" in content(response)


def test_blocking_and_unblocking_a_company(client: Client, profile: Profile, owner: User) -> None:
    company = owner.membership.company

    blocked = client.post(
        reverse("candidates:blocked"), {"kind": "name", "name": f"  {company.name.upper()} "}
    )
    assert blocked.status_code == 302
    block = profile.company_blocks.get()
    assert list(block.companies.all()) == [company]
    assert not Profile.objects.visible_to(company).filter(pk=profile.pk).exists()

    client.post(reverse("candidates:unblock", args=[block.pk]))
    assert not profile.company_blocks.exists()


def test_blocking_an_unknown_company_does_not_say_so(client: Client, profile: Profile) -> None:
    response = client.post(
        reverse("candidates:blocked"), {"kind": "name", "name": "Nowhere Ltd"}, follow=True
    )

    page = content(response)
    assert response.redirect_chain[0][1] == 302
    assert "If a company called “Nowhere Ltd” uses Karigar" in page
    assert "No company called" not in page


def test_editing_an_approved_profile_keeps_it_listed(client: Client, profile: Profile) -> None:
    Profile.objects.filter(pk=profile.pk).update(status=Profile.Status.APPROVED)
    python = Skill.objects.get(name="Python")

    client.post(reverse("candidates:about"), about_data(headline="Now leading payment teams"))
    client.post(reverse("candidates:skills"), {"skill": python.pk, "years": "7", "level": "4"})

    profile.refresh_from_db()
    assert profile.status == Profile.Status.APPROVED
    assert profile.headline == "Now leading payment teams"
    assert Profile.objects.listed().filter(pk=profile.pk).exists()
