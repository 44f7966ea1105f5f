"""`make run`'s launcher: links follow the port it serves, and it waits for a real answer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from config.run import environment, wait_until_ready


def test_site_url_follows_the_port_under_make_run() -> None:
    env = environment(port=8123, base={"PATH": "/usr/bin", "SITE_URL": ""})

    assert env["SITE_URL"] == "http://127.0.0.1:8123"
    assert env["PORT"] == "8123"
    assert env["DEBUG"] == "true"
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings"
    assert env["PATH"] == "/usr/bin"


def test_a_site_url_set_by_the_developer_is_kept() -> None:
    env = environment(port=8123, base={"SITE_URL": "https://karigar.test", "DEBUG": "false"})

    assert env["SITE_URL"] == "https://karigar.test"
    assert env["DEBUG"] == "false"


class Health:
    """A stand-in web server whose /healthz answers with ``status``."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.requests = 0


@pytest.fixture
def health() -> Iterator[tuple[Health, str]]:
    state = Health(503)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.requests += 1
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/healthz"
    server.shutdown()
    server.server_close()


def test_it_waits_until_healthz_answers_200(health: tuple[Health, str]) -> None:
    state, url = health

    def alive() -> bool:
        if state.requests >= 2:  # unhealthy twice, then the worker is up
            state.status = 200
        return True

    assert wait_until_ready(url, alive=alive, timeout=30)
    assert state.requests == 3


def test_it_stops_waiting_when_a_process_exits(health: tuple[Health, str]) -> None:
    state, url = health

    assert not wait_until_ready(url, alive=lambda: state.requests < 2, timeout=30)
    assert state.requests == 2


def test_it_keeps_waiting_while_nothing_listens() -> None:
    calls: list[int] = []

    def alive() -> bool:
        calls.append(1)
        return len(calls) < 3

    assert not wait_until_ready("http://127.0.0.1:9/healthz", alive=alive, timeout=30)
    assert len(calls) == 3
