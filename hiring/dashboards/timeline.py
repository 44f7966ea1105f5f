"""The contract page's timeline: one list of what happened to a contract, newest first.

Read from the rows the other parts write (nothing is stored twice): versions sent,
declined and accepted; change orders proposed and answered; check-ins sent, answered,
skipped and missed; milestones submitted and answered; payments marked paid and
confirmed; the start, the notice and the end. Six queries whatever the contract's
age, plus one for a company member's own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from accounts.models import User
from accounts.money import format_money
from hiring.contracts.common import other_side
from hiring.models import (
    ChangeOrder,
    CheckIn,
    Contract,
    ContractVersion,
    Milestone,
    MilestoneWork,
    Payment,
    Side,
    VersionAcceptance,
)

__all__ = ["SHOWN", "Event", "contract_events"]

#: Events shown at once; older ones sit behind a disclosure.
SHOWN = 25
NOTE_CHARS = 240


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # version, change, checkin, milestone, payment, contract
    title: str
    detail: str = ""
    url: str = ""
    seq: int = 0  # the order of events written at the same moment


def _week(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _note(text: str) -> str:
    return truncatechars(text.strip(), NOTE_CHARS) if text else ""


class _Names:
    """Who did something: the person's name, else their side (an account since deleted)."""

    def __init__(self, contract: Contract) -> None:
        self.company = contract.company.name
        self.engineer = contract.profile.user.display_name

    def side(self, side: str) -> str:
        return self.company if side == Side.COMPANY else self.engineer

    def of(self, user: User | None, side: str) -> str:
        return user.display_name if user is not None else self.side(side)


