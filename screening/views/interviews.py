"""Interviews: offering slots inside everyone's working hours, booking, rescheduling,
cancelling, no-shows, the calendar file, and the engineer's side.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_built(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Not built yet.")


schedule = _not_built
detail = _not_built
reoffer = _not_built
cancel = _not_built
no_show = _not_built
ics = _not_built
engineer_detail = _not_built
engineer_pick = _not_built
engineer_others = _not_built
engineer_cancel = _not_built
engineer_ics = _not_built


def candidacy_panel(request: HttpRequest, *, candidacy: object) -> dict[str, object] | None:
    """The interviews part of the candidacy page (None: nothing to show)."""
    return None
