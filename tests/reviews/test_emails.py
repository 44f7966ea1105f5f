"""Emails arrive once, through the real worker and an SMTP server: the notice to the
other side, the end to both, the publication to both, even with the sweep run twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from celery.signals import task_postrun

from accounts.models import User
from hiring import tasks
from hiring.models import Contract, Side
from tests.conftest import Finished, Inbox, delivered
from tests.reviews.conftest import give_notice, local_midnight, review


def subjects(inbox: Inbox, start: int) -> list[tuple[str, str]]:
    return sorted((m["To"], m["Subject"]) for m in inbox.messages[start:])


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_each_email_once(
    smtp_inbox: Inbox, celery_worker: Any, owner: User, engineer: User, contract: Contract
) -> None:
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        delivered()  # the outreach emails of the fixture
        start = len(smtp_inbox.messages)
        give_notice(contract, owner)
        delivered()
        notice = subjects(smtp_inbox, start)
        assert [to for to, _ in notice] == [engineer.email]
        assert "gave notice" in notice[0][1]

        contract.refresh_from_db()
        over = local_midnight(contract.ends_on + timedelta(days=1))  # type: ignore[operator]
        start = len(smtp_inbox.messages)
        tasks.ending_sweep.delay(over.isoformat())
        tasks.ending_sweep.delay(over.isoformat())  # twice, as a redelivered task would be
        finished.wait(tasks.ending_sweep.name, 2)
        delivered()
        ended = subjects(smtp_inbox, start)
        assert [to for to, _ in ended] == sorted([owner.email, engineer.email])
        assert all("has ended" in subject for _, subject in ended)

        contract.refresh_from_db()
        start = len(smtp_inbox.messages)
        review(contract, owner, Side.COMPANY, now=over + timedelta(hours=1))
        review(contract, engineer, Side.ENGINEER, now=over + timedelta(hours=2))  # publishes
        # The sweep after the review days finds them published: it tells nobody again.
        tasks.ending_sweep.delay((over + timedelta(days=15)).isoformat())
        finished.wait(tasks.ending_sweep.name, 3)
        delivered()
    finally:
        task_postrun.disconnect(finished)

    published = subjects(smtp_inbox, start)
    assert [to for to, _ in published] == sorted([owner.email, engineer.email])
    assert all("are published" in subject for _, subject in published)
