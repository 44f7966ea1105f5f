"""Query counts pinned with fixed numbers: the contract page, the printable copy and the
list cost the same with one milestone or tool as with many, one contract or several.

The contract page's other panels (change orders, milestones, check-ins, reviews, the
timeline) are empty on this branch; the lead re-pins CONTRACT_PAGE after merging them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.contracts import services
from hiring.models import Contract
from screening.models import Candidacy
from tests.conftest import AssertQueries
from tests.contracts.conftest import accept, milestones, terms
from tests.factories import BriefFactory, ProfileFactory, candidacy_at_offer, candidacy_in

pytestmark = pytest.mark.django_db

TOOLS = [
    {"kind": "slack", "url": "https://acme.slack.com/archives/C1"},
    {"kind": "trello", "url": "https://trello.com/b/abc"},
    {"kind": "repository", "url": "https://github.com/acme/settle"},
]


def contract_with(candidacy: Candidacy, owner: User, rows: int, *, revising: bool) -> Contract:
    contract = services.contract_draft(
        candidacy=candidacy,
        by=owner,
        terms=terms(tools=TOOLS[: max(1, rows - 2)]),
        milestones=milestones(rows),
    )
    services.contract_send(contract=contract, by=owner)
    if revising:
        services.draft_save(
            contract=contract,
            by=owner,
            terms=terms(notice_days=21),
            milestones=milestones(rows),
        )
    contract.refresh_from_db()
    return contract


# The whole contract page of an offered contract with a revision draft: the user, the
# contract, the access check, then each part's panel (terms: versions, milestones,
# acceptances, the viewer's zone; change orders; milestones and payments; check-ins;
# the timeline's versions, acceptances, change orders, check-ins, milestone work and
# payments) and the header's unread count. The same with 1 or 5 milestones.
CONTRACT_PAGE_COMPANY = 14
# The engineer's zone is their profile's (no membership read for it).
CONTRACT_PAGE_ENGINEER = 13


@pytest.mark.parametrize("rows", [1, 5])
def test_the_contract_page_for_the_company(
    client: Client,
    owner: User,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    contract = contract_with(candidacy, owner, rows, revising=True)
    client.force_login(owner)

    with assert_queries(CONTRACT_PAGE_COMPANY):
        body = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()

    assert body.count('data-label="Milestone"') == rows
    assert "Your draft of version 2" in body


@pytest.mark.parametrize("rows", [1, 5])
def test_the_contract_page_for_the_engineer(
    client: Client,
    owner: User,
    engineer: User,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    contract = contract_with(candidacy, owner, rows, revising=False)
    accept(contract, owner)
    client.force_login(engineer)

    with assert_queries(CONTRACT_PAGE_ENGINEER):
        body = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()

    assert body.count('data-label="Milestone"') == rows
    assert "Accept version 1" in body


# The user; the contract (access); the membership (access); the version with its
# milestones (two queries); its acceptances with who accepted; the viewer's zone; the
# header's unread Messages count.
PRINT_PAGE = 8


@pytest.mark.parametrize("rows", [1, 5])
def test_the_printable_copy(
    client: Client,
    owner: User,
    engineer: User,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    rows: int,
) -> None:
    contract = contract_with(candidacy, owner, rows, revising=False)
    accept(contract, engineer)
    accept(contract, owner)
    client.force_login(owner)

    with assert_queries(PRINT_PAGE):
        body = client.get(reverse("hiring:version_print", args=[contract.pk, 1])).content.decode()

    assert body.count('data-label="Milestone"') == rows
    assert body.count('data-label="Accepted by"') == 2


# The user; the contracts with their company, engineer, brief and version (the user's
# company's or their own); the count for the pages; the header's unread Messages count.
CONTRACT_LIST = 4


@pytest.mark.parametrize("extra", [0, 3])
def test_the_list(
    client: Client,
    owner: User,
    candidacy: Candidacy,
    assert_queries: AssertQueries,
    extra: int,
) -> None:
    services.contract_draft(candidacy=candidacy, by=owner, terms=terms(), milestones=milestones())
    company = owner.membership.company
    for _ in range(extra):
        brief = BriefFactory(company=company, created_by=owner)
        other = candidacy_at_offer(candidacy_in(brief, ProfileFactory(status="approved")))
        contract = services.contract_draft(
            candidacy=other, by=owner, terms=terms(rate=Decimal(6000)), milestones=milestones()
        )
        services.contract_send(contract=contract, by=owner)
    client.force_login(owner)

    with assert_queries(CONTRACT_LIST):
        body = client.get(reverse("hiring:contract_list")).content.decode()

    assert body.count('data-label="Contract"') == 1 + extra
