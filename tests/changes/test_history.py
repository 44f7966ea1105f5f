"""The history of versions (newest first, each with its difference and who agreed when,
the changes not made) and the contract page's panel; their query counts are pinned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import User
from hiring.changes import selectors, services
from hiring.models import ChangeOrder, Contract, ContractVersion, VersionAcceptance
from tests.changes.conftest import a_change, login, proposed_from, text, url
from tests.conftest import AssertQueries

pytestmark = pytest.mark.django_db


def _accepted(contract: Contract, by: User, answer: User, **changes: object) -> ChangeOrder:
    change = a_change(contract, by, **changes)
    services.change_accept(contract=contract, change=change, by=answer)
    contract.refresh_from_db()
    return change


def _history(contract: Contract, owner: User, engineer: User) -> dict[str, ChangeOrder]:
    """Version 2 (the owner's longer scope), a rejected rate, version 3 (the engineer's
    later end), a withdrawn change."""
    made = {"v2": _accepted(contract, owner, engineer)}
    rejected = a_change(contract, owner, scope="Only the API, no reports.", end_on=None)
    services.change_reject(contract=contract, change=rejected, by=engineer, note="Too thin.")
    made["rejected"] = rejected
    current = contract.current
    assert current is not None and current.end_on is not None
    made["v3"] = _accepted(
        contract, engineer, owner, scope=current.scope, end_on=current.end_on + timedelta(days=14)
    )
    withdrawn = a_change(contract, owner, end_on=None)
    services.change_withdraw(contract=contract, change=withdrawn, by=owner, note="Never mind.")
    made["withdrawn"] = withdrawn
    return made


def test_the_history_lists_every_version_newest_first_with_who_agreed(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    made = _history(contract, owner, engineer)
    login(client, engineer)

    response = client.get(url("version_history", contract))

    page = text(response)
    assert response.status_code == 200
    assert page.index("Version 3 In force") < page.index("Version 2") < page.index("Version 1")
    assert "What version 3 changed from version 2" in page
    assert "What version 2 changed from version 1" in page
    assert "The first version, sent on" in page
    assert "14 days later" in page
    for acceptance in VersionAcceptance.objects.filter(version__contract=contract):
        assert acceptance.content_hash in page
    assert page.count("Sana Javed for the engineer") == 3
    assert page.count("Owner Person for ") == 3
    body = response.content.decode()
    for number in (1, 2, 3):
        assert url("version_history", contract).replace("history/", f"v{number}/") in body
    assert "Changes not made" in page
    assert "Too thin." in page and "Never mind." in page
    assert "Rejected" in page and "Withdrawn" in page
    assert url("change_detail", contract, made["rejected"]) in body


def test_the_history_of_a_contract_just_started_has_one_version(
    client: Client, contract: Contract, owner: User
) -> None:
    login(client, owner)

    page = text(client.get(url("version_history", contract)))

    assert "Version 1 In force" in page and "The first version" in page
    assert "Changes not made" not in page


HISTORY_QUERIES = 9


def test_the_history_page_runs_a_fixed_number_of_queries(
    client: Client,
    contract: Contract,
    owner: User,
    engineer: User,
    assert_queries: AssertQueries,
) -> None:
    _accepted(contract, owner, engineer)
    login(client, owner)
    with assert_queries(HISTORY_QUERIES):
        client.get(url("version_history", contract))

    _history(contract, owner, engineer)  # two more versions, two changes not made
    with assert_queries(HISTORY_QUERIES):
        response = client.get(url("version_history", contract))
    assert "Version 4" in text(response)

    login(client, engineer)  # the engineer reads times in their own zone: no membership
    with assert_queries(HISTORY_QUERIES - 1):
        client.get(url("version_history", contract))


CHANGE_QUERIES = 7


def test_the_change_page_runs_a_fixed_number_of_queries(
    client: Client,
    contract: Contract,
    owner: User,
    engineer: User,
    assert_queries: AssertQueries,
) -> None:
    change = a_change(contract, owner)
    login(client, engineer)  # the engineer reads times in their own zone: no membership
    with assert_queries(CHANGE_QUERIES - 1):
        client.get(url("change_detail", contract, change))

    login(client, owner)
    with assert_queries(CHANGE_QUERIES):
        client.get(url("change_detail", contract, change))

    # A countered change links the counter-proposal that answered it: one query more.
    current = contract.current
    assert current is not None
    services.change_counter(
        contract=contract,
        change=change,
        by=engineer,
        proposed=proposed_from(
            ContractVersion.objects.get(pk=change.proposal_id), end_on=None, note="Open-ended."
        ),
    )
    with assert_queries(CHANGE_QUERIES + 1):
        response = client.get(url("change_detail", contract, change))
    assert "read the counter-proposal" in text(response)


def test_the_contract_page_shows_the_waiting_change_and_links_the_history(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    login(client, owner)
    page = text(client.get(url("contract_detail", contract)))
    assert "Propose a change" in page and "The history" in page

    change = a_change(contract, engineer)
    page = text(client.get(url("contract_detail", contract)))
    assert "A change is waiting for your answer" in page
    assert "Sana Javed (the engineer) proposed it" in page
    assert "It changes: Scope of work, End date." in page
    assert "Propose a change" not in page
    body = client.get(url("contract_detail", contract)).content.decode()
    assert url("change_detail", contract, change) in body

    login(client, engineer)
    assert "Your side proposed a change" in text(client.get(url("contract_detail", contract)))


def test_the_panel_runs_one_query_and_two_with_a_waiting_change(
    contract: Contract, owner: User, engineer: User, assert_queries: AssertQueries
) -> None:
    fresh = Contract.objects.select_related("current", "company", "profile").get(pk=contract.pk)
    with assert_queries(1):
        panel = selectors.contract_panel(contract=fresh, side="company", user=owner)
    assert panel["changes_panel"]["can_propose"]

    a_change(contract, engineer)
    with assert_queries(2):
        panel = selectors.contract_panel(contract=fresh, side="company", user=owner)
    assert panel["changes_panel"]["waiting"] is not None
