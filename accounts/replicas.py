"""Read replicas for search: where search and profile-page reads go when one
PostgreSQL is not enough (bench/README.md, "Beyond one machine").

``DATABASE_REPLICA_URLS`` (comma-separated) adds one database alias per replica,
``replica_1``, ``replica_2``, ... Code that only reads and can stand a replica's lag
of a second or so runs inside ``replica_reads()``; there ``ReplicaRouter`` sends
reads to a replica, chosen per block so that one page reads one snapshot. Writes,
and every read outside such a block (sessions, the signed-in user, anything a
request has just written), stay on the primary. Without replicas nothing changes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_reading: ContextVar[str | None] = ContextVar("replica_reads", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextmanager
def replica_reads() -> Iterator[str]:
    """Reads inside go to one replica (the primary when there is none); yields its alias."""
    outer = _reading.get()
    aliases = replica_aliases()
    alias = outer or (random.choice(aliases) if aliases else "default")  # noqa: S311
    token = _reading.set(alias)
    try:
        yield alias
    finally:
        _reading.reset(token)


def read_alias() -> str:
    """The alias reads go to here and now: for code that opens a cursor itself."""
    return _reading.get() or "default"


class ReplicaRouter:
    """Reads inside replica_reads() to its replica; everything else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return _reading.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # replicas receive the primary's schema by replication
