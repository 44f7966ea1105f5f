"""With the real worker and an SMTP server: the company hears of a submission once, and
a deemed acceptance reaches both sides once even when the sweep runs twice."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from accounts.models import User
from hiring import tasks
from hiring.milestones import services
from hiring.models import Contract, MilestoneWork
from tests.conftest import Finished, Inbox, delivered
from tests.milestones.conftest import NOTE, first


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_the_submission_and_the_deemed_acceptance_once(
    smtp_inbox: Inbox,
    celery_worker: Any,
    contract: Contract,
    owner: User,
    engineer: User,
) -> None:
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        delivered()  # the outreach emails of the set-up
        before = len(smtp_inbox.messages)
        at = timezone.now() - timedelta(days=8)
        services.milestone_submit(
            contract=contract, user=engineer, key=first(contract).key, note=NOTE, now=at
        )
        delivered()
        [submitted] = smtp_inbox.messages[before:]
        assert submitted["To"] == owner.email
        assert subject(submitted) == "Sana Javed submitted “Milestone 1”"

        moment = timezone.now().isoformat()
        tasks.milestone_sweep.delay(moment)
        tasks.milestone_sweep.delay(moment)  # run twice, as a redelivered task would be
        finished.wait(tasks.milestone_sweep.name, 2)
        delivered()
    finally:
        task_postrun.disconnect(finished)

    deemed = smtp_inbox.messages[before + 1 :]
    assert sorted(m["To"] for m in deemed) == sorted([engineer.email, owner.email])
    assert all(subject(m).startswith("“Milestone 1” is accepted") for m in deemed)
    work = MilestoneWork.objects.get()
    assert work.status == MilestoneWork.Status.ACCEPTED and work.deemed
