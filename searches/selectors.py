"""Fetch-and-check helpers and reads shared by the searches views."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, connections, router
from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from accounts.models import Company, Membership, User
from candidates.models import Profile
from searches.engine import Criteria, Must
from searches.models import Brief, BriefSkill, ShortlistEntry


def get_brief_for_user(user: User, pk: int, *, shortlist_size: bool = False) -> Brief:
    """A brief of the user's company, with its company, in one query; 404 otherwise.
    ``shortlist_size``: with the number of engineers on its shortlist, in the same query.

    Behind every brief page, so its SQL is written once (see _brief_sql): as a
    queryset (the company's columns, the membership's join, the count) it cost about
    1.5 ms a page to build and compile, five times what the query takes to run."""
    if not user.is_authenticated or not user.is_employer:
        raise Http404("No such brief.")
    alias = router.db_for_read(Brief) or "default"
    sql, brief_fields, company_fields = _brief_sql(shortlist_size)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk, user.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such brief.")
    split = len(brief_fields)
    brief = Brief.from_db(alias, brief_fields, row[:split])
    brief.company = Company.from_db(alias, company_fields, row[split : split + len(company_fields)])
    if shortlist_size:
        brief.shortlist_size = row[-1]  # type: ignore[attr-defined]
    return brief


@cache
def _brief_sql(shortlist_size: bool) -> tuple[str, list[str], list[str]]:
    """The query of get_brief_for_user, and the attribute names of its brief's and its
    company's columns, in order. The user's membership of the company is the access
    check: a brief of any other company is not found."""
    quote = connection.ops.quote_name
    brief_fields = [f.attname for f in Brief._meta.concrete_fields]
    company_fields = [f.attname for f in Company._meta.concrete_fields]
    columns = [f"b.{quote(str(f.column))}" for f in Brief._meta.concrete_fields]
    columns += [f"c.{quote(str(f.column))}" for f in Company._meta.concrete_fields]
    if shortlist_size:
        entry = quote(ShortlistEntry._meta.db_table)
        columns.append(f"(SELECT count(*) FROM {entry} AS e WHERE e.brief_id = b.id)")  # noqa: S608
    sql = f"""
        SELECT {", ".join(columns)}
        FROM {quote(Brief._meta.db_table)} AS b
        JOIN {quote(Company._meta.db_table)} AS c ON c.id = b.company_id
        WHERE b.id = %s AND EXISTS (
            SELECT 1 FROM {quote(Membership._meta.db_table)} AS m
            WHERE m.company_id = c.id AND m.user_id = %s
        )
    """  # noqa: S608 - names from the models; the ids are parameters
    return sql, brief_fields, company_fields


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
