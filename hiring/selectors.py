"""Fetch-and-check helpers for outreach: each returns what the user may see or 404s.

An id in a URL never grants access by itself: another company's candidacy, outreach
or template, and another engineer's opportunity, answer 404 whoever asks.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from hiring.models import MessageTemplate, Outreach
from screening.models import Candidacy


def _is_employer(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_employer)


def get_candidacy_for_outreach(user: Any, pk: int) -> Candidacy:
    """A candidacy in a pipeline of the user's company, with what the outreach form shows."""
    candidacy = None
    if _is_employer(user):
        candidacy = (
            Candidacy.objects.select_related("company", "brief__company", "profile__user")
            .filter(pk=pk, company__memberships__user=user)
            .first()
        )
    if candidacy is None:
        raise Http404("No such engineer in your pipelines.")
    return candidacy


def get_outreach_for_company(user: Any, pk: int) -> Outreach:
    """An outreach sent by the user's company (by any teammate)."""
    outreach = None
    if _is_employer(user):
        outreach = (
            Outreach.objects.select_related("company", "brief", "profile__user", "thread", "sender")
            .filter(pk=pk, company__memberships__user=user)
            .first()
        )
    if outreach is None:
        raise Http404("No such outreach.")
    return outreach


def get_outreach_for_engineer(user: Any, pk: int) -> Outreach:
    """An outreach sent to this engineer; to anyone else, it does not exist."""
    outreach = None
    if user.is_authenticated and user.is_engineer:
        outreach = (
            Outreach.objects.select_related("company", "brief", "profile__user", "thread", "sender")
            .filter(pk=pk, profile__user=user)
            .first()
        )
    if outreach is None:
        raise Http404("No such opportunity.")
    return outreach


def get_template_for_user(user: Any, pk: int | str) -> MessageTemplate:
    """A message template of the user's company (teammates share them)."""
    template = None
    if _is_employer(user) and str(pk).isdigit():
        template = MessageTemplate.objects.filter(
            pk=int(pk), company__memberships__user=user
        ).first()
    if template is None:
        raise Http404("No such template.")
    return template


def company_templates(company: Any) -> Any:
    return MessageTemplate.objects.filter(company=company).order_by("name")


def engineer_opportunities(user: Any) -> Any:
    """Every outreach to this engineer, newest first, with what the list shows."""
    return (
        Outreach.objects.filter(profile__user=user)
        .select_related("company", "brief", "thread")
        .order_by("-sent_at", "-pk")
    )


def candidacy_outreach(candidacy: Candidacy) -> Any:
    """The outreach of one candidacy, newest first, for the candidacy page's panel."""
    return (
        Outreach.objects.filter(candidacy=candidacy)
        .select_related("sender", "thread")
        .order_by("-sent_at", "-pk")
    )
