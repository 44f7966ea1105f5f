"""Every write of milestones and payments, and their sweep. Karigar moves no money: it
records what people say (work handed over, accepted, paid, received).

A milestone is named across versions by its ``key``; its progress is one
``MilestoneWork`` row per (contract, key): open → submitted (by the engineer, with a
note and a link) → accepted, or changes asked (by the company, with a note) and then
submitted again. Without an answer within the version's ``deem_accept_days`` the sweep
accepts it (``deemed``) and tells both sides. An accepted milestone with an amount
makes its ``Payment``, due ``pay_within_days`` after the engineer's date of acceptance.

A regular invoice (weekly, every two weeks, monthly) makes one payment per period once
the period is over (hiring.milestones.periods); the unique (contract, period_start)
makes a second sweep a no-op. The company marks a payment paid, the engineer confirms
receipt; an unpaid payment past its due date is reminded once, to both.

Every write locks the contract row first (the user's actions and the sweep alike), so
a submission, an answer and the clock never cross. Emails carry idempotency keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.links import web_link
from accounts.models import Membership, User
from accounts.money import format_money
from hiring.contracts.common import (
    contract_line,
    contract_lock,
    engineer_today,
    side_emails,
    text_clean,
)
from hiring.milestones import periods as invoice
from hiring.milestones.forms import HTTPS_ONLY, PAID_NOTE_MAX
from hiring.models import (
    CheckIn,
    Contract,
    ContractEngagement,
    ContractVersion,
    Milestone,
    MilestoneWork,
    Payment,
    Side,
)

log = logging.getLogger(__name__)

#: Ended contracts are still looked at this long, so that their last period is invoiced.
ENDED_LOOKBACK = timedelta(days=70)


# Reading the terms ---------------------------------------------------------------------------


def last_day(contract: Contract, version: ContractVersion) -> date | None:
    """The contract's last day: the agreed end date, or the date notice ends it, or the
    day it ended, whichever comes first (None: open-ended and running)."""
    days = [d for d in (version.end_on, contract.ends_on) if d is not None]
    if contract.status == Contract.Status.ENDED and contract.ended_at is not None:
        days.append(engineer_today(contract, contract.ended_at))
    return min(days) if days else None


def is_overdue(payment: Payment, today: date) -> bool:
    return payment.paid_at is None and payment.due_on < today


def _https(value: str) -> str:
    link = (value or "").strip()
    if not link:
        return ""
    link = web_link(link, what="The link to the work")
    if not link.lower().startswith("https://"):
        raise Refused(HTTPS_ONLY)
    return link


def _check_company(contract: Contract, user: User, what: str) -> None:
    if not Membership.objects.filter(user=user, company_id=contract.company_id).exists():
        raise NotAllowed(f"Only {contract.company.name}'s team can {what}.")


def _check_engineer(contract: Contract, user: User, what: str) -> None:
    if contract.profile.user_id != user.pk:
        raise NotAllowed(f"Only the engineer on this contract can {what}.")


def _milestone(contract: Contract, key: str) -> Milestone:
    """The milestone ``key`` of the version in force, or Conflict (a change order took it
    away since the page was shown)."""
    found = Milestone.objects.filter(version_id=contract.current_id, key=key).first()
    if found is None:
        raise Conflict(
            "This milestone is not part of the contract in force any more. Reload the "
            "contract page. Nothing was saved."
        )
    return found


def _check_running(contract: Contract, what: str) -> None:
    if not contract.is_running:
        raise Conflict(
            f"This contract is {contract.get_status_display().lower()}: milestones can be "
            f"{what} only while it runs. Nothing was saved."
        )


# The engineer submits ---------------------------------------------------------------------


@transaction.atomic
def milestone_submit(
    *,
    contract: Contract,
    user: User,
    key: str,
    note: str,
    link: str = "",
    now: datetime | None = None,
) -> MilestoneWork:
    """The engineer hands a milestone over with a note (required) and an https link
    (optional). Allowed while the contract runs, for a milestone that is not accepted
    yet (a first submission, or again after changes were asked). The same submission
    posted twice is stored once; the company's team is told by email and in the thread."""
    now = now or timezone.now()
    text = text_clean(note, what="a note saying what you are handing over", required=True)
    url = _https(link)
    locked = contract_lock(contract)
    _check_engineer(locked, user, "submit a milestone")
    _check_running(locked, "submitted")
    milestone = _milestone(locked, key)
    work, _ = MilestoneWork.objects.select_for_update().get_or_create(contract=locked, key=key)
    if work.status == MilestoneWork.Status.ACCEPTED:
        raise Conflict(
            f"“{milestone.title}” is already accepted: there is nothing more to submit. "
            "Nothing was changed."
        )
    if work.status == MilestoneWork.Status.SUBMITTED:
        if work.submit_note == text and work.submit_link == url:
            return work  # the same form posted twice
        raise Conflict(
            f"“{milestone.title}” is already submitted and waiting for "
            f"{locked.company.name}'s answer. To add something, write to them in your "
            "conversation. Nothing was changed."
        )
    again = work.status == MilestoneWork.Status.CHANGES
    work.status = MilestoneWork.Status.SUBMITTED
    work.submitted_at = now
    work.submit_note = text
    work.submit_link = url
    work.save(update_fields=["status", "submitted_at", "submit_note", "submit_link"])
    engineer = locked.profile.user
    contract_line(
        locked,
        f"{engineer.display_name} {'resubmitted' if again else 'submitted'} the milestone "
        f"“{milestone.title}” for review.",
        engineer_sees_new=False,
    )
    days = locked.current.deem_accept_days if locked.current else 0
    for to in side_emails(locked, Side.COMPANY):
        email_send(
            to=to,
            template="hiring/milestones/email/submitted",
            context=_context(locked, milestone=milestone, work=work, again=again, deem_days=days),
            key=f"milestone-submitted:{work.pk}:{now.isoformat()}:{to}",
        )
    return work


