"""Views of checkins (not built yet: each answers 404 until it is)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def checkin_list(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def checkin_detail(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def checkin_answer(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def checkin_reply(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def checkin_skip(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def call_ics(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")
