"""Scorecards: an interviewer's own (blind until submitted) and the side-by-side summary."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_built(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Not built yet.")


scorecard = _not_built
summary = _not_built


def candidacy_panel(request: HttpRequest, *, candidacy: object) -> dict[str, object] | None:
    """The scorecards part of the candidacy page (None: nothing to show)."""
    return None
