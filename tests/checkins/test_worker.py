"""With the real Celery worker and an SMTP server: the sweep, run twice as a redelivered
task would be, delivers the check-in once; each side's answer delivers one email to the
other; the weekly call arrives as a calendar part."""

from __future__ import annotations

from datetime import date
from email.message import Message
from typing import Any

import pytest
from celery.signals import task_postrun
from django.urls import reverse

from accounts.models import User
from hiring import tasks
from hiring.checkins.services import checkin_answer, checkin_reply
from hiring.contracts import events
from hiring.models import CheckIn, Contract
from tests.checkins.conftest import CALL, MAKER, OVERLAP, parse_ics, utc
from tests.conftest import Finished, Inbox, delivered


def part(message: Message, content_type: str) -> str | None:
    for piece in message.walk():
        if piece.get_content_type() == content_type:
            payload = piece.get_payload(decode=True)
            return payload.decode() if isinstance(payload, bytes) else None
    return None


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_the_check_in_once_and_each_answer_once(
    smtp_inbox: Inbox, celery_worker: Any, make_contract: MAKER, engineer: User, owner: User
) -> None:
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        contract = make_contract(
            start_on=date(2026, 3, 2),
            end_on=date(2026, 6, 30),
            started_at=utc(2026, 3, 2),
            **CALL,
            **OVERLAP,
        )
        delivered()  # the outreach that led to the contract
        start = len(smtp_inbox.messages)

        events.contract_started.send(sender=Contract, contract=contract)
        delivered()
        invites = smtp_inbox.messages[start:]
        assert sorted(m["To"] for m in invites) == sorted([engineer.email, owner.email])
        for message in invites:
            ics = part(message, "text/calendar")
            assert ics is not None, "the .ics did not arrive"
            calendar, event = parse_ics(ics)
            assert str(calendar["method"]) == "REQUEST" and event["rrule"]["FREQ"] == ["WEEKLY"]
        start = len(smtp_inbox.messages)

        moment = utc(2026, 3, 6, 11).isoformat()
        tasks.checkin_sweep.delay(moment)
        tasks.checkin_sweep.delay(moment)  # twice, as a redelivered task would be
        finished.wait(tasks.checkin_sweep.name, 2)
        delivered()
        [asked] = smtp_inbox.messages[start:]
        checkin = CheckIn.objects.get()
        assert asked["To"] == engineer.email
        assert asked["Subject"] == "Your weekly check-in for Settlement service"
        link = reverse("hiring:checkin_detail", args=[contract.pk, checkin.pk])
        assert link in (part(asked, "text/plain") or "")

        checkin_answer(
            checkin=checkin,
            by=engineer,
            side="engineer",
            done="Shipped the export.",
            next="Reconciliation.",
            blockers="",
            hours=None,
            health="on_track",
        )
        delivered()
        [answered] = smtp_inbox.messages[start + 1 :]
        assert answered["To"] == owner.email
        assert "Shipped the export." in (part(answered, "text/plain") or "")

        checkin_reply(
            checkin=checkin,
            by=owner,
            side="company",
            priorities_clear="yes",
            feedback="Clear and steady.",
            company_blockers="",
        )
        delivered()
        [replied] = smtp_inbox.messages[start + 2 :]
        assert replied["To"] == engineer.email
        assert "Clear and steady." in (part(replied, "text/plain") or "")
    finally:
        task_postrun.disconnect(finished)
