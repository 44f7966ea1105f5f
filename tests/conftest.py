from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker

from accounts.models import User
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
