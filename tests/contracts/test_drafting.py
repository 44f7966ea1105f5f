"""Drafting a contract from a candidacy in Offer: the form prefilled from the accepted
outreach, milestone rows without JavaScript, saving a draft only the team sees."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import Contract, ContractVersion
from screening.models import Candidacy
from screening.services import candidacy_move
from tests.contracts.conftest import counts, draft, form_data, milestones, start

pytestmark = pytest.mark.django_db


def url(candidacy: Candidacy) -> str:
    return reverse("hiring:contract_new", args=[candidacy.pk])


def test_the_form_is_prefilled_from_the_outreach_the_engineer_accepted(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)

    response = client.get(url(candidacy))

    assert response.status_code == 200
    form = response.context["form"]
    outreach = candidacy.outreach.get()
    assert form.initial["title"] == "Settlement service"  # the brief's title
    assert form.initial["scope"] == outreach.summary
    assert form.initial["engagement"] == "hourly" and form.initial["currency"] == "USD"
    assert form.initial["rate"] == Decimal("35")
    assert form.initial["hours_cap"] == 40
    assert form.initial["start_on"] == outreach.start_date
    # Six months from the start, the day before the same date six months on.
    assert form.initial["end_on"].month == (outreach.start_date.month + 6 - 1) % 12 + 1
    # Both work in Karachi (10-19 and 9-18): the three hours asked start at 10:00.
    assert form.initial["overlap_starts"] == time(10, 0)
    assert form.initial["overlap_ends"] == time(13, 0)
    body = response.content.decode()
    assert "Draft a contract with" in body and "Add more milestone rows" in body


def test_the_overlap_is_suggested_in_the_engineer_zone_from_both_working_days(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    company = owner.membership.company
    company.time_zone, company.work_starts, company.work_ends = "Europe/London", time(9), time(17)
    company.save()
    client.force_login(owner)

    initial = client.get(url(candidacy)).context["form"].initial

    # London opens at 13:00 or 14:00 Karachi time (summer or winter); the engineer works
    # until 19:00: the three hours start when London opens.
    assert initial["overlap_starts"] in (time(13, 0), time(14, 0))
    assert initial["overlap_ends"].hour - initial["overlap_starts"].hour == 3


def test_saving_makes_a_draft_with_its_milestones_and_the_engineer_zone(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)

    response = client.post(url(candidacy), form_data(blank=3))

    contract = Contract.objects.get(candidacy=candidacy)
    assert response.status_code == 302
    assert response["Location"] == reverse("hiring:contract_detail", args=[contract.pk])
    assert contract.status == Contract.Status.DRAFT
    version = contract.current
    assert version is not None and version.is_draft and version.number is None
    assert version.time_zone == candidacy.profile.time_zone
    assert version.tools == [{"kind": "slack", "url": "https://acme.slack.com/archives/C1"}]
    assert [m.title for m in version.milestones.order_by("position")] == [
        "Milestone 1",
        "Milestone 2",
    ]
    assert len({m.key for m in version.milestones.all()}) == 2
    assert contract.thread == candidacy.outreach.get().thread


def test_a_candidacy_has_one_contract_and_the_form_leads_to_it(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    client.force_login(owner)

    assert client.get(url(candidacy))["Location"] == reverse(
        "hiring:contract_detail", args=[contract.pk]
    )
    before = counts()
    response = client.post(url(candidacy), form_data())
    assert response.status_code == 302 and counts() == before


def test_a_card_not_in_offer_gets_a_409_that_says_so(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    candidacy_move(candidacy=candidacy, to="interview", by=owner)
    client.force_login(owner)

    response = client.get(url(candidacy))

    assert response.status_code == 409
    assert "Move it to Offer first" in response.content.decode()
    assert client.post(url(candidacy), form_data()).status_code == 409
    assert Contract.objects.count() == 0


def test_more_rows_keeps_what_was_typed_and_saves_nothing(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    data = form_data(blank=3, title="Ledger work")
    data.pop("save")
    data["more"] = "1"

    response = client.post(url(candidacy), data)

    assert response.status_code == 200
    assert Contract.objects.count() == 0
    assert response.context["form"].initial["title"] == "Ledger work"
    formset = response.context["milestones"]
    assert len(formset.forms) == 2 + 6  # the two milestones, three blank rows and three more
    assert "This field is required" not in response.content.decode()


def test_removing_a_row_drops_that_milestone(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    rows = milestones(3, total=Decimal("6000"))
    rows[0]["amount"], rows[1]["amount"], rows[2]["amount"] = 3000, 3000, 500
    data = form_data(rows)
    data["m-2-DELETE"] = "on"
    client.force_login(owner)

    assert client.post(url(candidacy), data).status_code == 302

    version = Contract.objects.get().current
    assert version is not None
    assert version.milestones.count() == 2


def test_editing_the_draft_keeps_milestone_keys(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    version = contract.current
    assert version is not None
    keys = list(version.milestones.order_by("position").values_list("key", flat=True))
    client.force_login(teammate)
    page = client.get(reverse("hiring:contract_edit", args=[contract.pk]))
    assert page.status_code == 200
    rows = [
        {
            "key": m.key,
            "title": m.title,
            "acceptance_criteria": m.acceptance_criteria,
            "due_on": m.due_on,
            "amount": m.amount,
        }
        for m in version.milestones.order_by("position")
    ]
    rows[1]["title"] = "Hand-over"

    response = client.post(
        reverse("hiring:contract_edit", args=[contract.pk]), form_data(rows, rate="6000")
    )

    assert response.status_code == 302
    assert ContractVersion.objects.filter(contract=contract).count() == 1
    saved = list(version.milestones.order_by("position"))
    assert [m.key for m in saved] == keys
    assert saved[1].title == "Hand-over"


def test_an_hourly_draft_needs_no_milestones(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    data = form_data(
        [], engagement="hourly", rate="35", invoice_cadence="fortnightly", hours_cap="40"
    )

    assert client.post(url(candidacy), data).status_code == 302
    assert Contract.objects.get().current.milestones.count() == 0  # type: ignore[union-attr]


def test_the_start_may_not_be_in_the_past(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    data = form_data(start_on=start() - timedelta(days=10))

    response = client.post(url(candidacy), data)

    assert response.status_code == 400
    assert "The start date has passed" in response.content.decode()
    assert Contract.objects.count() == 0
