from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail, User
from config.celery import app
from tests.factories import EmployerFactory, EngineerFactory, MembershipFactory


def pytest_unconfigure(config: pytest.Config) -> None:
    # Stop the embedded services if this test run was the one that started them.
    from config import devservices

    if devservices.started_here:
        devservices.stop_all()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Sessions and rate-limit counters live in the cache: each test starts without them."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    yield


@pytest.fixture
def owner(db: None) -> User:
    """An employer who owns their company."""
    return EmployerFactory(email="owner@acme.example", full_name="Owner Person")


@pytest.fixture
def teammate(owner: User) -> User:
    """A hiring manager in the owner's company (not its owner)."""
    return MembershipFactory(company=owner.membership.company, user__email="mate@acme.example").user


@pytest.fixture
def outsider(db: None) -> User:
    """An employer in a different company."""
    return EmployerFactory(email="outsider@other.example")


@pytest.fixture
def engineer(db: None) -> User:
    return EngineerFactory(email="engineer@example.com", full_name="Sana Javed")


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield inbox
    controller.stop()


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
    """Wait until the worker has sent every email in the outbox."""
    deadline = time.monotonic() + 30
    while OutboundEmail.objects.exclude(status="sent").exists():
        assert time.monotonic() < deadline, "the worker did not send every email in time"
        time.sleep(0.05)


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[Any]:
    """A real worker thread consuming the test queue on the Redis broker."""
    app.conf.task_always_eager = False
    with app.connection_for_write() as connection:  # leftovers of an earlier run
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


AssertQueries = Callable[[int], AbstractContextManager[CaptureQueriesContext]]


# Two or more "table"."column" in a row, as in a SELECT list: shown as "…" in failures.
_COLUMN_LIST = re.compile(r'(?:"\w+"\."\w+"(?: AS "\w+")?, )+"\w+"\."\w+"(?: AS "\w+")?')


def _describe_queries(context: CaptureQueriesContext) -> str:
    lines = []
    for n, query in enumerate(context.captured_queries, start=1):
        sql = _COLUMN_LIST.sub("…", " ".join(query["sql"].split()))
        lines.append(f"  {n:>2}. {sql[:400]}{' …' if len(sql) > 400 else ''}")
    return "\n".join(lines)


@pytest.fixture
def assert_queries(db: None) -> AssertQueries:
    """``with assert_queries(7): client.get(url)`` fails unless exactly 7 queries ran.

    The failure lists every query, numbered, so the extra (or missing) one is plain
    to see. Inside a test's transaction BEGIN and COMMIT are not counted.
    """
    from django.db import connection

    @contextmanager
    def check(expected: int) -> Iterator[CaptureQueriesContext]:
        with CaptureQueriesContext(connection) as context:
            yield context
        if len(context) != expected:
            pytest.fail(
                f"Expected exactly {expected} queries, {len(context)} ran:\n"
                + _describe_queries(context),
                pytrace=False,
            )

    return check