def contract_events(contract: Contract) -> list[Event]:
    """Everything that happened to ``contract``, newest first."""
    names = _Names(contract)
    pk = contract.pk
    events: list[Event] = []

    def add(at: datetime | None, kind: str, title: str, detail: str = "", url: str = "") -> None:
        if at is not None:
            events.append(Event(at, kind, title, detail, url, len(events)))

    # Versions: sent (a change order's proposal is told as the change order), declined.
    changes = list(
        ChangeOrder.objects.filter(contract=contract)
        .select_related("proposed_by", "answered_by", "proposal")
        .only(
            "side",
            "proposed_at",
            "note",
            "status",
            "answered_at",
            "answer_note",
            "counter_of_id",
            "proposed_by__full_name",
            "proposed_by__email",
            "answered_by__full_name",
            "answered_by__email",
            "proposal__number",
        )
    )
    proposals = {change.proposal_id for change in changes}
    versions = (
        ContractVersion.objects.filter(contract=contract, number__isnull=False)
        .select_related("declined_by")
        .only(
            "number",
            "sent_at",
            "declined_at",
            "declined_side",
            "decline_note",
            "declined_by__full_name",
            "declined_by__email",
        )
        .order_by("number")
    )
    for version in versions:
        url = reverse("hiring:version_print", args=[pk, version.number])
        if version.pk not in proposals:
            add(
                version.sent_at,
                "version",
                f"Version {version.number} sent to {names.engineer}",
                url=url,
            )
        if version.declined_at:
            who = names.of(version.declined_by, version.declined_side)
            add(
                version.declined_at,
                "version",
                f"{who} declined version {version.number}",
                _note(version.decline_note),
                url,
            )
    acceptances = (
        VersionAcceptance.objects.filter(version__contract=contract)
        .select_related("user", "version")
        .only("side", "at", "user__full_name", "user__email", "version__number")
    )
    for acceptance in acceptances:
        number = acceptance.version.number
        add(
            acceptance.at,
            "version",
            f"{names.of(acceptance.user, acceptance.side)} accepted version {number}",
            url=reverse("hiring:version_print", args=[pk, number]) if number else "",
        )
    add(
        contract.started_at,
        "contract",
        "The contract started: both sides accepted the same version",
    )

    for change in changes:
        url = reverse("hiring:change_detail", args=[pk, change.pk])
        who = names.of(change.proposed_by, change.side)
        verb = (
            "countered with a change order" if change.counter_of_id else "proposed a change order"
        )
        add(change.proposed_at, "change", f"{who} {verb}", _note(change.note), url)
        other = other_side(change.side)
        answerer = names.of(change.answered_by, other)
        number = change.proposal.number
        status = ChangeOrder.Status
        title = {
            status.ACCEPTED: f"{answerer} accepted the change order: version {number} is in force",
            status.REJECTED: f"{answerer} rejected the change order",
            status.COUNTERED: f"{answerer} answered the change order with a counter-proposal",
            status.WITHDRAWN: f"{who} withdrew the change order",
            status.LAPSED: "The change order lapsed",
        }.get(change.status)  # type: ignore[call-overload]
        if title:
            add(change.answered_at, "change", title, _note(change.answer_note), url)

    checkins = (
        CheckIn.objects.filter(contract=contract)
        .select_related("skipped_by")
        .only(
            "week_of",
            "status",
            "sent_at",
            "answered_at",
            "health",
            "hours",
            "company_answered_at",
            "skipped_at",
            "skipped_side",
            "missed_at",
            "skipped_by__full_name",
            "skipped_by__email",
        )
    )
    for checkin in checkins:
        url = reverse("hiring:checkin_detail", args=[pk, checkin.pk])
        week = _week(checkin.week_of)
        add(checkin.sent_at, "checkin", f"Check-in for the week of {week} sent")
        if checkin.answered_at:
            how = [checkin.get_health_display()] if checkin.health else []
            if checkin.hours is not None:
                how.append(f"{checkin.hours.normalize():f} hours")
            title = f"{names.engineer} answered the check-in for the week of {week}"
            add(checkin.answered_at, "checkin", title, ", ".join(how), url)
        title = f"{names.company} answered its side of the check-in for the week of {week}"
        add(checkin.company_answered_at, "checkin", title, url=url)
        who = names.of(checkin.skipped_by, checkin.skipped_side or Side.ENGINEER)
        add(checkin.skipped_at, "checkin", f"{who} skipped the check-in for the week of {week}")
        add(
            checkin.missed_at, "checkin", f"The check-in for the week of {week} was missed", url=url
        )

    titles = Milestone.objects.filter(
        version__contract_id=OuterRef("contract_id"),
        key=OuterRef("key"),
        version__number__isnull=False,
    ).order_by("-version__number")
    works = (
        MilestoneWork.objects.filter(contract=contract)
        .select_related("answered_by")
        .only(
            "key",
            "status",
            "submitted_at",
            "submit_note",
            "answered_at",
            "answer_note",
            "deemed",
            "answered_by__full_name",
            "answered_by__email",
        )
        .annotate(title=Subquery(titles.values("title")[:1]))
    )
    for work in works:
        title = f"“{work.title or 'A milestone'}”"  # type: ignore[attr-defined]
        add(
            work.submitted_at,
            "milestone",
            f"{names.engineer} submitted milestone {title}",
            _note(work.submit_note),
        )
        if work.answered_at is None:
            continue
        if work.status == MilestoneWork.Status.ACCEPTED and work.deemed:
            text = f"Milestone {title} deemed accepted: no answer within the agreed days"
        elif work.status == MilestoneWork.Status.ACCEPTED:
            text = f"{names.of(work.answered_by, Side.COMPANY)} accepted milestone {title}"
        else:
            text = (
                f"{names.of(work.answered_by, Side.COMPANY)} asked for changes to milestone {title}"
            )
        add(work.answered_at, "milestone", text, _note(work.answer_note))

    payments = (
        Payment.objects.filter(contract=contract)
        .select_related("paid_by", "confirmed_by")
        .only(
            "label",
            "amount",
            "currency",
            "paid_at",
            "paid_note",
            "confirmed_at",
            "paid_by__full_name",
            "paid_by__email",
            "confirmed_by__full_name",
            "confirmed_by__email",
        )
    )
    for payment in payments:
        amount = (
            format_money(payment.amount, payment.currency) if payment.amount is not None else ""
        )
        what = f"“{payment.label}”" + (f" ({amount})" if amount else "")
        who = names.of(payment.paid_by, Side.COMPANY)
        add(payment.paid_at, "payment", f"{who} marked {what} paid", _note(payment.paid_note))
        who = names.of(payment.confirmed_by, Side.ENGINEER)
        add(payment.confirmed_at, "payment", f"{who} confirmed receiving {what}")

    if contract.end_requested_at:
        who = names.side(contract.end_side) if contract.end_side else "One side"
        until = f"{contract.ends_on.day} {contract.ends_on:%B %Y}" if contract.ends_on else "later"
        add(
            contract.end_requested_at,
            "contract",
            f"{who} gave notice: the contract ends on {until}",
            _note(contract.end_reason),
        )
    add(contract.ended_at, "contract", "The contract ended")
    add(contract.reviews_published_at, "contract", "The reviews were published")

    events.sort(key=lambda e: (e.at, e.seq), reverse=True)
    return events
