"""Reads of hiring.dashboards: what people see of contracts away from the contract page.

- ``home(...)``: the home pages' contract panel (the employer's dashboard, the
  engineer's profile home): contracts in progress, this week's check-ins, milestones
  due, payments overdue. One query when there is no contract, four when there are,
  however many.
- ``contract_panel(...)``: the contract page's timeline (hiring.dashboards.timeline).
- ``published_reviews(...)``: the published, not hidden reviews of an engineer or of
  a company, with their averages, in one query.
- ``get_company_for_user(...)``: the company page's fetch-and-check (404 for anyone
  the company has not reached out to or worked with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import Company, Membership, User
from candidates.models import Profile
from hiring.contracts.common import engineer_zone, viewer_zone, zone_label
from hiring.dashboards import timeline
from hiring.milestones.services import engineer_today
from hiring.models import (
    CheckIn,
    Contract,
    ContractReview,
    Milestone,
    MilestoneWork,
    Outreach,
    Payment,
    Side,
)

#: Contracts shown on the home pages: on offer (waiting for acceptance) or running.
IN_PROGRESS = (Contract.Status.OFFERED, Contract.Status.ACTIVE, Contract.Status.ENDING)
RUNNING = (Contract.Status.ACTIVE, Contract.Status.ENDING)
#: Contracts that started (both sides accepted a version): what a company "has run".
STARTED = (Contract.Status.ACTIVE, Contract.Status.ENDING, Contract.Status.ENDED)
#: Milestones due within this many days show on the home pages (and overdue ones).
MILESTONE_DAYS = 14
#: Reviews listed on an engineer's profile, and on a company's page.
PROFILE_REVIEWS = 3
COMPANY_REVIEWS = 20

ENGINEER_SCORES = (
    ("quality", "Quality of work"),
    ("communication", "Communication"),
    ("reliability", "Reliability"),
    ("time_zones", "Working across time zones"),
)
COMPANY_SCORES = (
    ("clarity", "Clarity of the brief"),
    ("responsiveness", "Responsiveness"),
    ("paying_on_time", "Paying on time"),
)


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The contract page's timeline: what happened, newest first, in the viewer's zone."""
    zone = viewer_zone(contract, side, user)
    events = timeline.contract_events(contract)
    return {
        "timeline_events": events[: timeline.SHOWN],
        "timeline_earlier": events[timeline.SHOWN :],
        "timeline_zone": zone,
        "timeline_zone_label": zone_label(zone),
    }


# The home pages ------------------------------------------------------------------------


def week_monday(zone: str, now: datetime) -> date:
    """The Monday of the local week of ``now`` in ``zone`` (what CheckIn.week_of holds)."""
    today = timezone.localtime(now, ZoneInfo(zone)).date()
    return today - timedelta(days=today.weekday())


@dataclass
class WeekCheckIn:
    """One running contract's check-in for this week: the row once the sweep made it,
    else when it is planned to go out."""

    contract: Contract
    week_of: date
    checkin: CheckIn | None
    planned_at: datetime | None
    upcoming: bool  # no check-in yet, and the planned time is still ahead

    @property
    def status(self) -> str:
        return self.checkin.status if self.checkin else "planned"


@dataclass
class DueMilestone:
    milestone: Milestone
    contract: Contract
    status: str  # MilestoneWork.Status, "open" while no work row exists
    submitted_at: datetime | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return MilestoneWork.Status(self.status).label


@dataclass
class Home:
    side: str
    zone: str
    today: date
    contracts: list[Contract] = field(default_factory=list)
    checkins: list[WeekCheckIn] = field(default_factory=list)
    milestones: list[DueMilestone] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)

    @property
    def zone_label(self) -> str:
        """The viewer's zone as the other pages say it ("Karachi")."""
        return zone_label(self.zone)

    @property
    def waiting_on_company(self) -> list[DueMilestone]:
        return [m for m in self.milestones if m.status == MilestoneWork.Status.SUBMITTED]

    @property
    def milestone_days(self) -> int:
        return MILESTONE_DAYS


def _overdue_payments(today: date) -> QuerySet[Payment]:
    return Payment.objects.filter(due_on__lt=today, paid_at__isnull=True)


def _planned_checkin(contract: Contract, monday: date) -> datetime | None:
    """When this week's check-in goes out by the version in force (None without one)."""
    version = contract.current
    if version is None:
        return None
    day = monday + timedelta(days=version.checkin_weekday)
    at: time = version.checkin_time
    return datetime.combine(day, at, tzinfo=ZoneInfo(version.time_zone))


