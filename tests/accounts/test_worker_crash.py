"""A worker killed in the middle of sending an email: the email still arrives, once.

This runs the real thing: a `celery -A config worker` process with a prefork
pool, the Redis broker, PostgreSQL, and an SMTP server that holds the first
connection after the recipient, so that the pool process can be killed while
it is talking to SMTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from accounts import emails
from accounts.models import OutboundEmail
from config.celery import app
from tests.conftest import Inbox

LEASE_SECONDS = 3
WAIT_SECONDS = 60


def wait_until(condition: Callable[[], bool], *, timeout: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class StallingInbox(Inbox):
    """Keeps every message, but holds the first session once it has seen its recipient."""

    def __init__(self) -> None:
        super().__init__()
        self.recipients_seen = 0
        self.first_recipient = threading.Event()
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        envelope.rcpt_tos.append(address)
        self.recipients_seen += 1
        if self.recipients_seen == 1:
            self._loop = asyncio.get_running_loop()
            self._release = asyncio.Event()
            self.first_recipient.set()
            await self._release.wait()
        return "250 OK"

    def release(self) -> None:
        if self._loop is not None and self._release is not None:
            self._loop.call_soon_threadsafe(self._release.set)


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[StallingInbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    inbox.release()
    controller.stop()


class WorkerProcess:
    """`celery -A config worker` in its own process group, reading the test run's settings."""

    def __init__(self, *, smtp_port: int) -> None:
        queue = app.conf.task_default_queue
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "KARIGAR_TEST_RUN_ID": str(os.getpid()),
            "KARIGAR_TEST_DATABASE": connection.settings_dict["NAME"],
            "KARIGAR_TEST_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--queues",
            queue,
            "--hostname",
            f"crash-test-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ]
        self.log: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            if " ready." in line:
                self.ready.set()

    def pool_processes(self) -> list[int]:
        """The prefork pool's children of the worker's main process."""
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids.extend(int(pid) for pid in children)
        return pids

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started
        self.process.wait(timeout=10)

    def tail(self) -> str:
        return "".join(self.log[-40:])


@pytest.fixture
def worker_process(
    transactional_db: None, stalling_smtp: tuple[StallingInbox, int]
) -> Iterator[WorkerProcess]:
    app.conf.task_always_eager = False
    with app.connection_for_write() as broker:  # leftovers of an earlier run
        broker.default_channel.queue_purge(app.conf.task_default_queue)
    worker = WorkerProcess(smtp_port=stalling_smtp[1])
    try:
        assert worker.ready.wait(WAIT_SECONDS), f"the worker did not start:\n{worker.tail()}"
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.stop()


def test_an_email_whose_worker_is_killed_mid_send_still_arrives_exactly_once(
    stalling_smtp: tuple[StallingInbox, int],
    worker_process: WorkerProcess,
    settings: Any,
) -> None:
    inbox, _ = stalling_smtp
    settings.OUTBOX_LEASE_SECONDS = LEASE_SECONDS
    with transaction.atomic():
        email = emails.email_enqueue(
            to="sana@example.com",
            template="test",
            subject="Your interview on Monday",
            text="See you at ten.",
            key="crash-test",
        )

    # The pool process has claimed the row and is inside the SMTP conversation.
    assert inbox.first_recipient.wait(WAIT_SECONDS), worker_process.tail()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENDING
    dead_claim = email.claimed_at
    (pool_process,) = worker_process.pool_processes()
    os.kill(pool_process, signal.SIGKILL)

    # Beat's sweep, run here: once the dead claim's lease is over it queues the email
    # again. (The task redelivered after the kill may get there first, if the lease is
    # already over when it runs; either way a single new claim sends it.)
    swept = 0

    def sent() -> bool:
        nonlocal swept
        row = OutboundEmail.objects.get(pk=email.pk)
        if row.status == OutboundEmail.Status.SENT:
            return True
        if row.claimed_at == dead_claim and not swept:
            swept = emails.outbox_sweep()
        return False

    assert wait_until(sent), f"the email was not sent again:\n{worker_process.tail()}"

    email.refresh_from_db()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "sana@example.com"
    assert message["Subject"] == "Your interview on Monday"
    assert message["Message-ID"] == email.message_id
    assert email.attempts == 2
    assert email.claimed_at != dead_claim
    # Nothing claims a sent email again: later sweeps find nothing to do.
    assert emails.outbox_sweep() == 0
