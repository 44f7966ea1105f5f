"""Pipeline pages: the board per brief, a candidacy, reviews, funnels."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from accounts.web import AuthedRequest

# TODO(screening UI): replace each placeholder below with the real view.


@login_required
def board(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def brief_funnel(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def company_funnel(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def candidacy(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404
