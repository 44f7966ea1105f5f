"""The answers to a change order: accept (the next version, agreed by both, with the
hash), reject, counter, withdraw; and what may not be done."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from hiring.contracts import events, terms
from hiring.models import (
    ChangeOrder,
    Contract,
    ContractVersion,
    Message,
    MilestoneWork,
    VersionAcceptance,
)
from tests.changes.conftest import (
    _row,
    a_change,
    emails,
    form_data,
    frozen,
    login,
    milestones_of,
    text,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force() -> Any:
    """Every version_in_force signal sent during the test."""
    heard: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        heard.append({"sender": sender, **kwargs})

    events.version_in_force.connect(listen, weak=False)
    yield heard
    events.version_in_force.disconnect(listen)


def test_accepting_makes_version_2_agreed_by_both_with_the_hash(
    client: Client, contract: Contract, owner: User, engineer: User, in_force: list[Any]
) -> None:
    v1 = contract.current
    assert v1 is not None
    before = frozen(v1)
    change = a_change(contract, owner)
    login(client, engineer)
    page = client.get(url("change_detail", contract, change))
    assert f'value="{change.proposal.content_hash}"' in page.content.decode()

    response = client.post(
        url("change_accept", contract, change),
        {"accept-content_hash": change.proposal.content_hash, "accept-note": "Agreed."},
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    change.refresh_from_db()
    v2 = change.proposal
    assert contract.current == v2 and v2.number == 2
    assert change.status == "accepted" and change.answered_by == engineer
    assert change.answer_note == "Agreed."
    digest = terms.content_hash(terms.content(ContractVersion.objects.get(pk=v2.pk)))
    assert v2.content_hash == digest
    acceptances = {a.side: a for a in VersionAcceptance.objects.filter(version=v2)}
    assert set(acceptances) == {"company", "engineer"}
    assert acceptances["company"].user == owner and acceptances["company"].at == change.proposed_at
    assert acceptances["engineer"].user == engineer
    assert acceptances["engineer"].at >= change.proposed_at
    assert {a.content_hash for a in acceptances.values()} == {digest}
    assert frozen(v1) == before, "version 1 stays exactly as it was"
    assert VersionAcceptance.objects.filter(version=v1).count() == 2
    assert len(in_force) == 1
    assert in_force[0]["sender"] is Contract
    assert in_force[0]["version"] == v2 and in_force[0]["previous"] == v1
    assert [e.to for e in emails("accepted")] == [owner.email]
    assert "version 2" in emails("accepted")[0].subject
    line = Message.objects.filter(thread=contract.thread, side="system").last()
    assert line is not None and "version 2 is now in force" in line.body

    replay = client.post(
        url("change_accept", contract, change),
        {"accept-content_hash": change.proposal.content_hash},
    )
    assert replay.status_code == 409
    assert "already accepted" in text(replay)
    assert VersionAcceptance.objects.filter(version=v2).count() == 2
    assert len(emails("accepted")) == 1 and len(in_force) == 1


def test_the_proposer_cannot_accept_their_own_change(
    client: Client, contract: Contract, owner: User, teammate: User
) -> None:
    change = a_change(contract, owner)
    login(client, teammate)  # the same side, another person

    response = client.post(url("change_accept", contract, change))
    page = client.get(url("change_detail", contract, change))

    assert response.status_code == 409
    assert "Your side proposed this change" in text(response)
    change.refresh_from_db()
    assert change.status == "open" and change.proposal.number is None
    assert not VersionAcceptance.objects.filter(version=change.proposal).exists()
    assert "Accept the change" not in text(page) and "Withdraw" in text(page)


def test_a_change_against_a_replaced_version_is_refused_and_lapses(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, owner)
    v1 = contract.current
    assert v1 is not None
    # Another version came into force meanwhile (as another accepted change would make it).
    v2 = terms.version_copy(ContractVersion.objects.get(pk=v1.pk), by=owner)
    terms.version_freeze(v2, number=2)
    Contract.objects.filter(pk=contract.pk).update(current=v2)
    login(client, engineer)

    response = client.post(url("change_accept", contract, change))

    assert response.status_code == 409
    assert "no longer in force" in text(response)
    change.refresh_from_db()
    assert change.status == "lapsed" and change.proposal.number is None
    contract.refresh_from_db()
    assert contract.current == v2
    assert not VersionAcceptance.objects.filter(version=change.proposal).exists()
    assert not emails("accepted")


def test_a_change_cannot_be_accepted_once_its_milestone_was_submitted(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    first, second = milestones_of(v1)
    change = a_change(
        contract,
        owner,
        rows=[{**_row(first), "title": "Part 1, with reports"}, second],
    )
    MilestoneWork.objects.create(
        contract=contract, key=first.key, status="submitted", submitted_at=timezone.now()
    )
    login(client, engineer)

    response = client.post(url("change_accept", contract, change))

    assert response.status_code == 409
    assert "its work was submitted" in text(response)
    change.refresh_from_db()
    assert change.status == "open"
    contract.refresh_from_db()
    assert contract.current == v1


def test_rejecting_needs_a_note_and_keeps_the_version_in_force(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, engineer)
    login(client, owner)

    empty = client.post(url("change_reject", contract, change), {"reject-note": "  "})
    assert empty.status_code == 400
    assert "This field is required" in text(empty)
    change.refresh_from_db()
    assert change.status == "open"

    response = client.post(
        url("change_reject", contract, change), {"reject-note": "Not in this budget."}
    )

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "rejected" and change.answer_note == "Not in this budget."
    assert change.answered_by == owner
    contract.refresh_from_db()
    assert contract.current == change.base
    [email] = emails("rejected")
    assert email.to == engineer.email and "Not in this budget." in email.body_text
    again = client.post(url("change_reject", contract, change), {"reject-note": "Again."})
    assert again.status_code == 409 and len(emails("rejected")) == 1


def test_the_proposer_withdraws_and_the_other_side_cannot(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, engineer)

    login(client, owner)
    refused = client.post(url("change_withdraw", contract, change))
    assert refused.status_code == 409
    assert "Only the side that proposed a change can withdraw it" in text(refused)

    login(client, engineer)
    response = client.post(
        url("change_withdraw", contract, change), {"withdraw-note": "We sorted it out."}
    )

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "withdrawn" and change.answer_note == "We sorted it out."
    assert [e.to for e in emails("withdrawn")] == [owner.email]
    # A new change can be proposed now.
    assert client.get(url("change_new", contract)).status_code == 200


def test_countering_replaces_the_change_with_a_new_one_in_one_step(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    first, second = milestones_of(v1)
    change = a_change(
        contract,
        owner,
        rate="7000",
        rows=[first, {**_row(second), "amount": "4000"}],
    )
    login(client, engineer)

    form = client.get(url("change_counter", contract, change))
    assert form.status_code == 200
    assert 'name="rate" value="7000.00"' in form.content.decode()  # starts from their proposal
    assert "Also: monthly reconciliation reports." in text(form)

    proposal = ContractVersion.objects.get(pk=change.proposal_id)
    response = client.post(
        url("change_counter", contract, change),
        form_data(
            proposal,
            rate="8000",
            rows=[first, {**_row(milestones_of(proposal)[1]), "amount": "5000"}],
            note="Reports take longer than that.",
        ),
    )

    assert response.status_code == 302
    change.refresh_from_db()
    counter = ChangeOrder.objects.get(status="open")
    assert change.status == "countered" and change.answered_by == engineer
    assert change.answer_note == "Reports take longer than that."
    assert counter.counter_of == change and counter.side == "engineer"
    assert counter.base == v1
    assert str(counter.proposal.rate) == "8000.00"
    assert [e.to for e in emails("proposed")] == [engineer.email, owner.email]
    assert "countered" in emails("proposed")[1].subject

    page = text(client.get(url("change_detail", contract, change)))
    assert "answered with a counter-proposal" in page

    login(client, owner)
    accepted = client.post(url("change_accept", contract, counter))
    assert accepted.status_code == 302
    contract.refresh_from_db()
    assert contract.current == counter.proposal and contract.current.number == 2


def test_a_counter_with_bad_terms_keeps_the_change_open(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, owner)
    login(client, engineer)
    proposal = ContractVersion.objects.get(pk=change.proposal_id)

    response = client.post(
        url("change_counter", contract, change), form_data(proposal, rate="9000")
    )

    assert response.status_code == 400
    assert "The milestones add up to USD 6,000, but the fixed price is USD 9,000" in text(response)
    change.refresh_from_db()
    assert change.status == "open"
    assert ChangeOrder.objects.count() == 1


def test_a_counter_the_same_as_the_change_is_refused(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, owner)
    login(client, engineer)
    proposal = ContractVersion.objects.get(pk=change.proposal_id)

    response = client.post(url("change_counter", contract, change), form_data(proposal))

    assert response.status_code == 400
    assert "the same as the change it answers" in text(response)
    change.refresh_from_db()
    assert change.status == "open" and ChangeOrder.objects.count() == 1


def test_the_proposer_cannot_counter_their_own_change(
    client: Client, contract: Contract, owner: User
) -> None:
    change = a_change(contract, owner)
    login(client, owner)

    assert client.get(url("change_counter", contract, change)).status_code == 409
    proposal = ContractVersion.objects.get(pk=change.proposal_id)
    response = client.post(
        url("change_counter", contract, change), form_data(proposal, rate="6100")
    )
    assert response.status_code == 409
    assert ChangeOrder.objects.count() == 1


def test_a_change_on_a_contract_given_notice_lapses_instead_of_being_accepted(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    change = a_change(contract, owner)
    Contract.objects.filter(pk=contract.pk).update(status="ending")
    login(client, engineer)

    response = client.post(url("change_accept", contract, change))

    assert response.status_code == 409
    assert "changes to it are closed" in text(response)
    change.refresh_from_db()
    assert change.status == "lapsed"


def test_a_second_change_after_an_accepted_one_makes_version_3(
    contract: Contract, owner: User, engineer: User
) -> None:
    from hiring.changes import services

    first = a_change(contract, owner)
    services.change_accept(contract=contract, change=first, by=engineer)
    contract.refresh_from_db()
    second = a_change(contract, engineer, end_on=contract.current.end_on + timedelta(days=7))  # type: ignore[union-attr]
    services.change_accept(contract=contract, change=second, by=owner)

    contract.refresh_from_db()
    assert contract.current == second.proposal and contract.current.number == 3
    assert second.base == first.proposal
