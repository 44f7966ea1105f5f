"""Views of milestones (not built yet: each answers 404 until it is)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def milestone_submit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    raise Http404("Not built yet.")


def milestone_accept(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    raise Http404("Not built yet.")


def milestone_changes(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    raise Http404("Not built yet.")


def payment_paid(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def payment_confirm(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")
