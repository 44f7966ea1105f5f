"""The milestone sweep: deemed acceptance after the agreed days (not a minute early), the
payments of invoice periods once they are over, and one reminder of an overdue payment.
Run twice, it does everything once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import User
from candidates.models import Profile
from hiring.milestones import services
from hiring.milestones.periods import span_label
from hiring.milestones.services import milestone_sweep
from hiring.models import CheckIn, Contract, MilestoneWork, Payment
from searches.models import Brief
from tests.factories import BriefFactory
from tests.milestones.conftest import NOTE, emails, first, lines, make_contract

pytestmark = pytest.mark.django_db

SUBMITTED = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 14:30 in Karachi
NOTHING = {"deemed": 0, "periods": 0, "overdue": 0}


# Deemed acceptance ---------------------------------------------------------------------------


def submitted(contract: Contract, engineer: User, at: datetime = SUBMITTED) -> MilestoneWork:
    return services.milestone_submit(
        contract=contract, user=engineer, key=first(contract).key, note=NOTE, now=at
    )


def test_it_is_deemed_accepted_after_the_agreed_days_and_not_a_minute_early(
    contract: Contract, owner: User, engineer: User
) -> None:
    work = submitted(contract, engineer)
    due = SUBMITTED + timedelta(days=7)

    assert milestone_sweep(now=due - timedelta(minutes=1))["deemed"] == 0
    work.refresh_from_db()
    assert work.status == MilestoneWork.Status.SUBMITTED

    assert milestone_sweep(now=due)["deemed"] == 1
    assert milestone_sweep(now=due + timedelta(minutes=15)) == NOTHING

    work.refresh_from_db()
    assert work.status == MilestoneWork.Status.ACCEPTED
    assert work.deemed and work.answered_at == due and work.answered_by is None
    told = emails("deemed")
    assert sorted(e.to for e in told) == sorted([engineer.email, owner.email])
    for email in told:
        assert "no answer within 7 days" in email.subject
        assert "3 Dec 2026" in email.body_text
    payment = Payment.objects.get()
    # Accepted on 10 Dec at 14:30 in Karachi: due 14 days later.
    assert payment.due_on == date(2026, 12, 24)
    assert payment.amount == Decimal("3000.00")
    assert "USD 3,000" in told[0].body_text and "24 Dec 2026" in told[0].body_text
    assert any("no answer within 7 days" in line for line in lines(contract))


def test_the_days_are_those_of_the_version_in_force(
    brief: Brief, profile: Profile, owner: User, engineer: User
) -> None:
    contract = make_contract(brief, profile, owner, deem_accept_days=3)
    submitted(contract, engineer)

    assert milestone_sweep(now=SUBMITTED + timedelta(days=3, seconds=-1))["deemed"] == 0
    assert milestone_sweep(now=SUBMITTED + timedelta(days=3))["deemed"] == 1


def test_an_answered_or_resubmitted_milestone_is_not_deemed_early(
    contract: Contract, owner: User, engineer: User
) -> None:
    key = first(contract).key
    submitted(contract, engineer)
    services.milestone_changes(
        contract=contract, user=owner, key=key, note="Redo", now=SUBMITTED + timedelta(days=2)
    )
    assert milestone_sweep(now=SUBMITTED + timedelta(days=8))["deemed"] == 0

    again = SUBMITTED + timedelta(days=9)
    services.milestone_submit(contract=contract, user=engineer, key=key, note="Redone", now=again)

    assert milestone_sweep(now=again + timedelta(days=7, minutes=-1))["deemed"] == 0
    assert milestone_sweep(now=again + timedelta(days=7))["deemed"] == 1


# Invoice periods ------------------------------------------------------------------------------


def periods(contract: Contract) -> list[tuple[str, Any, date]]:
    return [
        (p.label, p.amount, p.due_on)
        for p in Payment.objects.filter(contract=contract).order_by("period_start")
    ]


def test_monthly_periods_pay_the_rate_pro_rata_for_partial_months(
    brief: Brief, profile: Profile, owner: User
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=0,
        engagement="monthly",
        rate=Decimal("3000"),
        currency="USD",
        invoice_cadence="monthly",
        pay_within_days=10,
        start_on=date(2026, 11, 16),
        end_on=date(2027, 2, 10),
    )
    late = datetime(2027, 3, 20, tzinfo=UTC)

    assert milestone_sweep(now=late)["periods"] == 4
    assert milestone_sweep(now=late)["periods"] == 0

    assert periods(contract) == [
        ("Invoice 16–30 Nov 2026", Decimal("1500.00"), date(2026, 12, 10)),
        ("Invoice 1–31 Dec 2026", Decimal("3000.00"), date(2027, 1, 10)),
        ("Invoice 1–31 Jan 2027", Decimal("3000.00"), date(2027, 2, 10)),
        ("Invoice 1–10 Feb 2027", Decimal("1071.43"), date(2027, 2, 20)),
    ]


def test_a_period_is_made_once_it_is_over_in_the_engineers_zone(
    brief: Brief, profile: Profile, owner: User
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=0,
        engagement="monthly",
        rate=Decimal("450000"),
        currency="PKR",
        invoice_cadence="weekly",
        start_on=date(2026, 11, 30),
        end_on=None,
    )
    # Sunday 6 Dec 23:59 in Karachi (UTC+5): the first week is not over yet.
    assert milestone_sweep(now=datetime(2026, 12, 6, 18, 59, tzinfo=UTC))["periods"] == 0
    # Monday 7 Dec 00:00 in Karachi.
    assert milestone_sweep(now=datetime(2026, 12, 6, 19, 0, tzinfo=UTC))["periods"] == 1

    [(label, amount, due)] = periods(contract)
    assert label == "Invoice 30 Nov – 6 Dec 2026"
    # 1 day of November (1/30) and 6 of December (6/31) of PKR 450,000.
    assert amount == Decimal("102096.77")
    assert due == date(2026, 12, 20)


def test_hourly_periods_use_the_hours_written_in_answered_check_ins(
    brief: Brief, profile: Profile, owner: User
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=0,
        engagement="hourly",
        rate=Decimal("30"),
        hours_cap=30,
        invoice_cadence="weekly",
        pay_within_days=7,
        start_on=date(2026, 12, 1),  # a Tuesday
        end_on=date(2026, 12, 23),
    )
    due_at = datetime(2026, 12, 4, 11, tzinfo=UTC)
    for week_of, status, hours in (
        (date(2026, 11, 30), CheckIn.Status.ANSWERED, Decimal("12.5")),
        (date(2026, 12, 7), CheckIn.Status.ANSWERED, Decimal("20")),
        (date(2026, 12, 14), CheckIn.Status.ANSWERED, None),  # no hours written
        (date(2026, 12, 21), CheckIn.Status.MISSED, None),
    ):
        CheckIn.objects.create(
            contract=contract, week_of=week_of, due_at=due_at, status=status, hours=hours
        )

    assert milestone_sweep(now=datetime(2027, 1, 5, tzinfo=UTC))["periods"] == 4

    assert periods(contract) == [
        ("Invoice 1–6 Dec 2026", Decimal("375.00"), date(2026, 12, 13)),
        ("Invoice 7–13 Dec 2026", Decimal("600.00"), date(2026, 12, 20)),
        ("Invoice 14–20 Dec 2026", None, date(2026, 12, 27)),
        ("Invoice 21–23 Dec 2026", None, date(2026, 12, 30)),
    ]


def test_fixed_price_with_a_regular_invoice_leaves_the_amount_open(
    brief: Brief, profile: Profile, owner: User
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        invoice_cadence="fortnightly",
        start_on=date(2026, 12, 2),  # a Wednesday: blocks start on Monday 30 Nov
    )

    assert milestone_sweep(now=datetime(2026, 12, 29, tzinfo=UTC))["periods"] == 2

    assert periods(contract) == [
        ("Invoice 2–13 Dec 2026", None, date(2026, 12, 27)),
        ("Invoice 14–27 Dec 2026", None, date(2027, 1, 10)),
    ]


def test_paying_per_milestone_makes_no_periods(contract: Contract) -> None:
    assert milestone_sweep(now=datetime(2027, 6, 1, tzinfo=UTC))["periods"] == 0
    assert not Payment.objects.exists()


def test_no_period_after_the_notice_ends_the_contract(
    brief: Brief, profile: Profile, owner: User
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=0,
        engagement="monthly",
        rate=Decimal("3100"),
        invoice_cadence="monthly",
        start_on=date(2026, 12, 1),
        end_on=None,
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.ENDING, ends_on=date(2027, 1, 10)
    )

    milestone_sweep(now=datetime(2027, 4, 1, tzinfo=UTC))

    assert [p[0:2] for p in periods(contract)] == [
        ("Invoice 1–31 Dec 2026", Decimal("3100.00")),
        ("Invoice 1–10 Jan 2027", Decimal("1000.00")),
    ]


def test_labels_read_naturally() -> None:
    assert span_label(date(2026, 12, 1), date(2026, 12, 7)) == "1–7 Dec 2026"
    assert span_label(date(2026, 11, 28), date(2026, 12, 4)) == "28 Nov – 4 Dec 2026"
    assert span_label(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"
    assert span_label(date(2026, 12, 1), date(2026, 12, 1)) == "1 Dec 2026"


# Overdue payments ---------------------------------------------------------------------------


def test_an_overdue_payment_is_reminded_once_to_both(
    contract: Contract, owner: User, engineer: User
) -> None:
    key = first(contract).key
    submitted(contract, engineer)
    services.milestone_accept(contract=contract, user=owner, key=key, now=SUBMITTED)
    payment = Payment.objects.get()
    assert payment.due_on == date(2026, 12, 17)
    # The last minute of the due date in Karachi, then the first of the next day.
    last_minute = datetime.combine(date(2026, 12, 17), time(18, 59), tzinfo=UTC)

    assert milestone_sweep(now=last_minute)["overdue"] == 0
    assert milestone_sweep(now=last_minute + timedelta(minutes=1))["overdue"] == 1
    assert milestone_sweep(now=last_minute + timedelta(days=3))["overdue"] == 0

    payment.refresh_from_db()
    assert payment.overdue_reminded_at == last_minute + timedelta(minutes=1)
    told = emails("overdue")
    assert sorted(e.to for e in told) == sorted([engineer.email, owner.email])
    assert all(e.subject == "Payment overdue: Milestone 1 (milestone)" for e in told)


def test_a_paid_payment_is_never_reminded(contract: Contract, owner: User, engineer: User) -> None:
    key = first(contract).key
    submitted(contract, engineer)
    services.milestone_accept(contract=contract, user=owner, key=key, now=SUBMITTED)
    services.payment_paid(contract=contract, user=owner, payment_id=Payment.objects.get().pk)

    assert milestone_sweep(now=SUBMITTED + timedelta(days=60))["overdue"] == 0
    assert emails("overdue") == []


def test_the_task_runs_the_sweep_as_of_the_moment_given(
    contract: Contract, owner: User, engineer: User
) -> None:
    from hiring import tasks

    submitted(contract, engineer)
    moment = (SUBMITTED + timedelta(days=7)).isoformat()

    assert tasks.milestone_sweep(moment)["deemed"] == 1
    assert tasks.milestone_sweep(moment)["deemed"] == 0


def test_another_company_hears_nothing(
    contract: Contract, owner: User, outsider: User, engineer: User
) -> None:
    BriefFactory(company=outsider.membership.company, created_by=outsider)
    submitted(contract, engineer)
    milestone_sweep(now=SUBMITTED + timedelta(days=8))

    assert outsider.email not in {e.to for e in emails("deemed") + emails("submitted")}