# The company answers ----------------------------------------------------------------------


#: Why a milestone cannot be answered, by its status ("": never submitted).
WAITING: dict[str, str] = {
    "": "has not been submitted yet",
    MilestoneWork.Status.OPEN: "has not been submitted yet",
    MilestoneWork.Status.CHANGES: "is waiting for the engineer's changes",
    MilestoneWork.Status.ACCEPTED: "is already accepted",
}


def _submitted(contract: Contract, key: str, milestone: Milestone) -> MilestoneWork:
    work = MilestoneWork.objects.select_for_update().filter(contract=contract, key=key).first()
    if work is None or work.status != MilestoneWork.Status.SUBMITTED:
        state = WAITING.get(work.status if work else "", WAITING[""])
        raise Conflict(
            f"“{milestone.title}” {state}: only a submitted milestone can be answered. "
            "Nothing was changed."
        )
    return work


@transaction.atomic
def milestone_accept(
    *, contract: Contract, user: User, key: str, now: datetime | None = None
) -> MilestoneWork:
    """The company accepts a submitted milestone. Its payment is made when it has an
    amount; the engineer is told by email and in the thread."""
    now = now or timezone.now()
    locked = contract_lock(contract)
    _check_company(locked, user, "accept a milestone")
    milestone = _milestone(locked, key)
    work = _submitted(locked, key, milestone)
    work.status = MilestoneWork.Status.ACCEPTED
    work.answered_at = now
    work.answered_by = user
    work.answer_note = ""
    work.save(update_fields=["status", "answered_at", "answered_by", "answer_note"])
    payment = _milestone_payment(locked, milestone, now)
    contract_line(
        locked,
        f"{user.display_name} accepted the milestone “{milestone.title}”.",
        engineer_sees_new=True,
    )
    engineer = locked.profile.user
    email_send(
        to=engineer.email,
        template="hiring/milestones/email/accepted",
        context=_context(locked, milestone=milestone, work=work, payment=payment, by=user),
        key=f"milestone-accepted:{work.pk}",
    )
    return work


