"""Who may see and do what: another company and another engineer get 404 everywhere;
the engineer never sees a draft; only the company sends, edits, revises or withdraws."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring.models import Contract
from screening.models import Candidacy
from tests.contracts.conftest import counts, draft, form_data, offered
from tests.factories import EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def urls(contract: Contract) -> dict[str, tuple[str, str]]:
    pk = contract.pk
    return {
        "detail": ("get", reverse("hiring:contract_detail", args=[pk])),
        "edit": ("get", reverse("hiring:contract_edit", args=[pk])),
        "edit-post": ("post", reverse("hiring:contract_edit", args=[pk])),
        "send": ("post", reverse("hiring:contract_send", args=[pk])),
        "withdraw": ("post", reverse("hiring:contract_withdraw", args=[pk])),
        "accept": ("post", reverse("hiring:version_accept", args=[pk, 1])),
        "decline": ("post", reverse("hiring:version_decline", args=[pk, 1])),
        "print": ("get", reverse("hiring:version_print", args=[pk, 1])),
        "new": ("get", reverse("hiring:contract_new", args=[contract.candidacy_id])),
    }


def hit(client: Client, method: str, url: str) -> int:
    data = {"note": "A note.", "content_hash": "x"} if method == "post" else None
    return getattr(client, method)(url, data).status_code


@pytest.fixture
def other_engineer(db: None) -> User:
    user = EngineerFactory(email="other@example.com")
    ProfileFactory(user=user, status="approved")
    return user


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_strangers_get_404_on_every_contract_url(
    client: Client, owner: User, candidacy: Candidacy, who: str, request: pytest.FixtureRequest
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(request.getfixturevalue(who))
    before = counts()

    for name, (method, url) in urls(contract).items():
        assert hit(client, method, url) == 404, name

    assert counts() == before
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED
    listing = client.get(reverse("hiring:contract_list")).content.decode()
    assert "No contracts yet" in listing


def test_the_engineer_never_sees_a_draft(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    client.force_login(engineer)

    for name in ("detail", "print", "accept", "decline", "send", "edit", "withdraw"):
        method, url = urls(contract)[name]
        assert hit(client, method, url) == 404, name

    assert "No contracts yet" in client.get(reverse("hiring:contract_list")).content.decode()


def test_the_engineer_cannot_send_edit_or_withdraw(
    client: Client, owner: User, engineer: User, candidacy: Candidacy
) -> None:
    contract = offered(candidacy, owner)
    client.force_login(engineer)
    before = counts()

    assert client.get(reverse("hiring:contract_edit", args=[contract.pk])).status_code == 403
    edited = client.post(reverse("hiring:contract_edit", args=[contract.pk]), form_data())
    assert edited.status_code == 403
    assert client.post(reverse("hiring:contract_send", args=[contract.pk])).status_code == 403
    assert client.post(reverse("hiring:contract_withdraw", args=[contract.pk])).status_code == 403
    assert client.get(reverse("hiring:contract_new", args=[candidacy.pk])).status_code == 404

    assert counts() == before
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OFFERED


def test_a_draft_prints_for_the_team_under_the_number_it_will_get(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    contract = draft(candidacy, owner)
    client.force_login(teammate)

    response = client.get(reverse("hiring:version_print", args=[contract.pk, 1]))

    assert response.status_code == 200
    assert "Draft of version 1" in response.content.decode()
    assert client.get(reverse("hiring:version_print", args=[contract.pk, 2])).status_code == 404


def test_visitors_are_sent_to_log_in(client: Client, owner: User, candidacy: Candidacy) -> None:
    contract = offered(candidacy, owner)
    for name, (method, url) in urls(contract).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
