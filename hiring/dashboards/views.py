"""Views of dashboards: the company page engineers see (not built yet)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def company_page(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")
