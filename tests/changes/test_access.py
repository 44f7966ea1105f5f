"""Only the contract's company and its engineer see or act on its changes: everyone else
gets 404, whatever the ids in the address."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from hiring.models import ChangeOrder, Contract
from tests.changes.conftest import a_change, form_data, login, make_contract, url
from tests.factories import EmployerFactory, EngineerFactory

pytestmark = pytest.mark.django_db

PAGES = ("change_new", "version_history")
CHANGE_PAGES = ("change_detail", "change_counter")
CHANGE_POSTS = ("change_accept", "change_reject", "change_withdraw", "change_counter")


@pytest.fixture
def change(contract: Contract, owner: User) -> ChangeOrder:
    return a_change(contract, owner)


def _everything_404(client: Client, contract: Contract, change: ChangeOrder) -> None:
    for name in PAGES:
        assert client.get(url(name, contract)).status_code == 404, name
    assert client.post(url("change_new", contract), form_data(contract.current)).status_code == 404  # type: ignore[arg-type]
    for name in CHANGE_PAGES:
        assert client.get(url(name, contract, change)).status_code == 404, name
    for name in CHANGE_POSTS:
        response = client.post(url(name, contract, change), {"reject-note": "No."})
        assert response.status_code == 404, name
    change.refresh_from_db()
    assert change.status == "open"
    assert ChangeOrder.objects.count() == 1


def test_another_company_gets_404_everywhere(
    client: Client, contract: Contract, change: ChangeOrder, outsider: User
) -> None:
    login(client, outsider)
    _everything_404(client, contract, change)


def test_another_engineer_gets_404_everywhere(
    client: Client, contract: Contract, change: ChangeOrder
) -> None:
    login(client, EngineerFactory())
    _everything_404(client, contract, change)


def test_a_change_is_found_only_under_its_own_contract(
    client: Client, contract: Contract, change: ChangeOrder, owner: User, engineer: User
) -> None:
    other = make_contract(EmployerFactory(), EngineerFactory())
    login(client, other.created_by)

    for name in CHANGE_PAGES:
        assert client.get(url(name, other, change)).status_code == 404
    assert client.post(url("change_accept", other, change)).status_code == 404
    change.refresh_from_db()
    assert change.status == "open"


def test_both_sides_and_teammates_see_the_change_and_the_history(
    client: Client,
    contract: Contract,
    change: ChangeOrder,
    owner: User,
    teammate: User,
    engineer: User,
) -> None:
    for user in (owner, teammate, engineer):
        login(client, user)
        assert client.get(url("change_detail", contract, change)).status_code == 200
        assert client.get(url("version_history", contract)).status_code == 200


def test_a_visitor_is_sent_to_log_in(
    client: Client, contract: Contract, change: ChangeOrder
) -> None:
    for address in (url("change_detail", contract, change), url("version_history", contract)):
        response = client.get(address)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(url("change_accept", contract, change)).status_code == 302
    change.refresh_from_db()
    assert change.status == "open"


def test_a_draft_contract_has_no_changes_and_the_engineer_does_not_see_it(
    client: Client, owner: User, engineer: User
) -> None:
    from tests.changes.conftest import make_contract as made

    draft = made(owner, engineer)
    Contract.objects.filter(pk=draft.pk).update(status="draft")
    login(client, engineer)
    assert client.get(url("version_history", draft)).status_code == 404
    login(client, owner)
    assert client.get(url("change_new", draft)).status_code == 409
