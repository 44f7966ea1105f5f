"""Either side declines the version on offer with a note; the company revises it or
withdraws the offer before the start; the other side is told each time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.errors import Conflict
from accounts.models import User
from hiring.contracts import services
from hiring.models import Contract, ContractVersion, Message
from screening.models import Candidacy
from tests.contracts.conftest import accept, counts, draft, emails, milestones, offered, terms

pytestmark = pytest.mark.django_db


def decline_url(contract: Contract, number: int = 1) -> str:
    return reverse("hiring:version_decline", args=[contract.pk, number])


def test_the_engineer_declines_with_a_note_and_the_company_hears_it(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)

    response = client.post(decline_url(contract), {"note": "The notice period is too short."})

    assert response.status_code == 302
    contract.refresh_from_db()
    version = ContractVersion.objects.get(contract=contract)
    assert contract.status == Contract.Status.DECLINED
    assert version.declined_side == "engineer" and version.declined_by == engineer
    assert version.decline_note == "The notice period is too short."
    [email] = emails("declined")
    assert email.to == owner.email and "The notice period is too short." in email.body_text
    assert Message.objects.filter(thread=contract.thread, body__contains="declined version 1")
    # It can no longer be accepted; the company may revise it.
    with pytest.raises(Conflict, match="declined"):
        accept(contract, owner)
    client.force_login(owner)
    page = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()
    assert "Revise the terms" in page and "The notice period is too short." in page


def test_after_a_decline_the_company_revises_and_sends_version_two(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    services.version_decline(contract=contract, user=engineer, number=1, note="Rate too low.")

    services.draft_save(
        contract=contract, by=owner, terms=terms(rate=Decimal(7000)), milestones=milestones(2, 7000)
    )
    version = services.contract_send(contract=contract, by=owner)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED and version.number == 2
    accept(contract, engineer, 2)
    accept(contract, owner, 2)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_the_company_may_decline_too_and_the_engineer_hears_it(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)

    services.version_decline(
        contract=contract, user=owner, number=1, note="We sent the wrong dates."
    )

    contract.refresh_from_db()
    assert contract.status == Contract.Status.DECLINED
    assert [e.to for e in emails("declined")] == [engineer.email]


def test_a_decline_needs_a_note_and_saves_nothing_without_one(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)

    response = client.post(decline_url(contract), {"note": "   "})

    assert response.status_code == 400
    assert "Write a short note saying why you decline." in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED
    assert not ContractVersion.objects.filter(declined_at__isnull=False).exists()
    assert client.post(decline_url(contract), {"note": "x" * 2001}).status_code == 400


def test_declining_twice_or_after_accepting_is_refused(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, engineer)
    client.force_login(engineer)

    response = client.post(decline_url(contract), {"note": "Changed my mind."})

    assert response.status_code == 409
    assert "Your side already accepted version 1" in response.content.decode()
    services.version_decline(contract=contract, user=owner, number=1, note="Wrong rate.")
    client.force_login(owner)
    assert client.post(decline_url(contract), {"note": "Again."}).status_code == 409


def test_withdrawing_the_offer_tells_the_engineer_and_closes_it(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(owner)

    response = client.post(
        reverse("hiring:contract_withdraw", args=[contract.pk]), {"note": "Budget frozen."}
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.WITHDRAWN
    [email] = emails("withdrawn")
    assert email.to == engineer.email and "Budget frozen." in email.body_text
    with pytest.raises(Conflict, match="withdrew"):
        accept(contract, engineer)
    again = client.post(reverse("hiring:contract_withdraw", args=[contract.pk]), {})
    assert again.status_code == 409 and len(emails("withdrawn")) == 1
    client.force_login(engineer)
    page = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()
    assert "withdrew this offer" in page


def test_withdrawing_a_draft_discards_it_and_the_card_can_draft_again(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    client.force_login(owner)

    response = client.post(reverse("hiring:contract_withdraw", args=[contract.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("screening:candidacy", args=[candidacy.pk])
    assert counts() == (0, 0, 0, 0)
    assert emails("withdrawn") == []
    assert client.get(reverse("hiring:contract_new", args=[candidacy.pk])).status_code == 200


def test_a_started_contract_cannot_be_withdrawn_or_declined(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, owner)
    accept(contract, engineer)
    client.force_login(owner)

    assert client.post(reverse("hiring:contract_withdraw", args=[contract.pk])).status_code == 409
    assert client.post(decline_url(contract), {"note": "No."}).status_code == 409
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
