"""Template filters for showing profile facts the same way on every page."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``Decimal('35.00')|money:"USD"`` → "USD 35"; PKR amounts get thousands separators."""
    if amount is None:
        return ""
    value = (
        amount.normalize() if amount == amount.to_integral() else amount.quantize(Decimal("0.01"))
    )
    number = intcomma(int(value)) if value == value.to_integral() else f"{value:,.2f}"
    return f"{currency} {number}"


@register.filter
def hours(value: float | None) -> str:
    """4.0 → "4 hours", 1.5 → "1.5 hours", 1.0 → "1 hour"."""
    if value is None:
        return ""
    number = f"{value:g}"
    return f"{number} hour" if number == "1" else f"{number} hours"
