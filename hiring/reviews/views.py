"""Views of reviews (not built yet: each answers 404 until it is)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def contract_end(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def handover_tick(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def review_reply(request: HttpRequest, review_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def review_report(request: HttpRequest, review_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")
