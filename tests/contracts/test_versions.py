"""A sent version never changes: the model refuses, editing after sending makes a new
version, and the old one stays byte for byte what it was, hash included."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.contracts import services
from hiring.contracts.terms import content, content_hash
from hiring.models import Contract, ContractVersion, ContractVersionError, Milestone
from screening.models import Candidacy
from tests.contracts.conftest import accept, draft, emails, form_data, milestones, offered, terms

pytestmark = pytest.mark.django_db


def snapshot(version: ContractVersion) -> tuple[dict, str, list]:
    version = ContractVersion.objects.get(pk=version.pk)
    rows = list(Milestone.objects.filter(version=version).order_by("pk").values())
    fields = {f.attname: getattr(version, f.attname) for f in ContractVersion._meta.concrete_fields}
    return fields, content_hash(content(version)), rows


def test_sending_numbers_and_freezes_the_draft(owner: User, candidacy: Candidacy) -> None:
    contract = offered(candidacy, owner)

    version = contract.current
    assert version is not None
    assert contract.status == Contract.Status.OFFERED
    assert version.number == 1 and version.sent_at is not None
    assert version.content_hash == content_hash(content(version))


def test_the_model_refuses_to_change_a_sent_version_or_its_milestones(
    owner: User, candidacy: Candidacy
) -> None:
    version = offered(candidacy, owner).current
    assert version is not None

    version.rate = Decimal("1")
    with pytest.raises(ContractVersionError):
        version.save()
    with pytest.raises(ContractVersionError):
        version.save(update_fields=["rate"])
    milestone = version.milestones.first()
    assert milestone is not None
    milestone.title = "Something else"
    with pytest.raises(ContractVersionError):
        milestone.save()
    with pytest.raises(ContractVersionError):
        Milestone(
            version=version, key="x", title="New", acceptance_criteria="c", due_on=version.start_on
        ).save()


def test_editing_after_sending_makes_the_next_version_and_leaves_the_old_one_untouched(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    first = contract.current
    assert first is not None
    before = snapshot(first)
    client.force_login(owner)
    rows = [
        {
            "key": m.key,
            "title": m.title,
            "acceptance_criteria": m.acceptance_criteria,
            "due_on": m.due_on,
            "amount": Decimal("3500"),
        }
        for m in first.milestones.order_by("position")
    ]

    saved = client.post(
        reverse("hiring:contract_edit", args=[contract.pk]), form_data(rows, rate="7000")
    )
    assert saved.status_code == 302
    # Saved, not sent: the engineer still has version 1 on offer.
    contract.refresh_from_db()
    assert contract.current_id == first.pk and contract.status == Contract.Status.OFFERED
    page = client.get(reverse("hiring:contract_detail", args=[contract.pk])).content.decode()
    assert "Your draft of version 2" in page and "USD 6,000" in page

    sent = client.post(reverse("hiring:contract_send", args=[contract.pk]))

    assert sent.status_code == 302
    contract.refresh_from_db()
    second = contract.current
    assert second is not None and second.pk != first.pk
    assert second.number == 2 and second.rate == Decimal("7000")
    assert second.content_hash == content_hash(content(second))
    # The milestones are the same milestones (their keys), at the new amounts.
    assert sorted(second.milestones.values_list("key", flat=True)) == sorted(
        first.milestones.values_list("key", flat=True)
    )
    assert snapshot(first) == before
    assert [e.to for e in emails("offered")] == [engineer.email, engineer.email]


def test_a_revision_is_a_copy_of_the_version_on_offer_until_it_is_edited(
    owner: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    first = contract.current
    assert first is not None
    services.draft_save(
        contract=contract,
        by=owner,
        terms=terms(title="Settlement service, phase one"),
        milestones=[
            {**row, "key": m.key}
            for row, m in zip(milestones(), first.milestones.order_by("position"), strict=True)
        ],
    )
    drafts = ContractVersion.objects.filter(contract=contract, sent_at__isnull=True)
    assert drafts.count() == 1
    # Saving again edits the same draft, never a third version.
    services.draft_save(contract=contract, by=owner, terms=terms(), milestones=milestones())
    assert ContractVersion.objects.filter(contract=contract).count() == 2


def test_send_twice_sends_once(owner: User, engineer: User, candidacy: Candidacy) -> None:
    contract = draft(candidacy, owner)
    services.contract_send(contract=contract, by=owner)

    with pytest.raises(services.Conflict, match="no draft to send"):
        services.contract_send(contract=contract, by=owner)

    assert ContractVersion.objects.filter(contract=contract).count() == 1
    assert len(emails("offered")) == 1


def test_a_started_contract_cannot_be_revised_here(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    accept(contract, owner)
    accept(contract, engineer)
    client.force_login(owner)

    response = client.get(reverse("hiring:contract_edit", args=[contract.pk]))

    assert response.status_code == 409
    assert "change order" in response.content.decode()
    assert client.post(reverse("hiring:contract_send", args=[contract.pk])).status_code == 409
