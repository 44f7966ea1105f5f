"""Emails arrive once, through the real worker and an SMTP server: the notice to the
other side, the end to both, the publication to both, even with the sweep run twice."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from celery.signals import task_postrun

from accounts.models import OutboundEmail, User
from hiring import tasks
from hiring.models import Contract, Side
from tests.conftest import Inbox
from tests.reviews.conftest import give_notice, local_midnight, review


class Finished:
    """Counts the worker's finished tasks by name."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, sender: Any = None, **kwargs: Any) -> None:
        if sender is not None:
            self.counts[sender.name] = self.counts.get(sender.name, 0) + 1

    def wait(self, name: str, count: int) -> None:
        deadline = time.monotonic() + 30
        while self.counts.get(name, 0) < count:
            assert time.monotonic() < deadline, f"the worker did not run {name}: {self.counts}"
            time.sleep(0.05)


def delivered() -> None:
    deadline = time.monotonic() + 30
    while OutboundEmail.objects.exclude(status="sent").exists():
        assert time.monotonic() < deadline, "the worker did not send every email in time"
        time.sleep(0.05)


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
