"""Fetch-and-check helpers and reads shared by the searches views."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from accounts.models import Company, User
from candidates.models import Profile
from searches.engine import Criteria, Must
from searches.models import Brief, BriefSkill, ShortlistEntry


def get_brief_for_user(user: User, pk: int, *, shortlist_size: bool = False) -> Brief:
    """A brief of the user's company, with its company, in one query; 404 otherwise.
    ``shortlist_size``: with the number of engineers on its shortlist, in the same query."""
    if not user.is_authenticated or not user.is_employer:
        raise Http404("No such brief.")
    briefs = Brief.objects.select_related("company").filter(pk=pk, company__memberships__user=user)
    if shortlist_size:  # grouped by the brief's key: cheaper to compile than a subquery
        briefs = briefs.annotate(shortlist_size=Count("shortlist"))
    brief = briefs.first()
    if brief is None:
        raise Http404("No such brief.")
    return brief


def get_shortlist_entry_for_user(user: User, pk: int, profile_pk: int) -> ShortlistEntry:
    """An engineer's entry on the shortlist of a brief of the user's company; 404 otherwise."""
    brief = get_brief_for_user(user, pk)
    entry = ShortlistEntry.objects.filter(brief=brief, profile_id=profile_pk).first()
    if entry is None:
        raise Http404("That engineer is not on this shortlist.")
    entry.brief = brief
    return entry


def brief_skills(brief: Brief) -> list[BriefSkill]:
    return list(brief.skills.select_related("skill").order_by("kind", "skill__name"))


def criteria_from_brief(brief: Brief, skills: list[BriefSkill]) -> Criteria:
    return Criteria(
        must=[Must(s.skill_id, s.min_years) for s in skills if s.kind == BriefSkill.Kind.MUST],
        nice=[s.skill_id for s in skills if s.kind == BriefSkill.Kind.NICE],
        min_years=brief.min_years,
        seniority=brief.seniority,
        engagement=brief.engagement,
        hours_per_week=brief.hours_per_week,
        max_rate_usd=_budget_usd(brief),
        available_by=brief.start_date,
        min_overlap_hours=brief.min_overlap_hours,
        text=brief.keywords,
    )


def _budget_usd(brief: Brief):  # type: ignore[no-untyped-def]
    from candidates.models import comparable_rate

    return comparable_rate(brief.max_hourly_usd, brief.max_monthly_pkr)


DASHBOARD_BRIEFS = 8


def company_briefs(company: Company) -> Any:
    """The company's briefs, open ones first, newest first, with their shortlist sizes."""
    return (
        Brief.objects.filter(company=company)
        .annotate(shortlist_count=Count("shortlist"))
        .order_by("status", "-created_at")
    )


def open_briefs_for(profile: Profile, company: Company) -> list[Brief]:
    """The company's open briefs, each marked with whether this engineer is on its shortlist."""
    on_shortlist = ShortlistEntry.objects.filter(brief=OuterRef("pk"), profile=profile)
    return list(
        Brief.objects.filter(company=company, status=Brief.Status.OPEN)
        .annotate(shortlisted=Exists(on_shortlist))
        .order_by("-created_at")
    )
