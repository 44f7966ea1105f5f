"""Outreach, opportunities and threads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from accounts.web import AuthedRequest

# Outreach and opportunities -------------------------------------------------------
# TODO(outreach UI): replace each placeholder below with the real view.


@login_required
def outreach_new(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def outreach_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def template_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def opportunities(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def opportunity(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def decline(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def reply(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def step_back(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def report_outreach(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


# Threads ------------------------------------------------------------------------
# TODO(threads UI): replace each placeholder below with the real view.


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def thread(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def report_message(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    raise Http404
