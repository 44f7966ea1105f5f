"""Reviews: only of an ended contract and within its days, one per side, blind until
published, one public reply, a report to staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from hiring.models import Contract, ContractReview, Side
from hiring.reviews.selectors import public_reviews
from tests.factories import MembershipFactory
from tests.reviews.conftest import (
    COMPANY_TEXT,
    ENGINEER_TEXT,
    emails,
    ended,
    give_notice,
    login,
    page,
    review,
    review_data,
)

pytestmark = pytest.mark.django_db


def new_url(contract: Contract) -> str:
    return reverse("hiring:review_new", args=[contract.pk])


def test_the_company_reviews_an_ended_contract(
    client: Client, owner: User, contract: Contract
) -> None:
    ended(contract)
    login(client, owner)
    form = client.get(new_url(contract))
    assert form.status_code == 200
    text = form.content.decode()
    assert "Quality of work" in text and "Working across time zones" in text
    assert "Clarity of the brief" not in text

    response = client.post(new_url(contract), review_data(Side.COMPANY, stars="4"))

    assert response.status_code == 302
    written = ContractReview.objects.get()
    assert (written.side, written.author, written.stars) == (Side.COMPANY, owner, 4)
    assert (written.quality, written.communication, written.reliability) == (5, 4, None)
    assert written.profile_id == contract.profile_id and written.company_id == contract.company_id
    assert written.private_note == "Only for staff." and written.published_at is None
    shown = page(client, contract)
    assert "Waiting for the other side" in shown and COMPANY_TEXT in shown


def test_the_engineer_scores_the_company(
    client: Client, engineer: User, contract: Contract
) -> None:
    ended(contract)
    login(client, engineer)
    assert "Paying on time" in client.get(new_url(contract)).content.decode()
    data = review_data(Side.ENGINEER, responsiveness="3", paying_on_time="5")
    assert client.post(new_url(contract), data).status_code == 302
    written = ContractReview.objects.get()
    assert (written.clarity, written.responsiveness, written.paying_on_time) == (4, 3, 5)
    assert written.quality is None


@pytest.mark.parametrize("status", ["active", "ending"])
def test_a_running_contract_cannot_be_reviewed(
    client: Client, owner: User, contract: Contract, status: str
) -> None:
    if status == "ending":
        give_notice(contract, owner)
    login(client, owner)
    assert client.get(new_url(contract)).status_code == 409
    response = client.post(new_url(contract), review_data(Side.COMPANY))
    assert response.status_code == 409
    assert "Reviews open once the contract has ended" in response.content.decode()
    assert not ContractReview.objects.exists()


def test_after_the_review_days_it_is_too_late(
    client: Client, owner: User, contract: Contract
) -> None:
    ended(contract, ago=timedelta(days=Contract.REVIEW_DAYS, minutes=1))
    response = login(client, owner).post(new_url(contract), review_data(Side.COMPANY))
    assert response.status_code == 409
    assert "closed 14 days after it ended" in response.content.decode()
    assert not ContractReview.objects.exists()


def test_a_second_review_from_the_same_side_is_a_conflict(
    client: Client, owner: User, contract: Contract
) -> None:
    ended(contract)
    mate = MembershipFactory(company=owner.membership.company).user
    review(contract, owner, Side.COMPANY)

    login(client, mate)
    assert client.get(new_url(contract)).status_code == 409
    response = client.post(new_url(contract), review_data(Side.COMPANY, public_text="Again"))
    assert response.status_code == 409
    assert "one review per side" in response.content.decode()
    assert ContractReview.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"stars": "0"},
        {"stars": "6"},
        {"stars": "abc"},
        {"stars": None},
        {"stars": "4.5"},
        {"quality": "7"},
        {"quality": "0"},
        {"public_text": ""},
        {"public_text": "   "},
        {"public_text": "x" * 2001},
        {"private_note": "x" * 2001},
    ],
)
def test_garbage_is_refused_with_a_400_and_nothing_is_saved(
    client: Client, owner: User, contract: Contract, changes: dict[str, Any]
) -> None:
    ended(contract)
    response = login(client, owner).post(new_url(contract), review_data(Side.COMPANY, **changes))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not ContractReview.objects.exists()


# Blind ------------------------------------------------------------------------------------


def test_the_other_side_never_sees_an_unpublished_review(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    ended(contract)
    written = review(contract, owner, Side.COMPANY, stars=2)

    login(client, engineer)
    shown = page(client, contract)
    assert COMPANY_TEXT not in shown
    assert "★" not in shown and "2 out of 5" not in shown
    assert "Private from" not in shown
    assert "Write your review" in shown  # the same as if nothing were written
    for name in ("review_reply", "review_report"):
        url = reverse(f"hiring:{name}", args=[written.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Hi", "note": "Hi"}).status_code == 404
    written.refresh_from_db()
    assert not written.replied_at and not written.reported_at


def test_the_company_does_not_see_the_engineers_unpublished_review(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    ended(contract)
    review(contract, engineer, Side.ENGINEER, stars=1)
    mate = MembershipFactory(company=owner.membership.company).user
    for viewer in (owner, mate):
        shown = page(login(client, viewer), contract)
        assert ENGINEER_TEXT not in shown and "★" not in shown and "1 out of 5" not in shown
        assert "Write your review" in shown


def test_the_second_review_publishes_both_at_once(
    client: Client, owner: User, engineer: User, contract: Contract
) -> None:
    ended(contract)
    review(contract, owner, Side.COMPANY)

    response = login(client, engineer).post(new_url(contract), review_data(Side.ENGINEER))
    assert response.status_code == 302
    assert ContractReview.objects.filter(published_at__isnull=True).count() == 0
    shown = page(client, contract)
    assert COMPANY_TEXT in shown and ENGINEER_TEXT in shown
    assert "Private from" not in shown and "Only for staff." in shown  # own note only
    assert "Reply in public" in shown
    assert len(emails("reviews_published")) == 2
    assert ENGINEER_TEXT in page(login(client, owner), contract)


# Reply and report ------------------------------------------------------------------------


@pytest.fixture
def published(owner: User, engineer: User, contract: Contract) -> ContractReview:
    """Both reviews in and published; the company's review of the engineer."""
    ended(contract)
    theirs = review(contract, owner, Side.COMPANY)
    review(contract, engineer, Side.ENGINEER)
    theirs.refresh_from_db()
    return theirs


