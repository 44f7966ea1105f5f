"""Bad input gets a clear message and a 4xx, and nothing is saved: never a 500."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Refused
from accounts.models import User
from hiring.contracts import services
from hiring.models import Contract, ContractVersion
from screening.models import Candidacy
from tests.contracts.conftest import (
    counts,
    draft,
    form_data,
    milestones,
    offered,
    start,
    terms,
)

pytestmark = pytest.mark.django_db


def rows(**changes: Any) -> list[dict[str, Any]]:
    found = milestones()
    for name, value in changes.items():
        found[0][name] = value
    return found


CASES: dict[str, tuple[dict[str, Any], str]] = {
    "amounts do not add up to the fixed price": (
        {"rows": rows(amount="1000")},
        "The milestones add up to USD 4,000, but the fixed price is USD 6,000",
    ),
    "a due date before the start": (
        {"rows": rows(due_on=start() - timedelta(days=1))},
        "“Milestone 1” is due before the contract starts.",
    ),
    "a due date after the end": (
        {"rows": rows(due_on=start() + timedelta(days=400))},
        "“Milestone 1” is due after the contract ends.",
    ),
    "a milestone without acceptance criteria": (
        {"rows": rows(acceptance_criteria="")},
        "Write the acceptance criteria: how both sides will know it is done.",
    ),
    "a negative milestone amount": (
        {"rows": rows(amount="-5")},
        "An amount cannot be negative.",
    ),
    "a negative rate": ({"rate": "-35"}, "The rate must be more than zero."),
    "a zero rate": ({"rate": "0"}, "The rate must be more than zero."),
    "an absurd hourly rate": (
        {"engagement": "hourly", "rate": "50000", "invoice_cadence": "weekly", "rows": []},
        "USD 50,000 an hour is more than Karigar accepts for this kind of contract (at most "
        "USD 1,000 an hour)",
    ),
    "an absurd fixed price": (
        {"rate": "5000000", "rows": rows(amount="4997000")},
        "is more than Karigar accepts for this kind of contract",
    ),
    "a rate too long to be a number we keep": (
        {"rate": "1" * 20},
        "Ensure that there are no more than 12 digits in total.",
    ),
    "a rate that is not a number": ({"rate": "lots"}, "Enter a number."),
    "an end before the start": (
        {"end_on": start() - timedelta(days=1), "rows": []},
        "The end date must be after the start date.",
    ),
    "an end on the start day": (
        {"end_on": start(), "rows": []},
        "The end date must be after the start date.",
    ),
    "a date that is not a date": ({"start_on": "31/02/2026"}, "Enter a valid date."),
    "an http tool link": (
        {"tools": [{"kind": "trello", "url": "http://trello.com/b/abc"}]},
        "Enter a link starting with https://",
    ),
    "a javascript tool link": (
        {"tools": [{"kind": "repository", "url": "javascript:alert(1)"}]},
        "Enter a link starting with https://",
    ),
    "an hourly contract without a cap": (
        {
            "engagement": "hourly",
            "rate": "35",
            "hours_cap": None,
            "rows": [],
            "invoice_cadence": "weekly",
        },
        "An hourly contract needs a weekly hours cap.",
    ),
    "a weekly hours cap of 200": ({"hours_cap": "200"}, "less than or equal to 80"),
    "per milestone pay without amounts": (
        {"engagement": "monthly", "rate": "3000", "rows": rows(amount="")[:1]},
        "Paying per milestone needs milestones with amounts",
    ),
    "a fixed price without milestones": (
        {"rows": []},
        "A fixed-price contract needs at least one milestone.",
    ),
    "an overlap that ends before it starts": (
        {"overlap_starts": "15:00", "overlap_ends": "11:00"},
        "The overlap must end after it starts.",
    ),
    "half an overlap": ({"overlap_starts": "10:00"}, "Give both the start and the end"),
    "a call outside the overlap": (
        {
            "overlap_starts": "10:00",
            "overlap_ends": "13:00",
            "call_weekday": "1",
            "call_time": "17:00",
            "call_minutes": "30",
        },
        "The weekly call must fall inside the agreed overlap.",
    ),
    "a trial longer than the contract": (
        {
            "trial_weeks": "12",
            "end_on": start() + timedelta(days=30),
            "rows": rows(due_on=start() + timedelta(days=20))[:1],
        },
        "The paid trial must end before the contract does.",
    ),
    "an engagement that does not exist": ({"engagement": "barter"}, "Select a valid choice."),
    "a notice period of a year": ({"notice_days": "365"}, "less than or equal to 90"),
    "a check-in at half past": ({"checkin_time": "16:30"}, "Select a valid choice."),
}


def post(client: Client, url: str, changes: dict[str, Any]) -> Any:
    changes = dict(changes)
    milestone_rows = changes.pop("rows", None)
    tools = changes.pop("tools", None)
    data = form_data(milestone_rows, **changes)
    for tool in tools or []:
        data[f"tool_{tool['kind']}"] = tool["url"]
    return client.post(url, data)


@pytest.mark.parametrize("case", list(CASES))
def test_a_new_contract_with_bad_terms_is_a_400_that_says_why_and_saves_nothing(
    client: Client, owner: User, candidacy: Candidacy, case: str
) -> None:
    changes, message = CASES[case]
    client.force_login(owner)

    response = post(client, reverse("hiring:contract_new", args=[candidacy.pk]), changes)

    assert response.status_code == 400, case
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"'), case
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "case",
    ["amounts do not add up to the fixed price", "an end before the start", "an http tool link"],
)
def test_a_bad_edit_leaves_the_draft_as_it_was(
    client: Client, owner: User, candidacy: Candidacy, case: str
) -> None:
    contract = draft(candidacy, owner)
    before = list(ContractVersion.objects.values())
    client.force_login(owner)

    response = post(client, reverse("hiring:contract_edit", args=[contract.pk]), CASES[case][0])

    assert response.status_code == 400
    assert list(ContractVersion.objects.values()) == before


def test_a_bad_revision_makes_no_new_version(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    before = counts()
    client.force_login(owner)

    response = post(client, reverse("hiring:contract_edit", args=[contract.pk]), {"rate": "-1"})

    assert response.status_code == 400 and counts() == before


def test_a_tampered_form_is_a_400_not_a_500(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    data = form_data()
    for name in ("m-TOTAL_FORMS", "m-INITIAL_FORMS"):
        data.pop(name)

    response = client.post(reverse("hiring:contract_new", args=[candidacy.pk]), data)

    assert response.status_code == 400 and counts() == (0, 0, 0, 0)
    data = form_data(milestones(21, 6000), blank=0)
    data["m-TOTAL_FORMS"] = "21"
    response = client.post(reverse("hiring:contract_new", args=[candidacy.pk]), data)
    assert response.status_code == 400 and counts() == (0, 0, 0, 0)


def test_the_services_keep_the_same_rules_for_any_caller(owner: User, candidacy: Candidacy) -> None:
    with pytest.raises(Refused, match="add up to"):
        services.contract_draft(
            candidacy=candidacy,
            by=owner,
            terms=terms(),
            milestones=milestones(2, 5000),
        )
    with pytest.raises(Refused, match="https://"):
        services.contract_draft(
            candidacy=candidacy,
            by=owner,
            terms=terms(tools=[{"kind": "slack", "url": "http://x.slack.com"}]),
            milestones=milestones(),
        )
    with pytest.raises(Refused, match="greater than or equal to 1"):
        services.contract_draft(
            candidacy=candidacy,
            by=owner,
            terms=terms(rate=Decimal("0.5"), engagement="hourly", invoice_cadence="weekly"),
            milestones=[],
        )
    assert counts() == (0, 0, 0, 0)


def test_a_draft_whose_start_has_passed_is_not_sent(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    ContractVersion.objects.filter(contract=contract).update(
        start_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(owner)

    response = client.post(reverse("hiring:contract_send", args=[contract.pk]))

    assert response.status_code == 400
    assert "The start date has passed" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    assert ContractVersion.objects.get().sent_at is None
