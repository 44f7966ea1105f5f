"""Assessments: templates with rubrics, sending one to an Interested engineer, grading
(blind, optionally anonymous), and the engineer's side (submit, ask for more time).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_built(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Not built yet.")


template_list = _not_built
template_new = _not_built
template_edit = _not_built
template_archive = _not_built
send = _not_built
detail = _not_built
graders = _not_built
extension_answer = _not_built
withdraw = _not_built
grade = _not_built
engineer_detail = _not_built
engineer_submit = _not_built
engineer_extension = _not_built


def candidacy_panel(request: HttpRequest, *, candidacy: object) -> dict[str, object] | None:
    """The assessments part of the candidacy page (None: nothing to show)."""
    return None
