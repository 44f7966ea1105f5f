"""Liveness of the services Karigar needs, for /healthz and `make smoke`.

Every check is one cheap round trip, so that the health check can be called
often without tying up a web worker: ``SELECT 1`` on the database, ``PING``
on Redis, and a read of the worker heartbeats that each Celery worker
refreshes in Redis every few seconds (``config.celery.WorkerHeartbeat``).
Nothing here asks the workers anything over the broker.
"""

from __future__ import annotations

import functools
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

#: How often a worker refreshes its heartbeat, and how long one counts as alive.
HEARTBEAT_SECONDS = 10
HEARTBEAT_TTL = 30
#: A Redis that does not answer in this time counts as down.
REDIS_TIMEOUT = 0.5


@functools.cache
def _redis(url: str) -> redis.Redis:
    # One client (and connection pool) per URL and process.
    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def _heartbeats() -> tuple[redis.Redis, str]:
    """The sorted set of live workers (member: hostname, score: last beat), in the cache's
    Redis and namespace, so that test runs sharing a server do not see each other's."""
    return _redis(settings.CACHES["default"]["LOCATION"]), cache.make_key("celery-workers")


def worker_heartbeat(*, worker: str) -> None:
    client, key = _heartbeats()
    now = time.time()
    pipe = client.pipeline()
    pipe.zadd(key, {worker: now})
    pipe.zremrangebyscore(key, "-inf", now - HEARTBEAT_TTL)  # workers that died
    pipe.expire(key, HEARTBEAT_TTL)  # and the whole set, when every worker died
    pipe.execute()


def worker_gone(*, worker: str) -> None:
    client, key = _heartbeats()
    client.zrem(key, worker)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False
    return True


def check_redis() -> bool:
    try:
        return bool(_redis(settings.REDIS_URL).ping())
    except redis.RedisError:
        return False


def check_workers() -> bool:
    try:
        client, key = _heartbeats()
        return bool(client.zcount(key, time.time() - HEARTBEAT_TTL, "+inf"))
    except redis.RedisError:
        return False


def report() -> dict[str, str]:
    """Up or down per component, nothing more: anyone may call /healthz."""
    checks = {"database": check_database(), "redis": check_redis()}
    # Without the broker no worker can take work, whatever its heartbeat says.
    checks["celery"] = checks["redis"] and check_workers()
    healthy = all(checks.values())
    return {
        "status": "ok" if healthy else "unavailable",
        **{name: "up" if ok else "down" for name, ok in checks.items()},
    }
