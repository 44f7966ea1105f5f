"""Views of changes (not built yet: each answers 404 until it is)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_detail(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_accept(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_reject(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_counter(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def change_withdraw(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")
