"""How many engineers match a brief and what they ask, without a search of its own.

The count is the search's (searches.engine): at most engine.WINDOW, shown as "1,000+"
past it, and shared with the results page through the ranking cache. Rates come
from the engineers who meet every requirement but the budget (filtering by the
budget would hide exactly the rates a company needs to see), sampled from the
SAMPLE most recently active with the engine's plan, so the cost does not grow with
the number of profiles. The summary is cached like a ranking.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from accounts.models import Company
from searches.engine import Criteria, Sort, choose_plan, matching, ranking, ranking_key

SAMPLE = 1000
MAX_BUCKETS = 8
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
SLOT = 40  # width of one bar's slot in the chart's SVG units; bars are 0..100 high


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int
    count: int
    share: float  # of the tallest bucket, 0..1: bar heights

    @property
    def bar_height(self) -> int:
        return max(1, round(self.share * 100)) if self.count else 0

    @property
    def bar_y(self) -> int:
        return 100 - self.bar_height


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

    @property
    def sampled(self) -> bool:
        """True when the rates are a sample: more engineers match than were read."""
        return self.sample_size >= SAMPLE

    @property
    def budget_below_most(self) -> bool:
        return self.budget is not None and self.p25 is not None and self.budget < self.p25

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


def _buckets(rates: list[float]) -> list[Bucket]:
    if not rates:
        return []
    low, high = min(rates), max(rates)
    span = max(high - low, 1.0)
    step = next((s for s in STEPS if span / s <= MAX_BUCKETS), STEPS[-1])
    start = int(math.floor(low / step) * step)
    n = int((high - start) // step) + 1
    counts = [0] * n
    for rate in rates:
        counts[min(int((rate - start) // step), n - 1)] += 1
    tallest = max(counts)
    return [
        Bucket(low=start + i * step, high=start + (i + 1) * step, count=c, share=c / tallest)
        for i, c in enumerate(counts)
    ]


def _recent_rates(criteria: Criteria, company: Company | None) -> list[float]:
    """Rates of the SAMPLE most recently active matches of ``criteria``."""
    recent = dataclasses.replace(criteria, sort=Sort.RECENT)
    with transaction.atomic(savepoint=False):
        plan = choose_plan(recent, company, wanted=SAMPLE)
        rates = (
            matching(recent, company, plan=plan)
            .exclude(rate_usd=None)
            .order_by("-updated_at", "-pk")
            .values_list("rate_usd", flat=True)[:SAMPLE]
        )
        return [float(rate) for rate in rates]  # type: ignore[arg-type]  # no NULLs


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
    rates = _recent_rates(dataclasses.replace(criteria, max_rate_usd=None), company)
    summary = RateSummary(
        count=len(found.ids),
        capped=found.capped,
        median=None,
        p25=None,
        p75=None,
        sample_size=len(rates),
        budget=criteria.max_rate_usd,
    )
    if rates:
        if len(rates) == 1:
            p25 = median = p75 = rates[0]
        else:
            p25, median, p75 = statistics.quantiles(rates, n=4, method="inclusive")
        summary.p25, summary.median, summary.p75 = _money(p25), _money(median), _money(p75)
        summary.buckets = _buckets(rates)
    return summary
