"""Template filters for showing profile facts the same way on every page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def hours(value: float | None) -> str:
    """4.0 → "4 hours", 1.5 → "1.5 hours", 1.0 → "1 hour"."""
    if value is None:
        return ""
    number = f"{value:g}"
    return f"{number} hour" if number == "1" else f"{number} hours"
