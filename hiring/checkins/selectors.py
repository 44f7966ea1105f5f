"""Reads of check-ins: one check-in of a contract, the weeks as a list and a chart, the
weeks either side may skip, and the contract page's panel.

Each page reads a fixed number of queries whatever the number of weeks: the check-ins
in one query (with who answered), the viewer's zone in at most one more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from hiring.checkins import schedule
from hiring.checkins.schedule import RUNNING
from hiring.checkins.services import call_of, call_words, has_call, moment_text
from hiring.contracts.common import day_text, viewer_zone, zone_label
from hiring.models import CheckIn, Contract, ContractVersion, Side

#: Weeks the chart shows, the latest last.
CHART_WEEKS = 12


def checkin_for(contract: Contract, pk: int) -> CheckIn:
    """The contract's check-in (404 for another contract's), with who answered and skipped."""
    checkin = (
        CheckIn.objects.select_related("answered_by", "company_by", "skipped_by")
        .filter(contract=contract, pk=pk)
        .first()
    )
    if checkin is None:
        raise Http404("No such check-in.")
    checkin.contract = contract
    return checkin


def contract_checkins(contract: Contract) -> list[CheckIn]:
    """Every week's check-in of the contract, the latest first, with who answered."""
    return list(
        CheckIn.objects.filter(contract=contract)
        .select_related("answered_by", "company_by", "skipped_by")
        .order_by("-week_of", "-pk")
    )


def previous_plan(checkin: CheckIn) -> CheckIn | None:
    """The last answered check-in before this one (what the engineer said came next)."""
    return (
        CheckIn.objects.filter(
            contract_id=checkin.contract_id,
            week_of__lt=checkin.week_of,
            status=CheckIn.Status.ANSWERED,
        )
        .only("pk", "week_of", "next", "contract_id")
        .order_by("-week_of")
        .first()
    )


# The chart -------------------------------------------------------------------------------

MARKS = {
    CheckIn.Status.ANSWERED: "✓",
    CheckIn.Status.SKIPPED: "–",
    CheckIn.Status.MISSED: "✗",
    CheckIn.Status.DUE: "…",
}
COLUMN, BAR, TOP, PLOT = 44, 26, 16, 90
BASE = TOP + PLOT


@dataclass(frozen=True)
class Bar:
    """One week's column: its hours as a bar (none without hours) and its status mark."""

    checkin: CheckIn
    x: int
    y: int
    height: int
    mid: int
    week: str
    mark: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    top: Decimal
    counts: dict[str, int]
    base: int = BASE
    week_y: int = BASE + 16
    mark_y: int = BASE + 32
    height: int = BASE + 38

    @property
    def width(self) -> int:
        return max(len(self.bars), 1) * COLUMN

    @property
    def title(self) -> str:
        weeks = "; ".join(
            f"week of {b.week}: {b.checkin.get_status_display().lower()}"
            + (f", {b.checkin.hours} hours" if b.checkin.hours is not None else "")
            for b in self.bars
        )
        return f"Check-ins of the last {len(self.bars)} weeks by status and hours: {weeks}."


def chart(rows: list[CheckIn]) -> Chart | None:
    """The latest ``CHART_WEEKS`` weeks (``rows`` the latest first), oldest on the left."""
    weeks = list(reversed(rows[:CHART_WEEKS]))
    if not weeks:
        return None
    top = max([Decimal(40), *(r.hours for r in weeks if r.hours is not None)])
    bars = []
    for n, row in enumerate(weeks):
        height = 0
        if row.hours:
            height = max(2, round(row.hours / top * PLOT))
        x = n * COLUMN + (COLUMN - BAR) // 2
        bars.append(
            Bar(
                checkin=row,
                x=x,
                y=BASE - height,
                height=height,
                mid=n * COLUMN + COLUMN // 2,
                week=f"{row.week_of.day} {row.week_of:%b}",
                mark=MARKS[CheckIn.Status(row.status)],
            )
        )
    counts = {status.value: 0 for status in CheckIn.Status}
    for row in weeks:
        counts[row.status] += 1
    return Chart(bars=bars, top=top, counts=counts)


# Skipping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkipOption:
    week_of: date
    label: str
    when: str


