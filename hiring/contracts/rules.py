"""The rules a version's terms must keep, for drafts and change orders alike.

``terms_errors`` takes the cleaned terms (the ContractVersion fields by name) and the
milestones (dicts with title, acceptance_criteria, due_on, amount) and returns the
problems as ``{field name: [message, ...]}`` (``"milestones"`` for the milestones as a
whole, ``"__all__"`` for the rest). Forms add them to their errors; an empty dict
means the terms hold together.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from accounts.money import format_money
from hiring.models import ContractEngagement, ContractVersion, InvoiceCadence

Errors = dict[str, list[str]]
#: No date of a contract lies beyond this: later is a typo (and near the year 9999 the
#: date arithmetic of the pages and sweeps would overflow).
LAST_DATE = date(2099, 12, 31)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def terms_errors(terms: dict[str, Any], milestones: list[dict[str, Any]]) -> Errors:
    errors: Errors = {}
    engagement, currency = terms.get("engagement"), terms.get("currency")
    rate, start, end = terms.get("rate"), terms.get("start_on"), terms.get("end_on")

    if rate is not None and engagement and currency:
        ceiling = ContractVersion.MAX_RATE.get((engagement, currency))
        unit = {ContractEngagement.HOURLY: "/hour", ContractEngagement.MONTHLY: "/month"}
        spec = f"{currency}{unit.get(engagement, '')}"
        if rate <= 0:
            _add(errors, "rate", "The rate must be more than zero.")
        elif ceiling is not None and rate > ceiling:
            _add(
                errors,
                "rate",
                f"{format_money(rate, spec)} is more than Karigar accepts for this kind of "
                f"contract (at most {format_money(ceiling, spec)}): check for a typo.",
            )
    for field, day in (("start_on", start), ("end_on", end)):
        if day and day > LAST_DATE:
            _add(errors, field, f"{day.year} is too far ahead for a contract: check for a typo.")
    if start and end and end <= start:
        _add(errors, "end_on", "The end date must be after the start date.")
    trial = terms.get("trial_weeks")
    # Counted in days, not as start + weeks: near the year 9999 that sum overflows.
    if trial and start and end and (end - start).days < trial * 7:
        _add(errors, "trial_weeks", "The paid trial must end before the contract does.")
    if engagement == ContractEngagement.HOURLY and not terms.get("hours_cap"):
        _add(errors, "hours_cap", "An hourly contract needs a weekly hours cap.")

    opens, closes = terms.get("overlap_starts"), terms.get("overlap_ends")
    if (opens is None) != (closes is None):
        _add(errors, "overlap_ends", "Give both the start and the end of the overlap, or neither.")
    elif opens is not None and closes is not None and opens >= closes:
        _add(errors, "overlap_ends", "The overlap must end after it starts.")

    day, at = terms.get("call_weekday"), terms.get("call_time")
    if (day is None) != (at is None):
        _add(errors, "call_time", "Give both the day and the time of the weekly call, or neither.")
    elif at is not None and opens is not None and closes is not None and opens < closes:
        minutes = terms.get("call_minutes") or 30
        ends = datetime.combine(datetime.min, at) + timedelta(minutes=minutes)
        if at < opens or ends.time() > closes or ends.date() != datetime.min.date():
            _add(errors, "call_time", "The weekly call must fall inside the agreed overlap.")

    for n, milestone in enumerate(milestones, start=1):
        due = milestone.get("due_on")
        name = milestone.get("title") or f"Milestone {n}"
        if due and start and due < start:
            _add(errors, "milestones", f"“{name}” is due before the contract starts.")
        if due and end and due > end:
            _add(errors, "milestones", f"“{name}” is due after the contract ends.")
        if due and due > LAST_DATE:
            _add(errors, "milestones", f"“{name}” is due in {due.year}: check for a typo.")
        if not (milestone.get("acceptance_criteria") or "").strip():
            _add(errors, "milestones", f"“{name}” needs acceptance criteria.")
        amount = milestone.get("amount")
        if amount is not None and amount < 0:
            _add(errors, "milestones", f"“{name}” has a negative amount.")

    if engagement == ContractEngagement.FIXED and rate is not None and currency:
        if not milestones:
            _add(errors, "milestones", "A fixed-price contract needs at least one milestone.")
        elif any(m.get("amount") is None for m in milestones):
            _add(errors, "milestones", "Give every milestone of a fixed-price contract an amount.")
        else:
            added = sum((m["amount"] for m in milestones), Decimal(0))
            if added != rate:
                _add(
                    errors,
                    "milestones",
                    f"The milestones add up to {format_money(added, currency)}, but the fixed "
                    f"price is {format_money(rate, currency)}: make them match.",
                )
    if terms.get("invoice_cadence") == InvoiceCadence.MILESTONE and not any(
        m.get("amount") for m in milestones
    ):
        _add(
            errors,
            "invoice_cadence",
            "Paying per milestone needs milestones with amounts; choose a regular invoice instead.",
        )
    return errors
