"""Who may do what: another company or another engineer gets 404 everywhere; the engineer
cannot answer, the company cannot submit or confirm (403, with a message)."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from accounts.models import User
from hiring.milestones import services
from hiring.models import Contract, MilestoneWork, Payment
from tests.milestones.conftest import NOTE, first, make_contract, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(contract: Contract, owner: User, engineer: User) -> Payment:
    key = first(contract).key
    services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
    services.milestone_accept(contract=contract, user=owner, key=key)
    return Payment.objects.get()


def every_url(contract: Contract, payment: Payment) -> list[str]:
    key = first(contract).key
    return [
        url("milestone_submit", contract, key),
        url("milestone_accept", contract, key),
        url("milestone_changes", contract, key),
        url("payment_paid", contract, payment.pk),
        url("payment_confirm", contract, payment.pk),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_another_company_or_engineer_gets_404_everywhere(
    client: Client,
    contract: Contract,
    payment: Payment,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    client.force_login(request.getfixturevalue(who))

    for address in every_url(contract, payment):
        assert client.post(address, {"note": NOTE}).status_code == 404, address
    payment.refresh_from_db()
    assert payment.paid_at is None


def test_someone_signed_out_is_sent_to_sign_in(
    client: Client, contract: Contract, payment: Payment
) -> None:
    for address in every_url(contract, payment):
        response = client.post(address, {"note": NOTE})
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_payment_of_another_contract_is_not_found(
    client: Client, contract: Contract, payment: Payment, owner: User, other_engineer: User
) -> None:
    from tests.factories import BriefFactory

    other = make_contract(
        BriefFactory(company=owner.membership.company, created_by=owner),
        other_engineer.profile,
        owner,
    )
    client.force_login(owner)

    response = client.post(url("payment_paid", other, payment.pk))

    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.paid_at is None


def test_the_engineer_cannot_answer_their_own_milestone(
    client: Client, contract: Contract, engineer: User
) -> None:
    key = first(contract).key
    services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
    client.force_login(engineer)

    accept = client.post(url("milestone_accept", contract, key))
    changes = client.post(url("milestone_changes", contract, key), {"note": "Fine"})

    assert accept.status_code == changes.status_code == 403
    assert "Only the company's team can accept a milestone." in unescape(accept.content.decode())
    assert MilestoneWork.objects.get().status == MilestoneWork.Status.SUBMITTED
    assert not Payment.objects.exists()


def test_the_company_cannot_submit_or_confirm(
    client: Client, contract: Contract, payment: Payment, owner: User, teammate: User
) -> None:
    services.payment_paid(contract=contract, user=owner, payment_id=payment.pk)
    client.force_login(teammate)

    submit = client.post(url("milestone_submit", contract, first(contract).key), {"note": NOTE})
    confirm = client.post(url("payment_confirm", contract, payment.pk))

    assert submit.status_code == confirm.status_code == 403
    assert "Only the engineer on this contract can submit a milestone." in unescape(
        submit.content.decode()
    )
    payment.refresh_from_db()
    assert payment.confirmed_at is None


def test_the_engineer_cannot_mark_a_payment_paid(
    client: Client, contract: Contract, payment: Payment, engineer: User
) -> None:
    client.force_login(engineer)

    response = client.post(url("payment_paid", contract, payment.pk))

    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.paid_at is None


def test_a_draft_is_nobodys_but_the_companys(
    client: Client, brief: object, profile: object, owner: User, engineer: User
) -> None:
    from tests.factories import BriefFactory

    draft = make_contract(
        BriefFactory(company=owner.membership.company, created_by=owner),
        profile,  # type: ignore[arg-type]
        owner,
        status="draft",
    )
    key = first(draft).key
    client.force_login(engineer)
    assert client.post(url("milestone_submit", draft, key), {"note": NOTE}).status_code == 404
    client.force_login(owner)
    assert client.post(url("milestone_accept", draft, key)).status_code == 404
