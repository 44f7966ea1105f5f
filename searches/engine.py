"""The search engine: criteria in, a ranked page of engineers out, in a fixed number of queries.

How it stays fast at a million profiles (measured figures in bench/README.md):
- hard requirements are indexed filters on denormalised profile columns:
  ``skill_ids`` and ``skill_levels`` (int[] with GIN: a must-have with minimum
  years is the token ``skill_id * 100 + years``), ``rate_usd``, ``years_experience``,
  the stored tsvector for full text, all behind the generated ``is_listed`` flag;
- ranking is two-phase: the hard filters pick a window of at most WINDOW rows
  in index order (most recently active first), and only that window is scored;
- counts stop at COUNT_CAP + 1 rows and show as "1,000+";
- pages are OFFSET within the window, so the deepest page costs WINDOW rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from accounts.models import Company
from candidates.models import Profile, utc_window

WINDOW = 2000
COUNT_CAP = 1000
PAGE_SIZE = 20
SEARCH_CONFIG = "english"


class Sort:
    MATCH = "match"
    RATE = "rate"
    EXPERIENCE = "experience"
    RECENT = "recent"
    CHOICES = [
        (MATCH, "Best match"),
        (RATE, "Lowest rate"),
        (EXPERIENCE, "Most experience"),
        (RECENT, "Recently active"),
    ]


@dataclass(frozen=True)
class Must:
    skill_id: int
    min_years: int | None = None


@dataclass
class Criteria:
    """What to look for. Built from a brief, from the filter sidebar, or both."""

    must: list[Must] = field(default_factory=list)
    nice: list[int] = field(default_factory=list)
    min_years: int | None = None
    seniority: str = ""
    engagement: str = ""
    hours_per_week: int | None = None
    max_rate_usd: Decimal | None = None
    available_by: date | None = None
    min_overlap_hours: int | None = None
    text: str = ""
    sort: str = Sort.MATCH


class MinutesOverlap(Func):
    """karigar_minutes_overlap(a_start, a_end, b_start, b_end): shared minutes of two
    daily windows on a 24-hour clock (a window may wrap past midnight). Defined in
    the migration searches/0002."""

    function = "karigar_minutes_overlap"
    output_field = IntegerField()


def _filters(criteria: Criteria, company: Company | None) -> Q:
    q = Q(is_listed=True)
    skill_ids = [m.skill_id for m in criteria.must if m.min_years is None]
    if skill_ids:
        q &= Q(skill_ids__contains=sorted(skill_ids))
    levels = [m.skill_id * 100 + min(m.min_years, 30) for m in criteria.must if m.min_years]
    if levels:
        q &= Q(skill_levels__contains=sorted(levels))
    if criteria.min_years is not None:
        q &= Q(years_experience__gte=criteria.min_years)
    if criteria.seniority:
        q &= Q(seniority=criteria.seniority)
    if criteria.engagement:
        q &= Q(engagement_types__contains=[criteria.engagement])
    if criteria.hours_per_week is not None:
        q &= Q(hours_per_week__gte=criteria.hours_per_week)
    if criteria.max_rate_usd is not None:
        q &= Q(rate_usd__lte=criteria.max_rate_usd)
    if criteria.available_by is not None:
        q &= Q(availability=Profile.Availability.NOW) | Q(
            availability=Profile.Availability.FROM_DATE, available_from__lte=criteria.available_by
        )
    if criteria.text:
        q &= Q(search_document=_text_query(criteria.text))
    return q


def _text_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def _company_window(company: Company | None) -> tuple[int, int] | None:
    if company is None:
        return None
    return utc_window(
        company.time_zone, company.work_starts, company.work_ends, timezone.localdate()
    )


def matching(criteria: Criteria, company: Company | None) -> QuerySet[Profile]:
    """Every listed profile that meets the hard requirements (unordered)."""
    qs = Profile.objects.filter(_filters(criteria, company))
    if company is not None:
        qs = qs.exclude(blocked_companies=company)
        window = _company_window(company)
        if criteria.min_overlap_hours and window is not None:
            qs = qs.alias(
                overlap_minutes=MinutesOverlap(
                    F("work_start_utc"), F("work_end_utc"), Value(window[0]), Value(window[1])
                )
            ).filter(overlap_minutes__gte=criteria.min_overlap_hours * 60)
    return qs


def _score(criteria: Criteria, company: Company | None) -> Any:
    """0–100: nice-to-haves 30, experience 20, rate fit 20, overlap 15, availability 15."""
    parts: list[Any] = []
    if criteria.nice:
        matched = sum(
            (
                Case(
                    When(skill_ids__contains=[sid], then=Value(1.0)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
                for sid in criteria.nice
            ),
            start=Value(0.0, output_field=FloatField()),
        )
        parts.append(matched * Value(30.0 / len(criteria.nice)))
    else:
        parts.append(Value(30.0))
    target = float(criteria.min_years or 3)
    parts.append(
        Least(
            Coalesce(F("years_experience"), Value(0)) * Value(1.0) / Value(target + 2), Value(1.0)
        )
        * Value(20.0)
    )
    if criteria.max_rate_usd:
        # Full marks at half the budget or less, half marks at the budget itself.
        budget = float(criteria.max_rate_usd)
        ratio = Coalesce(F("rate_usd"), Value(budget)) * Value(1.0) / Value(budget)
        parts.append(Greatest(Value(0.0), Least(Value(1.5) - ratio, Value(1.0))) * Value(20.0))
    else:
        parts.append(Value(20.0))
    window = _company_window(company)
    if window is not None:
        want = float((criteria.min_overlap_hours or 4) * 60)
        parts.append(
            Least(
                MinutesOverlap(
                    F("work_start_utc"), F("work_end_utc"), Value(window[0]), Value(window[1])
                )
                * Value(1.0)
                / Value(want),
                Value(1.0),
            )
            * Value(15.0)
        )
    else:
        parts.append(Value(15.0))
    parts.append(
        Case(
            When(availability=Profile.Availability.NOW, then=Value(15.0)),
            default=Value(10.0),
            output_field=FloatField(),
        )
    )
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return ExpressionWrapper(total, output_field=FloatField())


@dataclass
class Page:
    results: list[Any]
    count: int
    capped: bool
    number: int
    pages: int


# What a results card shows; heavy columns (the tsvector, portfolio text, snapshots)
# stay in the database.
CARD_FIELDS = [
    "id",
    "user__id",
    "user__full_name",
    "user__email",
    "headline",
    "city",
    "time_zone",
    "work_starts",
    "work_ends",
    "years_experience",
    "seniority",
    "availability",
    "available_from",
    "hourly_rate_usd",
    "monthly_rate_pkr",
    "rate_usd",
    "skill_ids",
    "skill_levels",
    "updated_at",
]


def _ranked_ids(
    criteria: Criteria, company: Company | None, base: QuerySet[Profile], offset: int
) -> list[tuple[int, float]]:
    """(id, score) of one page, in order: phase one of a search."""
    scored = base.annotate(score=_score(criteria, company))
    if criteria.sort != Sort.MATCH:
        # Each order matches one of the partial indexes on listed profiles.
        orders: dict[str, tuple[Any, str]] = {
            Sort.RATE: (F("rate_usd").asc(nulls_last=True), "pk"),
            Sort.EXPERIENCE: (F("years_experience").desc(nulls_last=True), "-pk"),
            Sort.RECENT: (F("updated_at").desc(), "-pk"),
        }
        page = scored.order_by(*orders[criteria.sort]).values_list("id", "score")
        return list(page[offset : offset + PAGE_SIZE])
    # Best match: score the WINDOW most recently active matches, then order those.
    columns = ["id", "updated_at", "score"]
    tie_break = ""
    if criteria.text:
        scored = scored.annotate(
            text_rank=SearchRank(F("search_document"), _text_query(criteria.text))
        )
        columns.append("text_rank")
        tie_break = "w.text_rank DESC, "
    window = scored.order_by("-updated_at", "-pk").values(*columns)[:WINDOW]
    sql, params = window.query.sql_with_params()
    outer = (
        f"SELECT w.id, w.score FROM ({sql}) AS w "  # noqa: S608 - Django-built SQL, bound params
        f"ORDER BY w.score DESC, {tie_break}w.updated_at DESC, w.id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, [*params, PAGE_SIZE, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def search(criteria: Criteria, company: Company | None, page: int = 1) -> Page:
    """One page of ranked results in three queries: a capped count, the page's ids
    in order, and those profiles' card fields (with highlighted words, if any)."""
    base = matching(criteria, company)
    count = base.values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    reachable = min(count, WINDOW)
    pages = max(1, -(-reachable // PAGE_SIZE))
    if page > pages:
        raise PageOutOfRange(page, pages)
    ranked = _ranked_ids(criteria, company, base, (page - 1) * PAGE_SIZE)
    if not ranked:
        return Page(results=[], count=count, capped=capped, number=page, pages=pages)
    rows = Profile.objects.filter(pk__in=[pk for pk, _ in ranked]).select_related("user")
    rows = rows.only(*CARD_FIELDS)
    if criteria.text:
        # PostgreSQL marks the matching words with control characters, so that the
        # text can be HTML-escaped before they become <mark> tags (see highlight()).
        query = _text_query(criteria.text)
        marks: dict[str, Any] = {"start_sel": START, "stop_sel": STOP, "config": SEARCH_CONFIG}
        rows = rows.annotate(
            headline_hit=SearchHeadline("headline", query, highlight_all=True, **marks),
            bio_hit=SearchHeadline("bio", query, max_words=35, min_words=15, **marks),
            portfolio_hit=SearchHeadline(
                "portfolio_text", query, max_words=25, min_words=10, **marks
            ),
        )
    by_id = {profile.pk: profile for profile in rows}
    results = []
    for pk, score in ranked:
        profile = by_id[pk]
        profile.score = score  # type: ignore[attr-defined]
        results.append(profile)
    return Page(
        results=results, count=min(count, COUNT_CAP), capped=capped, number=page, pages=pages
    )


START, STOP = "\x02", "\x03"


def highlight(text: str) -> str:
    """Escape a SearchHeadline result, then turn its markers into <mark> tags."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    marked = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - everything else was escaped just above


class PageOutOfRange(Exception):
    def __init__(self, page: int, pages: int) -> None:
        super().__init__(
            f"Page {page} is past the end of these results: there "
            f"{'is 1 page' if pages == 1 else f'are {pages} pages'}."
        )
        self.page = page
        self.pages = pages
