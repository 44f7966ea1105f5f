"""The check-ins page (every week, a chart of weeks by status and hours with the same
figures in a table) and the contract page's check-ins panel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import CALL, MAKER, OVERLAP, due_checkin, this_monday

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _history(contract: Contract, engineer: User, owner: User) -> list[CheckIn]:
    """Last week answered by both (32.5 hours, at risk); the week before skipped by the
    company; the one before missed; this week waiting."""
    monday = this_monday(contract)
    return [
        due_checkin(
            contract,
            week_of=monday - timedelta(days=7),
            status=CheckIn.Status.ANSWERED,
            done="Export",
            next="Reconcile",
            hours=Decimal("32.5"),
            health="at_risk",
            answered_by=engineer,
            answered_at=contract.started_at,
            company_by=owner,
            company_answered_at=contract.started_at,
            priorities_clear="yes",
            feedback="Good",
        ),
        due_checkin(
            contract,
            week_of=monday - timedelta(days=14),
            status=CheckIn.Status.SKIPPED,
            skipped_side="company",
            skipped_by=owner,
        ),
        due_checkin(contract, week_of=monday - timedelta(days=21), status=CheckIn.Status.MISSED),
        due_checkin(contract, week_of=monday),
    ]


def test_the_list_shows_every_week_with_status_health_hours_and_who_answered(
    client: Client, contract: Contract, engineer: User, owner: User
) -> None:
    _history(contract, engineer, owner)
    client.force_login(owner)

    page = _text(client.get(reverse("hiring:checkin_list", args=[contract.pk])))

    for words in ("Answered", "Skipped", "Missed", "Waiting for the engineer", "At risk", "32.5"):
        assert words in page
    assert f"{engineer.display_name}; {owner.display_name} for {contract.company.name}" in page
    assert f"Skipped by {contract.company.name}" in page
    # The chart: an SVG with a title naming each week, and the table beside it.
    assert '<svg class="rate-chart__svg"' in page and 'role="img"' in page
    assert "Check-ins of the last 4 weeks by status and hours" in page
    assert "1 answered, 1 skipped, 1 missed, 1 waiting" in page
    assert page.count('class="rate-chart__bar"') == 1  # only the week with hours has a bar


def test_the_list_explains_itself_before_the_first_check_in(
    client: Client, contract: Contract, engineer: User
) -> None:
    client.force_login(engineer)

    page = _text(client.get(reverse("hiring:checkin_list", args=[contract.pk])))

    assert "No check-ins yet" in page
    assert "You will get an email with a link to answer." in page
    assert "Fridays at 16:00 Karachi time" in page


def test_the_list_offers_to_skip_this_week_and_next_until_each_is_answered_or_skipped(
    client: Client, contract: Contract, engineer: User
) -> None:
    client.force_login(engineer)
    url = reverse("hiring:checkin_list", args=[contract.pk])
    monday = this_monday(contract)

    page = _text(client.get(url))
    assert "Skip this week's check-in" in page and "Skip next week's check-in" in page
    assert f'value="{monday.isoformat()}"' in page

    due_checkin(contract, status=CheckIn.Status.ANSWERED, done="Work")
    page = _text(client.get(url))
    assert "Skip this week's check-in" not in page and "Skip next week's check-in" in page


def test_the_contract_page_shows_this_weeks_check_in_the_chart_and_the_skip_button(
    client: Client, make_contract: MAKER, engineer: User, owner: User
) -> None:
    contract = make_contract(**CALL, **OVERLAP)
    _history(contract, engineer, owner)
    client.force_login(engineer)

    page = _text(client.get(reverse("hiring:contract_detail", args=[contract.pk])))

    assert "Weekly check-ins" in page
    assert "Answer this week's check-in" in page
    assert "Skip next week's check-in" in page
    assert '<svg class="rate-chart__svg"' in page
    assert "The chart's weeks as a table" in page
    assert reverse("hiring:checkin_list", args=[contract.pk]) in page
    assert "Wednesdays, 15:00–15:30 Karachi time" in page
    assert reverse("hiring:call_ics", args=[contract.pk]) in page


def test_an_offered_contracts_panel_explains_the_plan(
    client: Client, make_contract: MAKER, engineer: User
) -> None:
    offered = make_contract(status="offered")
    client.force_login(engineer)

    page = _text(client.get(reverse("hiring:contract_detail", args=[offered.pk])))

    assert "Once the contract starts, you get a short written check-in every week" in page
    assert "Fridays at 16:00 Karachi time" in page
    assert "Skip this week" not in page and "Skip next week" not in page
