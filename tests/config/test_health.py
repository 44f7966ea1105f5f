"""/healthz: cheap checks only (a query, a Redis ping, the workers' heartbeats)."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

import pytest
from celery.app.control import Control
from celery.contrib.testing.worker import start_worker
from django.test import Client

from config import health
from config.celery import app

pytestmark = pytest.mark.django_db

ALL_UP = {"status": "ok", "database": "up", "redis": "up", "celery": "up"}


def a_worker_beat(seconds_ago: float = 0) -> None:
    client, key = health._heartbeats()
    client.zadd(key, {"worker@elsewhere": time.time() - seconds_ago})
    client.expire(key, health.HEARTBEAT_TTL)


def test_healthz_is_200_and_says_only_up_while_a_worker_sends_heartbeats(
    client: Client, celery_worker: Any
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == ALL_UP
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_no_worker_sent_a_heartbeat(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {**ALL_UP, "status": "unavailable", "celery": "down"}


def test_healthz_is_503_when_the_last_heartbeat_is_too_old(client: Client) -> None:
    a_worker_beat(seconds_ago=health.HEARTBEAT_TTL + 5)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery"] == "down"


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_stops_takes_its_heartbeat_with_it(client: Client) -> None:
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert client.get("/healthz").status_code == 200
    finally:
        app.conf.task_always_eager = True

    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["celery"] == "down"


def test_healthz_never_asks_the_workers_anything_over_the_broker(client: Client) -> None:
    a_worker_beat()

    with (
        mock.patch.object(Control, "ping") as ping,
        mock.patch.object(Control, "broadcast") as broadcast,
    ):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert not ping.called
    assert not broadcast.called


def test_healthz_is_503_when_redis_is_unreachable(client: Client, settings: Any) -> None:
    a_worker_beat()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "up",
        "redis": "down",
        "celery": "down",
    }


def test_healthz_is_503_when_the_database_fails_and_names_no_error(client: Client) -> None:
    from django.db import OperationalError

    a_worker_beat()
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {**ALL_UP, "status": "unavailable", "database": "down"}
