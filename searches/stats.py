"""How many engineers match a brief and what they ask, in two capped queries.

The count stops at COUNT_CAP + 1 rows, like the results page. Rates come from the
engineers who meet every requirement but the budget (filtering by the budget would
hide exactly the rates a company needs to see), sampled from the SAMPLE most
recently active, so the cost does not grow with the number of profiles.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Company
from searches.engine import COUNT_CAP, Criteria, matching

SAMPLE = 5000
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


def rate_summary(criteria: Criteria, company: Company | None) -> RateSummary:
    count = matching(criteria, company).values("pk")[: COUNT_CAP + 1].count()
    without_budget = dataclasses.replace(criteria, max_rate_usd=None)
    rates = [
        float(rate)  # type: ignore[arg-type]  # NULL rates are excluded just below
        for rate in matching(without_budget, company)
        .exclude(rate_usd=None)
        .order_by("-updated_at")
        .values_list("rate_usd", flat=True)[:SAMPLE]
    ]
    summary = RateSummary(
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
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
