"""Reads about profiles that several views share, and the fetch-and-check helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from accounts.models import Company, User
from accounts.selectors import company_of
from candidates.models import (
    ContactConsent,
    Job,
    PortfolioItem,
    Profile,
    ProfileSkill,
    snapshot,
)

MIN_SKILLS_TO_SUBMIT = 3


def get_own_profile(user: User) -> Profile:
    """The engineer's own profile, created on first visit. Others have none."""
    if not user.is_engineer:
        raise PermissionDenied("Profiles are for engineer accounts.")
    profile, _ = Profile.objects.select_related("user").get_or_create(user=user)
    return profile


def profile_page_queryset() -> Any:
    """Everything the profile page shows, in a fixed number of queries."""
    return Profile.objects.select_related("user").prefetch_related(
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill")),
        Prefetch("portfolio", queryset=PortfolioItem.objects.prefetch_related("skills")),
        "jobs",
    )


def get_profile_for_viewer(user: User, pk: int) -> tuple[Profile, Company | None]:
    """A profile as ``user`` may see it: employers only listed, unblocked profiles.

    Raises Http404 for anything else, so an id in a URL never reveals a profile.
    """
    queryset = profile_page_queryset()
    company = company_of(user)
    if user.is_staff:
        pass
    elif company is not None:
        queryset = queryset.visible_to(company)
    elif user.is_engineer:
        queryset = queryset.filter(user=user)
    else:
        raise Http404("No such profile.")
    try:
        return queryset.get(pk=pk), company
    except Profile.DoesNotExist:
        raise Http404("No such profile.") from None


def contact_visible(profile: Profile, company: Company | None) -> bool:
    """Email, phone and resume show only after the engineer accepted this company's outreach."""
    if company is None:
        return False
    return ContactConsent.objects.filter(profile=profile, company=company).exists()


def get_resume_for_user(user: User, pk: int) -> Profile:
    """A profile whose resume ``user`` may download; 404 for any other id."""
    profile = Profile.objects.select_related("user").filter(pk=pk).first()
    if profile is None or not can_download_resume(user, profile):
        raise Http404("No resume to show.")
    return profile


def visible_profile(company: Company, pk: int) -> Profile | None:
    """A profile listed for ``company`` (approved, looking, not blocking it), or None."""
    return Profile.objects.visible_to(company).select_related("user").filter(pk=pk).first()


def get_visible_profile(company: Company, pk: int) -> Profile:
    """A profile listed for ``company``; 404 otherwise."""
    profile = visible_profile(company, pk)
    if profile is None:
        raise Http404("No such engineer.")
    return profile


# Rows of the engineer's own profile, found inside it: another profile's ids answer 404.


def get_own_skill(profile: Profile, pk: int) -> ProfileSkill:
    return _own(profile.skills.select_related("skill"), pk)


def get_own_portfolio_item(profile: Profile, pk: int) -> PortfolioItem:
    return _own(profile.portfolio.all(), pk)


def get_own_job(profile: Profile, pk: int) -> Job:
    return _own(profile.jobs.all(), pk)


def _own(queryset: Any, pk: int) -> Any:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404("Not part of your profile.")
    return row


def can_download_resume(user: User, profile: Profile) -> bool:
    if not profile.resume:
        return False
    if user.is_staff or profile.user_id == user.pk:
        return True
    company = company_of(user)
    if company is None:
        return False
    visible = Profile.objects.visible_to(company).filter(pk=profile.pk).exists()
    return visible and contact_visible(profile, company)


def missing_for_submission(profile: Profile) -> list[str]:
    """What a profile needs before staff will look at it, in plain words."""
    missing = []
    if not profile.headline.strip():
        missing.append("a headline")
    if len(profile.bio.strip()) < 80:
        missing.append("a bio of at least 80 characters")
    if profile.years_experience is None:
        missing.append("your years of experience")
    if not profile.seniority:
        missing.append("your seniority")
    if not profile.engagement_types:
        missing.append("the kinds of engagement you want")
    if profile.hourly_rate_usd is None and profile.monthly_rate_pkr is None:
        missing.append("a rate (hourly in USD or monthly in PKR)")
    if profile.skills.count() < MIN_SKILLS_TO_SUBMIT:
        missing.append(f"at least {MIN_SKILLS_TO_SUBMIT} skills")
    return missing


