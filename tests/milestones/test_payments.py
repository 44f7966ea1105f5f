"""The company marks a payment paid, the engineer confirms receipt; overdue payments are
shown to both."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from hiring.milestones import services
from hiring.models import Contract, Payment
from tests.milestones.conftest import NOTE, emails, first, lines, page, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(contract: Contract, owner: User, engineer: User) -> Payment:
    key = first(contract).key
    services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
    services.milestone_accept(contract=contract, user=owner, key=key)
    return Payment.objects.get()


def test_it_is_marked_paid_then_confirmed(
    client: Client, contract: Contract, payment: Payment, owner: User, engineer: User
) -> None:
    client.force_login(owner)

    response = client.post(url("payment_paid", contract, payment.pk), {"note": " TRX-881 "})

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.paid_at is not None and payment.paid_by == owner
    assert payment.paid_note == "TRX-881"
    [told] = emails("paid")
    assert told.to == engineer.email and "TRX-881" in told.body_text
    assert "Owner Person marked “Milestone 1 (milestone)” paid (USD 3,000)." in lines(contract)

    client.force_login(engineer)
    text = unescape(client.get(page(contract)).content.decode())
    assert "Reference: TRX-881" in text and "Confirm receipt" in text

    response = client.post(url("payment_confirm", contract, payment.pk))

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.confirmed_at is not None and payment.confirmed_by == engineer
    assert "Sana Javed confirmed receiving “Milestone 1 (milestone)”." in lines(contract)
    text = unescape(client.get(page(contract)).content.decode())
    assert "Confirm receipt" not in text


def test_confirming_before_it_is_marked_paid_is_refused(
    client: Client, contract: Contract, payment: Payment, engineer: User
) -> None:
    client.force_login(engineer)

    response = client.post(url("payment_confirm", contract, payment.pk))

    assert response.status_code == 409
    assert "has not marked “Milestone 1 (milestone)” paid yet" in unescape(
        response.content.decode()
    )
    payment.refresh_from_db()
    assert payment.confirmed_at is None


def test_replays_change_nothing(
    client: Client, contract: Contract, payment: Payment, owner: User, engineer: User
) -> None:
    client.force_login(owner)
    assert client.post(url("payment_paid", contract, payment.pk), {"note": "A"}).status_code == 302
    paid_at = Payment.objects.get().paid_at

    again = client.post(url("payment_paid", contract, payment.pk), {"note": "B"})

    assert again.status_code == 409
    assert "already marked paid" in unescape(again.content.decode())
    payment.refresh_from_db()
    assert (payment.paid_at, payment.paid_note) == (paid_at, "A")
    assert len(emails("paid")) == 1

    client.force_login(engineer)
    assert client.post(url("payment_confirm", contract, payment.pk)).status_code == 302
    assert client.post(url("payment_confirm", contract, payment.pk)).status_code == 409


def test_overdue_payments_are_shown_to_both(
    client: Client, contract: Contract, payment: Payment, owner: User, engineer: User
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    Payment.objects.filter(pk=payment.pk).update(due_on=yesterday)

    for user in (owner, engineer):
        client.force_login(user)
        text = unescape(client.get(page(contract)).content.decode())
        assert "Overdue</span>" in text
        assert "1 overdue" in text

    services.payment_paid(contract=contract, user=owner, payment_id=payment.pk)
    text = unescape(client.get(page(contract)).content.decode())
    assert "Overdue</span>" not in text


def test_payments_can_be_recorded_after_the_contract_ended(
    client: Client, contract: Contract, payment: Payment, owner: User, engineer: User
) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    client.force_login(owner)

    assert client.post(url("payment_paid", contract, payment.pk)).status_code == 302
    client.force_login(engineer)
    assert client.post(url("payment_confirm", contract, payment.pk)).status_code == 302
