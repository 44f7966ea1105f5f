"""The bulk generator of demo engineers: realistic, consistent, repeatable, searchable."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from candidates import selectors
from candidates.management.commands.generate_engineers import generate_engineers
from candidates.models import Profile, ProfileSkill

pytestmark = pytest.mark.django_db

YEARS_BY_SENIORITY = {"junior": (0, 2), "mid": (2, 5), "senior": (5, 10), "lead": (8, 20)}


@pytest.fixture
def engineers() -> list[Profile]:
    assert generate_engineers(count=200, seed=42) == 200
    return list(
        Profile.objects.select_related("user").prefetch_related("skills", "portfolio", "jobs")
    )


def test_it_creates_approved_profiles_with_at_least_three_skills(
    engineers: list[Profile],
) -> None:
    assert len(engineers) == 200
    for profile in engineers:
        assert profile.status == Profile.Status.APPROVED
        assert profile.approved_at is not None
        assert profile.submitted_at is not None
        assert profile.submitted_at <= profile.approved_at <= timezone.now()
        assert len(profile.skills.all()) >= 3
    assert (
        Profile.objects.listed().count()
        == Counter(p.availability != Profile.Availability.NOT_LOOKING for p in engineers)[True]
    )


def test_skill_ids_match_the_skill_rows(engineers: list[Profile]) -> None:
    for profile in engineers:
        assert profile.skill_ids == sorted(entry.skill_id for entry in profile.skills.all())


def test_years_rates_and_skill_years_fit_the_seniority(engineers: list[Profile]) -> None:
    for profile in engineers:
        low, high = YEARS_BY_SENIORITY[profile.seniority]
        assert profile.years_experience is not None
        assert low <= profile.years_experience <= high
        assert profile.hourly_rate_usd is not None or profile.monthly_rate_pkr is not None
        if profile.seniority == "junior" and profile.hourly_rate_usd is not None:
            assert 8 <= profile.hourly_rate_usd <= 15
        if profile.seniority == "senior" and profile.hourly_rate_usd is not None:
            assert 25 <= profile.hourly_rate_usd <= 50
        for entry in profile.skills.all():
            assert entry.years <= max(profile.years_experience, 0.5)
    assert set(Counter(p.seniority for p in engineers)) == set(YEARS_BY_SENIORITY)


def test_profiles_are_complete_enough_to_have_been_approved(engineers: list[Profile]) -> None:
    for profile in engineers[:40]:
        assert selectors.missing_for_submission(profile) == []
        assert 1 <= len(profile.portfolio.all()) <= 3
        jobs = list(profile.jobs.all())
        assert 1 <= len(jobs) <= 4
        assert [job.ended for job in jobs].count(None) == 1
        assert all(job.started <= timezone.localdate() for job in jobs)
        # What staff approved is what the profile holds, so nothing reads as changed.
        assert selectors.changes_since_approval(profile) == []


def test_portfolio_text_is_what_the_services_would_write(engineers: list[Profile]) -> None:
    for profile in engineers[:20]:
        expected = "\n".join(f"{i.title}. {i.description}" for i in profile.portfolio.all())
        assert profile.portfolio_text == expected


def test_accounts_have_unique_addresses_and_cannot_log_in(engineers: list[Profile]) -> None:
    emails = [profile.user.email for profile in engineers]
    assert len(set(emails)) == len(emails)
    for profile in engineers:
        user = profile.user
        assert user.email.endswith("@engineers.example")
        assert str(user.pk) in user.email
        assert user.role == User.Role.ENGINEER
        assert not user.has_usable_password()
        assert " " in user.full_name


def test_most_engineers_work_from_lahore_and_some_from_abroad(engineers: list[Profile]) -> None:
    zones = Counter(profile.time_zone for profile in engineers)

    assert zones["Asia/Karachi"] > 150
    assert set(zones) <= {"Asia/Karachi", "Asia/Dubai", "Europe/London", "America/Toronto"}


def test_running_twice_adds_more_without_collisions() -> None:
    generate_engineers(count=150, seed=1, batch_size=40)
    generate_engineers(count=150, seed=1, batch_size=40)

    assert Profile.objects.count() == 300
    assert User.objects.filter(email__endswith="@engineers.example").count() == 300
    assert ProfileSkill.objects.values("profile").distinct().count() == 300


def test_the_same_seed_gives_the_same_engineers_whatever_the_batch_size() -> None:
    def people() -> list[tuple[str, str, str, list[int]]]:
        return list(
            Profile.objects.order_by("pk").values_list(
                "user__full_name", "headline", "bio", "skill_ids"
            )
        )

    def clear() -> None:
        User.objects.filter(email__endswith="@engineers.example").delete()

    generate_engineers(count=30, seed=7, batch_size=8)
    first = people()
    clear()
    generate_engineers(count=30, seed=7, batch_size=30)
    again = people()
    clear()
    generate_engineers(count=30, seed=8)
    other = people()

    assert again == first
    assert other != first


def test_generated_profiles_are_found_by_full_text_search(engineers: list[Profile]) -> None:
    django_people = {p.pk for p in engineers if "Django" in {e.skill.name for e in p.skills.all()}}

    found = set(
        Profile.objects.filter(search_document=SearchQuery("django", config="english")).values_list(
            "pk", flat=True
        )
    )

    assert found
    assert found <= {p.pk for p in engineers}
    assert found & django_people
    assert not Profile.objects.filter(search_document__isnull=True).exists()


def test_mixed_statuses_leave_unapproved_profiles_unlisted() -> None:
    generate_engineers(count=300, seed=3, status="mixed")

    statuses = Counter(Profile.objects.values_list("status", flat=True))
    assert set(statuses) == {status.value for status in Profile.Status}
    assert not Profile.objects.filter(
        status=Profile.Status.DRAFT, submitted_at__isnull=False
    ).exists()
    assert not Profile.objects.filter(
        status=Profile.Status.SUBMITTED, approved_at__isnull=False
    ).exists()
    assert set(Profile.objects.listed().values_list("status", flat=True)) == {"approved"}


def test_the_command_reports_progress_on_stderr_and_the_rate_on_stdout() -> None:
    out, err = StringIO(), StringIO()

    call_command("generate_engineers", count=25, seed=5, batch_size=10, stdout=out, stderr=err)

    assert Profile.objects.count() == 25
    assert "\r[" in err.getvalue()
    assert "100.0%" in err.getvalue()
    assert "25/25" in err.getvalue()
    assert "Created 25 engineers" in out.getvalue()
    assert "profiles/s" in out.getvalue()


def test_the_command_refuses_a_count_below_one() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_engineers", count=0)


def test_demo_data_adds_generated_engineers_once_and_real_profiles_for_the_named_ones(
    settings: Any,
) -> None:
    settings.DEBUG = True

    call_command("demo_data", stdout=StringIO())
    count = Profile.objects.count()
    call_command("demo_data", stdout=StringIO())

    assert count >= 300
    assert Profile.objects.count() == count
    assert Profile.objects.filter(status=Profile.Status.SUBMITTED).exists()
    for email in ("bilal@karigar.localhost", "hira@karigar.localhost"):
        profile = Profile.objects.get(user__email=email)
        assert profile.status == Profile.Status.APPROVED
        assert len(profile.skill_ids) >= 3
        assert profile.portfolio.exists()
        assert profile.jobs.filter(ended__isnull=True).exists()
        assert selectors.changes_since_approval(profile) == []