@transaction.atomic
def milestone_changes(
    *, contract: Contract, user: User, key: str, note: str, now: datetime | None = None
) -> MilestoneWork:
    """The company asks for changes to a submitted milestone, saying what (required),
    while the contract runs; the engineer is told and may submit again."""
    now = now or timezone.now()
    text = text_clean(note, what="what needs to change", required=True)
    locked = contract_lock(contract)
    _check_company(locked, user, "ask for changes")
    _check_running(locked, "sent back")
    milestone = _milestone(locked, key)
    work = _submitted(locked, key, milestone)
    submitted_at = work.submitted_at
    work.status = MilestoneWork.Status.CHANGES
    work.answered_at = now
    work.answered_by = user
    work.answer_note = text
    work.save(update_fields=["status", "answered_at", "answered_by", "answer_note"])
    contract_line(
        locked,
        f"{user.display_name} asked for changes to the milestone “{milestone.title}”.",
        engineer_sees_new=True,
    )
    email_send(
        to=locked.profile.user.email,
        template="hiring/milestones/email/changes",
        context=_context(locked, milestone=milestone, work=work, by=user),
        key=f"milestone-changes:{work.pk}:{submitted_at.isoformat() if submitted_at else ''}",
    )
    return work


def _milestone_payment(contract: Contract, milestone: Milestone, now: datetime) -> Payment | None:
    """The payment an accepted milestone calls for (None without an amount), due
    ``pay_within_days`` after the engineer's date of acceptance. Made once."""
    version = contract.current
    if version is None or not milestone.amount:
        return None
    payment, _ = Payment.objects.get_or_create(
        contract=contract,
        milestone_key=milestone.key,
        defaults={
            "label": f"{milestone.title[:140]} (milestone)",
            "amount": milestone.amount,
            "currency": version.currency,
            "due_on": engineer_today(contract, now) + timedelta(days=version.pay_within_days),
        },
    )
    return payment


# Payments -----------------------------------------------------------------------------------


def _payment(contract: Contract, payment_id: int) -> Payment:
    found = Payment.objects.select_for_update().filter(contract=contract, pk=payment_id).first()
    if found is None:  # the views' fetch checks it first
        raise Conflict("This payment is not part of this contract.")
    return found


@transaction.atomic
def payment_paid(
    *, contract: Contract, user: User, payment_id: int, note: str = "", now: datetime | None = None
) -> Payment:
    """The company says it paid, with an optional reference; the engineer is asked to
    confirm receipt (by email and in the thread)."""
    now = now or timezone.now()
    text = text_clean(note, what="the reference", required=False, limit=PAID_NOTE_MAX)
    locked = contract_lock(contract)
    _check_company(locked, user, "mark a payment paid")
    payment = _payment(locked, payment_id)
    if payment.paid_at is not None:
        paid_on = timezone.localtime(payment.paid_at, ZoneInfo(locked.company.time_zone))
        raise Conflict(
            f"“{payment.label}” is already marked paid (on {paid_on.day} {paid_on:%b %Y}). "
            "Nothing was changed."
        )
    payment.paid_at = now
    payment.paid_by = user
    payment.paid_note = text
    payment.save(update_fields=["paid_at", "paid_by", "paid_note"])
    contract_line(
        locked,
        f"{user.display_name} marked “{payment.label}” paid"
        f"{' (' + _amount(payment) + ')' if payment.amount is not None else ''}.",
        engineer_sees_new=True,
    )
    email_send(
        to=locked.profile.user.email,
        template="hiring/milestones/email/paid",
        context=_context(locked, payment=payment, by=user),
        key=f"payment-paid:{payment.pk}",
    )
    return payment


