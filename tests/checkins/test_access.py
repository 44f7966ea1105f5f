"""Only the company's members and the engineer see a contract's check-ins: anyone else
gets 404 for every id; an email's link works logged out (log in, then back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import ANSWER, CALL, MAKER, OVERLAP, REPLY, due_checkin, this_monday
from tests.factories import PASSWORD, EngineerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_contract: MAKER) -> tuple[Contract, CheckIn]:
    contract = make_contract(**CALL, **OVERLAP)
    return contract, due_checkin(contract)


def _requests(contract: Contract, checkin: CheckIn) -> list[tuple[str, str, dict[str, Any]]]:
    args = [contract.pk, checkin.pk]
    return [
        ("get", reverse("hiring:checkin_list", args=[contract.pk]), {}),
        ("get", reverse("hiring:checkin_detail", args=args), {}),
        ("post", reverse("hiring:checkin_answer", args=args), ANSWER),
        ("post", reverse("hiring:checkin_reply", args=args), REPLY),
        (
            "post",
            reverse("hiring:checkin_skip", args=[contract.pk]),
            {"week": this_monday(contract).isoformat()},
        ),
        ("get", reverse("hiring:call_ics", args=[contract.pk]), {}),
    ]


def _unchanged(checkin: CheckIn) -> bool:
    checkin.refresh_from_db()
    return checkin.status == CheckIn.Status.DUE and checkin.done == "" and not checkin.feedback


def test_another_company_gets_404_everywhere(
    client: Client, world: tuple[Contract, CheckIn], outsider: User
) -> None:
    contract, checkin = world
    client.force_login(outsider)

    for method, url, data in _requests(contract, checkin):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _unchanged(checkin)


def test_another_engineer_gets_404_everywhere(
    client: Client, world: tuple[Contract, CheckIn]
) -> None:
    contract, checkin = world
    client.force_login(EngineerFactory(email="someone-else@example.com"))

    for method, url, data in _requests(contract, checkin):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _unchanged(checkin)


def test_a_check_in_of_another_contract_is_404_under_this_one(
    client: Client, world: tuple[Contract, CheckIn], make_contract: MAKER, engineer: User
) -> None:
    contract, _ = world
    other = due_checkin(make_contract())
    client.force_login(engineer)

    for name in ("hiring:checkin_detail", "hiring:checkin_answer"):
        url = reverse(name, args=[contract.pk, other.pk])
        method = client.get if name.endswith("detail") else client.post
        assert method(url, ANSWER).status_code == 404
    assert _unchanged(other)


def test_the_engineer_does_not_see_a_draft_contracts_check_ins(
    client: Client, make_contract: MAKER, engineer: User, owner: User
) -> None:
    draft = make_contract(status="draft")
    url = reverse("hiring:checkin_list", args=[draft.pk])

    client.force_login(engineer)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert "Check-ins start with the contract" in client.get(url).content.decode()


def test_the_email_link_works_logged_out_login_then_back_to_the_page(
    client: Client, world: tuple[Contract, CheckIn], engineer: User
) -> None:
    contract, checkin = world
    url = reverse("hiring:checkin_detail", args=[contract.pk, checkin.pk])

    response = client.get(url)
    login = reverse("account_login")
    assert response.status_code == 302 and response["Location"] == f"{login}?next={url}"

    signed_in = client.post(login, {"login": engineer.email, "password": PASSWORD, "next": url})

    assert signed_in.status_code == 302 and signed_in["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "Send the check-in" in page.content.decode()


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(
    client: Client, world: tuple[Contract, CheckIn]
) -> None:
    contract, checkin = world
    for method, url, data in _requests(contract, checkin):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    assert _unchanged(checkin)
    assert not CheckIn.objects.exclude(pk=checkin.pk).exists()


def test_writes_are_post_only(
    client: Client, world: tuple[Contract, CheckIn], engineer: User
) -> None:
    contract, checkin = world
    client.force_login(engineer)
    for method, url, _ in _requests(contract, checkin):
        if method == "post":
            assert client.get(url).status_code == 405
    assert _unchanged(checkin)