def skip_options(
    contract: Contract, rows: list[CheckIn], zone: str, now: datetime | None = None
) -> list[SkipOption]:
    """This week's and next week's check-ins, where either side may still skip them:
    inside the contract's dates, not answered, not skipped already. ``rows``: the
    contract's check-ins, the latest first (the two weeks are among the first)."""
    version = contract.current
    if contract.status not in RUNNING or version is None:
        return []
    now = now or timezone.now()
    by_week = {r.week_of: r for r in rows[:CHART_WEEKS]}
    options = []
    for week, label in zip(
        schedule.skippable_weeks(contract, version, now), ("This week", "Next week"), strict=True
    ):
        row = by_week.get(week.week_of)
        done = row is not None and row.status in (CheckIn.Status.ANSWERED, CheckIn.Status.SKIPPED)
        if week.in_term and not done:
            options.append(SkipOption(week.week_of, label, moment_text(week.due_at, zone)))
    return options


# What a page says about the plan ---------------------------------------------------------


def plan_words(version: ContractVersion | None) -> str:
    """ "Fridays at 16:00 Karachi time"."""
    if version is None:
        return ""
    day = schedule.WEEKDAYS[version.checkin_weekday]
    return f"{day}s at {version.checkin_time:%H:%M} {zone_label(version.time_zone)} time"


@dataclass
class Panel:
    """The check-ins part of the contract page."""

    started: bool
    running: bool
    plan: str
    zone: str
    this_week: CheckIn | None = None
    this_week_due: str = ""
    next_due: str = ""
    options: list[SkipOption] = field(default_factory=list)
    chart: Chart | None = None
    call: str = ""


def _this_week(
    contract: Contract, rows: list[CheckIn], zone: str, now: datetime
) -> tuple[CheckIn | None, str, str]:
    """This week's check-in (if made), when it falls due, and when the next one does."""
    version = contract.current
    if version is None or contract.status not in RUNNING:
        return None, "", ""
    this = schedule.week_now(version, now)
    row = next((r for r in rows if r.week_of == this), None)
    due = schedule.week(contract, version, this)
    this_due = moment_text(due.due_at, zone) if due.in_term else ""
    upcoming = [
        w for w in schedule.skippable_weeks(contract, version, now) if w.due_at > now and w.in_term
    ]
    return row, this_due, moment_text(upcoming[0].due_at, zone) if upcoming else ""


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """What this part adds to the contract page's context (shown by its _contract_panel.html):
    the plan, this week's check-in with the skip buttons, the chart of the latest weeks,
    and the weekly call. Two queries once the contract has started, none before."""
    version = contract.current
    started = contract.started_at is not None
    call = ""
    if version is not None and has_call(version):
        call = call_words(call_of(contract, version))
    if not started and contract.status not in (Contract.Status.DRAFT, Contract.Status.OFFERED):
        return {"checkins_panel": None}  # declined or withdrawn before it ever started
    if not started:
        zone = contract.profile.time_zone if side == Side.ENGINEER else contract.company.time_zone
        panel = Panel(
            started=False, running=False, plan=plan_words(version), zone=zone_label(zone), call=call
        )
        return {"checkins_panel": panel}
    zone = viewer_zone(contract, side, user)
    rows = list(CheckIn.objects.filter(contract=contract).order_by("-week_of")[:CHART_WEEKS])
    now = timezone.now()
    this_week, this_due, next_due = _this_week(contract, rows, zone, now)
    panel = Panel(
        started=True,
        running=contract.status in RUNNING,
        plan=plan_words(version),
        zone=zone_label(zone),
        this_week=this_week,
        this_week_due=this_due,
        next_due=next_due,
        options=skip_options(contract, rows, zone, now),
        chart=chart(rows),
        call=call,
    )
    return {"checkins_panel": panel}


def list_context(contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The check-ins page: every week, the chart, the skip buttons."""
    zone = viewer_zone(contract, side, user)
    rows = contract_checkins(contract) if contract.started_at is not None else []
    now = timezone.now()
    this_week, this_due, next_due = _this_week(contract, rows, zone, now)
    return {
        "contract": contract,
        "side": side,
        "rows": [{"checkin": r, "week": day_text(r.week_of)} for r in rows],
        "chart": chart(rows),
        "options": skip_options(contract, rows, zone, now),
        "plan": plan_words(contract.current),
        "zone": zone_label(zone),
        "this_week": this_week,
        "this_week_due": this_due,
        "next_due": next_due,
        "running": contract.status in RUNNING,
        "started": contract.started_at is not None,
    }
