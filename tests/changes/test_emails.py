"""Emails of a change go once each, through the real worker to a real SMTP server: the
proposal to the other side, the acceptance to the proposer; replays send nothing more."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from accounts.models import OutboundEmail, User
from hiring.models import ChangeOrder, Contract
from tests.changes.conftest import form_data, login, make_contract, url
from tests.conftest import Inbox


def _delivered(count: int) -> None:
    deadline = time.monotonic() + 30
    while (
        OutboundEmail.objects.filter(status="sent").count() < count
        or OutboundEmail.objects.exclude(status="sent").exists()
    ):
        assert time.monotonic() < deadline, "the worker did not send every email in time"
        time.sleep(0.05)


def _arrived(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(inbox.messages) < count:
        assert time.monotonic() < deadline, "the SMTP server did not get the emails in time"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_email_once(
    smtp_inbox: Inbox, celery_worker: Any, client: Client, owner: User, engineer: User
) -> None:
    contract: Contract = make_contract(owner, engineer)
    v1 = contract.current
    assert v1 is not None
    before = OutboundEmail.objects.count()  # the outreach's, delivered by the worker too
    login(client, owner)
    data = form_data(v1, scope=v1.scope + " And the monthly reports.")

    assert client.post(url("change_new", contract), data).status_code == 302
    assert client.post(url("change_new", contract), data).status_code == 409  # a replay
    _delivered(before + 1)
    _arrived(smtp_inbox, before + 1)
    proposed = [m for m in smtp_inbox.messages if "proposed a change" in m["Subject"]]
    assert [m["To"] for m in proposed] == [engineer.email]
    assert "Owner Person at" in proposed[0]["Subject"]

    change = ChangeOrder.objects.get()
    login(client, engineer)
    accept = url("change_accept", contract, change)
    assert client.post(accept).status_code == 302
    assert client.post(accept).status_code == 409  # a double click
    _delivered(before + 2)
    _arrived(smtp_inbox, before + 2)
    time.sleep(0.5)  # anything sent twice would arrive now

    accepted = [m for m in smtp_inbox.messages if "accepted your change" in m["Subject"]]
    assert [m["To"] for m in accepted] == [owner.email]
    assert "version 2" in accepted[0]["Subject"]
    assert len(smtp_inbox.messages) == before + 2
