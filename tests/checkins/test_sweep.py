"""The hourly sweep: each check-in goes out once, at the agreed local time in the
engineer's zone (right across daylight saving), inside the contract's dates; one
reminder a day later, then missed; skipped weeks are never chased."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from hiring import tasks
from hiring.checkins.services import checkin_answer, checkin_skip, checkin_sweep
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import MAKER, emails, utc

pytestmark = pytest.mark.django_db

NOTHING = {"sent": 0, "reminded": 0, "missed": 0}


@pytest.fixture
def march(make_contract: MAKER) -> Contract:
    """Signed on Monday 2 March 2026, starting that day; check-ins on Fridays at 16:00
    in Lahore (11:00 UTC all year)."""
    return make_contract(
        start_on=date(2026, 3, 2), end_on=date(2026, 6, 30), started_at=utc(2026, 3, 2, 4)
    )


def test_the_check_in_goes_out_at_16_in_lahore_at_11_utc_on_both_sides_of_the_us_change(
    march: Contract, new_york: None, owner: User, engineer: User, client: Client
) -> None:
    # Friday 6 March: New York is on EST (UTC-5).
    assert checkin_sweep(now=utc(2026, 3, 6, 10)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 6, 11))["sent"] == 1
    # Friday 13 March: New York moved to EDT (UTC-4) on the 8th; Lahore did not move.
    assert checkin_sweep(now=utc(2026, 3, 13, 10))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 3, 13, 11))["sent"] == 1

    rows = list(CheckIn.objects.order_by("week_of"))
    assert [(r.week_of, r.due_at) for r in rows] == [
        (date(2026, 3, 2), utc(2026, 3, 6, 11)),
        (date(2026, 3, 9), utc(2026, 3, 13, 11)),
    ]
    sent = emails("checkin_due")
    assert [e.to for e in sent] == [engineer.email, engineer.email]
    detail = reverse("hiring:checkin_detail", args=[march.pk, rows[0].pk])
    assert detail in sent[0].body_text

    # The company reads the same moments in New York time: 06:00, then 07:00.
    client.force_login(owner)
    pages = [
        client.get(reverse("hiring:checkin_detail", args=[march.pk, r.pk])).content.decode()
        for r in rows
    ]
    assert "Friday 6 March, 06:00 EST" in pages[0]
    assert "Friday 13 March, 07:00 EDT" in pages[1]
    # ...and the engineer in Lahore time, 16:00 both weeks.
    client.force_login(engineer)
    page = client.get(reverse("hiring:checkin_detail", args=[march.pk, rows[1].pk]))
    assert "Friday 13 March, 16:00 PKT" in page.content.decode()


def test_an_engineer_in_london_is_asked_at_16_london_time_whose_utc_hour_moves(
    make_contract: MAKER,
) -> None:
    make_contract(
        time_zone="Europe/London",
        start_on=date(2026, 3, 23),
        end_on=date(2026, 6, 30),
        started_at=utc(2026, 3, 20),
    )
    # Friday 27 March: London is on GMT, 16:00 is 16:00 UTC.
    assert checkin_sweep(now=utc(2026, 3, 27, 15))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 3, 27, 16))["sent"] == 1
    # Friday 3 April: London moved to BST on 29 March, 16:00 is 15:00 UTC.
    assert checkin_sweep(now=utc(2026, 4, 3, 14))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 4, 3, 15))["sent"] == 1

    assert list(CheckIn.objects.order_by("week_of").values_list("due_at", flat=True)) == [
        utc(2026, 3, 27, 16),
        utc(2026, 4, 3, 15),
    ]


def test_run_twice_the_sweep_sends_each_check_in_once(march: Contract) -> None:
    first = checkin_sweep(now=utc(2026, 3, 6, 11))
    second = checkin_sweep(now=utc(2026, 3, 6, 11))
    later = checkin_sweep(now=utc(2026, 3, 6, 15))

    assert first["sent"] == 1 and second == NOTHING and later == NOTHING
    assert CheckIn.objects.count() == 1
    assert len(emails("checkin_due")) == 1


def test_the_task_beat_runs_takes_the_moment_as_text_and_sends_once(march: Contract) -> None:
    moment = utc(2026, 3, 6, 11).isoformat()

    assert tasks.checkin_sweep(moment)["sent"] == 1
    assert tasks.checkin_sweep(moment)["sent"] == 0
    assert len(emails("checkin_due")) == 1


def test_nothing_goes_out_before_the_start_date_nor_before_both_accepted(
    make_contract: MAKER,
) -> None:
    starts_wednesday = make_contract(
        start_on=date(2026, 3, 11), end_on=date(2026, 6, 30), started_at=utc(2026, 3, 1)
    )
    assert checkin_sweep(now=utc(2026, 3, 6, 12))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 3, 13, 11))["sent"] == 1
    assert CheckIn.objects.get().contract == starts_wednesday

    CheckIn.objects.all().delete()
    # Accepted an hour after Friday's check-in time: the first one is the next Friday's.
    late = make_contract(
        start_on=date(2026, 3, 2), end_on=date(2026, 6, 30), started_at=utc(2026, 3, 6, 12)
    )
    Contract.objects.exclude(pk=late.pk).update(status=Contract.Status.ENDED)
    assert checkin_sweep(now=utc(2026, 3, 6, 13))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 3, 13, 11))["sent"] == 1
    assert CheckIn.objects.get().week_of == date(2026, 3, 9)


def test_nothing_goes_out_after_the_end(make_contract: MAKER) -> None:
    ends_thursday = make_contract(
        start_on=date(2026, 3, 2), end_on=date(2026, 3, 12), started_at=utc(2026, 3, 2)
    )
    assert checkin_sweep(now=utc(2026, 3, 6, 11))["sent"] == 1
    assert checkin_sweep(now=utc(2026, 3, 13, 11))["sent"] == 0
    assert CheckIn.objects.get().contract == ends_thursday


def test_a_contract_on_notice_stops_on_its_last_day_and_an_ended_one_gets_none(
    make_contract: MAKER,
) -> None:
    contract = make_contract(
        start_on=date(2026, 3, 2), end_on=date(2026, 6, 30), started_at=utc(2026, 3, 2)
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.ENDING, ends_on=date(2026, 3, 19)
    )
    assert checkin_sweep(now=utc(2026, 3, 13, 11))["sent"] == 1
    assert checkin_sweep(now=utc(2026, 3, 20, 11))["sent"] == 0

    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    assert checkin_sweep(now=utc(2026, 3, 27, 11))["sent"] == 0
    assert CheckIn.objects.count() == 1


def test_a_late_sunday_check_in_is_still_sent_by_the_sweep_after_local_midnight(
    make_contract: MAKER,
) -> None:
    # Sunday 23:45 in Kolkata (UTC+5:30) is 18:15 UTC; the next sweep, at 19:00 UTC, is
    # already Monday 00:30 there: the week that just ended still gets its check-in.
    make_contract(
        time_zone="Asia/Kolkata",
        checkin_weekday=6,
        checkin_time=time(23, 45),
        start_on=date(2026, 3, 2),
        end_on=date(2026, 6, 30),
        started_at=utc(2026, 3, 2),
    )
    assert checkin_sweep(now=utc(2026, 3, 8, 18))["sent"] == 0
    assert checkin_sweep(now=utc(2026, 3, 8, 19))["sent"] == 1
    checkin = CheckIn.objects.get()
    assert checkin.week_of == date(2026, 3, 2)
    assert checkin.due_at == utc(2026, 3, 8, 18, 15)
    # A week later the sweep does not go back for weeks long gone.
    CheckIn.objects.all().delete()
    assert checkin_sweep(now=utc(2026, 3, 16, 19))["sent"] == 0


def test_no_answer_gets_one_reminder_the_next_day_then_is_marked_missed(
    march: Contract, engineer: User
) -> None:
    checkin_sweep(now=utc(2026, 3, 6, 11))

    assert checkin_sweep(now=utc(2026, 3, 7, 10)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 7, 11)) == {"sent": 0, "reminded": 1, "missed": 0}
    assert checkin_sweep(now=utc(2026, 3, 7, 12)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 8, 10)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 8, 11)) == {"sent": 0, "reminded": 0, "missed": 1}
    assert checkin_sweep(now=utc(2026, 3, 9, 11)) == NOTHING

    checkin = CheckIn.objects.get()
    assert checkin.status == CheckIn.Status.MISSED
    assert checkin.reminded_at == utc(2026, 3, 7, 11)
    assert checkin.missed_at == utc(2026, 3, 8, 11)
    [reminder] = emails("checkin_reminder")
    assert reminder.to == engineer.email
    assert "only reminder" in reminder.body_text
    checkin_emails = OutboundEmail.objects.filter(to=engineer.email, template__contains="checkin")
    assert checkin_emails.count() == 2  # the check-in and its one reminder


def test_a_sweep_that_was_down_still_reminds_before_marking_missed(march: Contract) -> None:
    checkin_sweep(now=utc(2026, 3, 6, 11))

    # Down for three days: the first sweep back reminds; missed comes half a day later.
    assert checkin_sweep(now=utc(2026, 3, 9, 11))["reminded"] == 1
    assert checkin_sweep(now=utc(2026, 3, 9, 12))["missed"] == 0
    assert checkin_sweep(now=utc(2026, 3, 9, 23))["missed"] == 1


def test_an_answered_check_in_is_not_chased(march: Contract, engineer: User) -> None:
    checkin_sweep(now=utc(2026, 3, 6, 11))
    checkin_answer(
        checkin=CheckIn.objects.get(),
        by=engineer,
        side="engineer",
        done="Ledger export.",
        next="Reconciliation.",
        blockers="",
        hours=None,
        health="at_risk",
        now=utc(2026, 3, 6, 14),
    )

    assert checkin_sweep(now=utc(2026, 3, 7, 11)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 8, 11)) == NOTHING
    assert CheckIn.objects.get().status == CheckIn.Status.ANSWERED
    assert emails("checkin_reminder") == []


def test_a_week_skipped_ahead_is_never_sent_reminded_or_missed(
    march: Contract, engineer: User
) -> None:
    _, skipped = checkin_skip(
        contract=march,
        by=engineer,
        side="engineer",
        week_of=date(2026, 3, 9),
        now=utc(2026, 3, 4, 9),
    )
    assert skipped

    for moment in (utc(2026, 3, 13, 11), utc(2026, 3, 14, 11), utc(2026, 3, 15, 11)):
        assert checkin_sweep(now=moment) == NOTHING
    checkin = CheckIn.objects.get()
    assert checkin.status == CheckIn.Status.SKIPPED
    assert checkin.due_at == utc(2026, 3, 13, 11)
    assert checkin.sent_at is None and checkin.reminded_at is None
    assert emails("checkin_due") == []


def test_a_week_skipped_after_it_went_out_gets_no_reminder(march: Contract, owner: User) -> None:
    checkin_sweep(now=utc(2026, 3, 6, 11))
    checkin_skip(
        contract=march, by=owner, side="company", week_of=date(2026, 3, 2), now=utc(2026, 3, 6, 12)
    )

    assert checkin_sweep(now=utc(2026, 3, 7, 11)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 8, 11)) == NOTHING
    assert CheckIn.objects.get().status == CheckIn.Status.SKIPPED
    assert emails("checkin_reminder") == []


def test_an_unanswered_check_in_of_a_contract_that_ended_is_missed_without_a_reminder(
    march: Contract,
) -> None:
    checkin_sweep(now=utc(2026, 3, 6, 11))
    Contract.objects.filter(pk=march.pk).update(status=Contract.Status.ENDED)

    assert checkin_sweep(now=utc(2026, 3, 7, 11)) == NOTHING
    assert checkin_sweep(now=utc(2026, 3, 8, 11)) == {"sent": 0, "reminded": 0, "missed": 1}
    assert emails("checkin_reminder") == []
