"""The handover checklist: both sides tick each item once notice is given; ticking
twice keeps one tick; unticking is allowed while the contract is ending, not after."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import Contract, HandoverTick, Side
from tests.reviews.conftest import ended, give_notice, login, page

pytestmark = pytest.mark.django_db


def tick(client: Client, contract: Contract, item: str, action: str = "tick") -> int:
    url = reverse("hiring:handover_tick", args=[contract.pk])
    return client.post(url, {"item": item, "action": action}).status_code


def test_the_checklist_opens_with_the_notice(
    client: Client, owner: User, contract: Contract
) -> None:
    login(client, owner)
    assert "Handover checklist" not in page(client, contract)
    assert tick(client, contract, "access") == 409
    assert not HandoverTick.objects.exists()

    give_notice(contract, owner)
    assert "Handover checklist" in page(client, contract)
    assert tick(client, contract, "access") == 302


def test_both_sides_tick_and_the_page_says_who_and_when(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    give_notice(contract, owner)
    assert tick(login(client, owner), contract, "work") == 302
    assert tick(client, contract, "work") == 302  # twice: harmless
    assert tick(login(client, engineer), contract, "work") == 302

    ticks = HandoverTick.objects.filter(contract=contract, item="work")
    assert sorted(ticks.values_list("side", flat=True)) == [Side.COMPANY, Side.ENGINEER]
    shown = page(client, contract)
    assert f"Ticked by {owner.display_name}" in shown
    assert f"Ticked by {engineer.display_name}" in shown
    assert "checklist__box--done" in shown


def test_untick_while_ending_but_not_once_ended(
    client: Client, owner: User, contract: Contract
) -> None:
    give_notice(contract, owner)
    login(client, owner)
    tick(client, contract, "credentials")
    assert tick(client, contract, "credentials", "untick") == 302
    assert not HandoverTick.objects.exists()
    assert tick(client, contract, "credentials", "untick") == 302  # nothing to untick: fine

    tick(client, contract, "credentials")
    ended(contract)
    assert tick(client, contract, "credentials", "untick") == 409
    assert HandoverTick.objects.count() == 1
    assert tick(client, contract, "access") == 302  # what remains can still be ticked
    assert HandoverTick.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [{"item": "keys", "action": "tick"}, {"item": "access", "action": "burn"}, {}],
)
def test_garbage_is_refused_with_a_400(
    client: Client, owner: User, contract: Contract, data: dict[str, str]
) -> None:
    give_notice(contract, owner)
    url = reverse("hiring:handover_tick", args=[contract.pk])
    assert login(client, owner).post(url, data).status_code == 400
    assert not HandoverTick.objects.exists()


def test_a_get_does_nothing(client: Client, owner: User, contract: Contract) -> None:
    give_notice(contract, owner)
    url = reverse("hiring:handover_tick", args=[contract.pk])
    assert login(client, owner).get(url + "?item=access&action=tick").status_code == 405
    assert not HandoverTick.objects.exists()
