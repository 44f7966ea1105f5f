"""What the pages say: the printable copy carries every term and both acceptances and
prints clean; a teammate in another zone sees the contract's times in theirs too; the
company is told any member may accept for it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy
from tests.contracts.conftest import accept, form_data, offered, start

pytestmark = pytest.mark.django_db


def test_the_printable_copy_has_the_terms_both_acceptances_and_a_print_stylesheet(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(
        candidacy,
        owner,
        call_weekday=1,
        call_time=time(11, 0),
        call_minutes=45,
        overlap_starts=time(10, 0),
        overlap_ends=time(13, 0),
        trial_weeks=2,
    )
    accept(contract, engineer)
    accept(contract, teammate)
    version = contract.current
    assert version is not None
    client.force_login(engineer)

    body = client.get(reverse("hiring:version_print", args=[contract.pk, 1])).content.decode()

    for text in (
        "Version 1",
        "In force",
        "Build the settlement service",
        "USD 6,000",
        "Milestone 1",
        "Part 2 runs on staging and its tests pass.",
        "Every Friday at 16:00 Karachi time",
        "Tuesday 11:00–11:45 Karachi time (45 minutes)",
        "10:00–13:00 Karachi time",
        "The first 2 weeks",
        "https://acme.slack.com/archives/C1",
        "Sana Javed",
        teammate.display_name,
        version.content_hash,
        "css/contract-print.css",
    ):
        assert text in body, text
    assert body.count(version.content_hash) == 3  # two acceptances and the version's own
    css = (Path(settings.BASE_DIR) / "static/css/contract-print.css").read_text()
    assert "@media print" in css and ".site-header" in css and "#000" in css


def test_a_teammate_in_new_york_sees_the_times_in_their_zone_as_well(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    company = owner.membership.company
    company.time_zone = "America/New_York"
    company.save()
    contract = offered(candidacy, owner, overlap_starts=time(18, 0), overlap_ends=time(21, 0))
    client.force_login(owner)

    body = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()

    first_friday = start() + timedelta(days=(4 - start().weekday()) % 7)
    checkin = datetime.combine(first_friday, time(16), ZoneInfo("Asia/Karachi"))
    there = checkin.astimezone(ZoneInfo("America/New_York"))
    assert f"{there:%A %H:%M} New York time at the start" in body
    opens = datetime.combine(start(), time(18), ZoneInfo("Asia/Karachi")).astimezone(
        ZoneInfo("America/New_York")
    )
    assert f"{opens:%H:%M}–" in body


def test_the_company_is_told_any_member_may_accept_for_it(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(teammate)

    body = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()

    assert "any member of your team may accept for the company" in body
    assert f"Accept version 1 for {owner.membership.company.name}" in body
    assert f'name="content_hash" value="{contract.current.content_hash}"' in body  # type: ignore[union-attr]


def test_more_rows_with_a_tampered_form_does_not_fail(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    data = form_data()
    data.pop("m-TOTAL_FORMS")
    data.pop("save")
    data["more"] = "1"

    response = client.post(reverse("hiring:contract_new", args=[candidacy.pk]), data)

    assert response.status_code == 200
