"""The listing generation: a number that changes when the set of listed profiles does.

Searches cache their rankings (searches.engine) and put this number in the cache
keys, so a profile that is approved, resumed or unpaused, or one that leaves, is
in or out of every search within a minute, while a quiet marketplace (and the
benchmark) keeps its cached rankings for SEARCH_CACHE_SECONDS.

At a million profiles engineers pause and resume all day, and a new generation on
each change would throw away every cached ranking each time. So a change only
counts (an atomic increment of one counter), and the generation is the counter as
the first search of each ROUND_SECONDS round read it (kept under the round's own
key, written only if absent). The first change after a quiet ROUND_SECONDS also
drops the current round's reading, so it shows at once; changes that follow it
closely show when their round ends. Cached rankings are thrown away at most twice a
round, and never in a round without a change; every change is in every search
within ROUND_SECONDS. Two equal generations read at two moments mean no change
between them, so a ranking served under a generation was made after every change
that generation counts.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

ROUND_SECONDS = 30
COUNTER_KEY = "candidates:listing-changes"
QUIET_KEY = "candidates:listing-changes:recent"


def _round_key(at: float) -> str:
    return f"{COUNTER_KEY}:round:{int(at // ROUND_SECONDS)}"


def listing_change_count(*, at: float | None = None) -> None:
    """Count one change of the listed profiles, made at ``at`` (now by default)."""
    cache.add(COUNTER_KEY, 0, timeout=None)  # Redis evicts only expiring keys: this stays
    cache.incr(COUNTER_KEY)
    if cache.add(QUIET_KEY, 1, timeout=ROUND_SECONDS):  # the first change in a while
        cache.delete(_round_key(time.time() if at is None else at))


# With read replicas (accounts/replicas.py) a search may rank on a replica that has not
# replayed the change yet, and cache that ranking under the new generation. The
# change is then counted again this many seconds later, once every replica has it
# (replication lag is normally well under a second; watch pg_stat_replication).
REPLICA_LAG_SECONDS = 5


def listing_changed() -> None:
    """The set of listed profiles changes in this transaction: count it once it is
    committed, so that no search counting it can run before it is visible (and
    again once read replicas have it, where there are any)."""
    transaction.on_commit(listing_change_count)
    if getattr(settings, "DATABASE_REPLICAS", []):
        from candidates.tasks import count_listing_change

        transaction.on_commit(
            lambda: count_listing_change.apply_async(countdown=REPLICA_LAG_SECONDS)
        )


def listing_generation(*, at: float | None = None) -> int:
    """The generation searches key their caches by: 0 until the first change ever."""
    key = _round_key(time.time() if at is None else at)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, cache.get(COUNTER_KEY) or 0, timeout=ROUND_SECONDS * 2)
        generation = cache.get(key)
    return int(generation or 0)
