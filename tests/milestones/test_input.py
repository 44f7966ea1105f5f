"""Bad input gets a clear message and a 4xx; nothing is saved and nobody is told."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client

from accounts.models import OutboundEmail, User
from hiring.milestones import services
from hiring.models import Contract, Message, MilestoneWork, Payment
from tests.milestones.conftest import LINK, NOTE, first, url

pytestmark = pytest.mark.django_db


def nothing_saved(contract: Contract, emails_before: int, lines_before: int) -> None:
    assert not MilestoneWork.objects.filter(
        contract=contract, status=MilestoneWork.Status.SUBMITTED
    ).exists()
    assert OutboundEmail.objects.count() == emails_before
    assert Message.objects.count() == lines_before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "", "link": LINK}, "Write a note saying what you are handing over."),
        ({"note": "   ", "link": LINK}, "Write a note saying what you are handing over."),
        ({"link": LINK}, "Write a note saying what you are handing over."),
        ({"note": "x" * 2001, "link": LINK}, "Keep the note under 2,000 characters."),
        ({"note": NOTE, "link": "http://github.com/acme/pr/1"}, "must start with https://"),
        ({"note": NOTE, "link": "not a link at all"}, "Enter a web address starting with"),
        ({"note": NOTE, "link": "javascript:alert(1)"}, "Enter a web address starting with"),
        ({"note": NOTE, "link": "ftp://files.example.com/x"}, "Enter a web address starting"),
    ],
)
def test_a_bad_submission_is_refused_beside_its_form(
    client: Client, contract: Contract, engineer: User, data: dict[str, str], message: str
) -> None:
    key = first(contract).key
    counts = OutboundEmail.objects.count(), Message.objects.count()
    client.force_login(engineer)

    response = client.post(url("milestone_submit", contract, key), data)

    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert message in text
    assert 'id="milestones"' in text and f'id="id_submit_{key}_note"' in text
    assert '<details class="disclosure" open>' in text
    nothing_saved(contract, *counts)


def test_a_link_is_optional(client: Client, contract: Contract, engineer: User) -> None:
    client.force_login(engineer)

    response = client.post(url("milestone_submit", contract, first(contract).key), {"note": NOTE})

    assert response.status_code == 302
    assert MilestoneWork.objects.get().submit_link == ""


@pytest.mark.parametrize("name", ["milestone_submit", "milestone_accept", "milestone_changes"])
def test_an_unknown_milestone_is_not_found(
    client: Client, contract: Contract, owner: User, engineer: User, name: str
) -> None:
    client.force_login(engineer if name == "milestone_submit" else owner)

    response = client.post(url(name, contract, "nosuchkey"), {"note": NOTE})

    assert response.status_code == 404
    assert not MilestoneWork.objects.exists()


def test_a_milestone_of_an_older_version_is_not_found(
    client: Client, contract: Contract, engineer: User
) -> None:
    from hiring.models import Milestone

    old_key = first(contract).key
    Milestone.objects.filter(key=old_key).update(key="replaced1")  # as if a change order did
    client.force_login(engineer)

    response = client.post(url("milestone_submit", contract, old_key), {"note": NOTE})

    assert response.status_code == 404


@pytest.mark.parametrize("state", [None, "changes", "accepted"])
def test_only_a_submitted_milestone_can_be_answered(
    client: Client, contract: Contract, owner: User, engineer: User, state: str | None
) -> None:
    key = first(contract).key
    if state:
        services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
        if state == "changes":
            services.milestone_changes(contract=contract, user=owner, key=key, note="Redo it")
        else:
            services.milestone_accept(contract=contract, user=owner, key=key)
    payments = Payment.objects.count()
    emails = OutboundEmail.objects.count()
    client.force_login(owner)

    accept = client.post(url("milestone_accept", contract, key))
    changes = client.post(url("milestone_changes", contract, key), {"note": "Again"})

    assert accept.status_code == changes.status_code == 409
    assert "only a submitted milestone can be answered" in unescape(accept.content.decode())
    assert Payment.objects.count() == payments
    assert OutboundEmail.objects.count() == emails
    work = MilestoneWork.objects.filter(key=key).first()
    assert (work.status if work else None) == (state or None)


def test_asking_for_changes_needs_a_note(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    key = first(contract).key
    services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
    emails = OutboundEmail.objects.count()
    client.force_login(owner)

    response = client.post(url("milestone_changes", contract, key), {"note": "  "})

    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "Write what needs to change before asking for changes." in text
    assert f'id="id_changes_{key}_note"' in text
    assert MilestoneWork.objects.get().status == MilestoneWork.Status.SUBMITTED
    assert OutboundEmail.objects.count() == emails


def test_a_long_payment_reference_is_refused(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    key = first(contract).key
    services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
    services.milestone_accept(contract=contract, user=owner, key=key)
    payment = Payment.objects.get()
    client.force_login(owner)

    response = client.post(url("payment_paid", contract, payment.pk), {"note": "r" * 301})

    assert response.status_code == 400
    assert "Keep the reference under 300 characters." in unescape(response.content.decode())
    payment.refresh_from_db()
    assert payment.paid_at is None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("milestone_submit", ("k",)),
        ("milestone_accept", ("k",)),
        ("milestone_changes", ("k",)),
        ("payment_paid", (1,)),
        ("payment_confirm", (1,)),
    ],
)
def test_a_get_changes_nothing(
    client: Client, contract: Contract, owner: User, name: str, args: Any
) -> None:
    client.force_login(owner)

    assert client.get(url(name, contract, *args)).status_code == 405


def test_a_contract_that_is_not_running_takes_no_submission(
    client: Client, contract: Contract, engineer: User
) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    client.force_login(engineer)

    response = client.post(url("milestone_submit", contract, first(contract).key), {"note": NOTE})

    assert response.status_code == 409
    assert "only while it runs" in unescape(response.content.decode())
    assert not MilestoneWork.objects.exists()


def test_the_service_refuses_a_non_https_link_too(contract: Contract, engineer: User) -> None:
    from accounts.errors import Refused

    with pytest.raises(Refused, match="https://"):
        services.milestone_submit(
            contract=contract,
            user=engineer,
            key=first(contract).key,
            note=NOTE,
            link="http://example.com/pr/1",
        )
    assert not MilestoneWork.objects.exists()
