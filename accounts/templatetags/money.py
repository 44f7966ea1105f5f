"""``{% load money %}``: the one way a template shows an amount of money."""

from __future__ import annotations

from decimal import Decimal

from django import template

from accounts.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, spec: str) -> str:
    """``{{ profile.hourly_rate_usd|money:"USD/hour" }}`` → "USD 35 an hour"; see accounts.money."""
    return format_money(amount, spec)
