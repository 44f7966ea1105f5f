"""Fixtures of the scope-change tests: an active contract between the owner's company and
the ``engineer`` fixture (fixed price USD 6,000 from today to 90 days on, two milestones
of USD 3,000 due in 30 and 60 days), and helpers that post the change form as a browser
does, or call the services directly."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from hiring.changes import services
from hiring.changes.services import MilestoneRow, Proposed
from hiring.contracts import terms
from hiring.models import ChangeOrder, Contract, ContractVersion, Milestone
from tests.factories import (
    BriefFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)


def make_contract(owner: User, engineer: User, **terms_: Any) -> Contract:
    """An active contract of the owner's company with ``engineer`` (version 1 accepted)."""
    from candidates.models import Profile

    profile = Profile.objects.filter(user=engineer).first() or ProfileFactory(
        user=engineer, status="approved"
    )
    brief = BriefFactory(company=owner.membership.company, created_by=owner, title="Ledger")
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=owner))
    return contract_made(candidacy, status="active", **terms_)


@pytest.fixture
def contract(owner: User, engineer: User) -> Contract:
    return make_contract(owner, engineer)


def milestones_of(version: ContractVersion) -> list[Milestone]:
    return list(version.milestones.order_by("position", "pk"))


def url(name: str, contract: Contract, change: ChangeOrder | None = None) -> str:
    args = [contract.pk] + ([change.pk] if change is not None else [])
    return reverse(f"hiring:{name}", args=args)


def _row(m: Milestone | dict[str, Any]) -> dict[str, Any]:
    if isinstance(m, Milestone):
        return {
            "key": m.key,
            "title": m.title,
            "acceptance_criteria": m.acceptance_criteria,
            "due_on": m.due_on,
            "amount": m.amount,
        }
    return dict(m)


def form_data(
    version: ContractVersion,
    *,
    rows: list[dict[str, Any]] | None = None,
    new: list[dict[str, Any]] | None = None,
    note: str = "The client asked for reconciliation reports too.",
    **changes: Any,
) -> dict[str, str]:
    """The change form as a browser posts it: ``version``'s terms with ``changes``, the
    milestone ``rows`` (default: every milestone of ``version``, unchanged; a dict may
    carry ``remove=True``) and ``new`` rows; values None are sent empty."""
    values: dict[str, Any] = {
        "scope": version.scope,
        "rate": version.rate,
        "hours_cap": version.hours_cap,
        "end_on": version.end_on,
        "note": note,
        **changes,
    }
    sent = [_row(m) for m in (rows if rows is not None else milestones_of(version))]
    sent += [{"key": "", **row} for row in (new or [])]
    data = {name: _text(value) for name, value in values.items()}
    data |= {
        "milestones-TOTAL_FORMS": str(len(sent)),
        "milestones-INITIAL_FORMS": str(len([r for r in sent if r.get("key")])),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "40",
    }
    for n, row in enumerate(sent):
        for name, value in row.items():
            if name == "remove":
                if value:
                    data[f"milestones-{n}-remove"] = "on"
                continue
            data[f"milestones-{n}-{name}"] = _text(value)
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def proposed_from(
    version: ContractVersion,
    *,
    rows: list[dict[str, Any]] | None = None,
    new: list[dict[str, Any]] | None = None,
    note: str = "The client asked for reconciliation reports too.",
    **changes: Any,
) -> Proposed:
    """The same as ``form_data``, as the service takes it."""
    values: dict[str, Any] = {
        "scope": version.scope,
        "rate": version.rate,
        "hours_cap": version.hours_cap,
        "end_on": version.end_on,
        **changes,
    }
    sent = [_row(m) for m in (rows if rows is not None else milestones_of(version))]
    sent += [{"key": "", **row} for row in (new or [])]
    return Proposed(
        scope=values["scope"],
        rate=Decimal(values["rate"]),
        hours_cap=values["hours_cap"],
        end_on=values["end_on"],
        milestones=[
            MilestoneRow(
                key=r["key"],
                title=r["title"],
                acceptance_criteria=r["acceptance_criteria"],
                due_on=r["due_on"],
                amount=None if r.get("amount") in (None, "") else Decimal(r["amount"]),
                remove=bool(r.get("remove")),
            )
            for r in sent
        ],
        note=note,
    )


def a_change(contract: Contract, by: User, **changes: Any) -> ChangeOrder:
    """A proposed change (through the service): by default a longer scope, a later end."""
    current = contract.current
    assert current is not None
    changes.setdefault("scope", current.scope + " Also: monthly reconciliation reports.")
    changes.setdefault("end_on", current.end_on + timedelta(days=30) if current.end_on else None)
    return services.change_propose(
        contract=contract, by=by, proposed=proposed_from(current, **changes)
    )


def frozen(version: ContractVersion) -> dict[str, Any]:
    """What a version says, read fresh from the database, and its stored hash."""
    fresh = ContractVersion.objects.get(pk=version.pk)
    return {"content": terms.content(fresh), "hash": fresh.content_hash, "number": fresh.number}


def emails(what: str) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(template=f"hiring/changes/email/{what}").order_by("pk")
    )


def text(response: Any) -> str:
    """A page as a person reads it: no tags, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(body).split()).replace(" )", ")").replace("( ", "(")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
