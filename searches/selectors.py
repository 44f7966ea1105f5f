"""Fetch-and-check helpers and reads shared by the searches views."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, connections, router
from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from accounts.models import Company, Membership, User
from candidates.models import Profile, Skill
from searches.engine import Criteria, Must
from searches.models import Brief, BriefSkill, ShortlistEntry
from searches.rows import fields, from_row, select_columns


def get_brief_for_user(user: User, pk: int, *, shortlist_size: bool = False) -> Brief:
    """A brief of the user's company, with its company, in one query; 404 otherwise.
    ``shortlist_size``: with the number of engineers on its shortlist, in the same query.

    Behind every brief page, so its SQL is written once (see _brief_sql): as a
    queryset (the company's columns, the membership's join, the count) it cost about
    1.5 ms a page to build and compile, five times what the query takes to run."""
    return _read_brief(user, pk, shortlist_size=shortlist_size, skills=False)[0]


def get_brief_and_skills_for_user(
    user: User, pk: int, *, shortlist_size: bool = False
) -> tuple[Brief, list[BriefSkill]]:
    """get_brief_for_user() and brief_skills() in one query: one round trip to the
    database less on the pages that need both (the results page among them)."""
    return _read_brief(user, pk, shortlist_size=shortlist_size, skills=True)


def _read_brief(
    user: User, pk: int, *, shortlist_size: bool, skills: bool
) -> tuple[Brief, list[BriefSkill]]:
    if not user.is_authenticated or not user.is_employer:
        raise Http404("No such brief.")
    alias = router.db_for_read(Brief) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_brief_sql(shortlist_size, skills), [pk, user.pk])
        rows = cursor.fetchall()
    if not rows:
        raise Http404("No such brief.")
    brief, company = from_row(alias, rows[0], (Brief, None), (Company, None))
    brief.company = company
    at = len(fields(Brief)) + len(fields(Company))
    if shortlist_size:
        brief.shortlist_size = rows[0][at]  # type: ignore[attr-defined]
        at += 1
    entries = []
    for row in rows if skills else []:
        if row[at] is None:  # a brief without skills: one row, its skill columns NULL
            continue
        entry, skill = from_row(alias, row[at:], (BriefSkill, None), (Skill, None))
        entry.skill = skill
        entries.append(entry)
    return brief, entries


@cache
def _brief_sql(shortlist_size: bool, skills: bool = False) -> str:
    """The query of get_brief_for_user: the brief's columns, its company's, and the
    size of its shortlist if asked; with ``skills``, a row per skill of the brief
    (brief_skills' columns and order; one row with NULLs if it has none). The user's
    membership of the company is the access check: a brief of any other company is
    not found."""
    quote = connection.ops.quote_name
    columns = [*select_columns("default", "b", Brief), *select_columns("default", "c", Company)]
    if shortlist_size:
        entry = quote(ShortlistEntry._meta.db_table)
        columns.append(f"(SELECT count(*) FROM {entry} AS e WHERE e.brief_id = b.id)")  # noqa: S608
    joins = order = ""
    if skills:
        columns += _brief_skill_columns()
        joins = f"""
        LEFT JOIN {quote(BriefSkill._meta.db_table)} AS bs ON bs.brief_id = b.id
        LEFT JOIN {quote(Skill._meta.db_table)} AS s ON s.id = bs.skill_id"""
        order = f"ORDER BY {BRIEF_SKILLS_ORDER}"
    return f"""
        SELECT {", ".join(columns)}
        FROM {quote(Brief._meta.db_table)} AS b
        JOIN {quote(Company._meta.db_table)} AS c ON c.id = b.company_id{joins}
        WHERE b.id = %s AND EXISTS (
            SELECT 1 FROM {quote(Membership._meta.db_table)} AS m
            WHERE m.company_id = c.id AND m.user_id = %s
        ) {order}
    """  # noqa: S608 - names from the models; the ids are parameters


def get_shortlist_entry_for_user(user: User, pk: int, profile_pk: int) -> ShortlistEntry:
    """An engineer's entry on the shortlist of a brief of the user's company; 404 otherwise."""
    brief = get_brief_for_user(user, pk)
    entry = ShortlistEntry.objects.filter(brief=brief, profile_id=profile_pk).first()
    if entry is None:
        raise Http404("That engineer is not on this shortlist.")
    entry.brief = brief
    return entry


def brief_skills(brief: Brief) -> list[BriefSkill]:
    """The brief's skills with their names, must-haves first, by name: in SQL written
    once, like the brief itself (the queryset cost three times the query)."""
    alias = router.db_for_read(BriefSkill) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_brief_skills_sql(), [brief.pk])
        rows = cursor.fetchall()
    skills = []
    for row in rows:
        entry, skill = from_row(alias, row, (BriefSkill, None), (Skill, None))
        entry.skill = skill
        skills.append(entry)
    return skills


# Must-haves first, then by name.
BRIEF_SKILLS_ORDER = "bs.kind, s.name, bs.id"


def _brief_skill_columns() -> list[str]:
    return [*select_columns("default", "bs", BriefSkill), *select_columns("default", "s", Skill)]


@cache
def _brief_skills_sql() -> str:
    quote = connection.ops.quote_name
    return f"""
        SELECT {", ".join(_brief_skill_columns())}
        FROM {quote(BriefSkill._meta.db_table)} AS bs
        JOIN {quote(Skill._meta.db_table)} AS s ON s.id = bs.skill_id
        WHERE bs.brief_id = %s ORDER BY {BRIEF_SKILLS_ORDER}
    """  # noqa: S608 - names from the models; the id is a parameter


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
