"""The question bank (the company's questions and Karigar's starter set) and interview
kits, and which kit a brief's technical and final interviews use.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_built(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Not built yet.")


question_list = _not_built
question_edit = _not_built
question_archive = _not_built
kit_list = _not_built
kit_new = _not_built
kit_edit = _not_built
kit_archive = _not_built
brief_kits = _not_built


def candidacy_panel(request: HttpRequest, *, candidacy: object) -> dict[str, object] | None:
    """The bank part of the candidacy page (None: nothing to show)."""
    return None
