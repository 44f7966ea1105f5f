"""Both sides accept the exact version they read. One acceptance is not enough; both
start the contract and move the card to Hired. A replaced version, a wrong hash or a
replay is refused with a message (409) and changes nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.errors import Conflict
from accounts.models import User
from hiring.contracts import events, services
from hiring.models import Contract, ContractVersion, Message, VersionAcceptance
from screening.models import Candidacy, Stage
from tests.contracts.conftest import accept, counts, emails, offered, terms

pytestmark = pytest.mark.django_db


def accept_url(contract: Contract, number: int) -> str:
    return reverse("hiring:version_accept", args=[contract.pk, number])


def test_one_acceptance_is_not_enough(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)
    version = contract.current
    assert version is not None

    response = client.post(accept_url(contract, 1), {"content_hash": version.content_hash})

    assert response.status_code == 302
    contract.refresh_from_db()
    candidacy.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED and contract.started_at is None
    assert candidacy.stage == Stage.OFFER
    [acceptance] = VersionAcceptance.objects.all()
    assert (acceptance.side, acceptance.user, acceptance.content_hash) == (
        "engineer",
        engineer,
        version.content_hash,
    )
    # The team hears that it is their turn; the engineer sees they are waiting.
    assert [e.to for e in emails("accepted")] == [owner.email]
    page = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()
    assert "You accepted version 1. Waiting for" in page


def test_both_acceptances_start_the_contract_and_hire(
    client: Client, owner: User, teammate: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    heard: list[Any] = []

    def listener(sender: Any, contract: Contract, **kwargs: Any) -> None:
        heard.append(contract.pk)

    events.contract_started.connect(listener)
    try:
        accept(contract, engineer)
        # Any member of the company may accept for it: here a teammate, not the sender.
        client.force_login(teammate)
        response = client.post(
            accept_url(contract, 1),
            {"content_hash": contract.current.content_hash},  # type: ignore[union-attr]
            follow=True,
        )
    finally:
        events.contract_started.disconnect(listener)

    assert "the contract has started" in response.content.decode()
    contract.refresh_from_db()
    candidacy.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and contract.started_at is not None
    assert candidacy.stage == Stage.HIRED
    assert heard == [contract.pk]
    assert sorted(a.side for a in VersionAcceptance.objects.all()) == ["company", "engineer"]
    assert sorted(e.to for e in emails("started")) == sorted(
        [engineer.email, owner.email, teammate.email]
    )
    assert Message.objects.filter(
        thread=contract.thread, side="system", body__contains="has started"
    ).exists()


def test_the_company_may_accept_first(owner: User, engineer: User, candidacy: Candidacy) -> None:
    contract = offered(candidacy, owner)

    accept(contract, owner)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED
    assert [e.to for e in emails("accepted")] == [engineer.email]

    accept(contract, engineer)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_accepting_a_replaced_version_is_refused_naming_the_new_one(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    first = contract.current
    assert first is not None
    services.draft_save(
        contract=contract,
        by=owner,
        terms=terms(notice_days=30),
        milestones=[
            {
                "key": m.key,
                **{k: getattr(m, k) for k in ("title", "acceptance_criteria", "due_on", "amount")},
            }
            for m in first.milestones.order_by("position")
        ],
    )
    services.contract_send(contract=contract, by=owner)
    client.force_login(engineer)
    before = counts()

    response = client.post(accept_url(contract, 1), {"content_hash": first.content_hash})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Version 1 has been replaced by version 2" in body
    assert counts() == before
    # Version 2 is the one to accept.
    accept(contract, engineer, 2)
    assert VersionAcceptance.objects.get().version.number == 2


def test_an_acceptance_of_a_version_later_replaced_does_not_count_for_the_new_one(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, engineer)
    services.draft_save(
        contract=contract,
        by=owner,
        terms=terms(title="Renamed"),
        milestones=[
            {
                "key": "",
                "title": "All of it",
                "acceptance_criteria": "Done and deployed.",
                "due_on": terms()["end_on"],
                "amount": terms()["rate"],
            }
        ],
    )
    services.contract_send(contract=contract, by=owner)

    accept(contract, owner, 2)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED


def test_a_hash_that_is_not_the_version_is_refused(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)
    before = counts()

    response = client.post(accept_url(contract, 1), {"content_hash": "0" * 64})

    assert response.status_code == 409
    assert "reload the contract, read it again" in response.content.decode()
    assert counts() == before
    assert client.post(accept_url(contract, 1), {}).status_code == 400
    assert counts() == before


def test_a_replayed_acceptance_changes_nothing(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, owner)
    client.force_login(engineer)
    data = {"content_hash": contract.current.content_hash}  # type: ignore[union-attr]
    assert client.post(accept_url(contract, 1), data).status_code == 302
    before = (counts(), len(emails("started")))

    again = client.post(accept_url(contract, 1), data)

    assert again.status_code == 409
    assert "You already accepted version 1" in again.content.decode()
    assert (counts(), len(emails("started"))) == before
    with pytest.raises(Conflict):
        accept(contract, owner)


def test_a_version_that_does_not_exist_is_404(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)
    assert client.post(accept_url(contract, 7), {"content_hash": "x"}).status_code == 404


def test_accepting_is_post_only(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)
    assert client.get(accept_url(contract, 1)).status_code == 405


def test_a_closed_card_takes_the_offer_with_it(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    from screening.services import candidacy_move

    contract = offered(candidacy, owner)
    candidacy_move(candidacy=candidacy, to="not_a_fit", by=owner, reason="rate")

    contract.refresh_from_db()
    assert contract.status == Contract.Status.WITHDRAWN
    assert [e.to for e in emails("withdrawn")] == [engineer.email]
    with pytest.raises(Conflict, match="withdrew"):
        accept(contract, engineer)


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_start_the_contract_once(
    owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    version = ContractVersion.objects.get(contract=contract)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(user: User) -> None:
        try:
            barrier.wait(timeout=10)
            services.version_accept(
                contract=contract, user=user, number=1, content_hash=version.content_hash
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (owner, engineer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert len(emails("started")) == 2
    assert len(emails("accepted")) == 1  # the first one in, then the start
