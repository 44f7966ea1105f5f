"""Contracts: drafting from an offer, sending, both sides accepting, the printable copy.

Every page starts from ``contract_for_user`` (404 for anyone but the company's members
and the engineer). The contract page gathers one panel from each part of the work
(terms, change orders, milestones and payments, check-ins, ending and reviews, the
timeline): each part's ``selectors.contract_panel`` adds its context and its template
``hiring/<part>/_contract_panel.html`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.web import AuthedRequest
from hiring.changes import selectors as changes
from hiring.checkins import selectors as checkins
from hiring.contracts import selectors
from hiring.contracts.access import contract_for_user
from hiring.dashboards import selectors as dashboards
from hiring.milestones import selectors as milestones
from hiring.models import Contract
from hiring.reviews import selectors as reviews

Panel = Callable[..., dict[str, Any]]

#: The contract page's parts, in the order their context is gathered.
PANELS: tuple[Panel, ...] = (
    selectors.contract_panel,
    changes.contract_panel,
    milestones.contract_panel,
    checkins.contract_panel,
    reviews.contract_panel,
    dashboards.contract_panel,
)


def contract_context(contract: Contract, side: str, user: User) -> dict[str, Any]:
    context: dict[str, Any] = {"contract": contract, "side": side}
    for panel in PANELS:
        context.update(panel(contract=contract, side=side, user=user))
    return context


@login_required
@require_GET
def contract_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contract, side = contract_for_user(request.user, pk)
    return render(
        request, "hiring/contracts/detail.html", contract_context(contract, side, request.user)
    )


def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def contract_list(request: HttpRequest) -> HttpResponse:
    raise Http404("Not built yet.")


def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def contract_send(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def contract_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Not built yet.")


def version_accept(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    raise Http404("Not built yet.")


def version_decline(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    raise Http404("Not built yet.")


def version_print(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    raise Http404("Not built yet.")
