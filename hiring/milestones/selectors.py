"""Reads of milestones and payments: the contract page's panel, and the fetches the
views start from (after ``contract_for_user``).

The panel costs three queries whatever the number of milestones and payments: the
milestones of the version in force, the progress of the contract's milestones (by key),
and its payments. Nothing at all before the contract has started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import Http404

from accounts.models import User
from hiring.contracts.common import engineer_today
from hiring.milestones import services
from hiring.milestones.forms import ChangesForm, PaidForm, SubmitForm, bound
from hiring.models import Contract, InvoiceCadence, Milestone, MilestoneWork, Payment, Side

#: Badge classes of each milestone status.
BADGES = {
    MilestoneWork.Status.OPEN: "",
    MilestoneWork.Status.SUBMITTED: "badge--primary",
    MilestoneWork.Status.CHANGES: "badge--warning",
    MilestoneWork.Status.ACCEPTED: "badge--success",
}

#: When a regular invoice's payments appear.
EVERY_PERIOD: dict[str, str] = {
    InvoiceCadence.WEEKLY: "each week",
    InvoiceCadence.FORTNIGHTLY: "every two weeks",
    InvoiceCadence.MONTHLY: "each month",
}


#: What a milestone key can be (``terms.new_milestone_key`` makes hex): anything else in
#: a URL, a NUL byte that PostgreSQL refuses among them, is no milestone.
KEY = re.compile(r"[0-9A-Za-z_-]{1,12}")


def milestone_in_force(contract: Contract, key: str) -> Milestone:
    """The milestone ``key`` of the contract's version in force; 404 for any other key
    (and for every key before the contract has started)."""
    if contract.started_at is None or contract.current_id is None or not KEY.fullmatch(key):
        raise Http404("No such milestone.")
    milestone = Milestone.objects.filter(version_id=contract.current_id, key=key).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


def payment_of(contract: Contract, payment_id: int) -> Payment:
    """One of the contract's payments; 404 for anyone else's."""
    payment = Payment.objects.filter(contract=contract, pk=payment_id).first()
    if payment is None:
        raise Http404("No such payment.")
    return payment


@dataclass
class MilestoneRow:
    milestone: Milestone
    work: MilestoneWork | None
    status: str
    status_label: str
    badge: str
    late: bool
    can_submit: bool = False
    can_answer: bool = False
    can_ask_changes: bool = False
    submit_form: Any = None
    changes_form: Any = None
    #: Which of the row's forms is open (after an error): "submit", "changes" or "".
    open_form: str = ""

    @property
    def key(self) -> str:
        return self.milestone.key


@dataclass
class PaymentRow:
    payment: Payment
    overdue: bool
    can_mark_paid: bool = False
    can_confirm: bool = False
    paid_form: Any = None
    open_form: str = ""


@dataclass
class Panel:
    started: bool
    side: str
    zone: str
    today: date | None = None
    rows: list[MilestoneRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)
    running: bool = False
    cadence_label: str = ""
    #: "each week", "every two weeks", "each month"; empty when paid per milestone.
    every_period: str = ""
    pay_within_days: int = 0
    deem_accept_days: int = 0
    currency: str = ""
    overdue_count: int = 0
    has_open_amounts: bool = False

    @property
    def is_company(self) -> bool:
        return self.side == Side.COMPANY

    def row(self, key: str) -> MilestoneRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def payment_row(self, payment_id: int) -> PaymentRow | None:
        return next((r for r in self.payments if r.payment.pk == payment_id), None)


def _milestone_row(
    milestone: Milestone,
    work: MilestoneWork | None,
    *,
    side: str,
    running: bool,
    today: date,
) -> MilestoneRow:
    status = MilestoneWork.Status(work.status) if work else MilestoneWork.Status.OPEN
    row = MilestoneRow(
        milestone=milestone,
        work=work,
        status=status,
        status_label=status.label,
        badge=BADGES[status],
        late=status != MilestoneWork.Status.ACCEPTED and milestone.due_on < today,
    )
    if side == Side.ENGINEER:
        row.can_submit = running and status in (
            MilestoneWork.Status.OPEN,
            MilestoneWork.Status.CHANGES,
        )
        if row.can_submit:
            row.submit_form = bound(SubmitForm, None, "submit", milestone.key)
    else:
        row.can_answer = status == MilestoneWork.Status.SUBMITTED
        row.can_ask_changes = row.can_answer and running
        if row.can_ask_changes:
            row.changes_form = bound(ChangesForm, None, "changes", milestone.key)
    return row


def _payment_row(payment: Payment, *, side: str, today: date) -> PaymentRow:
    row = PaymentRow(payment=payment, overdue=services.is_overdue(payment, today))
    if side == Side.COMPANY:
        row.can_mark_paid = payment.paid_at is None
        if row.can_mark_paid:
            row.paid_form = bound(PaidForm, None, "paid", payment.pk)
    else:
        row.can_confirm = payment.paid_at is not None and payment.confirmed_at is None
    return row


def contract_panel(*, contract: Contract, side: str, user: User) -> dict[str, Any]:
    """The milestones of the version in force with where each stands, the payments, and
    what this viewer can do to each (``milestones_panel`` in the page's context)."""
    if contract.status == Contract.Status.WITHDRAWN:
        return {"milestones_panel": None}  # the offer was taken back: no work will follow
    zone = contract.profile.time_zone if side == Side.ENGINEER else contract.company.time_zone
    version = contract.current
    if contract.started_at is None or version is None:
        return {"milestones_panel": Panel(started=False, side=side, zone=zone)}
    today = engineer_today(contract)
    running = contract.is_running
    milestones = list(Milestone.objects.filter(version=version).order_by("position", "pk"))
    work = {
        w.key: w
        for w in MilestoneWork.objects.filter(contract=contract).select_related("answered_by")
    }
    payments = list(
        Payment.objects.filter(contract=contract).select_related("paid_by").order_by("due_on", "pk")
    )
    panel = Panel(
        started=True,
        side=side,
        zone=zone,
        today=today,
        running=running,
        cadence_label=version.get_invoice_cadence_display(),
        every_period=EVERY_PERIOD.get(version.invoice_cadence, ""),
        pay_within_days=version.pay_within_days,
        deem_accept_days=version.deem_accept_days,
        currency=version.currency,
        rows=[
            _milestone_row(m, work.get(m.key), side=side, running=running, today=today)
            for m in milestones
        ],
        payments=[_payment_row(p, side=side, today=today) for p in payments],
    )
    panel.overdue_count = sum(1 for p in panel.payments if p.overdue)
    panel.has_open_amounts = any(p.amount is None for p in payments)
    return {"milestones_panel": panel}
