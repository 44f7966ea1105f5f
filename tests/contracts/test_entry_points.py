"""Where contracts are reached from: the Offer card, the candidacy page, the brief's
board once hired, the engineer's opportunity page, the list and the header; and what
staff and a person's export see of them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import account_export
from hiring.models import Contract
from screening.models import Candidacy
from tests.contracts.conftest import accept, draft, offered
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def column(body: str, slug: str) -> str:
    found = re.search(
        rf'<section class="pipeline-column" aria-labelledby="column-{slug}">(.*?)</section>',
        body,
        re.S,
    )
    assert found, slug
    return found.group(1)


def test_an_offer_card_offers_to_draft_the_contract(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    new = reverse("hiring:contract_new", args=[candidacy.pk])

    board = client.get(reverse("screening:board", args=[candidacy.brief_id])).content.decode()
    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()

    assert f'href="{new}"' in column(board, "offer") and "Draft the contract" in board
    assert f'href="{new}"' in page


def test_once_both_accept_the_board_shows_the_card_in_hired_leading_to_the_contract(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, engineer)
    accept(contract, owner)
    client.force_login(owner)

    board = client.get(reverse("screening:board", args=[candidacy.brief_id])).content.decode()

    hired = column(board, "hired")
    assert engineer.full_name in hired
    assert engineer.full_name not in column(board, "offer")
    link = reverse("hiring:contract_new", args=[candidacy.pk])
    assert f'href="{link}"' in hired and "Open the contract" in hired
    assert client.get(link)["Location"] == reverse("hiring:contract_detail", args=[contract.pk])


def test_the_candidacy_page_shows_the_contract_status_with_a_link(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(owner)

    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()

    assert 'id="candidacy-contract-title"' in page
    assert "Waiting for acceptance" in page
    assert reverse("hiring:contract_detail", args=[contract.pk]) in page


def test_the_opportunity_page_links_to_a_sent_contract_but_not_a_draft(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    outreach = candidacy.outreach.get()
    contract = draft(candidacy, owner)
    client.force_login(engineer)
    url = reverse("hiring:opportunity", args=[outreach.pk])
    detail = reverse("hiring:contract_detail", args=[contract.pk])

    assert detail not in client.get(url).content.decode()

    from hiring.contracts import services

    services.contract_send(contract=contract, by=owner)
    page = client.get(url).content.decode()
    assert detail in page and "sent you a contract" in page


def test_the_header_links_both_sides_to_their_contracts(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    offered(candidacy, owner)
    for user in (owner, engineer):
        client.force_login(user)
        page = client.get(reverse("hiring:contract_list")).content.decode()
        assert 'href="/contracts/" aria-current="page">Contracts</a>' in page
        assert "Settlement service" in page


def test_the_empty_list_says_how_contracts_start(client: Client, owner: User) -> None:
    client.force_login(owner)

    page = client.get(reverse("hiring:contract_list")).content.decode()

    assert "No contracts yet" in page and "move the engineer you want to hire to Offer" in page


def test_the_export_holds_the_contract_its_versions_and_acceptances(
    owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, engineer)
    accept(contract, teammate)

    mine = account_export(user=engineer)
    [row] = mine["contracts"]
    [version] = row["versions"]
    assert version["number"] == 1 and version["terms"]["title"] == "Settlement service"
    assert sorted(a["side"] for a in version["acceptances"]) == ["company", "engineer"]
    assert {a["content_hash"] for a in version["acceptances"]} == {version["content_hash"]}

    theirs = account_export(user=teammate)
    assert theirs["contract_acceptances_you_gave"][0]["version"] == 1
    assert account_export(user=owner)["contract_versions_you_wrote"][0]["number"] == 1


def test_staff_read_contracts_in_the_admin_and_cannot_change_them(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, engineer)
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))
    version = contract.current
    assert version is not None

    listing = client.get(reverse("admin:hiring_contract_changelist"))
    page = client.get(reverse("admin:hiring_contract_change", args=[contract.pk]))
    version_page = client.get(reverse("admin:hiring_contractversion_change", args=[version.pk]))

    assert listing.status_code == page.status_code == version_page.status_code == 200
    body = page.content.decode()
    assert version.content_hash in body and "the engineer" in body
    assert "Milestone 1" in version_page.content.decode()
    assert client.get(reverse("admin:hiring_contract_add")).status_code == 403
    response = client.post(
        reverse("admin:hiring_contract_change", args=[contract.pk]), {"status": "ended"}
    )
    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED
