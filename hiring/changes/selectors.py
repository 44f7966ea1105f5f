"""Reads of scope changes: which milestones may still change, a change order shown as a
difference from the version in force, the history of versions, the contract page's panel.

A milestone may change only while it lies ahead: due today or later in the engineer's
zone, and its work (``MilestoneWork``), if any, still open. Every other one is shown
read-only and copied unchanged into a proposal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.formats import date_format

from accounts.models import User
from accounts.money import format_money
from hiring.contracts import terms
from hiring.contracts.common import engineer_today
from hiring.models import (
    ChangeOrder,
    Contract,
    ContractEngagement,
    ContractVersion,
    InvoiceCadence,
    Milestone,
    MilestoneWork,
    Side,
    VersionAcceptance,
    Weekday,
)

#: A version's milestones in their order, without the model's ordering by version (which
#: joins the versions and contracts only to sort).
_MILESTONES = Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))


# Fetching ---------------------------------------------------------------------------------


def get_change(contract: Contract, change_pk: int, *, for_update: bool = False) -> ChangeOrder:
    """A change order of this contract (whose access the caller has checked), or 404."""
    qs = ChangeOrder.objects.select_related(
        "base", "proposal", "proposed_by", "answered_by", "counter_of__proposed_by"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    change = qs.filter(pk=change_pk, contract=contract).first()
    if change is None:
        raise Http404("No such change order.")
    change.contract = contract
    return change


def open_change(contract: Contract) -> ChangeOrder | None:
    return (
        ChangeOrder.objects.filter(contract=contract, status=ChangeOrder.Status.OPEN)
        .select_related("proposed_by", "base", "proposal")
        .first()
    )


# Which milestones may change -----------------------------------------------------------------

WORK_LOCKS = {
    MilestoneWork.Status.SUBMITTED: "its work was submitted",
    MilestoneWork.Status.CHANGES: "its work was submitted and changes were asked",
    MilestoneWork.Status.ACCEPTED: "its work was accepted",
}


@dataclass(frozen=True)
class MilestoneState:
    """A milestone of the version in force, and whether a change order may touch it."""

    milestone: Milestone
    why_locked: str = ""  # empty: it lies ahead and may change

    @property
    def editable(self) -> bool:
        return not self.why_locked


def milestone_states(
    contract: Contract, version: ContractVersion, *, today: date | None = None
) -> list[MilestoneState]:
    """Each milestone of ``version`` (the one in force), in order, with why it is locked."""
    today = today or engineer_today(contract)
    milestones = sorted(version.milestones.all(), key=lambda m: (m.position, m.pk))
    work = dict(
        MilestoneWork.objects.filter(
            contract=contract, key__in=[m.key for m in milestones]
        ).values_list("key", "status")
    )
    states = []
    for m in milestones:
        status = work.get(m.key, MilestoneWork.Status.OPEN)
        if status != MilestoneWork.Status.OPEN:
            why = WORK_LOCKS.get(MilestoneWork.Status(status), "its work has begun")
        elif m.due_on < today:
            why = "its due date has passed"
        else:
            why = ""
        states.append(MilestoneState(m, why))
    return states


def work_locked_keys(contract: Contract, keys: Iterable[str]) -> dict[str, str]:
    """The milestones (by key) whose work is no longer open, with why."""
    rows = MilestoneWork.objects.filter(contract=contract, key__in=list(keys)).exclude(
        status=MilestoneWork.Status.OPEN
    )
    return {
        key: WORK_LOCKS.get(MilestoneWork.Status(status), "its work has begun")
        for key, status in rows.values_list("key", "status")
    }


# A change shown as a difference -----------------------------------------------------------------

_TERM_BY_LABEL = {terms.label(name): name for name in terms.TERM_FIELDS}
_MILESTONE_BY_LABEL = {
    str(getattr(Milestone._meta.get_field(name), "verbose_name", name)): name
    for name in terms.MILESTONE_FIELDS
}
_CHOICES: dict[str, dict[str, str]] = {
    "engagement": {str(k): str(v) for k, v in ContractEngagement.choices},
    "invoice_cadence": {str(k): str(v) for k, v in InvoiceCadence.choices},
    "checkin_weekday": {str(k): str(v) for k, v in Weekday.choices},
    "call_weekday": {str(k): str(v) for k, v in Weekday.choices},
}
_UNITS = {"hourly": "/hour", "monthly": "/month", "fixed": ""}


@dataclass(frozen=True)
class Row:
    """One line of a difference: ``what`` changes from ``before`` to ``after``."""

    what: str
    before: str
    after: str
    long: bool = False  # long text (the scope): shown as paragraphs


def _day(value: Any) -> str:
    if not value:
        return ""
    try:
        return date_format(date.fromisoformat(str(value)), "j M Y")
    except ValueError:
        return str(value)


def _money(value: Any, currency: str, unit: str = "") -> str:
    if value in (None, ""):
        return ""
    try:
        return format_money(Decimal(str(value)), f"{currency}{unit}")
    except (InvalidOperation, ValueError):
        return str(value)


def _term_text(name: str, value: Any, data: dict[str, Any]) -> str:
    if name == "rate":
        return _money(value, data["currency"], _UNITS.get(data["engagement"], ""))
    if name in ("start_on",):
        return _day(value)
    if name == "end_on":
        return _day(value) if value else "Open-ended"
    if name == "hours_cap":
        return f"{value} hours a week" if value else "No cap"
    if name in _CHOICES:
        return _CHOICES[name].get(str(value), str(value)) if value != "" else "None"
    if name == "tools":
        return ", ".join(str(t.get("url", t)) for t in value) if value else "None"
    if value in ("", None):
        return "None"
    return str(value)


def _milestone_text(name: str, value: Any, currency: str) -> str:
    if name == "due_on":
        return _day(value)
    if name == "amount":
        return _money(value, currency) or "No amount"
    return str(value)


def _milestone_summary(m: dict[str, Any], currency: str) -> str:
    parts = [f"due {_day(m['due_on'])}"]
    if m.get("amount") not in (None, ""):
        parts.append(_money(m["amount"], currency))
    return ", ".join(parts)


def _by_title(data: dict[str, Any], what: str) -> dict[str, Any] | None:
    title = what.removeprefix("Milestone “").removesuffix("”")
    return next((m for m in data.get("milestones", []) if m["title"] == title), None)


def change_rows(old: dict[str, Any], new: dict[str, Any]) -> list[Row]:
    """``terms.diff(old, new)`` as people read it: money with its currency, dates, labels."""
    rows = []
    currency = str(new.get("currency") or old.get("currency") or "USD")
    for change in terms.diff(old, new):
        name = _TERM_BY_LABEL.get(change.what)
        if name is not None:
            rows.append(
                Row(
                    change.what[:1].upper() + change.what[1:],
                    _term_text(name, change.before, old),
                    _term_text(name, change.after, new),
                    long=name == "scope",
                )
            )
            continue
        if ": " in change.what:  # Milestone “X”: due date
            head, _, label = change.what.rpartition(": ")
            part = _MILESTONE_BY_LABEL.get(label, "")
            rows.append(
                Row(
                    change.what,
                    _milestone_text(part, change.before, currency),
                    _milestone_text(part, change.after, currency),
                    long=part == "acceptance_criteria",
                )
            )
        elif change.after == "added":
            added = _by_title(new, change.what)
            summary = _milestone_summary(added, currency) if added else ""
            rows.append(Row(change.what, "Not in the contract", f"Added: {summary}".rstrip(": ")))
        else:
            removed = _by_title(old, change.what)
            summary = _milestone_summary(removed, currency) if removed else ""
            rows.append(Row(change.what, summary or "In the contract", "Removed"))
    return rows


@dataclass(frozen=True)
class Effect:
    """What a change does to the total amount and to the end date."""

    currency: str
    total_before: Decimal | None
    total_after: Decimal | None
    end_before: date | None
    end_after: date | None
    engagement: str

    @property
    def total_difference(self) -> Decimal | None:
        if self.total_before is None or self.total_after is None:
            return None
        return self.total_after - self.total_before

    @property
    def total_moves(self) -> bool:
        return self.total_before != self.total_after

    @property
    def end_days(self) -> int | None:
        """Days the end moves (later: positive); None when either side is open-ended."""
        if self.end_before is None or self.end_after is None:
            return None
        return (self.end_after - self.end_before).days

    @property
    def end_moves(self) -> bool:
        return self.end_before != self.end_after

    @property
    def end_days_abs(self) -> int:
        return abs(self.end_days or 0)


def _date_or_none(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def effect(old: dict[str, Any], new: dict[str, Any]) -> Effect:
    return Effect(
        currency=str(new["currency"]),
        total_before=terms.total(old),
        total_after=terms.total(new),
        end_before=_date_or_none(old["end_on"]),
        end_after=_date_or_none(new["end_on"]),
        engagement=str(new["engagement"]),
    )


@dataclass
class ChangeView:
    """A change order as its page shows it."""

    change: ChangeOrder
    rows: list[Row]
    effect: Effect
    base_number: int | None
    stale: bool  # its base is no longer the version in force
    countered_by: ChangeOrder | None = None

    @property
    def before_label(self) -> str:
        return f"Version {self.base_number}"


def change_view(contract: Contract, change: ChangeOrder) -> ChangeView:
    """The change against its base (the version in force when proposed): rows and effect.
    Three queries: both versions' milestones (one), and the counter that answered it."""
    prefetch_related_objects([change.base, change.proposal], _MILESTONES)
    old, new = terms.content(change.base), terms.content(change.proposal)
    countered_by = None
    if change.status == ChangeOrder.Status.COUNTERED:
        countered_by = change.counters.select_related("proposed_by").first()
    return ChangeView(
        change=change,
        rows=change_rows(old, new),
        effect=effect(old, new),
        base_number=change.base.number,
        stale=change.status == ChangeOrder.Status.OPEN and change.base_id != contract.current_id,
        countered_by=countered_by,
    )


