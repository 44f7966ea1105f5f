"""Both home pages show the contracts in progress, this week's check-ins, the milestones
due and the payments overdue: the employer's dashboard for the company, the engineer's
profile home for the engineer, and nothing of another company or another engineer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.models import CheckIn, MilestoneWork
from tests.dashboards.conftest import (
    contract_with,
    elsewhere,
    ended,
    milestones,
    payment,
    this_week_checkin,
    work,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("accounts:dashboard")
ENGINEER_HOME = reverse("candidates:me")


def page(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def busy(owner: User, dash_profile: Profile) -> dict[str, object]:
    """An active contract between the owner's company and the engineer, started 20 days
    ago: this week's check-in answered by the engineer, milestone 1 due in 10 days,
    milestone 2 in 40, and a payment three days late."""
    today = timezone.localdate()
    contract = contract_with(owner, dash_profile, start_on=today - timedelta(days=20))
    this_week_checkin(
        contract,
        status=CheckIn.Status.ANSWERED,
        health=CheckIn.Health.AT_RISK,
        answered_at=timezone.now(),
    )
    first, second = milestones(contract)
    payment(contract, "Invoice for the first two weeks", today - timedelta(days=3))
    return {"contract": contract, "first": first, "second": second}


def test_the_employers_dashboard_shows_the_companys_contracts_and_what_is_due(
    client: Client, owner: User, busy: dict[str, object]
) -> None:
    contract = busy["contract"]
    body = page(client, owner, DASHBOARD)

    assert reverse("hiring:contract_detail", args=[contract.pk]) in body  # type: ignore[attr-defined]
    assert "Sana Javed" in body
    assert "This week's check-ins" in body
    assert reverse("hiring:checkin_list", args=[contract.pk]) in body  # type: ignore[attr-defined]
    assert "At risk" in body and "Your side is still to write" in body
    assert "Milestone 1" in body
    assert "Milestone 2" not in body  # due in 40 days: not yet
    assert "Invoice for the first two weeks" in body
    assert "3 days late" in body
    assert "No contracts yet" not in body


def test_the_engineers_home_shows_their_contracts_and_what_is_due(
    client: Client, engineer: User, owner: User, busy: dict[str, object]
) -> None:
    contract = busy["contract"]
    body = page(client, engineer, ENGINEER_HOME)

    assert "Your contracts" in body
    assert reverse("hiring:contract_detail", args=[contract.pk]) in body  # type: ignore[attr-defined]
    assert owner.membership.company.name in body
    assert reverse("hiring:checkin_list", args=[contract.pk]) in body  # type: ignore[attr-defined]
    assert f"Waiting for {owner.membership.company.name} to write its side" in body
    assert "Milestone 1" in body and "Milestone 2" not in body
    assert "Invoice for the first two weeks" in body and "3 days late" in body


def test_neither_home_shows_another_companys_or_another_engineers_contracts(
    client: Client, owner: User, engineer: User, busy: dict[str, object]
) -> None:
    today = timezone.localdate()
    # Another company's contract with the same engineer: the owner must not see it.
    theirs = elsewhere(busy["contract"].profile, start_on=today - timedelta(days=20))  # type: ignore[attr-defined]
    payment(theirs, "Someone else's invoice", today - timedelta(days=5))
    # The owner's company with another engineer: that engineer's home must not show it
    # to ours, and the company's dashboard does.
    other_engineer = ProfileFactory(status="approved")
    ours_with_other = contract_with(owner, other_engineer, start_on=today - timedelta(days=20))
    payment(ours_with_other, "Second engineer's invoice", today - timedelta(days=2))
    # A contract between strangers.
    strangers = elsewhere(start_on=today - timedelta(days=20))
    payment(strangers, "A stranger's invoice", today - timedelta(days=9))

    company_page = page(client, owner, DASHBOARD)
    engineer_page = page(client, engineer, ENGINEER_HOME)

    for url in (theirs, strangers):
        assert reverse("hiring:contract_detail", args=[url.pk]) not in company_page
    assert "Someone else&#x27;s invoice" not in company_page
    assert "A stranger&#x27;s invoice" not in company_page
    assert "Second engineer&#x27;s invoice" in company_page

    assert reverse("hiring:contract_detail", args=[theirs.pk]) in engineer_page
    assert "Someone else&#x27;s invoice" in engineer_page
    for contract in (ours_with_other, strangers):
        assert reverse("hiring:contract_detail", args=[contract.pk]) not in engineer_page
    assert "Second engineer&#x27;s invoice" not in engineer_page
    assert "A stranger&#x27;s invoice" not in engineer_page


def test_submitted_work_waits_for_the_company_whatever_its_due_date(
    client: Client, owner: User, engineer: User, busy: dict[str, object]
) -> None:
    contract, second = busy["contract"], busy["second"]
    work(contract, second, MilestoneWork.Status.SUBMITTED, submitted_at=timezone.now())  # type: ignore[arg-type]

    company_page = page(client, owner, DASHBOARD)
    engineer_page = page(client, engineer, ENGINEER_HOME)

    assert "Milestone 2" in company_page and "waiting for your answer" in company_page
    company = owner.membership.company.name
    assert "Milestone 2" in engineer_page and f"waiting for {company}" in engineer_page


def test_accepted_milestones_and_paid_or_not_yet_due_payments_are_not_listed(
    client: Client, owner: User, busy: dict[str, object]
) -> None:
    contract, first = busy["contract"], busy["first"]
    work(contract, first, MilestoneWork.Status.ACCEPTED, answered_at=timezone.now())  # type: ignore[arg-type]
    today = timezone.localdate()
    contract.payments.update(paid_at=timezone.now())  # type: ignore[attr-defined]
    payment(contract, "Due today", today)  # type: ignore[arg-type]

    body = page(client, owner, DASHBOARD)

    assert "Milestone 1" not in body
    assert "No milestone is due in the next 14 days" in body
    assert "Invoice for the first two weeks" not in body and "Due today" not in body
    assert "Nothing is overdue" in body


def test_a_late_milestone_is_flagged(client: Client, owner: User, dash_profile: Profile) -> None:
    contract_with(owner, dash_profile, start_on=timezone.localdate() - timedelta(days=33))

    body = page(client, owner, DASHBOARD)

    assert "Milestone 1" in body and "Late" in body


def test_a_check_in_not_sent_yet_says_when_it_goes_out_and_states_show_per_contract(
    client: Client, owner: User, engineer: User, dash_profile: Profile
) -> None:
    today = timezone.localdate()
    # Check-in day: the day after the engineer's today, so it is always still ahead.
    planned = contract_with(owner, dash_profile, checkin_weekday=(today.weekday() + 1) % 7)
    due = contract_with(owner, dash_profile, title="Ledger service")
    this_week_checkin(due)
    skipped = contract_with(owner, dash_profile, title="Reports service")
    this_week_checkin(skipped, status=CheckIn.Status.SKIPPED, skipped_at=timezone.now())

    company_page = page(client, owner, DASHBOARD)
    engineer_page = page(client, engineer, ENGINEER_HOME)

    if today.weekday() != 6:  # on a Sunday, Monday's check-in belongs to next week
        assert "Goes out" in company_page
    assert "Waiting for Sana Javed" in company_page
    assert "Waiting for your answer" in engineer_page
    assert ">Answer<" in engineer_page
    assert "Skipped" in company_page
    assert planned.pk != due.pk


def test_an_offer_shows_on_both_homes_and_a_draft_only_to_the_company(
    client: Client, owner: User, engineer: User, dash_profile: Profile
) -> None:
    offered = contract_with(owner, dash_profile, status="offered")
    draft = contract_with(owner, dash_profile, status="draft", title="Draft terms")

    company_page = page(client, owner, DASHBOARD)
    engineer_page = page(client, engineer, ENGINEER_HOME)

    assert reverse("hiring:contract_detail", args=[offered.pk]) in company_page
    assert "Waiting for acceptance" in company_page
    assert reverse("hiring:contract_detail", args=[offered.pk]) in engineer_page
    assert "Waiting for your answer" in engineer_page
    assert reverse("hiring:contract_detail", args=[draft.pk]) not in engineer_page
    assert reverse("hiring:contract_detail", args=[draft.pk]) not in company_page  # not offered


def test_an_ended_contract_leaves_the_list_but_its_late_payment_stays(
    client: Client, owner: User, engineer: User, busy: dict[str, object]
) -> None:
    contract = ended(busy["contract"])  # type: ignore[arg-type]

    for user, url in ((owner, DASHBOARD), (engineer, ENGINEER_HOME)):
        body = page(client, user, url)
        assert "Invoice for the first two weeks" in body
        assert "No contracts yet" in body
        assert f'href="{reverse("hiring:contract_detail", args=[contract.pk])}"' in body


def test_empty_homes_explain_how_contracts_start(
    client: Client, owner: User, engineer: User, dash_profile: Profile
) -> None:
    company_page = page(client, owner, DASHBOARD)
    engineer_page = page(client, engineer, ENGINEER_HOME)

    assert "No contracts yet" in company_page
    assert "Offer stage" in company_page and reverse("screening:company_funnel") in company_page
    assert "No contracts yet" in engineer_page
    assert "offers you a contract" in engineer_page
    assert reverse("hiring:opportunities") in engineer_page
    assert "Payments overdue" not in company_page + engineer_page


def test_a_teammate_sees_the_companys_contracts(
    client: Client, owner: User, teammate: User, busy: dict[str, object]
) -> None:
    body = page(client, teammate, DASHBOARD)

    assert reverse("hiring:contract_detail", args=[busy["contract"].pk]) in body  # type: ignore[attr-defined]
