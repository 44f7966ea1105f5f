"""Query counts pinned with fixed numbers: the ending panel reads the viewer's zone (a
teammate's), the handover ticks and the reviews, whatever their number."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.contracts.access import contract_for_user
from hiring.models import Contract, HandoverItem, HandoverTick, Side
from hiring.reviews.selectors import contract_panel
from tests.conftest import AssertQueries
from tests.factories import MembershipFactory
from tests.reviews.conftest import ended, give_notice, login, review

# The panel alone (selector + template), by the contract's status and the viewer's side.
PANEL = {
    ("active", "company"): 0,
    ("active", "engineer"): 0,
    ("ending", "company"): 2,  # the teammate's zone, the ticks
    ("ending", "engineer"): 1,  # the ticks
    ("ended", "company"): 3,  # the teammate's zone, the ticks, the reviews
    ("ended", "engineer"): 2,
}
# The whole contract page of an ended contract with its handover and reviews (every
# part's panel and the timeline).
PAGE_ENDED = {"company": 20, "engineer": 19}


def _to(contract: Contract, status: str, owner: User, engineer: User, *, full: bool) -> None:
    if status == "active":
        return
    give_notice(contract, owner)
    if full:
        mate = MembershipFactory(company=contract.company).user
        for item in HandoverItem:
            HandoverTick.objects.create(contract=contract, item=item, side="company", by=mate)
            HandoverTick.objects.create(contract=contract, item=item, side="engineer", by=engineer)
    if status == "ended":
        ended(contract)
        if full:
            review(contract, owner, Side.COMPANY)
            review(contract, engineer, Side.ENGINEER)


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("key", list(PANEL))
def test_the_panel(
    owner: User,
    engineer: User,
    contract: Contract,
    assert_queries: AssertQueries,
    key: tuple[str, str],
    full: bool,
) -> None:
    status, side = key
    _to(contract, status, owner, engineer, full=full)
    viewer = owner if side == "company" else engineer
    fetched, found_side = contract_for_user(viewer, contract.pk)
    assert found_side == side
    with assert_queries(PANEL[key]):
        context = {"contract": fetched, "side": side}
        context.update(contract_panel(contract=fetched, side=side, user=viewer))
        html = render_to_string("hiring/reviews/_contract_panel.html", context)
    assert 'id="ending"' in html


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("side", ["company", "engineer"])
def test_the_contract_page_of_an_ended_contract(
    client: Client,
    owner: User,
    engineer: User,
    contract: Contract,
    assert_queries: AssertQueries,
    side: str,
    full: bool,
) -> None:
    _to(contract, "ended", owner, engineer, full=full)
    login(client, owner if side == "company" else engineer)
    url = reverse("hiring:contract_detail", args=[contract.pk])
    with assert_queries(PAGE_ENDED[side]):
        assert client.get(url).status_code == 200


# The pages of this part, by GET: the form to give notice, to review, to reply, to report.
END_PAGE = 4  # user, contract, side, the header's unread count
REVIEW_PAGE = 6  # user, contract, side, the side's review written?, the teammate's zone, header
ANSWER_PAGE = 5  # user, review, contract, side (the engineer's), header


def test_the_end_page(
    client: Client, owner: User, contract: Contract, assert_queries: AssertQueries
) -> None:
    login(client, owner)
    with assert_queries(END_PAGE):
        assert client.get(reverse("hiring:contract_end", args=[contract.pk])).status_code == 200


def test_the_review_page(
    client: Client, owner: User, contract: Contract, assert_queries: AssertQueries
) -> None:
    ended(contract)
    login(client, owner)
    with assert_queries(REVIEW_PAGE):
        assert client.get(reverse("hiring:review_new", args=[contract.pk])).status_code == 200


@pytest.mark.parametrize("name", ["review_reply", "review_report"])
def test_the_reply_and_report_pages(
    client: Client,
    owner: User,
    engineer: User,
    contract: Contract,
    assert_queries: AssertQueries,
    name: str,
) -> None:
    ended(contract)
    theirs = review(contract, owner, Side.COMPANY)
    review(contract, engineer, Side.ENGINEER)
    login(client, engineer)
    with assert_queries(ANSWER_PAGE):
        assert client.get(reverse(f"hiring:{name}", args=[theirs.pk])).status_code == 200
