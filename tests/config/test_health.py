from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_redis_and_a_worker_answer(
    client: Client, celery_worker: Any
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"]
    assert body["celery"]["workers"] >= 1


def test_healthz_is_503_without_a_worker(client: Client) -> None:
    with mock.patch("config.health.app.control.ping", return_value=[]):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery"] == {"ok": False, "workers": 0}


def test_healthz_is_503_when_redis_is_unreachable(client: Client, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["redis"]["ok"] is False
    assert body["celery"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_is_503_when_the_database_fails(client: Client) -> None:
    from django.db import OperationalError

    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
