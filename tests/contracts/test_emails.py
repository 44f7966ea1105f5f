"""Every contract email goes out once, through the real worker and an SMTP server."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from hiring.contracts import services
from hiring.models import Contract
from screening.models import Candidacy
from tests.conftest import Inbox
from tests.contracts.conftest import accept, draft
from tests.interviews.test_reminders import delivered


def arrived(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(inbox.messages) < count:
        assert time.monotonic() < deadline, f"only {len(inbox.messages)} of {count} arrived"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_offer_acceptances_and_start_are_emailed_once_each(
    smtp_inbox: Inbox,
    celery_worker: Any,
    client: Client,
    owner: User,
    engineer: User,
    candidacy: Candidacy,
) -> None:
    contract = draft(candidacy, owner)
    services.contract_send(contract=contract, by=owner)
    contract.refresh_from_db()
    accept(contract, engineer)
    client.force_login(owner)
    data = {"content_hash": contract.current.content_hash}  # type: ignore[union-attr]
    assert (
        client.post(reverse("hiring:version_accept", args=[contract.pk, 1]), data).status_code
        == 302
    )
    # The replay: refused, and nothing more is sent.
    assert (
        client.post(reverse("hiring:version_accept", args=[contract.pk, 1]), data).status_code
        == 409
    )

    delivered()
    arrived(smtp_inbox, 6)  # the outreach and its acceptance, then the contract's four
    time.sleep(0.5)  # anything sent twice would be here by now

    mine = [m for m in smtp_inbox.messages if m["X-Karigar-Email"].startswith("contract-")]
    got = Counter((m["To"], m["Subject"].split(":")[0]) for m in mine)
    assert got == Counter(
        {
            (engineer.email, f"{owner.membership.company.name} sent you a contract"): 1,
            (owner.email, 'Sana Javed accepted version 1 of "Settlement service"'): 1,
            (engineer.email, "Contract started"): 1,
            (owner.email, "Contract started"): 1,
        }
    )
    started = next(m for m in mine if m["To"] == engineer.email and "started" in m["Subject"])
    [body] = [
        part.get_payload(decode=True).decode()
        for part in started.walk()
        if part.get_content_type() == "text/plain"
    ]
    assert reverse("hiring:version_print", args=[contract.pk, 1]) in body
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert OutboundEmail.objects.filter(key__startswith="contract-", status="sent").count() == 4
