"""Who employers may see, how complete a profile is, and what submission needs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from candidates import selectors, services
from candidates.models import Job, PortfolioItem, Profile, Skill
from tests.factories import EmployerFactory, EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db

THREE_SKILLS = ["Python", "Django", "PostgreSQL"]


def approved(email: str, **fields: object) -> Profile:
    return ProfileFactory(user__email=email, status=Profile.Status.APPROVED, **fields)


def blank_profile() -> Profile:
    return Profile.objects.create(user=EngineerFactory(email="blank@example.com"))


def test_only_approved_active_looking_profiles_are_listed() -> None:
    listed = approved("listed@example.com")
    approved("paused@example.com", availability=Profile.Availability.NOT_LOOKING)
    approved("later@example.com", availability=Profile.Availability.FROM_DATE)
    approved("gone@example.com", user__is_active=False)
    for status in [
        Profile.Status.DRAFT,
        Profile.Status.SUBMITTED,
        Profile.Status.CHANGES_REQUESTED,
        Profile.Status.SUSPENDED,
    ]:
        ProfileFactory(user__email=f"{status}@example.com", status=status)

    emails = set(Profile.objects.listed().values_list("user__email", flat=True))

    assert emails == {listed.user.email, "later@example.com"}


def test_a_profile_that_blocked_a_company_is_hidden_from_that_company_only(
    owner: User, outsider: User
) -> None:
    hiding = approved("hiding@example.com")
    services.company_block(profile=hiding, kind="name", value=owner.membership.company.name)
    open_to_all = approved("open@example.com")
    ProfileFactory(user__email="draft@example.com")

    seen_by_owner = set(Profile.objects.visible_to(owner.membership.company))
    seen_by_outsider = set(Profile.objects.visible_to(outsider.membership.company))

    assert seen_by_owner == {open_to_all}
    assert seen_by_outsider == {open_to_all, hiding}


def test_a_paused_or_suspended_profile_is_hidden_from_every_company(owner: User) -> None:
    paused = approved("paused@example.com")
    services.profile_pause(profile=paused)
    suspended = approved("suspended@example.com")
    services.profile_suspend(profile=suspended, note="Copied portfolio.")

    assert not Profile.objects.visible_to(owner.membership.company).exists()

    services.profile_resume(profile=paused)
    assert list(Profile.objects.visible_to(owner.membership.company)) == [paused]


def test_an_empty_profile_is_zero_percent_complete_and_starts_with_skills() -> None:
    result = selectors.completeness(blank_profile())

    assert result.percent == 0
    assert result.next_step is not None
    assert result.next_step.label == "Skills with years"


def test_completeness_grows_and_the_next_step_moves_as_sections_are_filled() -> None:
    profile = ProfileFactory()
    seen = [selectors.completeness(profile)]

    for name in THREE_SKILLS:
        services.skill_set(
            profile=profile, skill=Skill.objects.get(name=name), years=Decimal(2), level=2
        )
    seen.append(selectors.completeness(profile))
    services.portfolio_save(
        profile=profile,
        item=PortfolioItem(title="Courier tracking API", description="Designed the API."),
    )
    seen.append(selectors.completeness(profile))
    services.job_save(
        profile=profile,
        job=Job(employer="Anarkali Commerce", title="Engineer", started=date(2020, 1, 1)),
    )
    seen.append(selectors.completeness(profile))

    percents = [result.percent for result in seen]
    assert percents == sorted(percents)
    assert len(set(percents)) == len(percents)
    assert [result.next_step.label for result in seen if result.next_step] == [
        "Skills with years",
        "Portfolio",
        "Work history",
        "Links",
    ]


def test_a_profile_with_everything_is_complete() -> None:
    profile = ProfileFactory(skills=THREE_SKILLS, github_url="https://github.com/sana")
    services.portfolio_save(
        profile=profile, item=PortfolioItem(title="Ledger", description="Built the ledger.")
    )
    services.job_save(
        profile=profile, job=Job(employer="Ravi Systems", title="Lead", started=date(2019, 5, 1))
    )
    profile.resume.name = "resumes/example.pdf"

    result = selectors.completeness(profile)

    assert result.percent == 100
    assert result.next_step is None


def test_an_empty_profile_misses_everything_submission_needs() -> None:
    missing = selectors.missing_for_submission(blank_profile())

    assert missing == [
        "a headline",
        "a bio of at least 80 characters",
        "your years of experience",
        "your seniority",
        "the kinds of engagement you want",
        "a rate (hourly in USD or monthly in PKR)",
        "at least 3 skills",
    ]


def test_a_ready_profile_misses_nothing() -> None:
    profile = ProfileFactory(skills=THREE_SKILLS)

    assert selectors.missing_for_submission(profile) == []


def test_a_monthly_rate_in_rupees_is_enough() -> None:
    profile = ProfileFactory(
        skills=THREE_SKILLS, hourly_rate_usd=None, monthly_rate_pkr=Decimal(300000)
    )

    assert selectors.missing_for_submission(profile) == []


def test_a_short_bio_and_two_skills_are_named() -> None:
    profile = ProfileFactory(skills=["Go", "Gin"], bio="x" * 79)

    assert selectors.missing_for_submission(profile) == [
        "a bio of at least 80 characters",
        "at least 3 skills",
    ]


def test_submitting_an_incomplete_profile_says_what_is_missing() -> None:
    profile = ProfileFactory(skills=["Go"])

    with pytest.raises(services.ProfileError, match="at least 3 skills"):
        services.profile_submit(profile=profile)

    profile.refresh_from_db()
    assert profile.status == Profile.Status.DRAFT


def test_an_approved_profile_cannot_be_submitted_again() -> None:
    profile = ProfileFactory(skills=THREE_SKILLS, status=Profile.Status.APPROVED)

    with pytest.raises(services.ProfileError, match="approved"):
        services.profile_submit(profile=profile)


def test_skills_and_portfolio_keep_the_search_columns_in_step() -> None:
    profile = ProfileFactory(skills=THREE_SKILLS)
    services.portfolio_save(
        profile=profile,
        item=PortfolioItem(title="Freight matching", description="Matched lorries to loads."),
    )

    profile.refresh_from_db()
    expected = sorted(Skill.objects.filter(name__in=THREE_SKILLS).values_list("pk", flat=True))
    assert profile.skill_ids == expected
    assert "Freight matching" in profile.portfolio_text
    assert Profile.objects.filter(search_document="lorries").exists()


def test_an_employer_has_no_profile_to_edit() -> None:
    employer = EmployerFactory(email="boss@example.com")

    with pytest.raises(PermissionDenied):
        selectors.get_own_profile(employer)
