"""Limits on actions that email someone who did not ask for it.

Invitations now, outreach next: anything that lets one account make Karigar
write to a stranger is a possible spam or phishing relay, so each such action
is counted, per sender and per recipient, and refused past a limit.

Use::

    from accounts.limits import Limit, LimitExceeded, limits_consume

    limits_consume(
        Limit(("invite", company.pk), count=20, seconds=3600,
              reason="Your company has sent many invitations in the last hour."),
        Limit(("invite-to", email.lower()), count=3, seconds=86400,
              reason=f"{email} has been invited several times today."),
    )

``limits_consume`` counts one use against every limit at once, or against none:
when any limit is already used up it takes its own counts back and raises
``LimitExceeded``, whose message (``str(exc)``) says which limit was reached and
when to try again, in the active time zone; ``exc.retry_at`` is that time (UTC)
and ``exc.retry_after`` the seconds until it, for a ``Retry-After`` header. Call
it before anything is saved or sent, so a refused action changes nothing.

A scope is a tuple naming the action and who or what is counted, e.g.
``("outreach", company.pk)`` and ``("outreach-to", profile.pk)``; the first item
is kept readable in the cache key and the rest is hashed (so no email address is
stored in Redis). Counters live in the shared cache (Redis), so every web
process sees the same counts; each is a fixed window aligned to the clock (an
hour from :00, a day from 00:00 UTC), which makes "try again after" exact.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    """At most ``count`` uses per ``seconds`` within ``scope``."""

    scope: tuple[str | int, ...]
    count: int
    seconds: int
    reason: str = "You have done this too many times for now."

    def cache_key(self, window: int) -> str:
        name, *rest = (str(part) for part in self.scope)
        digest = hashlib.sha256("\x1f".join(rest).encode()).hexdigest()[:32]
        return f"limit:{name}:{self.seconds}:{digest}:{window}"


class LimitExceeded(Exception):
    """A limit is used up; the message says which one and when to try again."""

    def __init__(self, limit: Limit, retry_at: datetime, now: datetime) -> None:
        self.limit = limit
        self.retry_at = retry_at
        self.retry_after = max(1, math.ceil((retry_at - now).total_seconds()))
        super().__init__(f"{limit.reason} Try again {retry_phrase(retry_at, now=now)}.")


def limits_consume(*limits: Limit) -> None:
    """Count one use against every limit, or raise LimitExceeded and count none."""
    now = time.time()
    counted: list[str] = []
    refused: tuple[Limit, float] | None = None
    for limit in limits:
        window = int(now // limit.seconds)
        key = limit.cache_key(window)
        ends = (window + 1) * limit.seconds
        used = _increment(key, timeout=math.ceil(ends - now) + 1)
        counted.append(key)
        if used > limit.count:
            refused = (limit, ends)
            break
    if refused is None:
        return
    for key in counted:  # a refused action uses up nothing
        with contextlib.suppress(ValueError):  # ValueError: the window ended meanwhile
            cache.decr(key)
    refused_limit, opens = refused
    raise LimitExceeded(
        refused_limit,
        retry_at=datetime.fromtimestamp(opens, tz=UTC),
        now=datetime.fromtimestamp(now, tz=UTC),
    )


def _increment(key: str, *, timeout: int) -> int:
    # add is SET NX with an expiry and incr is Redis INCR: both atomic, so two
    # processes racing for the last use cannot both get it.
    for _ in range(3):
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            continue
    raise RuntimeError(f"Could not count a use of {key}.")


def retry_phrase(retry_at: datetime, *, now: datetime | None = None) -> str:
    """'after 14:32 (in about 4 minutes)', in the active time zone."""
    now = now or timezone.now()
    local = timezone.localtime(retry_at)
    when = f"{local:%H:%M}"
    if local.date() != timezone.localtime(now).date():
        when += f" on {local:%a} {local.day} {local:%b}"
    return f"after {when} ({_in_about(retry_at - now)})"


def _in_about(delta: timedelta) -> str:
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "in less than a minute"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"in about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"in about {hours} hours"
