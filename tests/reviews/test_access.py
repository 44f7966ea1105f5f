"""Only the company's members and the engineer reach a contract's ending and reviews:
another company, another engineer (and an engineer on a draft) get 404, visitors the
login page. Nothing is saved for any of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import Contract, ContractReview, HandoverTick, Side
from tests.factories import contract_made
from tests.reviews.conftest import ended, login, review, review_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(owner: User, engineer: User, contract: Contract) -> ContractReview:
    """An ended contract with both reviews published; the company's review."""
    ended(contract)
    theirs = review(contract, owner, Side.COMPANY)
    review(contract, engineer, Side.ENGINEER)
    return theirs


def urls(contract: Contract, review: ContractReview) -> list[tuple[str, dict[str, str]]]:
    return [
        (reverse("hiring:contract_end", args=[contract.pk]), {"end-reason": "x"}),
        (reverse("hiring:handover_tick", args=[contract.pk]), {"item": "access", "action": "tick"}),
        (reverse("hiring:review_new", args=[contract.pk]), review_data(Side.COMPANY)),
        (reverse("hiring:review_reply", args=[review.pk]), {"text": "Hello"}),
        (reverse("hiring:review_report", args=[review.pk]), {"note": "Hello"}),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_another_company_or_engineer_gets_404(
    request: pytest.FixtureRequest,
    client: Client,
    contract: Contract,
    reviewed: ContractReview,
    who: str,
) -> None:
    login(client, request.getfixturevalue(who))
    for url, data in urls(contract, reviewed):
        if not url.endswith("/handover/"):
            assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("hiring:contract_detail", args=[contract.pk])).status_code == 404
    reviewed.refresh_from_db()
    assert not reviewed.replied_at and not reviewed.reported_at
    assert ContractReview.objects.count() == 2 and not HandoverTick.objects.exists()


def test_visitors_are_sent_to_log_in(
    client: Client, contract: Contract, reviewed: ContractReview
) -> None:
    for url, data in urls(contract, reviewed):
        response = client.post(url, data)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_engineer_cannot_reach_a_draft(client: Client, engineer: User, profile: object) -> None:
    from tests.factories import BriefFactory, candidacy_at_offer, candidacy_in

    brief = BriefFactory()
    draft = contract_made(candidacy_at_offer(candidacy_in(brief, profile)), status="draft")
    login(client, engineer)
    assert client.get(reverse("hiring:contract_end", args=[draft.pk])).status_code == 404
    assert client.get(reverse("hiring:review_new", args=[draft.pk])).status_code == 404


def test_a_missing_review_is_404(client: Client, engineer: User, contract: Contract) -> None:
    login(client, engineer)
    assert client.get(reverse("hiring:review_reply", args=[999999])).status_code == 404
    assert client.get(reverse("hiring:review_report", args=[999999])).status_code == 404