def home(*, side: str, zone: str, company: Company | None = None, user: User | None = None) -> Home:
    """The home page panel of a company (``side="company"``, ``company=``) or of an
    engineer (``side="engineer"``, ``user=``).

    "Late" and "overdue" are by each contract's own calendar, the engineer's (as on the
    contract page and for the sweep's reminders), not by the server's date: the
    queries take every date that is past somewhere (no zone is ahead of UTC+14), and
    each row is then read against its engineer's today.

    Queries: the contracts in progress, with any contract that has a payment overdue
    (one); then, when there are any, this week's check-ins, the milestones due and
    the payments overdue (one each).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    latest = (now + timedelta(hours=14)).date()  # today somewhere: the queries' bound
    result = Home(side=side, zone=zone, today=today)
    if side == Side.COMPANY:
        scope = Contract.objects.filter(company=company)
    else:
        scope = Contract.objects.filter(profile__user=user).exclude(status=Contract.Status.DRAFT)
    overdue = _overdue_payments(latest).filter(contract=OuterRef("pk"))
    rows = list(
        scope.filter(Q(status__in=IN_PROGRESS) | Exists(overdue))
        .select_related("company", "profile__user", "current")
        .order_by("-started_at", "-created_at", "-pk")
    )
    if not rows:
        return result
    by_id = {c.pk: c for c in rows}
    days = {c.pk: engineer_today(c, now) for c in rows}
    result.contracts = [c for c in rows if c.status in IN_PROGRESS]
    running = [c for c in rows if c.status in RUNNING]

    mondays = {c.pk: week_monday(engineer_zone(c), now) for c in running}
    found = {
        (ci.contract_id, ci.week_of): ci
        for ci in CheckIn.objects.filter(
            contract_id__in=list(mondays), week_of__in=set(mondays.values())
        )
    }
    for c in running:
        planned = _planned_checkin(c, mondays[c.pk])
        result.checkins.append(
            WeekCheckIn(
                contract=c,
                week_of=mondays[c.pk],
                checkin=found.get((c.pk, mondays[c.pk])),
                planned_at=planned,
                upcoming=planned is not None and planned > now,
            )
        )

    work = MilestoneWork.objects.filter(
        contract_id=OuterRef("version__contract_id"), key=OuterRef("key")
    )
    horizon = latest + timedelta(days=MILESTONE_DAYS)
    milestones = (
        Milestone.objects.filter(version_id__in=[c.current_id for c in running if c.current_id])
        .only("key", "title", "due_on", "amount", "position")
        .annotate(
            contract_pk=F("version__contract_id"),
            work_status=Subquery(work.values("status")[:1]),
            work_submitted_at=Subquery(work.values("submitted_at")[:1]),
        )
        .filter(Q(due_on__lte=horizon) | Q(work_status=MilestoneWork.Status.SUBMITTED))
        .filter(Q(work_status__isnull=True) | ~Q(work_status=MilestoneWork.Status.ACCEPTED))
        .order_by("due_on", "contract_pk", "position")
    )
    result.milestones = [
        DueMilestone(
            milestone=m,
            contract=by_id[m.contract_pk],  # type: ignore[attr-defined]
            status=m.work_status or MilestoneWork.Status.OPEN,  # type: ignore[attr-defined]
            submitted_at=m.work_submitted_at,  # type: ignore[attr-defined]
            overdue=m.due_on < days[m.contract_pk],  # type: ignore[attr-defined]
        )
        for m in milestones
        if m.due_on <= days[m.contract_pk] + timedelta(days=MILESTONE_DAYS)  # type: ignore[attr-defined]
        or m.work_status == MilestoneWork.Status.SUBMITTED  # type: ignore[attr-defined]
    ]

    payments = [
        p
        for p in _overdue_payments(latest)
        .filter(contract_id__in=list(by_id))
        .order_by("due_on", "pk")
        if p.due_on < days[p.contract_id]
    ]
    for payment in payments:
        payment.contract = by_id[payment.contract_id]
        payment.days_late = (days[payment.contract_id] - payment.due_on).days  # type: ignore[attr-defined]
    result.payments = payments
    return result


# Published reviews ---------------------------------------------------------------------


@dataclass
class ReviewSummary:
    count: int
    average: Decimal | None
    scores: list[tuple[str, Decimal | None]]
    reviews: Sequence[ContractReview]


def _one_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def published_reviews(
    *, side: str, profile: Profile | None = None, company: Company | None = None, limit: int
) -> ReviewSummary:
    """The published, not hidden reviews written by ``side`` about ``profile`` (the
    companies' reviews of an engineer) or ``company`` (the engineers' reviews of a
    company): the latest ``limit`` with the count and the averages, in one query
    (the averages are window aggregates over every such review, read before the limit).
    """
    scores = ENGINEER_SCORES if side == Side.COMPANY else COMPANY_SCORES
    qs = ContractReview.objects.filter(
        side=side, published_at__isnull=False, hidden_at__isnull=True
    )
    qs = qs.filter(profile=profile) if profile is not None else qs.filter(company=company)
    everything = Window(Count("pk"))
    rows = list(
        qs.select_related("company", "contract")
        .only(
            "stars",
            "public_text",
            "published_at",
            "reply_text",
            "replied_at",
            "side",
            "company__name",
            "contract__ended_at",
            "contract__ends_on",
            *(name for name, _ in scores),
        )
        .annotate(
            total=everything,
            avg_stars=Window(Avg("stars")),
            **{f"avg_{name}": Window(Avg(name)) for name, _ in scores},
        )
        .order_by("-published_at", "-pk")[:limit]
    )
    if not rows:
        return ReviewSummary(count=0, average=None, scores=[], reviews=[])
    first: Any = rows[0]
    return ReviewSummary(
        count=first.total,
        average=_one_decimal(first.avg_stars),
        scores=[(label, _one_decimal(getattr(first, f"avg_{name}"))) for name, label in scores],
        reviews=rows,
    )


# The company page ----------------------------------------------------------------------


def get_company_for_user(user: User, pk: int) -> Company:
    """A company as its own members see it, and as an engineer it reached out to or
    offered a contract sees it; 404 for everyone else (other companies, other
    engineers, staff: they use the admin). In one query."""
    if not user.is_authenticated:
        raise Http404("No such company.")
    member = Membership.objects.filter(company=OuterRef("pk"), user=user)
    reached = Outreach.objects.filter(company=OuterRef("pk"), profile__user=user)
    offered = Contract.objects.filter(company=OuterRef("pk"), profile__user=user).exclude(
        status=Contract.Status.DRAFT
    )
    company = (
        Company.objects.filter(pk=pk)
        .annotate(
            is_member=Exists(member),
            contracts_run=Subquery(
                Contract.objects.filter(company=OuterRef("pk"), status__in=STARTED)
                .values("company")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .filter(Q(is_member=True) | Exists(reached) | Exists(offered))
        .first()
    )
    if company is None:
        raise Http404("No such company.")
    return company