def test_the_side_reviewed_replies_once(
    client: Client, engineer: User, contract: Contract, published: ContractReview
) -> None:
    url = reverse("hiring:review_reply", args=[published.pk])
    login(client, engineer)
    assert client.get(url).status_code == 200

    assert client.post(url, {"text": "Thank you, it was a pleasure."}).status_code == 302
    response = client.post(url, {"text": "Another reply"})

    assert response.status_code == 409
    published.refresh_from_db()
    assert published.reply_text == "Thank you, it was a pleasure."
    assert published.replied_by == engineer and published.replied_at is not None
    assert client.get(url).status_code == 409
    shown = page(client, contract)
    assert "Thank you, it was a pleasure." in shown and "Reply in public" not in shown


def test_the_author_cannot_reply_to_their_own_review(
    client: Client, owner: User, published: ContractReview
) -> None:
    url = reverse("hiring:review_reply", args=[published.pk])
    response = login(client, owner).post(url, {"text": "Me again"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert not published.reply_text


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_long_reply_is_refused(
    client: Client, engineer: User, published: ContractReview, text: str
) -> None:
    url = reverse("hiring:review_reply", args=[published.pk])
    assert login(client, engineer).post(url, {"text": text}).status_code == 400
    published.refresh_from_db()
    assert published.replied_at is None


def test_a_report_then_staff_hide_it_and_it_is_shown_nowhere(
    staff_client: Client,
    owner: User,
    engineer: User,
    contract: Contract,
    published: ContractReview,
) -> None:
    report_url = reverse("hiring:review_report", args=[published.pk])
    engineer_client = Client()
    engineer_client.force_login(engineer)
    assert engineer_client.post(report_url, {"note": ""}).status_code == 400
    assert engineer_client.post(report_url, {"note": "This is untrue."}).status_code == 302
    assert engineer_client.post(report_url, {"note": "Again"}).status_code == 409
    published.refresh_from_db()
    assert published.reported_at is not None and published.report_note == "This is untrue."
    assert published.reported_by == engineer

    changelist = reverse("admin:hiring_contractreview_changelist")
    listed = staff_client.get(changelist + "?reported=yes").content.decode()
    assert f"contract #{contract.pk}" in listed
    assert staff_client.get(changelist + "?reported=no&hidden=no&published=yes").status_code == 200
    detail = staff_client.get(reverse("admin:hiring_contractreview_change", args=[published.pk]))
    text = detail.content.decode()
    assert "Private from the company." in text and "This is untrue." in text

    chosen = {"action": "hide", "_selected_action": [published.pk]}
    asked = staff_client.post(changelist, chosen)
    assert asked.status_code == 200 and "Why hide it?" in asked.content.decode()
    empty = staff_client.post(changelist, {**chosen, "apply": "1", "note": ""})
    assert empty.status_code == 200 and "Say why the review is hidden." in empty.content.decode()
    published.refresh_from_db()
    assert published.hidden_at is None

    done = staff_client.post(changelist, {**chosen, "apply": "1", "note": "Untrue, checked."})
    assert done.status_code == 302
    published.refresh_from_db()
    assert published.hidden_at is not None and published.hidden_note == "Untrue, checked."
    assert published not in public_reviews()
    assert COMPANY_TEXT not in page(engineer_client, contract)
    assert COMPANY_TEXT not in page(login(Client(), owner), contract)
    assert "hidden by Karigar staff" in page(engineer_client, contract)
    reply_url = reverse("hiring:review_reply", args=[published.pk])
    assert engineer_client.post(reply_url, {"text": "Hi"}).status_code == 409

    shown = staff_client.post(changelist, {"action": "show", "_selected_action": [published.pk]})
    assert shown.status_code == 302
    published.refresh_from_db()
    assert published.hidden_at is None and published in public_reviews()
    assert COMPANY_TEXT in page(engineer_client, contract)


def test_public_reviews_are_published_and_not_hidden(
    owner: User, contract: Contract, published: ContractReview
) -> None:
    assert set(public_reviews()) == set(ContractReview.objects.all())
    ContractReview.objects.filter(pk=published.pk).update(hidden_at=timezone.now())
    assert published not in public_reviews()
