"""The search engine: criteria in, a ranked page of engineers out, in a fixed number of queries.

How it stays fast at a million profiles (design and figures in bench/README.md):
- hard requirements are filters on denormalised profile columns (``skill_ids``,
  ``skill_levels``, ``rate_usd``, ...) behind the generated ``is_listed`` flag, and
  the same requirements as *search tokens*, one int[] under a GIN index;
- a search's *ranking* is its first WINDOW + 1 matches in the order's covering index
  (for best match, the most recently active ones, then ordered by score), which
  also gives the count ("1,000+" past WINDOW). One query (the SQL function
  karigar_rank) measures a sample of that index, chooses the cheaper plan, walking
  the index or reading every match through the GIN indexes, and reads the ranking
  with that plan's planner switches; a walk with words passes over profiles whose
  text signature (beside the recent-profiles index) cannot match;
- a walk reads a narrow index of fixed-length columns
  (``search_bits``: skills, engagement, seniority and "available now" as one bigint;
  ``rate_cents``), several times faster per entry than the wide covering index,
  whenever the search asks nothing those columns do not hold (_narrow_walk_sql);
- the SQL is written as text from one definition of a match (_conditions), not built
  as querysets, which cost more Python than the queries take to run;
- the ranking (ids and scores, a few kilobytes) is cached in Redis for
  SEARCH_CACHE_SECONDS, keyed by the criteria, the company, its working hours and
  the listing generation (candidates.listing: it moves within a minute of a profile
  being approved, resumed, paused or suspended, never while nobody's listing
  changes), so paging, sorting back and a team-mate's visit cost no search at all; a brief's
  ranking is computed by a worker as soon as the brief is saved;
- a page's cards are read fresh by primary key, and re-checked for listing and
  company blocks, so a cached ranking never shows a profile that was hidden since.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import Company, User
from accounts.replicas import read_alias
from candidates.listing import listing_generation
from candidates.models import (
    AVAILABLE_NOW_BIT,
    ENGAGEMENT_BITS,
    ENGAGEMENT_CODES,
    ENGAGEMENT_TOKEN,
    HOURS_BUCKETS,
    HOURS_TOKEN,
    MAX_SKILL_YEARS_TOKEN,
    RATE_BUCKETS,
    RATE_TOKEN,
    SEARCH_COLUMNS,
    SEARCH_TOKENS,
    SENIORITY_BITS,
    SENIORITY_CODES,
    SENIORITY_TOKEN,
    SKILL_BITS,
    YEARS_TOKEN,
    Profile,
    blocking_sql,
    search_bits,
    utc_window,
)
from searches.models import Brief, ShortlistEntry
from searches.rows import from_row, select_columns

# The most matches a search ranks; past it the count shows as "1,000+".
WINDOW = 1000
# Bump when the scoring changes, so that cached rankings of the old code are ignored.
RANKING_VERSION = 1
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


# The profile table and its columns, as the queries below write them: a search's
# SQL is written as text, as querysets cost more to build than PostgreSQL takes to
# run them (bench/README.md, "Hot reads as SQL written once").
_quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
PROFILE = _quote(Profile._meta.db_table)


def _col(name: str) -> str:
    return f"{PROFILE}.{_quote(name)}"


def _ints(count: int) -> str:
    return f"(ARRAY[{', '.join(['%s'] * count)}])::integer[]"


TSQUERY = "websearch_to_tsquery(%s::regconfig, %s)"
# karigar_minutes_overlap(a_start, a_end, b_start, b_end): shared minutes of two daily
# UTC windows (a window may wrap past midnight), as candidates.hours.minutes_overlap
# counts them in Python; a single expression, which PostgreSQL inlines (searches/0003).
OVERLAP = f"karigar_minutes_overlap({_col('work_start_utc')}, {_col('work_end_utc')}, %s, %s)"


@functools.cache
def _tokens_sql() -> str:
    """candidates.models.SEARCH_TOKENS as SQL over the profile table (the expression
    its GIN index is on), compiled by Django once."""
    query = Profile.objects.all().query
    compiler = query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.compile(SEARCH_TOKENS.resolve_expression(query))
    assert not params  # noqa: S101 - columns only
    return str(sql)


@functools.cache
def _engagement_type() -> str:
    field = Profile._meta.get_field("engagement_types")
    return str(field.base_field.db_type(connections[DEFAULT_DB_ALIAS]))  # type: ignore[attr-defined]


def _where(
    criteria: Criteria, company: Company | None, *, plan: str = "any"
) -> tuple[str, list[Any]]:
    """The hard requirements as one SQL condition on the profile table (by its own
    name) and its parameters: the one definition of a match, for the ranking's queries
    and its sample, and for matching(). ``plan``: see _conditions()."""
    return _joined(_conditions(criteria, company, plan=plan))


def _joined(conditions: list[tuple[str, list[Any], bool]]) -> tuple[str, list[Any]]:
    return (
        " AND ".join(sql for sql, _, _ in conditions) or "true",
        [value for _, values, _ in conditions for value in values],
    )


def _conditions(
    criteria: Criteria, company: Company | None, *, plan: str = "any"
) -> list[tuple[str, list[Any], bool]]:
    """The hard requirements as (SQL, parameters, answered by an entry of the narrow
    indexes), each on the profile table by its own name.

    ``plan`` only changes how the same rows are asked for: "bitmap" asks for the
    search tokens, which the GIN index over them can find, instead of the columns they
    stand for (skills, seniority, engagement); "walk" asks for the text through the
    primary key, so that a walk over a covering index reads a row only once the other
    filters have passed; "bits" asks what it can of the narrow indexes' columns
    (search_bits, rate_cents: candidates/0015), the rest marked as needing the row
    (see _narrow_conditions)."""
    wanted = search_tokens(criteria) if plan == "bitmap" else []
    bits = plan == "bits"
    conditions: list[tuple[str, list[Any], bool]] = [(_col("is_listed"), [], True)]

    def add(sql: str, *values: Any, on_entry: bool = True) -> None:
        conditions.append((sql, list(values), on_entry))

    mask = 0
    skill_ids = sorted(m.skill_id for m in criteria.must if m.min_years is None)
    if bits:
        mask |= search_bits(skill_ids, [criteria.engagement], criteria.seniority)
        skill_ids = [skill_id for skill_id in skill_ids if skill_id > SKILL_BITS]
    if skill_ids and not wanted:
        add(f"{_col('skill_ids')} @> {_ints(len(skill_ids))}", *skill_ids, on_entry=False)
    levels = sorted(
        m.skill_id * 100 + min(m.min_years, MAX_SKILL_YEARS_TOKEN)
        for m in criteria.must
        if m.min_years
    )
    if levels and not wanted:
        add(f"{_col('skill_levels')} @> {_ints(len(levels))}", *levels, on_entry=False)
    if mask:
        # (bits & mask) can only be mask or below it: ">=" is "=", estimated more truly.
        add(f"({_col('search_bits')} & %s) >= %s", mask, mask)
    if criteria.min_years is not None:
        add(f"{_col('years_experience')} >= %s", criteria.min_years)
    if criteria.seniority and not wanted and not (bits and criteria.seniority in SENIORITY_BITS):
        add(f"{_col('seniority')} = %s", criteria.seniority)
    if criteria.engagement and not wanted and not (bits and criteria.engagement in ENGAGEMENT_BITS):
        add(
            f"{_col('engagement_types')} @> (ARRAY[%s])::{_engagement_type()}[]",
            criteria.engagement,
        )
    if criteria.hours_per_week is not None:
        add(f"{_col('hours_per_week')} >= %s", criteria.hours_per_week)
    if criteria.max_rate_usd is not None:
        if bits:  # whole cents: rate_usd <= x exactly when rate_cents <= floor(100x)
            cents = int((criteria.max_rate_usd * 100).to_integral_value(rounding=ROUND_FLOOR))
            add(f"{_col('rate_cents')} <= %s", cents)
        else:
            add(f"{_col('rate_usd')} <= %s", criteria.max_rate_usd)
    if criteria.available_by is not None:
        add(
            f"({_col('availability')} = %s OR ({_col('availability')} = %s"
            f" AND {_col('available_from')} <= %s))",
            str(Profile.Availability.NOW),
            str(Profile.Availability.FROM_DATE),
            criteria.available_by,
            on_entry=False,
        )
    if wanted:
        add(f"{_tokens_sql()} @> {_ints(len(wanted))}", *wanted)
    if criteria.text:
        if plan in ("walk", "bits") and criteria.sort in SIGNED_SORTS:
            add(MAYBE_TEXT, SEARCH_CONFIG, criteria.text)  # passed over in the index
        if plan == "walk":
            add(
                f"EXISTS (SELECT 1 FROM {PROFILE} AS t WHERE t.id = {_col('id')}"  # noqa: S608
                f" AND t.search_document @@ {TSQUERY})",
                SEARCH_CONFIG,
                criteria.text,
            )
        else:
            add(
                f"{_col('search_document')} @@ {TSQUERY}",
                SEARCH_CONFIG,
                criteria.text,
                on_entry=False,
            )
    if company is not None:
        blocking, blocking_params = blocking_sql(company)
        add(f"NOT ({_col('id')} IN ({blocking}))", *blocking_params)
        window = _company_window(company)
        if criteria.min_overlap_hours and window is not None:
            add(f"{OVERLAP} >= %s", *window, criteria.min_overlap_hours * 60)
    return conditions


def _text_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def _company_window(company: Company | None) -> tuple[int, int] | None:
    if company is None:
        return None
    return utc_window(
        company.time_zone, company.work_starts, company.work_ends, timezone.localdate()
    )


def search_tokens(criteria: Criteria) -> list[int]:
    """The search tokens (candidates.models) that every match of ``criteria`` has.

    Buckets round towards the looser side (a USD 12 budget asks for "rate <= 15"), so
    the tokens select a superset and the column filters keep the exact answer."""
    tokens = {
        m.skill_id * 100 + min(m.min_years or 0, MAX_SKILL_YEARS_TOKEN) for m in criteria.must
    }
    if criteria.seniority in SENIORITY_CODES:
        tokens.add(SENIORITY_TOKEN + SENIORITY_CODES[criteria.seniority])
    if criteria.engagement in ENGAGEMENT_CODES:
        tokens.add(ENGAGEMENT_TOKEN + ENGAGEMENT_CODES[criteria.engagement])
    if criteria.max_rate_usd is not None:
        bucket = next((b for b in RATE_BUCKETS if b >= criteria.max_rate_usd), None)
        if bucket is not None:
            tokens.add(RATE_TOKEN + bucket)
    if criteria.min_years:
        tokens.add(YEARS_TOKEN + min(criteria.min_years, MAX_SKILL_YEARS_TOKEN))
    if criteria.hours_per_week:
        bucket = next((h for h in reversed(HOURS_BUCKETS) if h <= criteria.hours_per_week), None)
        if bucket is not None:
            tokens.add(HOURS_TOKEN + bucket)
    return sorted(tokens)


def tokens_condition(
    tokens: list[int], table: str, *, narrow: bool = False
) -> tuple[str, list[Any]] | None:
    """SQL true for the rows of ``table`` whose search tokens include ``tokens``, as
    the column conditions each token stands for (candidates.models): the same rows
    as ``karigar_search_tokens(...) @> tokens``, without building every row's tokens,
    which costs some 20 µs a row (the probe asks it of thousands).

    ``narrow``: on the narrow indexes' columns (candidates/0015), the skills,
    seniority and engagement as one test of the search bits and the rate in cents;
    None when a token needs another column (a skill's years, a skill past the bits)."""
    parts: list[str] = ["true"]
    params: list[Any] = []
    skills: list[int] = []
    engagements: list[str] = []
    seniority = ""
    for token in tokens:
        if token < SENIORITY_TOKEN:  # skill_id * 100 (has it), or + k (k years of it)
            skill, years = divmod(token, 100)
            if narrow and (years or not 1 <= skill <= SKILL_BITS):
                return None
            if narrow:
                skills.append(skill)
            elif years:
                parts.append(f"%s = ANY({table}.skill_levels)")
                params.append(token)
            else:
                parts.append(f"%s = ANY({table}.skill_ids)")
                params.append(skill)
        elif token < ENGAGEMENT_TOKEN:
            seniority = _code_name(SENIORITY_CODES, token - SENIORITY_TOKEN)
            if not narrow:
                parts.append(f"{table}.seniority = %s")
                params.append(seniority)
        elif token < RATE_TOKEN:
            engagement = _code_name(ENGAGEMENT_CODES, token - ENGAGEMENT_TOKEN)
            engagements.append(engagement)
            if not narrow:
                parts.append(f"%s = ANY({table}.engagement_types)")
                params.append(engagement)
        elif token < YEARS_TOKEN:
            if narrow:
                parts.append(f"{table}.rate_cents <= %s")
                params.append((token - RATE_TOKEN) * 100)
            else:
                parts.append(f"{table}.rate_usd <= %s")
                params.append(token - RATE_TOKEN)
        elif token < HOURS_TOKEN:
            parts.append(f"COALESCE({table}.years_experience, 0) >= %s")
            params.append(token - YEARS_TOKEN)
        else:
            parts.append(f"{table}.hours_per_week >= %s")
            params.append(token - HOURS_TOKEN)
    mask = search_bits(skills, engagements, seniority) if narrow else 0
    if mask:
        parts.append(f"({table}.search_bits & %s) = %s")
        params += [mask, mask]
    return "(" + " AND ".join(parts) + ")", params


def _code_name(codes: dict[str, int], code: int) -> str:
    return next(name for name, value in codes.items() if value == code)


# Sorts that walk profile_recent_listed, which holds each profile's text signature
# (candidates/0011_text_signature): a 1,024-bit filter of its words, which tells inside
# the index that a profile cannot match a query of plain words. The others' indexes
# do not hold it (a sort by rate or years with words checks every candidate's text).
SIGNED_SORTS = {Sort.MATCH, Sort.RECENT}
MAYBE_TEXT = f"karigar_text_maybe({_col('text_sig')}, {TSQUERY})"


def matching(
    criteria: Criteria, company: Company | None, *, plan: str = "any"
) -> QuerySet[Profile]:
    """Every listed profile that meets the hard requirements (unordered): _where() as
    a queryset, for the code that reads matches through the ORM (alerts, rate
    statistics, demo data). Its SQL names the profile table itself, so it is a query
    of its own, not a subquery of another query of profiles."""
    where, params = _where(criteria, company, plan=plan)
    return Profile.objects.filter(RawSQL(where, params, output_field=BooleanField()))  # noqa: S611 - values are parameters


def _score_sql(
    criteria: Criteria, company: Company | None, *, narrow: bool = False
) -> tuple[str, list[Any]]:
    """The score, 0–100, as SQL and its parameters: nice-to-haves 30, experience 20,
    rate fit 20, overlap 15, availability 15. Numeric arithmetic (the constants are
    numeric literals), the sum as double precision.

    ``narrow``: from the columns of the narrow indexes (candidates/0015-0017), for
    nice-to-haves with bits: each skill and "available now" from search_bits, the rate as
    rate_cents * 0.01, which is rate_usd to the cent and of its scale (two places), so
    the arithmetic and the score are the same."""
    params: list[Any] = []
    rate_usd = f"({_col('rate_cents')} * 0.01)" if narrow else _col("rate_usd")

    def has(skill_id: int) -> str:
        if narrow:
            return f"({_col('search_bits')} & {value(search_bits([skill_id], [], ''))}) <> 0"
        return f"{_col('skill_ids')} @> (ARRAY[{value(skill_id)}])::integer[]"

    def value(constant: Any) -> str:
        params.append(constant)
        return "%s"

    # Each term is written in the order of its parameters (f-strings evaluate left to right).
    if criteria.nice:
        nice = value(0.0)
        for skill_id in criteria.nice:
            nice = f"({nice} + CASE WHEN {has(skill_id)} THEN {value(1.0)} ELSE {value(0.0)} END)"
        total = f"({nice} * {value(30.0 / len(criteria.nice))})"
    else:
        total = value(30.0)
    target = float(criteria.min_years or 3)
    years = (
        f"(LEAST(((COALESCE({_col('years_experience')}, {value(0)}) * {value(1.0)})"
        f" / {value(target + 2)}), {value(1.0)}) * {value(20.0)})"
    )
    total = f"({total} + {years})"
    if criteria.max_rate_usd:
        # Full marks at half the budget or less, half marks at the budget itself.
        budget = float(criteria.max_rate_usd)
        rate = (
            f"(GREATEST({value(0.0)}, LEAST(({value(1.5)} - ((COALESCE({rate_usd},"
            f" {value(budget)}) * {value(1.0)}) / {value(budget)})), {value(1.0)}))"
            f" * {value(20.0)})"
        )
    else:
        rate = value(20.0)
    total = f"({total} + {rate})"
    window = _company_window(company)
    if window is not None:
        want = float((criteria.min_overlap_hours or 4) * 60)
        params.extend(window)  # OVERLAP's own two
        overlap = (
            f"(LEAST((({OVERLAP} * {value(1.0)}) / {value(want)}), {value(1.0)}) * {value(15.0)})"
        )
    else:
        overlap = value(15.0)
    total = f"({total} + {overlap})"
    if narrow:
        now = f"({_col('search_bits')} & {value(1 << AVAILABLE_NOW_BIT)}) <> 0"
    else:
        now = f"{_col('availability')} = {value(str(Profile.Availability.NOW))}"
    available = f"CASE WHEN {now} THEN {value(15.0)} ELSE {value(10.0)} END"
    return f"(({total} + {available}))::double precision", params


@dataclass
class Page:
    """One page of a ranking: its engineers' ids and scores, and once cards() has read
    them, their profiles (those still listed and not blocking the company)."""

    ids: tuple[int, ...]
    scores: dict[int, float]
    count: int
    capped: bool
    number: int
    pages: int
    ranking_key: str = ""  # the cache key of the ranking shown ("" when caches are off)
    fresh: bool = True  # ranked by this request, not read from the cache
    results: list[Any] = field(default_factory=list)
    loaded: bool = False


# What a results card shows, of the profile and of its user; heavy columns (the
# tsvector, portfolio text, snapshots) stay in the database.
CARD_FIELDS = [
    "id",
    "user_id",
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
CARD_USER_FIELDS = ["id", "full_name", "email"]


@dataclass(frozen=True)
class Ranking:
    """A search's matches in display order (at most WINDOW), with their scores."""

    ids: tuple[int, ...]
    scores: tuple[float, ...]
    capped: bool  # more than WINDOW profiles match


# The index each order walks; every one is a partial index on listed profiles.
ORDERS: dict[str, str] = {
    Sort.MATCH: f"{_col('updated_at')} DESC, {_col('id')} DESC",
    Sort.RECENT: f"{_col('updated_at')} DESC, {_col('id')} DESC",
    Sort.RATE: f"{_col('rate_usd')} ASC NULLS LAST, {_col('id')} ASC",
    # Listed profiles always state their years (profile_submit asks for them).
    Sort.EXPERIENCE: f"{_col('years_experience')} DESC, {_col('id')} DESC",
}
# The columns the narrow indexes hold besides their keys (candidates/0015, 0017; the
# text signature as well in the recent order's second one, 0016).
NARROW_COLUMNS = [
    "search_bits",
    "years_experience",
    "hours_per_week",
    "rate_cents",
    "work_start_utc",
    "work_end_utc",
]
# The same orders through the narrow indexes (candidates/0015, 0017): rate_cents is
# rate_usd in whole cents, so it orders the same engineers the same way.
NARROW_ORDERS = {
    **ORDERS,
    Sort.RATE: f"{_col('rate_cents')} ASC NULLS LAST, {_col('id')} ASC",
}


# The plan of a ranking query is chosen from a sample, measured in the same query
# that sets it: the first PROBE entries of the order's covering index (an index-only
# scan), and how many of them pass the filters. A walk down that index stops after
# WINDOW + 1 matches, and reads a row only for the full-text check of entries that
# pass the other filters; the bitmap plan finds, with the GIN indexes (search tokens,
# full text), every row that passes the tokens or the text, and reads each. The
# cheaper plan is forced with the planner's switches for this transaction:
# PostgreSQL's own estimate takes the filters as independent and is wrong both ways
# for filters that are common alone but rare together (bench/README.md).
PROBE = 2000
TEXT_PROBE = 500  # each text check in the probe is a primary-key read
# Microseconds to check one covering-index entry, measured on walks at a million
# profiles: 0.15 with scalar filters alone, 0.45-0.55 with an array of skills to test.
ENTRY_COST = 0.15
SKILL_ENTRY_COST = 0.5
# An entry of a narrow index (candidates/0015-0017), whatever the filters, measured at
# a million: in the recent order 0.2 (0.3 with the text signature), by rate or years
# 0.1-0.13 (their entries lie closer together in the table).
NARROW_ENTRY_COST = 0.2
NARROW_TEXT_ENTRY_COST = 0.3
NARROW_ORDER_ENTRY_COST = 0.12
FETCH_COST = 5.0  # microseconds to read one profile row in a bitmap heap scan (measured)
TEXT_COST = 7.0  # microseconds to read one row by primary key and match its text


def _probe(
    criteria: Criteria, company: Company | None, wanted: int | None
) -> tuple[str, list[Any]]:
    """The sample query, as CTEs ending in ``choice (walk boolean)``: see choose_plan."""
    connection = connections[read_alias()]
    table = connection.ops.quote_name(Profile._meta.db_table)
    # The sample reads a narrow index where the search's filters and tokens can be
    # asked of its columns (the same engineers, so the same counts), else the wide one.
    plain_criteria = dataclasses.replace(criteria, text="")
    narrow = _narrow_conditions(plain_criteria, company)
    wanted_tokens = search_tokens(criteria)
    tokens = tokens_condition(wanted_tokens, table, narrow=True)
    if narrow is not None and tokens is not None:
        (where, where_params), (tokened, tokened_params) = _joined(narrow), tokens
        sampled, orders = NARROW_COLUMNS, NARROW_ORDERS
    else:
        where, where_params = _where(plain_criteria, company)
        tokened, tokened_params = tokens_condition(wanted_tokens, table)  # type: ignore[misc]
        sampled, orders = SEARCH_COLUMNS, ORDERS
    signed = bool(criteria.text) and criteria.sort in SIGNED_SORTS
    names = ["id", *sampled, *(["text_sig"] if signed else [])]
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    probe = TEXT_PROBE if criteria.text else PROBE
    text_params: list[Any] = []
    maybe = "true"
    if signed:
        maybe = "karigar_text_maybe(sample.text_sig, websearch_to_tsquery(%s::regconfig, %s))"
        text_params += [SEARCH_CONFIG, criteria.text]
    if criteria.text:
        has_text = (
            f"{maybe} AND EXISTS (SELECT 1 FROM {table} AS t WHERE t.id = sample.id AND "  # noqa: S608
            "t.search_document @@ websearch_to_tsquery(%s::regconfig, %s))"
        )
        text_params += [SEARCH_CONFIG, criteria.text]
    else:
        has_text = "true"
    sig = f", {table}.text_sig" if signed else ""
    # tokened: what the bitmap plan reads, every row with the search tokens (and words).
    # "checks": entries a walk reads a row for (they pass the filters and the signature).
    # The share of rows with the search tokens is measured on the most recent profiles
    # whatever the order: the first entries of the rate or years index are the cheapest
    # or the most experienced, and what they hold says little of the whole table.
    recent = criteria.sort in (Sort.MATCH, Sort.RECENT)
    plain = ", ".join(connection.ops.quote_name(c) for c in sampled)
    mix = (
        "SELECT tokened, size FROM counts"
        if recent
        else f"""SELECT count(*) FILTER (WHERE tokens_pass)::float8 AS tokened,
                GREATEST(count(*), 1)::float8 AS size
            FROM (SELECT ({tokened}) AS tokens_pass FROM (
                SELECT {plain} FROM {table} WHERE is_listed
                ORDER BY {orders[Sort.RECENT]} LIMIT %s
            ) AS {table}) AS recent"""  # noqa: S608 - as the sample above
    )
    # By rate with a seniority, a walk reads that seniority's entries only
    # (profile_seniority_rate_listed): the sample is theirs too.
    narrowed = criteria.sort == Sort.RATE and bool(criteria.seniority)
    sql = f"""
        WITH sample AS (
            SELECT {table}.id, ({where}) AS others_pass, ({tokened}) AS tokens_pass{sig} FROM (
                SELECT {columns}, true AS is_listed FROM {table}
                WHERE is_listed{" AND seniority = %s" if narrowed else ""}
                ORDER BY {orders[criteria.sort]} LIMIT %s
            ) AS {table}
        ), counts AS (
            SELECT count(*) FILTER (WHERE others_pass AND {maybe})::float8 AS checks,
                count(*) FILTER (WHERE tokens_pass)::float8 AS tokened,
                count(*) FILTER (WHERE {has_text})::float8 AS texts,
                count(*) FILTER (WHERE others_pass AND {has_text})::float8 AS matches,
                GREATEST(count(*), 1)::float8 AS size
            FROM sample
        ), mix AS (
            {mix}
        ), choice AS (
            SELECT NOT %s OR
                LEAST(%s / GREATEST(matches, 0.5) * counts.size, rows)
                    * (%s + %s * checks / counts.size)
                <= LEAST(mix.tokened / mix.size, texts / counts.size) * rows * %s AS walk
            FROM counts, mix, (
                SELECT GREATEST(reltuples, 1)::float8 AS rows FROM pg_class
                WHERE oid = %s::regclass
            ) AS whole
        )
    """  # noqa: S608 - identifiers and Django-compiled filters; values are parameters
    indexable = bool(criteria.text or wanted_tokens)
    text_fetch = TEXT_COST if criteria.text else 0.0
    maybe_params = [SEARCH_CONFIG, criteria.text] if signed else []
    params = [
        *where_params,
        *tokened_params,
        *([criteria.seniority] if narrowed else []),
        probe,
        *maybe_params,
        *text_params,
        *text_params,
        *([] if recent else [*tokened_params, PROBE]),
        indexable,
        WINDOW + 1 if wanted is None else wanted,
        _entry_cost(criteria, narrow=narrow is not None),
        text_fetch,
        FETCH_COST,
        Profile._meta.db_table,
    ]
    return sql, params


def _entry_cost(criteria: Criteria, *, narrow: bool) -> float:
    """Microseconds a walk spends on one index entry (``narrow``: it walks a narrow
    index, _narrow_conditions): see ENTRY_COST."""
    if narrow:
        if criteria.sort not in SIGNED_SORTS:
            return NARROW_ORDER_ENTRY_COST
        return NARROW_TEXT_ENTRY_COST if criteria.text else NARROW_ENTRY_COST
    return SKILL_ENTRY_COST if criteria.must else ENTRY_COST


def choose_plan(criteria: Criteria, company: Company | None, wanted: int | None = None) -> str:
    """How to read the first ``wanted`` matches (WINDOW + 1 unless given) in the order
    of ``criteria.sort``, "walk" or "bitmap": measures the sample, compares the two
    costs and sets the planner switches to match for the rest of the transaction, in
    one query. Call it inside ``transaction.atomic`` (rank() needs neither: the
    function karigar_rank does the same in the query that ranks)."""
    sql, params = _probe(criteria, company, wanted)
    switch = "CASE WHEN walk THEN 'on' ELSE 'off' END"
    unswitch = "CASE WHEN walk THEN 'off' ELSE 'on' END"
    sql += f"""
        SELECT walk,
            set_config('enable_indexscan', {switch}, true),
            set_config('enable_indexonlyscan', {switch}, true),
            set_config('enable_bitmapscan', {unswitch}, true),
            set_config('enable_seqscan', 'off', true),
            set_config('max_parallel_workers_per_gather', '0', true),
            set_config('jit', 'off', true)
        FROM choice
    """  # noqa: S608 - constant text
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return "walk" if cursor.fetchone()[0] else "bitmap"


def _literal(sql: str, params: Any) -> str:
    """``sql`` with its parameters written in as SQL literals (quoted by psycopg), for
    karigar_rank to EXECUTE."""
    from psycopg import ClientCursor

    connection = connections[read_alias()]
    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(sql, params)


def _ranking_sql(
    criteria: Criteria,
    company: Company | None,
    plan: str,
    score: tuple[str, list[Any]],
) -> str:
    """The ranking query of ``plan``: the first WINDOW + 1 matches in the order's index
    order, as (id, score, recency, text_rank), the last two NULL where unused.

    A walk with words reads each candidate's row once, by primary key, for both the
    match and its text rank (NULL when it does not match), under a fence (OFFSET 0)
    so that PostgreSQL neither reads it twice nor reads candidates past the last
    match it needs."""
    if plan == "walk":
        narrow = _narrow_walk_sql(criteria, company)
        if narrow is not None:
            return narrow
    by_text = plan == "walk" and bool(criteria.text)
    where, where_params = _where(
        dataclasses.replace(criteria, text="") if by_text else criteria, company, plan=plan
    )
    if by_text and criteria.sort in SIGNED_SORTS:  # passed over in the index when it cannot match
        where += f" AND {MAYBE_TEXT}"
        where_params += [SEARCH_CONFIG, criteria.text]
    recency = RECENCY if criteria.sort == Sort.MATCH else "NULL"
    text_rank, rank_params = "NULL", []
    if criteria.text and (by_text or criteria.sort == Sort.MATCH):
        rank_params = [SEARCH_CONFIG, criteria.text]
        text_rank = f"ts_rank({_col('search_document')}, {TSQUERY})"
        if by_text:
            text_rank = (
                f"(SELECT ts_rank(t.search_document, {TSQUERY}) FROM {PROFILE} AS t"  # noqa: S608
                f" WHERE t.id = {_col('id')} AND t.search_document @@ {TSQUERY} LIMIT 1)"
            )
            rank_params *= 2
    sql = (
        f"SELECT {_col('id')} AS id, {score[0]} AS score,"  # noqa: S608 - names and this module's SQL
        f" ({recency})::double precision AS recency, ({text_rank})::double precision AS text_rank"
        f" FROM {PROFILE} WHERE {where} ORDER BY {ORDERS[criteria.sort]}"
    )
    params = [*score[1], *rank_params, *where_params]
    if not by_text:
        return _literal(f"{sql} LIMIT {WINDOW + 1}", params)
    return (
        f"SELECT * FROM ({_literal(sql, params)} OFFSET 0) AS walked"  # noqa: S608
        f" WHERE text_rank IS NOT NULL LIMIT {WINDOW + 1}"
    )


# updated_at orders best matches of equal score; the other orders' indexes do not hold
# it, and reading it there would cost a heap fetch per entry. As seconds since 1970 (a
# float8 holds microseconds exactly): cheaper to read than a thousand timestamps.
RECENCY = f"EXTRACT(EPOCH FROM {_col('updated_at')})"


def _narrow_conditions(
    criteria: Criteria, company: Company | None
) -> list[tuple[str, list[Any], bool]] | None:
    """The hard requirements on the narrow indexes' columns alone (the words' own test
    left to the walk's check of each candidate's row), or None when the search asks
    what they do not hold (see _narrow_walk_sql)."""
    # By rate with a seniority, the walk reads that seniority's entries alone
    # (profile_seniority_rate_listed), which no narrow index can.
    if criteria.sort == Sort.RATE and criteria.seniority:
        return None
    if any(not 1 <= skill_id <= SKILL_BITS for skill_id in criteria.nice):
        return None
    conditions = _conditions(dataclasses.replace(criteria, text=""), company, plan="bits")
    if not all(on_entry for _, _, on_entry in conditions):
        return None
    if criteria.text and criteria.sort in SIGNED_SORTS:  # passed over when it cannot match
        conditions.append((MAYBE_TEXT, [SEARCH_CONFIG, criteria.text], True))
    return conditions


def _narrow_walk_sql(criteria: Criteria, company: Company | None) -> str | None:
    """The walk of a search that the narrow indexes answer (candidates/0015, 0016 and
    0017): one that asks nothing of the arrays that their bits do not hold (by rate
    with a seniority, the wide seniority index reads fewer entries).
    Their fixed-length entries are read several times faster than those of the wide
    index; the filters and the score read the same facts from the bits, the rate in
    cents and the other columns there, so the score is the same number. With words,
    each candidate that passes is checked and ranked by its row, read once by primary
    key, under a fence (OFFSET 0) so that PostgreSQL neither reads it twice nor reads
    candidates past the last match it needs. None when the search asks more (it walks
    the wide index)."""
    conditions = _narrow_conditions(criteria, company)
    if conditions is None:
        return None
    where, where_params = _joined(conditions)
    score, score_params = _score_sql(criteria, company, narrow=True)
    recency = RECENCY if criteria.sort == Sort.MATCH else "NULL"
    text_rank, rank_params = "NULL", []
    if criteria.text:
        text_rank = (
            f"(SELECT ts_rank(t.search_document, {TSQUERY}) FROM {PROFILE} AS t"  # noqa: S608
            f" WHERE t.id = {_col('id')} AND t.search_document @@ {TSQUERY} LIMIT 1)"
        )
        rank_params = [SEARCH_CONFIG, criteria.text] * 2
    sql = (
        f"SELECT {_col('id')} AS id, {score} AS score, ({recency})::double precision"  # noqa: S608 - names and this module's SQL
        f" AS recency, ({text_rank})::double precision AS text_rank FROM {PROFILE}"
        f" WHERE {where} ORDER BY {NARROW_ORDERS[criteria.sort]}"
    )
    params = [*score_params, *rank_params, *where_params]
    if not criteria.text:
        return _literal(f"{sql} LIMIT {WINDOW + 1}", params)
    return (
        f"SELECT * FROM ({_literal(sql, params)} OFFSET 0) AS walked"  # noqa: S608
        f" WHERE text_rank IS NOT NULL LIMIT {WINDOW + 1}"
    )


def rank(criteria: Criteria, company: Company | None, *, plan: str | None = None) -> Ranking:
    """Phase one of a search, in one query: karigar_rank measures the sample (see
    choose_plan), then reads the first WINDOW + 1 matches in the order's index order
    with that plan's planner switches; for best match they are then ordered by score
    (text rank, recency next). ``plan`` forces "walk" or "bitmap" (the tests that
    compare both)."""
    # Without words or search tokens there is nothing to find through the GIN indexes:
    # the walk it is, with no sample to measure and no second query to write.
    indexable = bool(criteria.text or search_tokens(criteria))
    if plan is None and not indexable:
        plan = "walk"
    if plan is None:
        probe = _literal(*_probe(criteria, company, None)) + " SELECT walk FROM choice"  # noqa: S608
    else:
        probe = f"SELECT {'true' if plan == 'walk' else 'false'}"
    score = _score_sql(criteria, company)
    walk = _ranking_sql(criteria, company, "walk", score)
    bitmap = _ranking_sql(criteria, company, "bitmap", score) if indexable else walk
    # The first WINDOW matches in the index's order (n), for best match ordered by
    # score, then the better text match, the more recent, the newer id; returned as two
    # arrays in one row, which the driver reads in C: a thousand rows cost more.
    order = (
        "score DESC, COALESCE(text_rank, 0) DESC, recency DESC, id DESC"
        if criteria.sort == Sort.MATCH
        else "n"
    )
    first = f"FILTER (WHERE n <= {WINDOW})"
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT array_agg(id ORDER BY {order}) {first},"  # noqa: S608 - this module's SQL
            f" array_agg(score ORDER BY {order}) {first}, count(*)"
            " FROM karigar_rank(%s, %s, %s) WITH ORDINALITY AS r(id, score, recency, text_rank, n)",
            [probe, walk, bitmap],
        )
        ids, scores, count = cursor.fetchone()
    return Ranking(
        ids=tuple(ids or ()),
        scores=tuple(round(score, 2) for score in scores or ()),
        capped=count > WINDOW,
    )


def cache_key(kind: str, *parts: object) -> str:
    """A cache key for what search keeps of ``kind``, from everything it depends on."""
    raw = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return f"search:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def ranking_key(criteria: Criteria, company: Company | None) -> str:
    """What a ranking depends on: the criteria, the company (its blocks), its
    working hours today in UTC (overlap scores move with daylight saving) and the
    listing generation (who is listed at all)."""
    return cache_key(
        "ranking",
        RANKING_VERSION,
        dataclasses.asdict(criteria),
        company.pk if company is not None else None,
        _company_window(company),
        listing_generation(),
    )


def ranking(criteria: Criteria, company: Company | None, *, key: str = "") -> Ranking:
    """The ranking from the cache, computed and stored on a miss. ``key``: its
    ranking_key when the caller has read it already (and keys more by it)."""
    return _ranking(criteria, company, key)[0]


def _ranking(criteria: Criteria, company: Company | None, key: str) -> tuple[Ranking, bool]:
    """ranking(), and whether it was ranked just now."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if seconds <= 0:
        return rank(criteria, company), True
    key = key or ranking_key(criteria, company)
    cached = cache.get(key)
    if isinstance(cached, Ranking):
        return cached, False
    fresh = rank(criteria, company)
    cache.set(key, fresh, seconds)
    return fresh, True


def search(
    criteria: Criteria, company: Company | None, page: int = 1, *, brief: Brief | None = None
) -> Page:
    """One page of ranked results with its cards: locate(), then cards()."""
    found = locate(criteria, company, page)
    cards(found, criteria, company, brief)
    return found


def locate(criteria: Criteria, company: Company | None, page: int = 1) -> Page:
    """One page of a ranking, without its profiles: the ranking is cached, or else
    ranked in one query. cards() then reads the profiles, or stamps() their versions."""
    key = ranking_key(criteria, company) if settings.SEARCH_CACHE_SECONDS > 0 else ""
    ranked, fresh = _ranking(criteria, company, key)
    count = len(ranked.ids)
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise PageOutOfRange(page, pages)
    offset = (page - 1) * PAGE_SIZE
    ids = ranked.ids[offset : offset + PAGE_SIZE]
    return Page(
        ids=ids,
        scores=dict(zip(ids, ranked.scores[offset : offset + PAGE_SIZE], strict=True)),
        count=count,
        capped=ranked.capped,
        number=page,
        pages=pages,
        ranking_key=key,
        fresh=fresh,
    )


# What a card shows that can change without a new ranking: a cached page of cards is
# good while each of its engineers' stamps is unchanged. stamps() selects the same,
# in this order.
STAMP_FIELDS = ("pk", "updated_at", "user__full_name", "user__email", "shortlisted")


def stamps(page: Page, company: Company | None, brief: Brief | None) -> list[tuple[Any, ...]]:
    """Each shown engineer's STAMP_FIELDS and score, in page order, in one light query:
    what a served page reads instead of its cards."""
    if page.loaded:
        rows = [tuple(_stamp_value(p, f) for f in STAMP_FIELDS) for p in page.results]
    elif page.ids:
        select = "p.id, p.updated_at, u.full_name, u.email"
        rows = _page_query(select, [], page.ids, company, brief)
    else:
        rows = []
    by_id = {row[0]: row for row in rows}
    return [(*by_id[pk], page.scores[pk]) for pk in page.ids if pk in by_id]


def _stamp_value(profile: Profile, name: str) -> Any:
    obj: Any = profile
    for part in name.split("__"):
        obj = obj.pk if part == "pk" else getattr(obj, part)
    return obj


def _page_query(
    select: str,
    params: list[Any],
    ids: tuple[int, ...],
    company: Company | None,
    brief: Brief | None,
) -> list[tuple[Any, ...]]:
    """Rows of ``select`` (over ``p``, the profile, and ``u``, its user) and, last, the
    shortlist state on ``brief``, of the listed profiles among ``ids`` that do not
    block ``company``: listing and blocks are checked again, as the ranking may be a
    few minutes old. Written as SQL: stamps and cards are read on every results page,
    and their querysets cost more to build than the queries take to run."""
    connection = connections[read_alias()]
    quote = connection.ops.quote_name
    params = list(params)
    shortlisted = "false"
    if brief is not None:
        entry = quote(ShortlistEntry._meta.db_table)
        shortlisted = (
            f"EXISTS (SELECT 1 FROM {entry} AS s WHERE s.brief_id = %s AND s.profile_id = p.id)"  # noqa: S608 - a table name from the model
        )
        params.append(brief.pk)
    params.append(list(ids))
    blocked = ""
    if company is not None:
        blocking, blocking_params = blocking_sql(company)
        blocked = f" AND p.id NOT IN ({blocking})"
        params.extend(blocking_params)
    sql = f"""
        SELECT {select}, {shortlisted}
        FROM {quote(Profile._meta.db_table)} AS p
        JOIN {quote(User._meta.db_table)} AS u ON u.id = p.user_id
        WHERE p.id = ANY(%s) AND p.is_listed{blocked}
    """  # noqa: S608 - names from the models and this module; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ts_headline's options for each highlighted field, as Django's SearchHeadline writes
# them: PostgreSQL marks the matching words with control characters, so that the text
# can be HTML-escaped before they become <mark> tags (see highlight()).
HEADLINES = {
    "headline_hit": ("headline", "HighlightAll=true"),
    "bio_hit": ("bio", "MaxWords=35, MinWords=15"),
    "portfolio_hit": ("portfolio_text", "MaxWords=25, MinWords=10"),
}


def cards(page: Page, criteria: Criteria, company: Company | None, brief: Brief | None) -> None:
    """Read the page's profiles with their card fields, shortlist state and highlighted
    words (one query) into page.results, in ranking order."""
    if page.loaded:
        return
    page.loaded = True
    if not page.ids:
        return
    alias = read_alias()
    quote = connections[alias].ops.quote_name
    parts = ((Profile, CARD_FIELDS), (User, CARD_USER_FIELDS))
    columns = [*select_columns(alias, "p", *parts[0]), *select_columns(alias, "u", *parts[1])]
    params: list[Any] = []
    if criteria.text:
        for column, options in HEADLINES.values():
            # The field without the marker characters, so that only PostgreSQL's marks
            # remain: a profile's own text cannot make a <mark> (or unbalance one).
            columns.append(
                "ts_headline(%s::regconfig, translate(p." + quote(column) + ", %s, ''), "
                "websearch_to_tsquery(%s::regconfig, %s), %s)"
            )
            options = f"StartSel='{START}', StopSel='{STOP}', {options}"
            params += [SEARCH_CONFIG, START + STOP, SEARCH_CONFIG, criteria.text, options]
    by_id = {}
    for row in _page_query(", ".join(columns), params, page.ids, company, brief):
        profile, user = from_row(alias, row, *parts)
        profile.user = user
        if criteria.text:  # the three headlines, between the user and the shortlist
            for name, value in zip(HEADLINES, row[-4:-1], strict=True):
                setattr(profile, name, value)
        profile.shortlisted = row[-1]
        by_id[profile.pk] = profile
    for pk in page.ids:
        found = by_id.get(pk)
        if found is None:  # hidden since the ranking was made
            continue
        found.score = page.scores[pk]  # type: ignore[attr-defined]
        page.results.append(found)


START, STOP = "\x02", "\x03"


def highlight(text: str) -> str:
    """Escape a ts_headline result (see HEADLINES), then turn its markers into <mark> tags."""
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
