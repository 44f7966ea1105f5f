from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which navigation the header shows: by role, without extra queries for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "visitor"}
    if user.is_staff:
        role = "staff"
    elif user.is_employer:
        role = "employer"
    else:
        role = "engineer"
    from accounts import registry

    # Lazy: the links (and any count query) are built only if the header renders them.
    return {"nav_role": role, "nav_links": lambda: registry.nav_links(role, user)}
