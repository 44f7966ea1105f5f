"""Giving notice: either side, a reason and a last day on or after the engineer's
local today plus the notice days, and not after the agreed end date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Conflict, Refused
from accounts.models import User
from hiring.contracts.common import day_text
from hiring.models import ChangeOrder, Contract, Message, Side
from hiring.reviews import services
from tests.reviews.conftest import KARACHI, emails, give_notice, login, open_change_order, page

pytestmark = pytest.mark.django_db


def end_url(contract: Contract) -> str:
    return reverse("hiring:contract_end", args=[contract.pk])


def karachi_today() -> date:
    return timezone.localdate(timezone.now(), KARACHI)


def test_the_company_gives_notice_and_the_engineer_is_told(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    last = karachi_today() + timedelta(days=20)
    response = login(client, owner).post(
        end_url(contract), {"end-reason": "The budget ran out.", "end-ends_on": last.isoformat()}
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDING
    assert contract.end_side == Side.COMPANY and contract.end_by == owner
    assert contract.end_reason == "The budget ran out."
    assert contract.ends_on == last and contract.end_requested_at is not None
    [email] = emails("contract_ending")
    assert email.to == engineer.email
    assert "The budget ran out." in email.body_text and day_text(last) in email.subject
    line = Message.objects.filter(thread=contract.thread, side=Message.Side.SYSTEM).last()
    assert line is not None and "gave notice" in line.body
    shown = page(client, contract)
    assert "The contract is ending" in shown and "The budget ran out." in shown


def test_the_engineer_gives_notice_and_the_company_is_told(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    last = karachi_today() + timedelta(days=14)
    response = login(client, engineer).post(
        end_url(contract), {"end-reason": "I start a full-time job.", "end-ends_on": str(last)}
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDING and contract.end_side == Side.ENGINEER
    assert [e.to for e in emails("contract_ending")] == [owner.email]


def test_the_panel_and_the_end_page_say_the_earliest_date(
    client: Client, owner: User, contract: Contract
) -> None:
    earliest = day_text(karachi_today() + timedelta(days=14))
    assert f"The earliest last day you can choose today is <strong>{earliest}" in page(
        login(client, owner), contract
    )
    response = client.get(end_url(contract))
    assert response.status_code == 200
    assert f"The earliest is {earliest}" in response.content.decode()


def test_a_date_inside_the_notice_period_is_refused_and_nothing_is_saved(
    client: Client, owner: User, contract: Contract
) -> None:
    too_soon = karachi_today() + timedelta(days=13)
    response = login(client, owner).post(
        end_url(contract), {"end-reason": "Done.", "end-ends_on": str(too_soon)}
    )

    assert response.status_code == 400
    earliest = day_text(karachi_today() + timedelta(days=14))
    assert (
        f"That date is inside the notice period: the earliest is {earliest}"
        in response.content.decode()
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and contract.ends_on is None
    assert not contract.end_reason and contract.end_requested_at is None
    assert not emails("contract_ending")


def test_a_date_after_the_agreed_end_date_is_refused(
    client: Client, owner: User, contract: Contract
) -> None:
    assert contract.current is not None and contract.current.end_on is not None
    response = login(client, owner).post(
        end_url(contract),
        {"end-reason": "Done.", "end-ends_on": str(contract.current.end_on + timedelta(days=1))},
    )

    assert response.status_code == 400
    assert "after the contract&#x27;s agreed end date" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and contract.ends_on is None


def test_the_agreed_end_date_itself_is_accepted(owner: User, contract: Contract) -> None:
    assert contract.current is not None
    services.contract_end(
        contract=contract,
        by=owner,
        side=Side.COMPANY,
        reason="Done.",
        ends_on=contract.current.end_on,  # type: ignore[arg-type]
    )
    contract.refresh_from_db()
    assert contract.ends_on == contract.current.end_on


@pytest.mark.parametrize(
    "data",
    [
        {"end-reason": "", "end-ends_on": "2099-01-01"},
        {"end-reason": "   ", "end-ends_on": "2099-01-01"},
        {"end-reason": "Done."},
        {"end-reason": "Done.", "end-ends_on": "abc"},
        {"end-reason": "Done.", "end-ends_on": "2026-02-31"},
        {"end-reason": "x" * 2001, "end-ends_on": "2099-01-01"},
    ],
)
def test_garbage_is_refused_with_a_400_and_nothing_is_saved(
    client: Client, owner: User, contract: Contract, data: dict[str, str]
) -> None:
    response = login(client, owner).post(end_url(contract), data)

    assert response.status_code == 400
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and contract.ends_on is None
    assert not emails("contract_ending")


def test_notice_given_twice_is_a_conflict(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    give_notice(contract, owner)
    last = karachi_today() + timedelta(days=30)
    response = login(client, engineer).post(
        end_url(contract), {"end-reason": "Me too.", "end-ends_on": str(last)}
    )

    assert response.status_code == 409
    assert "Notice has already been given" in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_side == Side.COMPANY and contract.ends_on != last
    assert len(emails("contract_ending")) == 1


def test_only_an_active_contract_can_be_ended(owner: User, contract: Contract) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.OFFERED)
    contract.refresh_from_db()
    with pytest.raises(Conflict):
        give_notice(contract, owner)


def test_today_is_the_engineers_today(owner: User, contract: Contract) -> None:
    # 20:00 UTC on 10 June is 01:00 on 11 June in Karachi: the notice counts from the 11th.
    assert contract.current is not None
    contract.current.__class__.objects.filter(pk=contract.current.pk).update(end_on=None)
    contract.refresh_from_db()
    now = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)
    assert services.earliest_end(contract, now).isoformat() == "2026-06-25"
    with pytest.raises(Refused, match="the earliest is Thursday 25 June 2026"):
        services.contract_end(
            contract=contract,
            by=owner,
            side=Side.COMPANY,
            reason="Done.",
            ends_on=datetime(2026, 6, 24).date(),
            now=now,
        )
    services.contract_end(
        contract=contract,
        by=owner,
        side=Side.COMPANY,
        reason="Done.",
        ends_on=datetime(2026, 6, 25).date(),
        now=now,
    )


def test_a_contract_whose_end_date_comes_before_any_notice_says_so(
    client: Client, owner: User, contract: Contract
) -> None:
    assert contract.current is not None
    contract.current.__class__.objects.filter(pk=contract.current.pk).update(
        end_on=karachi_today() + timedelta(days=5)
    )
    contract.refresh_from_db()

    assert "before a notice given today could run out" in page(login(client, owner), contract)
    response = client.post(end_url(contract), {"end-reason": "Done.", "end-ends_on": "2099-01-01"})
    assert response.status_code == 409


def test_open_change_orders_stay_open_after_notice(owner: User, contract: Contract) -> None:
    change = open_change_order(contract, owner)
    give_notice(contract, owner)
    change.refresh_from_db()
    assert change.status == ChangeOrder.Status.OPEN
