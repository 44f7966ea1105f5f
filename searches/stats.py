"""How many engineers match a brief and what they ask, without a search of its own.

The count is the search's (searches.engine): at most engine.WINDOW, shown as "1,000+"
past it, and shared with the results page through the ranking cache. Rates come
from the engineers who meet every requirement but the budget (filtering by the
budget would hide exactly the rates a company needs to see), sampled from the
SAMPLE most recently active with the engine's plan, so the cost does not grow with
the number of profiles. The summary is cached like a ranking.

Beside the rates asked, the chart shows the rates accepted on contracts (hiring
provides them through searches.registry, in USD per hour like the listed ones) by
engineers comparable with the brief's matches: those with its must-have skills (and
years), its experience and its seniority, listed now or not (an engineer at work on
a contract often pauses the listing). They are read in the same query as the listed
rates and cached with them.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value

from accounts.models import Company
from candidates.models import MAX_SKILL_YEARS_TOKEN, Profile
from searches import registry
from searches.engine import Criteria, Sort, choose_plan, matching, ranking, ranking_key

SAMPLE = 1000
MAX_BUCKETS = 8
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
SLOT = 40  # width of one bar's slot in the chart's SVG units; bars are 0..100 high
PAIR = 17  # width of each of the two bars in a slot when accepted rates are shown
LISTED, ACCEPTED = "listed", "accepted"


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int
    count: int
    share: float  # of the tallest bucket, 0..1: bar heights
    accepted: int = 0  # contracts accepted at a rate in this bucket
    accepted_share: float = 0.0  # of the tallest bucket of accepted rates

    @property
    def bar_height(self) -> int:
        return max(1, round(self.share * 100)) if self.count else 0

    @property
    def bar_y(self) -> int:
        return 100 - self.bar_height

    @property
    def accepted_height(self) -> int:
        return max(1, round(self.accepted_share * 100)) if self.accepted else 0

    @property
    def accepted_y(self) -> int:
        return 100 - self.accepted_height


@dataclass(frozen=True)
class Slot:
    """Where a bucket's bars stand on the chart (two bars side by side)."""

    bucket: Bucket
    x: int
    accepted_x: int


@dataclass
class RateSummary:
    count: int
    capped: bool
    median: Decimal | None
    p25: Decimal | None
    p75: Decimal | None
    buckets: list[Bucket] = field(default_factory=list)
    sample_size: int = 0
    budget: Decimal | None = None
    # Rates accepted on contracts (hiring, through searches.registry): how many, the median.
    accepted_size: int = 0
    accepted_median: Decimal | None = None

    @property
    def sampled(self) -> bool:
        """True when the rates are a sample: more engineers match than were read."""
        return self.sample_size >= SAMPLE

    @property
    def budget_below_most(self) -> bool:
        return self.budget is not None and self.p25 is not None and self.budget < self.p25

    @property
    def slots(self) -> list[Slot]:
        return [Slot(bucket, n * SLOT, n * SLOT + PAIR) for n, bucket in enumerate(self.buckets)]

    @property
    def chart_width(self) -> int:
        return len(self.buckets) * SLOT

    @property
    def budget_x(self) -> int | None:
        """Where the budget falls on the chart, or None when it is off the chart."""
        if self.budget is None or not self.buckets:
            return None
        low, high = self.buckets[0].low, self.buckets[-1].high
        if not low <= self.budget <= high:
            return None
        return round(float(self.budget - low) / (high - low) * self.chart_width)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value))).quantize(Decimal("1"))


