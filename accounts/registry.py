"""Hooks through which a higher app adds to what a lower one does, without the lower
app importing it (apps build on each other: accounts → candidates → searches →
screening → hiring).

- Personal data: each app that keeps something about a person registers how to
  export it and how to erase it; ``accounts.services.account_export`` and
  ``account_delete`` call every part.
- Page panels: a page owned by a lower app (the employer dashboard, an engineer's
  profile page) shows a panel rendered by a higher app, e.g. searches' briefs on
  the dashboard and its "shortlist for a brief" box on the profile page.
- Header links: a higher app adds a link for employers or engineers (the
  pipeline, opportunities with an unread count) to the header.

Apps register in their ``AppConfig.ready``; registering the same name again
replaces the earlier entry, so a reloaded app does not show a panel twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], None]
PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class PersonalData:
    app: str
    export: Exporter | None
    erase: Eraser | None


_personal_data: dict[str, PersonalData] = {}


def personal_data_register(
    app: str, *, export: Exporter | None = None, erase: Eraser | None = None
) -> None:
    """``export(user)`` returns the app's part of the export as JSON-ready data, keyed
    by section; ``erase(user)`` removes or blanks what the app keeps about the user
    (called inside the deletion's transaction, before the account row goes)."""
    _personal_data[app] = PersonalData(app, export, erase)


def personal_data_parts() -> list[PersonalData]:
    return list(_personal_data.values())


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    context: PanelContext


_panels: dict[tuple[str, str], Panel] = {}


def panel_register(page: str, *, name: str, template: str, context: PanelContext) -> None:
    """Show ``template`` on ``page``. ``context(request, **page)`` gets what the page
    passes (e.g. ``profile=``, ``company=``) and returns the panel's context, or None
    to leave the panel out for this request."""
    _panels[(page, name)] = Panel(page, name, template, context)


def panels_render(page: str, request: HttpRequest, **values: Any) -> list[SafeString]:
    """Each registered panel of ``page`` rendered to HTML, in registration order."""
    rendered = []
    for panel in _panels.values():
        if panel.page != page:
            continue
        context = panel.context(request, **values)
        if context is not None:
            html = render_to_string(panel.template, context, request)
            rendered.append(mark_safe(html))  # noqa: S308 - our template's output
    return rendered


# Header links of higher apps ---------------------------------------------------------


@dataclass(frozen=True)
class NavLink:
    role: str
    label: str
    url_name: str
    count: Callable[[Any], int] | None


_nav: dict[tuple[str, str], NavLink] = {}


def nav_register(
    role: str, *, label: str, url_name: str, count: Callable[[Any], int] | None = None
) -> None:
    """Add a link to the header for ``role`` ("employer" or "engineer"); ``count(user)``,
    when given, is shown beside it as a badge (e.g. unread opportunities) when above 0."""
    _nav[(role, url_name)] = NavLink(role, label, url_name, count)


def nav_links(role: str, user: Any) -> list[dict[str, Any]]:
    """The registered links of ``role`` with their counts, in registration order."""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name),
            "count": link.count(user) if link.count else 0,
        }
        for link in _nav.values()
        if link.role == role
    ]
