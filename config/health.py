"""Liveness of the services Karigar needs, for /healthz and `make smoke`."""

from __future__ import annotations

from typing import Any

import redis
from django.conf import settings
from django.db import connection

from config.celery import app

WORKER_PING_TIMEOUT = 1.0


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_redis() -> dict[str, Any]:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_workers() -> dict[str, Any]:
    try:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT) or []
    except Exception as exc:  # noqa: BLE001 - broker down or unreachable
        return {"ok": False, "workers": 0, "error": exc.__class__.__name__}
    return {"ok": bool(replies), "workers": len(replies)}


def report() -> dict[str, Any]:
    checks = {"database": check_database(), "redis": check_redis()}
    checks["celery"] = check_workers() if checks["redis"]["ok"] else {"ok": False, "workers": 0}
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}
