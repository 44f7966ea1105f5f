"""Reads of hiring.contracts: the terms panel of the contract page, a version as people
read it, the printable copy, the list, the draft's first values, and the candidacy's box.

Times a contract states (the overlap, the check-in, the call) are local times in the
engineer's zone (``ContractVersion.time_zone``); a teammate in another zone also sees
them in theirs, on the start date (daylight saving moves them, so the date is said).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import Company, User
from candidates.hours import DAY, utc_offset_minutes, utc_window
from candidates.models import Profile
from hiring.contracts import terms as terms_
from hiring.contracts.access import contracts_visible_to
from hiring.contracts.common import viewer_zone, zone_label
from hiring.contracts.forms import TOOL_LABELS, DeclineForm, WithdrawForm
from hiring.models import (
    Contract,
    ContractEngagement,
    ContractVersion,
    InvoiceCadence,
    Milestone,
    Outreach,
    RateUnit,
    Side,
    VersionAcceptance,
)
from screening.models import Candidacy

#: Before the start: the states in which the company may still draft, revise and send.
REVISABLE = (Contract.Status.OFFERED, Contract.Status.DECLINED)
PRE_START = (Contract.Status.DRAFT, *REVISABLE)
#: What the money filter appends for each kind of engagement.
UNIT = {
    ContractEngagement.HOURLY: "hour",
    ContractEngagement.MONTHLY: "month",
    ContractEngagement.FIXED: "",
}


def rate_spec(version: ContractVersion) -> str:
    """The money filter's spec for the version's rate: "USD/hour", "PKR/month", "USD"."""
    unit = UNIT.get(ContractEngagement(version.engagement), "")
    return f"{version.currency}/{unit}" if unit else version.currency


# A version as people read it ---------------------------------------------------------


@dataclass
class Elsewhere:
    """A local time of the contract (engineer's zone) in another zone on a given date."""

    text: str
    zone: str


@dataclass
class Terms:
    """One version ready to show: its milestones, its rate's money spec, the tools with
    their names, what it adds up to, and its times in the viewer's zone when that differs."""

    version: ContractVersion
    milestones: list[Milestone]
    rate_spec: str
    total: Decimal | None
    tools: list[dict[str, str]]
    zone: str
    viewer_zone: str = ""
    overlap_elsewhere: str = ""
    checkin_elsewhere: str = ""
    call_elsewhere: str = ""
    call_ends: time | None = None
    milestones_total: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _first_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _moved(on: date, at: time, src: str, dst: str) -> datetime:
    return datetime.combine(on, at, tzinfo=ZoneInfo(src)).astimezone(ZoneInfo(dst))


def version_terms(version: ContractVersion, *, viewer_tz: str = "") -> Terms:
    """``version`` as the pages show it. Uses ``version.milestones.all()`` (prefetch it)."""
    milestones = sorted(version.milestones.all(), key=lambda m: (m.position, m.pk or 0))
    amounts = [m.amount for m in milestones if m.amount is not None]
    try:
        total = terms_.total(terms_.content(version))
    except (ValueError, ArithmeticError):
        total = None
    view = Terms(
        version=version,
        milestones=milestones,
        rate_spec=rate_spec(version),
        total=total,
        tools=[
            {"label": TOOL_LABELS.get(t.get("kind", ""), t.get("kind", "")), "url": t["url"]}
            for t in version.tools or []
            if t.get("url")
        ],
        zone=zone_label(version.time_zone),
        milestones_total=sum(amounts, Decimal(0)) if amounts else None,
    )
    if version.call_time is not None and version.call_minutes:
        ends = datetime.combine(version.start_on, version.call_time) + timedelta(
            minutes=version.call_minutes
        )
        view.call_ends = ends.time()
    if not viewer_tz or viewer_tz == version.time_zone:
        return view
    src, on = version.time_zone, version.start_on
    view.viewer_zone = zone_label(viewer_tz)
    if version.overlap_starts and version.overlap_ends:
        a = _moved(on, version.overlap_starts, src, viewer_tz)
        b = _moved(on, version.overlap_ends, src, viewer_tz)
        view.overlap_elsewhere = f"{a:%H:%M}–{b:%H:%M}"
    day = _first_weekday(on, version.checkin_weekday)
    checkin = _moved(day, version.checkin_time, src, viewer_tz)
    view.checkin_elsewhere = f"{checkin:%A %H:%M}"
    if version.call_weekday is not None and version.call_time is not None:
        call = _moved(_first_weekday(on, version.call_weekday), version.call_time, src, viewer_tz)
        view.call_elsewhere = f"{call:%A %H:%M}"
    return view


# The terms panel of the contract page ----------------------------------------------------


def draft_of(contract: Contract) -> ContractVersion | None:
    """The version the company is writing before the start: the first draft, or the
    revision of the version on offer. None once the contract has started."""
    if contract.status not in PRE_START:
        return None
    return (
        ContractVersion.objects.filter(
            contract=contract, sent_at__isnull=True, change_order__isnull=True
        )
        .order_by("-pk")
        .first()
    )


def next_number(contract: Contract) -> int:
    found = ContractVersion.objects.filter(contract=contract).aggregate(top=Max("number"))["top"]
    return (found or 0) + 1


def _pre_start_versions(contract: Contract) -> list[ContractVersion]:
    """The numbered versions and (before the start) the draft, oldest first, in one query."""
    wanted = Q(number__isnull=False)
    if contract.status in PRE_START:
        wanted |= Q(sent_at__isnull=True, change_order__isnull=True)
    return list(
        ContractVersion.objects.filter(wanted, contract=contract)
        .select_related("declined_by")
        .order_by("number", "pk")
    )


@dataclass
class Step:
    """What the viewer can do now, in a sentence, and which buttons the panel shows."""

    text: str
    can_accept: bool = False
    can_decline: bool = False
    can_send: bool = False
    can_edit: bool = False
    can_revise: bool = False
    can_withdraw: bool = False


def _step(
    contract: Contract,
    side: str,
    current: ContractVersion | None,
    draft: ContractVersion | None,
    accepted: dict[str, VersionAcceptance],
) -> Step:
    engineer = contract.profile.user.display_name
    company = contract.company.name
    status = contract.status
    n = current.number if current is not None else ""
    if side == Side.COMPANY:
        if status == Contract.Status.DRAFT:
            return Step(
                f"This draft is your team's alone: {engineer} sees nothing until you send it. "
                "Read it over, edit what needs changing, then send it.",
                can_send=True,
                can_edit=True,
                can_withdraw=True,
            )
        if status == Contract.Status.OFFERED:
            revising = (
                f" You are revising it: send the draft below to replace version {n}."
                if draft
                else ""
            )
            if Side.COMPANY not in accepted:
                text = (
                    f"Version {n} is with {engineer}. Accept it "
                    f"for {company} too (any member of your team may): the contract starts "
                    "when both sides have accepted." + revising
                )
            else:
                text = (
                    f"Your team accepted version {n}. Waiting "
                    f"for {engineer} to accept it." + revising
                )
            return Step(
                text,
                can_accept=Side.COMPANY not in accepted,
                can_decline=Side.COMPANY not in accepted,
                can_send=draft is not None,
                can_edit=True,
                can_revise=draft is None,
                can_withdraw=True,
            )
        if status == Contract.Status.DECLINED:
            return Step(
                "The offer was declined. Revise the terms and send a new version, or withdraw "
                "the offer.",
                can_send=draft is not None,
                can_edit=True,
                can_revise=draft is None,
                can_withdraw=True,
            )
    else:
        if status == Contract.Status.OFFERED:
            if Side.ENGINEER in accepted:
                return Step(
                    f"You accepted version {n}. Waiting for "
                    f"{company} to accept it: the contract starts when both sides have."
                )
            return Step(
                f"Read version {n} below. Accept it if it is "
                "what you agreed, or decline with a note saying what would need to change. "
                "The contract starts when both sides have accepted.",
                can_accept=True,
                can_decline=True,
            )
        if status == Contract.Status.DECLINED:
            return Step(f"The offer was declined. {company} may send a revised version.")
    if status == Contract.Status.WITHDRAWN:
        who = "Your team" if side == Side.COMPANY else company
        return Step(f"{who} withdrew this offer before the start. Nothing here is in force.")
    if status in (Contract.Status.ACTIVE, Contract.Status.ENDING):
        return Step(
            "The contract is in force. Any change to its terms goes through a change order "
            "that both sides accept."
        )
    return Step("This contract has ended. Its terms stay here for your records.")


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The terms panel: the status, what to do next for this viewer, the version on offer
    or in force (the company also sees its draft and what it changes), the acceptances."""
    versions = _pre_start_versions(contract)
    by_pk = {v.pk: v for v in versions}
    current = by_pk.get(contract.current_id) if contract.current_id else None
    draft = None
    if contract.status in PRE_START:
        drafts = [v for v in versions if v.sent_at is None]
        draft = drafts[-1] if drafts and side == Side.COMPANY else None
        if contract.status == Contract.Status.DRAFT:
            current = None
    shown = [v for v in (current, draft) if v is not None]
    prefetch_related_objects(shown, "milestones")
    acceptances = (
        list(VersionAcceptance.objects.filter(version=current).select_related("user"))
        if current is not None
        else []
    )
    accepted = {a.side: a for a in acceptances}
    zone = viewer_zone(contract, side, user)
    changes: list[terms_.Change] = []
    if current is not None and draft is not None:
        changes = terms_.diff(terms_.content(current), terms_.content(draft))
    sent = [v for v in versions if v.number is not None]
    return {
        "terms_current": version_terms(current, viewer_tz=zone) if current else None,
        "terms_draft": version_terms(draft, viewer_tz=zone) if draft else None,
        "draft_number": (sent[-1].number or 0) + 1 if sent else 1,
        "draft_changes": changes,
        "acceptances": acceptances,
        "accepted_by": accepted,
        "step": _step(contract, side, current, draft, accepted),
        "sent_versions": sent,
        "viewer_zone": zone,
        "engineer_name": contract.profile.user.display_name,
        "decline_form": DeclineForm(),
        "withdraw_form": WithdrawForm(),
    }


# The printable copy ------------------------------------------------------------------------


def version_for_print(contract: Contract, side: str, number: int) -> ContractVersion:
    """Version ``number`` with its milestones; for the company, the draft under the number
    it will get when sent. 404 for a number that is neither (and for the engineer's
    request of a draft)."""
    version = (
        ContractVersion.objects.filter(contract=contract, number=number)
        .select_related("declined_by")
        .prefetch_related("milestones")
        .first()
    )
    if version is not None:
        return version
    if side == Side.COMPANY:
        draft = draft_of(contract)
        if draft is not None and number == next_number(contract):
            prefetch_related_objects([draft], "milestones")
            return draft
    raise Http404("No such version.")


def version_state(contract: Contract, version: ContractVersion) -> str:
    """Where a version stands, in a few words (the printable copy's heading)."""
    if version.sent_at is None:
        return "Draft: not sent"
    if version.declined_at is not None:
        return "Declined"
    if version.pk == contract.current_id:
        if contract.status == Contract.Status.OFFERED:
            return "On offer: waiting for acceptance"
        if contract.status == Contract.Status.WITHDRAWN:
            return "Withdrawn before the start"
        if contract.is_running:
            return "In force"
        if contract.status == Contract.Status.ENDED:
            return "In force until the contract ended"
    current = contract.current
    if (
        current is not None
        and current.number
        and version.number
        and version.number < current.number
    ):
        return f"Replaced by version {current.number}"
    return "Not in force"


# The list ------------------------------------------------------------------------------


def contract_rows(user: User) -> QuerySet[Contract]:
    """The user's contracts, newest first: the company's (drafts included) or the
    engineer's (never a draft), with what a row shows."""
    return (
        contracts_visible_to(user)
        .exclude(status=Contract.Status.DRAFT, profile__user=user)
        .select_related("company", "profile__user", "brief", "current")
        .order_by("-created_at", "-pk")
    )


# The draft's first values ---------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _minutes(value: int) -> time:
    return time(value // 60, value % 60)


def suggested_overlap(
    profile: Profile, company: Company, hours: int, on: date
) -> tuple[time, time] | None:
    """The first ``hours`` the engineer's and the company's working days share on ``on``,
    as local times in the engineer's zone; None when they share nothing (or the shared
    hours cross the engineer's midnight: then people type it)."""
    if hours <= 0:
        return None
    a_start, a_end = utc_window(profile.time_zone, profile.work_starts, profile.work_ends, on)
    b_start, b_end = utc_window(company.time_zone, company.work_starts, company.work_ends, on)
    a_stop = a_start + (a_end - a_start + DAY - 1) % DAY + 1
    b_length = (b_end - b_start + DAY - 1) % DAY + 1
    best: tuple[int, int] | None = None
    for shift in (-DAY, 0, DAY):
        starts, ends = max(a_start, b_start + shift), min(a_stop, b_start + shift + b_length)
        if ends > starts and (best is None or ends - starts > best[1] - best[0]):
            best = (starts, ends)
    if best is None:
        return None
    length = min(best[1] - best[0], hours * 60)
    local = (best[0] + utc_offset_minutes(profile.time_zone, on)) % DAY
    if local + length >= DAY:
        return None
    return _minutes(local), _minutes(local + length)


def accepted_outreach(candidacy: Candidacy) -> Outreach | None:
    return (
        Outreach.objects.filter(candidacy=candidacy, status=Outreach.Status.ACCEPTED)
        .order_by("-sent_at", "-pk")
        .first()
    )


def draft_initial(candidacy: Candidacy, outreach: Outreach | None) -> dict[str, Any]:
    """The new contract's form, prefilled from the terms the engineer accepted (the latest
    accepted outreach) and the brief; the overlap from both working days."""
    today = timezone.localdate()
    brief, profile = candidacy.brief, candidacy.profile
    initial: dict[str, Any] = {
        "title": brief.title,
        "scope": brief.description,
        "notice_days": 14,
        "pay_within_days": 14,
        "deem_accept_days": 7,
        "checkin_weekday": 4,
        "checkin_time": "16:00",
        "start_on": today + timedelta(days=7),
        "engagement": ContractEngagement.HOURLY,
        "currency": "USD",
        "invoice_cadence": InvoiceCadence.FORTNIGHTLY,
    }
    if outreach is None:
        return initial
    currency, _, period = outreach.rate_unit.partition("/")
    monthly = outreach.rate_unit in (RateUnit.USD_MONTH, RateUnit.PKR_MONTH) or period == "month"
    start = outreach.start_date if outreach.start_date >= today else today + timedelta(days=7)
    initial.update(
        scope=outreach.summary,
        engagement=ContractEngagement.MONTHLY if monthly else ContractEngagement.HOURLY,
        invoice_cadence=InvoiceCadence.MONTHLY if monthly else InvoiceCadence.FORTNIGHTLY,
        currency=currency,
        rate=outreach.rate_amount,
        hours_cap=outreach.hours_per_week,
        start_on=start,
    )
    if outreach.length_months:
        initial["end_on"] = add_months(start, outreach.length_months) - timedelta(days=1)
    window = suggested_overlap(profile, candidacy.company, outreach.overlap_hours, start)
    if window is not None:
        initial["overlap_starts"], initial["overlap_ends"] = window
    return initial


def version_initial(version: ContractVersion) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A version's terms and milestones as the form's first values (editing a draft or
    starting a revision)."""
    initial = {name: getattr(version, name) for name in terms_.TERM_FIELDS}
    initial["checkin_time"] = version.checkin_time.strftime("%H:00")
    rows = [
        {"key": m.key, **{name: getattr(m, name) for name in terms_.MILESTONE_FIELDS}}
        for m in sorted(version.milestones.all(), key=lambda m: (m.position, m.pk))
    ]
    return initial, rows


# The candidacy page's box (accounts.registry) -------------------------------------------


def candidacy_contract_panel(
    request: HttpRequest, *, candidacy: Candidacy, **page: Any
) -> dict[str, Any] | None:
    """The contract of this candidacy, if there is one: its status and a link."""
    contract = (
        Contract.objects.filter(candidacy=candidacy)
        .select_related("current")
        .only("pk", "status", "started_at", "candidacy_id", "current__title", "current__number")
    ).first()
    if contract is None:
        return None
    return {"contract": contract, "candidacy": candidacy}