def change_summary(old: dict[str, Any], new: dict[str, Any], *, limit: int = 4) -> str:
    """A short line of what a change touches: "Rate, End date and 2 more"."""
    whats = [row.what for row in change_rows(old, new)]
    if not whats:
        return "No difference"
    shown = whats[:limit]
    more = len(whats) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


# The history of versions ----------------------------------------------------------------------


@dataclass
class VersionEntry:
    version: ContractVersion
    rows: list[Row]
    effect: Effect | None
    acceptances: list[VersionAcceptance]
    made_by: ChangeOrder | None  # the accepted change order that made it (none for version 1)
    previous_number: int | None = None

    @property
    def caption(self) -> str:
        return f"What version {self.version.number} changed from version {self.previous_number}"

    @property
    def before_label(self) -> str:
        return f"Version {self.previous_number}"

    @property
    def after_label(self) -> str:
        return f"Version {self.version.number}"


@dataclass
class History:
    versions: list[VersionEntry]
    not_made: list[tuple[ChangeOrder, str]]  # change orders never accepted, with a summary
    waiting: ChangeOrder | None


def history(contract: Contract) -> History:
    """Every numbered version, newest first, each with its difference from the one before,
    its acceptances and the change order that made it; then the change orders that were
    not accepted. Four queries whatever the number of versions or change orders."""
    # Every sent version: the numbered ones and the proposals of change orders.
    sent = list(
        ContractVersion.objects.filter(contract=contract, sent_at__isnull=False)
        .order_by("number", "pk")
        .prefetch_related(
            _MILESTONES,
            Prefetch(
                "acceptances",
                queryset=VersionAcceptance.objects.select_related("user").order_by("at", "pk"),
            ),
        )
    )
    versions = [v for v in sent if v.number is not None]
    changes = list(
        ChangeOrder.objects.filter(contract=contract)
        .select_related("proposed_by", "answered_by")
        .order_by("-proposed_at", "-pk")
    )
    by_pk = {v.pk: v for v in sent}
    for change in changes:
        if change.base_id in by_pk:
            change.base = by_pk[change.base_id]
    contents = {v.pk: terms.content(v) for v in sent}
    made_by = {c.proposal_id: c for c in changes if c.status == ChangeOrder.Status.ACCEPTED}

    entries = []
    for before, version in zip([None, *versions], versions, strict=False):
        new = contents[version.pk]
        old = contents[before.pk] if before is not None else None
        entries.append(
            VersionEntry(
                version=version,
                rows=change_rows(old, new) if old is not None else [],
                effect=effect(old, new) if old is not None else None,
                acceptances=list(version.acceptances.all()),
                made_by=made_by.get(version.pk),
                previous_number=before.number if before is not None else None,
            )
        )
    entries.reverse()
    not_made = [
        (c, change_summary(contents[c.base_id], contents[c.proposal_id]))
        for c in changes
        if c.status not in (ChangeOrder.Status.ACCEPTED, ChangeOrder.Status.OPEN)
        and c.base_id in contents
        and c.proposal_id in contents
    ]
    waiting = next((c for c in changes if c.status == ChangeOrder.Status.OPEN), None)
    return History(versions=entries, not_made=not_made, waiting=waiting)


# The contract page's panel -------------------------------------------------------------------


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The open change order (who proposed it, what it touches), "Propose a change" while
    the contract is active, and the history. One query, two with an open change order."""
    if contract.current is None or contract.current.number is None:
        return {"changes_panel": None}
    if contract.status not in (
        Contract.Status.ACTIVE,
        Contract.Status.ENDING,
        Contract.Status.ENDED,
    ):
        return {"changes_panel": None}
    waiting = open_change(contract) if contract.status == Contract.Status.ACTIVE else None
    summary = ""
    if waiting is not None:
        prefetch_related_objects([waiting.base, waiting.proposal], _MILESTONES)
        summary = change_summary(terms.content(waiting.base), terms.content(waiting.proposal))
    return {
        "changes_panel": {
            "waiting": waiting,
            "summary": summary,
            "mine": waiting is not None and waiting.side == side,
            "can_propose": contract.status == Contract.Status.ACTIVE and waiting is None,
            "number": contract.current.number,
            # The page's own zone without a query: the engineer's, or the company's.
            "zone": contract.profile.time_zone
            if side == Side.ENGINEER
            else contract.company.time_zone,
        }
    }