def _buckets(rates: list[float], accepted: list[float] | None = None) -> list[Bucket]:
    """Buckets over both series' range; each series' bars are scaled to its own tallest
    (a handful of contracts beside a thousand listed rates would not show otherwise)."""
    accepted = accepted or []
    both = rates + accepted
    if not both:
        return []
    low, high = min(both), max(both)
    span = max(high - low, 1.0)
    step = next((s for s in STEPS if span / s <= MAX_BUCKETS), STEPS[-1])
    start = int(math.floor(low / step) * step)
    n = int((high - start) // step) + 1

    def count(values: list[float]) -> list[int]:
        counts = [0] * n
        for rate in values:
            counts[min(int((rate - start) // step), n - 1)] += 1
        return counts

    listed, agreed = count(rates), count(accepted)
    tallest, tallest_agreed = max(listed) or 1, max(agreed) or 1
    return [
        Bucket(
            low=start + i * step,
            high=start + (i + 1) * step,
            count=c,
            share=c / tallest,
            accepted=a,
            accepted_share=a / tallest_agreed,
        )
        for i, (c, a) in enumerate(zip(listed, agreed, strict=True))
    ]


def _peers(criteria: Criteria) -> QuerySet[Any]:
    """Engineers comparable with the brief's matches for what they accepted: its
    must-have skills (with their years), experience and seniority, listed or not."""
    q = Q()
    skill_ids = sorted(m.skill_id for m in criteria.must if m.min_years is None)
    if skill_ids:
        q &= Q(skill_ids__contains=skill_ids)
    levels = sorted(
        m.skill_id * 100 + min(m.min_years, MAX_SKILL_YEARS_TOKEN)
        for m in criteria.must
        if m.min_years
    )
    if levels:
        q &= Q(skill_levels__contains=levels)
    if criteria.min_years is not None:
        q &= Q(years_experience__gte=criteria.min_years)
    if criteria.seniority:
        q &= Q(seniority=criteria.seniority)
    return Profile.objects.filter(q).values("pk")


def _recent_rates(criteria: Criteria, company: Company | None) -> tuple[list[float], list[float]]:
    """Rates of the SAMPLE most recently active matches of ``criteria``, and the rates
    of the SAMPLE latest contracts their peers accepted, in one query."""
    recent = dataclasses.replace(criteria, sort=Sort.RECENT)
    with transaction.atomic(savepoint=False):
        plan = choose_plan(recent, company, wanted=SAMPLE)
        rows = (
            matching(recent, company, plan=plan)
            .exclude(rate_usd=None)
            .order_by("-updated_at", "-pk")
            .annotate(series=Value(LISTED), usd_hour=F("rate_usd"))
            .values_list("series", "usd_hour")[:SAMPLE]
        )
        for provider in registry.accepted_rates_providers():
            accepted = provider(_peers(criteria), series=ACCEPTED)[:SAMPLE]
            rows = rows.union(accepted, all=True)
        listed: list[float] = []
        agreed: list[float] = []
        for series, rate in rows:
            if rate is not None:
                (listed if series == LISTED else agreed).append(float(rate))
        return listed, agreed


def rate_summary(criteria: Criteria, company: Company | None) -> RateSummary:
    seconds = settings.SEARCH_CACHE_SECONDS
    base = ranking_key(criteria, company) if seconds > 0 else ""
    key = base + ":rates"
    cached = cache.get(key) if seconds > 0 else None
    if isinstance(cached, RateSummary):
        return cached
    summary = _summarise(criteria, company, base)
    if seconds > 0:
        cache.set(key, summary, seconds)
    return summary


def _summarise(criteria: Criteria, company: Company | None, key: str) -> RateSummary:
    found = ranking(criteria, company, key=key)
    rates, accepted = _recent_rates(dataclasses.replace(criteria, max_rate_usd=None), company)
    summary = RateSummary(
        count=len(found.ids),
        capped=found.capped,
        median=None,
        p25=None,
        p75=None,
        sample_size=len(rates),
        budget=criteria.max_rate_usd,
        accepted_size=len(accepted),
    )
    if accepted:
        summary.accepted_median = _money(statistics.median(accepted))
    if rates:
        if len(rates) == 1:
            p25 = median = p75 = rates[0]
        else:
            p25, median, p75 = statistics.quantiles(rates, n=4, method="inclusive")
        summary.p25, summary.median, summary.p75 = _money(p25), _money(median), _money(p75)
    summary.buckets = _buckets(rates, accepted)
    return summary
