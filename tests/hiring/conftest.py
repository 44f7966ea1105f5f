"""Fixtures of the hiring tests. Each helper's fixtures carry its prefix."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import Inbox

# Outreach -----------------------------------------------------------------------------


@pytest.fixture
def outreach_profile(engineer: Any) -> Any:
    """The ``engineer`` fixture's approved, listed profile."""
    from candidates.models import Profile
    from tests.factories import ProfileFactory

    return Profile.objects.filter(user=engineer).first() or ProfileFactory(
        user=engineer, status="approved"
    )


@pytest.fixture
def outreach_candidacy(owner: Any, outreach_profile: Any) -> Any:
    """The engineer in Sourced on a brief of the owner's company."""
    from tests.factories import BriefFactory, candidacy_in

    brief = BriefFactory(
        company=owner.membership.company, created_by=owner, title="Payments backend"
    )
    return candidacy_in(brief, outreach_profile, user=owner)


@pytest.fixture
def outreach_waiting(outreach_candidacy: Any, owner: Any) -> Any:
    """An outreach from the owner to the engineer, waiting for an answer."""
    from tests.factories import outreach_sent

    return outreach_sent(outreach_candidacy, sender=owner, message="We liked your ledger work.")


@pytest.fixture
def outreach_form_data() -> Callable[..., dict[str, str]]:
    """The outreach form as a browser posts it: valid terms changed by ``overrides``;
    a value of None leaves the field out (an unticked box)."""
    from tests.factories import outreach_terms

    def build(**overrides: Any) -> dict[str, str]:
        values: dict[str, Any] = {**outreach_terms(), "message": "Hello {first_name}"}
        values.update(overrides)
        data = {}
        for name, value in values.items():
            if value is None or value is False:
                continue
            data[name] = "on" if value is True else str(value)
        return data

    return build


# Threads ------------------------------------------------------------------------------


@pytest.fixture
def thread_outreach(owner: Any, engineer: Any) -> Any:
    """An outreach from the owner's company to the ``engineer`` fixture: it opened their
    thread (``outreach.thread``) with an "invited you" line."""
    from candidates.models import Profile
    from tests.factories import BriefFactory, candidacy_in, outreach_sent

    profile = Profile.objects.filter(user=engineer).first()
    if profile is None:
        from tests.factories import ProfileFactory

        profile = ProfileFactory(user=engineer, status="approved")
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    return outreach_sent(candidacy_in(brief, profile), sender=owner)


@pytest.fixture
def thread_smtp(settings: Any) -> Iterator[Any]:
    """An SMTP server the test can stop and start again on the same port (``.stop()``,
    ``.start()``); ``.inbox`` keeps every message it received."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    class Server:
        def __init__(self) -> None:
            self.inbox = Inbox()
            self.port = port
            self.controller: Controller | None = None

        def start(self) -> None:
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self) -> None:
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield server
    server.stop()


class ThreadRuns:
    """Counts the tasks a real worker finished, by name, so a test can wait for them."""

    WAIT_SECONDS = 30

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.changed = threading.Condition()

    def __call__(self, sender: Any = None, **kwargs: Any) -> None:
        if sender is not None:
            with self.changed:
                self.counts[sender.name] = self.counts.get(sender.name, 0) + 1
                self.changed.notify_all()

    def run(self, task: Any, *args: Any, **kwargs: Any) -> None:
        """Queue ``task`` on the worker and wait until it has run."""
        with self.changed:
            before = self.counts.get(task.name, 0)
        task.delay(*args, **kwargs)
        self.wait(task.name, before + 1)

    def wait(self, name: str, count: int) -> None:
        with self.changed:
            done = self.changed.wait_for(
                lambda: self.counts.get(name, 0) >= count, timeout=self.WAIT_SECONDS
            )
        assert done, f"the worker did not run {name} {count} time(s) in time: {self.counts}"

    def until(self, condition: Callable[[], bool]) -> None:
        """Wait (polling) until ``condition()`` holds, e.g. every email is sent."""
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not condition():
            assert time.monotonic() < deadline, "the worker did not get there in time"
            time.sleep(0.05)

    def delivered(self) -> None:
        """Wait until the worker has sent every email in the outbox."""
        from accounts.models import OutboundEmail

        self.until(lambda: not OutboundEmail.objects.exclude(status="sent").exists())


@pytest.fixture
def thread_runs(celery_worker: Any, thread_smtp: Any) -> Iterator[ThreadRuns]:
    """The real worker (Redis broker, PostgreSQL) delivering to ``thread_smtp``, with a
    counter of the tasks it finished."""
    from celery.signals import task_postrun

    runs = ThreadRuns()
    task_postrun.connect(runs, weak=False)
    yield runs
    task_postrun.disconnect(runs)