@dataclass(frozen=True)
class Step:
    label: str
    weight: int
    done: bool
    url_name: str
    hint: str


@dataclass(frozen=True)
class Completeness:
    percent: int
    steps: list[Step]

    @property
    def next_step(self) -> Step | None:
        """The most valuable thing still missing."""
        todo = [step for step in self.steps if not step.done]
        return max(todo, key=lambda step: step.weight) if todo else None


def completeness(profile: Profile) -> Completeness:
    skills = profile.skills.count()
    has_portfolio = profile.portfolio.exists()
    has_jobs = profile.jobs.exists()
    steps = [
        Step(
            "Skills with years",
            20,
            skills >= MIN_SKILLS_TO_SUBMIT,
            "candidates:skills",
            f"Add at least {MIN_SKILLS_TO_SUBMIT} skills; briefs are matched on them first.",
        ),
        Step(
            "Portfolio",
            15,
            has_portfolio,
            "candidates:portfolio",
            "Show one project you are proud of and what you did on it.",
        ),
        Step(
            "Headline",
            10,
            bool(profile.headline.strip()),
            "candidates:about",
            "One line that says what you build, e.g. 'Django engineer for payment systems'.",
        ),
        Step(
            "Bio",
            10,
            len(profile.bio.strip()) >= 80,
            "candidates:about",
            "A few sentences about the systems you have built and how you work.",
        ),
        Step(
            "Experience and seniority",
            10,
            profile.years_experience is not None and bool(profile.seniority),
            "candidates:about",
            "Employers filter on total years and seniority.",
        ),
        Step(
            "Rate",
            10,
            profile.hourly_rate_usd is not None or profile.monthly_rate_pkr is not None,
            "candidates:about",
            "Set an hourly rate in USD or a monthly rate in PKR.",
        ),
        Step(
            "Work history",
            10,
            has_jobs,
            "candidates:experience",
            "List the teams you have worked on.",
        ),
        Step(
            "Engagement and hours",
            5,
            bool(profile.engagement_types) and profile.hours_per_week is not None,
            "candidates:about",
            "Say whether you want contract, full-time or part-time work.",
        ),
        Step(
            "Links",
            5,
            bool(profile.github_url or profile.linkedin_url or profile.website_url),
            "candidates:about",
            "Add your GitHub, LinkedIn or personal site.",
        ),
        Step(
            "Resume",
            5,
            bool(profile.resume),
            "candidates:resume",
            "Upload a PDF; only companies whose message you accept can open it.",
        ),
    ]
    total = sum(step.weight for step in steps)
    done = sum(step.weight for step in steps if step.done)
    return Completeness(percent=round(100 * done / total), steps=steps)


def changes_since_approval(profile: Profile) -> list[tuple[str, Any, Any]]:
    """(field, approved value, current value) for each field changed since approval."""
    if not profile.approved_snapshot:
        return []
    current = snapshot(profile)
    before = profile.approved_snapshot
    return [
        (name, before.get(name), value)
        for name, value in current.items()
        if before.get(name) != value
    ]


TAXONOMY_CACHE_KEY = "candidates:skill-taxonomy:v1"


def skill_taxonomy() -> list[dict[str, Any]]:
    """Every skill as plain data, from the cache: search pages list it without a query.

    candidates.signals clears the cache when staff change the taxonomy.
    """
    from django.core.cache import cache

    from candidates.models import Skill

    skills = cache.get(TAXONOMY_CACHE_KEY)
    if skills is None:
        skills = list(
            Skill.objects.order_by("category", "name").values("id", "name", "slug", "category")
        )
        cache.set(TAXONOMY_CACHE_KEY, skills, 3600)
    return skills