@transaction.atomic
def payment_confirm(
    *, contract: Contract, user: User, payment_id: int, now: datetime | None = None
) -> Payment:
    """The engineer confirms they received a payment the company marked paid."""
    now = now or timezone.now()
    locked = contract_lock(contract)
    _check_engineer(locked, user, "confirm receipt of a payment")
    payment = _payment(locked, payment_id)
    if payment.paid_at is None:
        raise Conflict(
            f"{locked.company.name} has not marked “{payment.label}” paid yet: you can "
            "confirm receipt once they have. Nothing was changed."
        )
    if payment.confirmed_at is not None:
        raise Conflict(f"You already confirmed receiving “{payment.label}”. Nothing was changed.")
    payment.confirmed_at = now
    payment.confirmed_by = user
    payment.save(update_fields=["confirmed_at", "confirmed_by"])
    contract_line(
        locked,
        f"{user.display_name} confirmed receiving “{payment.label}”.",
        engineer_sees_new=False,
    )
    return payment


# The sweep ------------------------------------------------------------------------------------


def milestone_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Every 15 minutes (beat): (a) submitted milestones left unanswered for the agreed
    days are deemed accepted, both sides told; (b) each invoice period that is over gets
    its payment; (c) each unpaid payment past its due date is reminded once, to both.
    Safe to run twice: each step claims its rows with a conditional update or a unique
    constraint, and each email has its key. Returns what was done, by kind."""
    now = now or timezone.now()
    return {
        "deemed": _deem_due(now),
        "periods": _periods_due(now),
        "overdue": _overdue_due(now),
    }


def _deem_due(now: datetime) -> int:
    # deem_accept_days is at least 1: nothing submitted within the last day is due.
    waiting = (
        MilestoneWork.objects.filter(
            status=MilestoneWork.Status.SUBMITTED, submitted_at__lte=now - timedelta(days=1)
        )
        .select_related("contract__current")
        .order_by("submitted_at", "pk")
    )
    done = 0
    for work in waiting:
        version = work.contract.current
        if version is None or work.submitted_at is None:
            continue
        if work.submitted_at + timedelta(days=version.deem_accept_days) > now:
            continue
        if _deem(work.pk, now):
            done += 1
    return done


@transaction.atomic
def _deem(work_id: int, now: datetime) -> bool:
    """Accept one unanswered milestone by the clock; False if someone answered it (or a
    sweep deemed it) first, or the terms in force say it is not due yet."""
    work = MilestoneWork.objects.filter(pk=work_id).first()
    if work is None:
        return False
    locked = contract_lock(work.contract)
    version = locked.current
    milestone = Milestone.objects.filter(version=version, key=work.key).first()
    if version is None or milestone is None:
        return False
    due = now - timedelta(days=version.deem_accept_days)
    claimed = MilestoneWork.objects.filter(
        pk=work_id, status=MilestoneWork.Status.SUBMITTED, submitted_at__lte=due
    ).update(status=MilestoneWork.Status.ACCEPTED, deemed=True, answered_at=now, answered_by=None)
    if not claimed:
        return False
    work.refresh_from_db()
    payment = _milestone_payment(locked, milestone, now)
    contract_line(
        locked,
        f"The milestone “{milestone.title}” is accepted: it had no answer within "
        f"{version.deem_accept_days} day{'s' if version.deem_accept_days != 1 else ''} of being "
        "submitted, as the contract says.",
        engineer_sees_new=True,
    )
    context = _context(locked, milestone=milestone, work=work, payment=payment)
    for to, for_engineer in _both(locked):
        email_send(
            to=to,
            template="hiring/milestones/email/deemed",
            context={**context, "for_engineer": for_engineer},
            key=f"milestone-deemed:{work.pk}:{to}",
        )
    return True


def _periods_due(now: datetime) -> int:
    running = Q(status__in=(Contract.Status.ACTIVE, Contract.Status.ENDING))
    ended = Q(status=Contract.Status.ENDED, ended_at__gte=now - ENDED_LOOKBACK)
    contracts = (
        Contract.objects.filter(running | ended, started_at__isnull=False)
        .filter(current__invoice_cadence__in=invoice.REGULAR)
        .select_related("current", "profile")
        .order_by("pk")
    )
    return sum(_periods_make(contract, now) for contract in contracts)


@transaction.atomic
def _periods_make(contract: Contract, now: datetime) -> int:
    """The payments of ``contract``'s periods that are over and not made yet."""
    version = contract.current
    if version is None:
        return 0
    over = invoice.invoice_periods(
        cadence=version.invoice_cadence,
        first_day=version.start_on,
        last_day=last_day(contract, version),
        today=engineer_today(contract, now),
    )
    made = set(
        Payment.objects.filter(contract=contract, period_start__isnull=False).values_list(
            "period_start", flat=True
        )
    )
    missing = [p for p in over if p.start not in made]
    if not missing:
        return 0
    hours: dict[date, Any] = {}
    if version.engagement == ContractEngagement.HOURLY:
        hours = invoice.weekly_hours(
            CheckIn.objects.filter(
                contract=contract,
                status=CheckIn.Status.ANSWERED,
                week_of__gte=missing[0].block_start,
                week_of__lte=missing[-1].end,
            ).values_list("week_of", "hours")
        )
    Payment.objects.bulk_create(
        [
            Payment(
                contract=contract,
                period_start=period.start,
                period_end=period.end,
                label=period.label,
                amount=invoice.period_amount(
                    period, engagement=version.engagement, rate=version.rate, hours_by_week=hours
                ),
                currency=version.currency,
                due_on=period.end + timedelta(days=version.pay_within_days),
            )
            for period in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def _overdue_due(now: datetime) -> int:
    # Every zone's today is at most one day after UTC's: the exact test is per engineer.
    unpaid = (
        Payment.objects.filter(
            paid_at__isnull=True,
            overdue_reminded_at__isnull=True,
            due_on__lt=now.date() + timedelta(days=1),
        )
        .select_related("contract__profile")
        .order_by("due_on", "pk")
    )
    done = 0
    for payment in unpaid:
        if is_overdue(payment, engineer_today(payment.contract, now)) and _remind(payment, now):
            done += 1
    return done


@transaction.atomic
def _remind(payment: Payment, now: datetime) -> bool:
    """Claim one overdue reminder, then tell both sides; False if paid or reminded since."""
    locked = contract_lock(payment.contract)
    claimed = Payment.objects.filter(
        pk=payment.pk, paid_at__isnull=True, overdue_reminded_at__isnull=True
    ).update(overdue_reminded_at=now)
    if not claimed:
        return False
    payment.refresh_from_db()
    context = _context(locked, payment=payment)
    for to, for_engineer in _both(locked):
        email_send(
            to=to,
            template="hiring/milestones/email/overdue",
            context={**context, "for_engineer": for_engineer},
            key=f"payment-overdue:{payment.pk}:{to}",
        )
    return True


# Emails ---------------------------------------------------------------------------------------


def _both(contract: Contract) -> Iterable[tuple[str, bool]]:
    """Both sides of a contract: the engineer, then the team members who hear of it."""
    for side in (Side.ENGINEER, Side.COMPANY):
        for to in side_emails(contract, side):
            yield to, side == Side.ENGINEER


def _amount(payment: Payment) -> str:
    return format_money(payment.amount, payment.currency) if payment.amount is not None else ""


def _context(contract: Contract, **extra: Any) -> dict[str, Any]:
    payment = extra.get("payment")
    context: dict[str, Any] = {
        "contract": contract,
        "version": contract.current,
        "company": contract.company,
        "engineer": contract.profile.user,
        "url": absolute(reverse("hiring:contract_detail", args=[contract.pk]) + "#milestones"),
        "amount": _amount(payment) if payment is not None else "",
    }
    work = extra.get("work")
    if work is not None and work.submitted_at is not None:
        context["submitted_on"] = engineer_today(contract, work.submitted_at)
    context.update(extra)
    return context
