"""A contract version's content as data: what is hashed, compared and totalled.

``content(version)`` is the canonical form of a version's terms (plain strings, the
milestones in order). Its hash is what an acceptance records: a side accepts the
exact content it read. ``diff`` says what a change order does, field by field and
milestone by milestone; ``total`` what the terms add up to, where they say.
``version_copy`` starts a new draft (a revision or a change order's proposal) from a
version, milestones and their keys included; ``version_freeze`` numbers and sends it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from hiring.models import ContractVersion, Milestone

#: The terms that make a version, in the order pages list them.
TERM_FIELDS: tuple[str, ...] = (
    "title",
    "scope",
    "engagement",
    "rate",
    "currency",
    "hours_cap",
    "start_on",
    "end_on",
    "notice_days",
    "invoice_cadence",
    "pay_within_days",
    "deem_accept_days",
    "trial_weeks",
    "time_zone",
    "overlap_starts",
    "overlap_ends",
    "tools",
    "checkin_weekday",
    "checkin_time",
    "call_weekday",
    "call_time",
    "call_minutes",
)
MILESTONE_FIELDS: tuple[str, ...] = ("title", "acceptance_criteria", "due_on", "amount")


def _text(value: Any) -> Any:
    """A value as text that reads the same before and after a round trip through the
    database (a rate typed as 6000 is stored and read back as 6000.00)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def content(version: ContractVersion) -> dict[str, Any]:
    """The version's terms as plain data. Uses ``version.milestones.all()`` (prefetch it)."""
    data: dict[str, Any] = {name: _text(getattr(version, name)) for name in TERM_FIELDS}
    data["milestones"] = [
        {"key": m.key, **{name: _text(getattr(m, name)) for name in MILESTONE_FIELDS}}
        for m in sorted(version.milestones.all(), key=lambda m: (m.position, m.pk or 0))
    ]
    return data


def content_hash(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def label(name: str) -> str:
    """A term's name as people read it ("weekly hours cap")."""
    return _verbose(ContractVersion, name)


def _verbose(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


@dataclass(frozen=True)
class Change:
    """One difference between two versions: ``what`` changed from ``before`` to ``after``
    (empty ``before``: added; empty ``after``: removed)."""

    what: str
    before: Any
    after: Any


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What ``new`` changes in ``old``: the terms first, then milestones by key."""
    changes = [
        Change(label(name), old.get(name, ""), new.get(name, ""))
        for name in TERM_FIELDS
        if old.get(name, "") != new.get(name, "")
    ]
    before = {m["key"]: m for m in old.get("milestones", [])}
    after = {m["key"]: m for m in new.get("milestones", [])}
    for key, m in after.items():
        if key not in before:
            changes.append(Change(f"Milestone “{m['title']}”", "", "added"))
            continue
        for name in MILESTONE_FIELDS:
            if before[key][name] != m[name]:
                what = _verbose(Milestone, name)
                changes.append(
                    Change(
                        f"Milestone “{before[key]['title']}”: {what}", before[key][name], m[name]
                    )
                )
    for key, m in before.items():
        if key not in after:
            changes.append(Change(f"Milestone “{m['title']}”", "present", ""))
    return changes


def _weeks(start: date, end: date) -> Decimal:
    return Decimal((end - start).days + 1) / Decimal(7)


def _months(start: date, end: date) -> Decimal:
    return Decimal((end - start).days + 1) / (Decimal("365.25") / Decimal(12))


def total(data: dict[str, Any]) -> Decimal | None:
    """What the terms add up to, or None where they do not say (open-ended, no cap).

    Fixed price: the price. Monthly: the rate over the months from start to end.
    Hourly: the rate times the weekly cap over the weeks from start to end (an upper bound).
    """
    rate = Decimal(data["rate"])
    if data["engagement"] == "fixed":
        return rate
    if not data["end_on"]:
        return None
    start, end = date.fromisoformat(data["start_on"]), date.fromisoformat(data["end_on"])
    if data["engagement"] == "monthly":
        return (rate * _months(start, end)).quantize(Decimal("0.01"))
    if not data["hours_cap"]:
        return None
    return (rate * int(data["hours_cap"]) * _weeks(start, end)).quantize(Decimal("0.01"))


def new_milestone_key() -> str:
    return secrets.token_hex(4)


@transaction.atomic
def version_copy(version: ContractVersion, *, by: User) -> ContractVersion:
    """A new draft with the same terms and milestones (keys kept), not numbered or sent."""
    copy = ContractVersion(contract=version.contract, created_by=by)
    for name in TERM_FIELDS:
        setattr(copy, name, getattr(version, name))
    copy.save()
    Milestone.objects.bulk_create(
        Milestone(
            version=copy,
            key=m.key,
            position=m.position,
            **{name: getattr(m, name) for name in MILESTONE_FIELDS},
        )
        for m in version.milestones.all()
    )
    return copy


def version_freeze(version: ContractVersion, *, number: int | None) -> ContractVersion:
    """Send a draft: from now on it never changes. ``number`` None keeps it unnumbered
    (a change order's proposal, numbered when accepted)."""
    version.number = number
    version.sent_at = timezone.now()
    version.content_hash = content_hash(content(version))
    version.save(update_fields=["number", "sent_at", "content_hash"])
    return version
