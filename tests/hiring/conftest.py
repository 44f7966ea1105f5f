"""Fixtures of the hiring tests. Each helper's fixtures carry its prefix."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import Inbox

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
