"""The check-in pages read a fixed number of queries, however many weeks there are."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.checkins.selectors import contract_panel
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import CALL, MAKER, OVERLAP, due_checkin, this_monday
from tests.conftest import AssertQueries

pytestmark = pytest.mark.django_db

# Every page: the user, the contract and the membership check (contract_for_user), and
# the navigation's badge (sessions live in Redis, not in the database).
LIST_COMPANY = 6  # + the teammate's zone, the check-ins with who answered
LIST_ENGINEER = 5  # + the check-ins (the engineer's zone is on the contract's profile)
DETAIL_COMPANY = 7  # + the teammate's zone, the check-in, the last plan
DETAIL_ENGINEER = 6  # + the check-in, the last plan
PANEL_COMPANY = 2  # the latest weeks, the teammate's zone
PANEL_ENGINEER = 1  # the latest weeks


def _weeks(contract: Contract, engineer: User, owner: User, n: int) -> None:
    """``n`` answered weeks before this one (both sides), each with hours, and this one due."""
    monday = this_monday(contract)
    for k in range(1, n + 1):
        due_checkin(
            contract,
            week_of=monday - timedelta(days=7 * k),
            status=CheckIn.Status.ANSWERED,
            done="Work",
            next="More work",
            hours=Decimal(30 + k % 7),
            health="on_track",
            answered_by=engineer,
            answered_at=contract.started_at,
            company_by=owner,
            company_answered_at=contract.started_at,
            priorities_clear="yes",
            feedback="Good",
        )
    due_checkin(contract, week_of=monday)


@pytest.mark.parametrize("weeks", [1, 15])
def test_the_list_page_reads_a_fixed_number_of_queries(
    client: Client,
    assert_queries: AssertQueries,
    make_contract: MAKER,
    engineer: User,
    owner: User,
    weeks: int,
) -> None:
    contract = make_contract(started_at=None)
    _weeks(contract, engineer, owner, weeks)
    url = reverse("hiring:checkin_list", args=[contract.pk])

    for user, count in ((owner, LIST_COMPANY), (engineer, LIST_ENGINEER)):
        client.force_login(user)
        with assert_queries(count):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("weeks", [1, 15])
def test_the_check_in_page_reads_a_fixed_number_of_queries(
    client: Client,
    assert_queries: AssertQueries,
    make_contract: MAKER,
    engineer: User,
    owner: User,
    weeks: int,
) -> None:
    contract = make_contract()
    _weeks(contract, engineer, owner, weeks)
    current = CheckIn.objects.get(week_of=this_monday(contract))
    answered = CheckIn.objects.filter(status=CheckIn.Status.ANSWERED).first()
    assert answered is not None

    for user, count in ((owner, DETAIL_COMPANY), (engineer, DETAIL_ENGINEER)):
        client.force_login(user)
        for checkin in (current, answered):
            url = reverse("hiring:checkin_detail", args=[contract.pk, checkin.pk])
            with assert_queries(count):
                assert client.get(url).status_code == 200


@pytest.mark.parametrize("weeks", [1, 15])
def test_the_contract_pages_panel_reads_a_fixed_number_of_queries(
    assert_queries: AssertQueries,
    make_contract: MAKER,
    engineer: User,
    owner: User,
    weeks: int,
) -> None:
    contract = make_contract(**CALL, **OVERLAP)
    _weeks(contract, engineer, owner, weeks)
    contract = Contract.objects.select_related("company", "profile__user", "current").get()

    with assert_queries(PANEL_COMPANY):
        panel = contract_panel(contract=contract, side="company", user=owner)["checkins_panel"]
    assert panel.chart is not None and len(panel.chart.bars) == min(weeks + 1, 12)
    with assert_queries(PANEL_ENGINEER):
        contract_panel(contract=contract, side="engineer", user=engineer)


def test_before_the_start_the_panel_reads_nothing(
    assert_queries: AssertQueries, make_contract: MAKER, owner: User
) -> None:
    offered = make_contract(status="offered")
    offered = Contract.objects.select_related("company", "profile__user", "current").get()

    with assert_queries(0):
        contract_panel(contract=offered, side="company", user=owner)
