"""Invoice periods: the dates, labels and amounts of a regular invoice (pure functions).

A regular cadence cuts the contract into blocks:

- weekly: Monday to Sunday, the weeks the check-ins are written for (``CheckIn.week_of``);
- every two weeks: two such weeks, counted from the Monday of the week the contract
  starts;
- monthly: calendar months.

A period is the part of one block inside the contract: the first begins on the start
date and the last ends on the contract's last day, so either may be partial. A period
is invoiced once it is over in the engineer's zone (its last day is before their
today), and is due ``pay_within_days`` after its last day.

Amounts: a monthly engagement pays the rate for a whole calendar month and, for any
other stretch, each day's share of its month (so a partial first or last month is pro
rata by days, and a week of May costs 7/31 of the rate). Hourly pays the hours the
engineer wrote in answered check-ins for the block's weeks × the rate, when any were
written; otherwise the amount is left empty ("as invoiced"). A fixed price is paid by
milestones: its periods carry no amount.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hiring.models import ContractEngagement, InvoiceCadence

CENT = Decimal("0.01")
REGULAR = (InvoiceCadence.WEEKLY, InvoiceCadence.FORTNIGHTLY, InvoiceCadence.MONTHLY)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    #: The first day of the whole block (before ``start`` when the period is a partial
    #: first one): check-ins whose week begins from here to ``end`` count for it.
    block_start: date

    @property
    def label(self) -> str:
        return "Invoice " + span_label(self.start, self.end)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _block_start(day: date, cadence: str, first_day: date) -> date:
    if cadence == InvoiceCadence.WEEKLY:
        return _monday(day)
    if cadence == InvoiceCadence.FORTNIGHTLY:
        origin = _monday(first_day)
        return origin + timedelta(days=14 * ((day - origin).days // 14))
    if cadence == InvoiceCadence.MONTHLY:
        return day.replace(day=1)
    raise ValueError(f"Not a regular invoice cadence: {cadence!r}")


def _block_end(block_start: date, cadence: str) -> date:
    if cadence == InvoiceCadence.WEEKLY:
        return block_start + timedelta(days=6)
    if cadence == InvoiceCadence.FORTNIGHTLY:
        return block_start + timedelta(days=13)
    last = calendar.monthrange(block_start.year, block_start.month)[1]
    return block_start.replace(day=last)


def invoice_periods(
    *, cadence: str, first_day: date, last_day: date | None, today: date
) -> list[Period]:
    """Every period of the contract that is over by ``today`` (the engineer's date), in
    order. ``last_day`` None: open-ended."""
    if cadence not in REGULAR:
        return []
    periods: list[Period] = []
    block = _block_start(first_day, cadence, first_day)
    while True:
        block_end = _block_end(block, cadence)
        start = max(block, first_day)
        end = min(block_end, last_day) if last_day else block_end
        if start > end or end >= today:
            break
        periods.append(Period(start=start, end=end, block_start=block))
        if last_day is not None and block_end >= last_day:
            break
        block = block_end + timedelta(days=1)
    return periods


def span_label(start: date, end: date) -> str:
    """ "1–7 Dec 2026", "28 Nov – 4 Dec 2026", "28 Dec 2026 – 3 Jan 2027", "1 Dec 2026"."""
    if start == end:
        return f"{end.day} {end:%b %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"


def monthly_share(rate: Decimal, start: date, end: date) -> Decimal:
    """A monthly rate for the days from ``start`` to ``end``: the rate for a whole
    calendar month, each day's share of its own month otherwise."""
    total = Decimal(0)
    day = start
    while day <= end:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        month_end = day.replace(day=days_in_month)
        until = min(month_end, end)
        total += rate * Decimal((until - day).days + 1) / Decimal(days_in_month)
        day = until + timedelta(days=1)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def hours_in(period: Period, hours_by_week: Mapping[date, Decimal]) -> Decimal | None:
    """The hours written for the weeks of ``period``'s block, None when none were."""
    written = [h for week, h in hours_by_week.items() if period.block_start <= week <= period.end]
    return sum(written, Decimal(0)) if written else None


def period_amount(
    period: Period, *, engagement: str, rate: Decimal, hours_by_week: Mapping[date, Decimal]
) -> Decimal | None:
    """What a period costs under the terms; None: "as invoiced"."""
    if engagement == ContractEngagement.MONTHLY:
        return monthly_share(rate, period.start, period.end)
    if engagement == ContractEngagement.HOURLY:
        hours = hours_in(period, hours_by_week)
        if hours is None:
            return None
        return (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return None


def weekly_hours(rows: Iterable[tuple[date, Decimal | None]]) -> dict[date, Decimal]:
    """(week_of, hours) rows of answered check-ins as {week_of: hours}, blanks left out."""
    return {week: hours for week, hours in rows if hours is not None}
