"""Either side skips this week's or next week's check-in in one click; the other side
reads it in the conversation. Any other week, or an answered one, is refused."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.checkins import schedule
from hiring.models import CheckIn, Contract, Message, Thread
from tests.checkins.conftest import MAKER, due_checkin, this_monday

pytestmark = pytest.mark.django_db


def _skip(client: Client, contract: Contract, week: str, **extra: str) -> Any:
    return client.post(reverse("hiring:checkin_skip", args=[contract.pk]), {"week": week, **extra})


def _lines(contract: Contract) -> list[str]:
    return list(
        Message.objects.filter(side=Message.Side.SYSTEM, body__contains="skipped").values_list(
            "body", flat=True
        )
    )


def test_the_engineer_skips_this_weeks_check_in_in_one_click(
    client: Client, contract: Contract, engineer: User
) -> None:
    monday = this_monday(contract)
    page = reverse("hiring:contract_detail", args=[contract.pk])
    client.force_login(engineer)

    response = _skip(client, contract, monday.isoformat(), next=page)

    assert response.status_code == 302 and response["Location"] == page
    checkin = CheckIn.objects.get()
    assert checkin.week_of == monday and checkin.status == CheckIn.Status.SKIPPED
    assert checkin.skipped_side == "engineer" and checkin.skipped_by == engineer
    assert checkin.due_at == schedule.due_at(contract.current, monday)  # type: ignore[arg-type]
    [line] = _lines(contract)
    assert engineer.display_name in line and "skipped the weekly check-in" in line


def test_the_company_skips_next_week_ahead_and_the_engineer_sees_it_new(
    client: Client, contract: Contract, owner: User
) -> None:
    monday = this_monday(contract) + timedelta(days=7)
    client.force_login(owner)

    assert _skip(client, contract, monday.isoformat()).status_code == 302

    checkin = CheckIn.objects.get()
    assert checkin.week_of == monday and checkin.skipped_side == "company"
    assert checkin.sent_at is None
    [line] = _lines(contract)
    assert contract.company.name in line
    assert Thread.objects.get(pk=contract.thread_id).unread_for_engineer


def test_a_due_check_in_can_be_skipped_and_a_replay_changes_nothing(
    client: Client, contract: Contract, owner: User
) -> None:
    checkin = due_checkin(contract)
    client.force_login(owner)

    first = _skip(client, contract, checkin.week_of.isoformat())
    again = client.post(
        reverse("hiring:checkin_skip", args=[contract.pk]),
        {"week": checkin.week_of.isoformat()},
        follow=True,
    )

    assert first.status_code == 302
    assert "already skipped" in unescape(again.content.decode())
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.SKIPPED
    assert CheckIn.objects.count() == 1 and len(_lines(contract)) == 1


@pytest.mark.parametrize(
    "week",
    [
        "two weeks ahead",
        "last week",
        "a tuesday",
        "abc",
        "",
        "2026-02-30",
    ],
)
def test_any_other_week_is_refused_and_nothing_saved(
    client: Client, contract: Contract, engineer: User, week: str
) -> None:
    monday = this_monday(contract)
    value = {
        "two weeks ahead": (monday + timedelta(days=14)).isoformat(),
        "last week": (monday - timedelta(days=7)).isoformat(),
        "a tuesday": (monday + timedelta(days=1)).isoformat(),
    }.get(week, week)
    client.force_login(engineer)

    response = _skip(client, contract, value)

    assert response.status_code == 400
    assert "this week's or next week's" in unescape(response.content.decode())
    assert not CheckIn.objects.exists() and _lines(contract) == []


def test_an_answered_week_cannot_be_skipped(
    client: Client, contract: Contract, engineer: User
) -> None:
    checkin = due_checkin(contract, status=CheckIn.Status.ANSWERED, done="Work")
    client.force_login(engineer)

    response = _skip(client, contract, checkin.week_of.isoformat())

    assert response.status_code == 409
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.ANSWERED and _lines(contract) == []


def test_a_week_past_the_contracts_end_has_nothing_to_skip(
    client: Client, make_contract: MAKER, owner: User
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    contract = make_contract(end_on=today + timedelta(days=(6 - today.weekday())))  # this Sunday
    client.force_login(owner)

    response = _skip(client, contract, (this_monday(contract) + timedelta(days=7)).isoformat())

    assert response.status_code == 400
    assert "outside the contract's dates" in unescape(response.content.decode())
    assert not CheckIn.objects.exists()


def test_a_contract_that_is_not_running_skips_nothing(
    client: Client, contract: Contract, owner: User
) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    client.force_login(owner)

    response = _skip(client, contract, this_monday(contract).isoformat())

    assert response.status_code == 409
    assert not CheckIn.objects.exists()


def test_the_next_page_must_be_on_this_site(
    client: Client, contract: Contract, owner: User
) -> None:
    client.force_login(owner)

    response = _skip(
        client, contract, this_monday(contract).isoformat(), next="https://evil.example/"
    )

    assert response["Location"] == reverse("hiring:checkin_list", args=[contract.pk])
