"""Fetch-and-check helpers for outreach: each returns what the user may see or 404s.

An id in a URL never grants access by itself: another company's candidacy, outreach
or template or thread, and another engineer's opportunity or thread, answer 404
whoever asks.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import Membership, User
from hiring.models import Message, MessageTemplate, Outreach, Thread
from screening.models import Candidacy
from screening.selectors.engineer import Ask, engineer_asks


def _is_employer(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_employer)


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
    if _is_employer(user) and str(pk).isascii() and str(pk).isdigit():
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
        .select_related("company", "brief", "thread", "profile")
        .order_by("-sent_at", "-pk")
    )


def with_asks(rows: list[Outreach], now: datetime) -> list[Outreach]:
    """Gives each outreach ``asks``: what its company asks of the engineer now
    (screening's assessments and interviews). A candidacy reached out to more than
    once shows them on its newest outreach only. Two queries, none without rows."""
    if not rows:
        return rows
    asks = engineer_asks(rows[0].profile, now)
    shown: set[int] = set()
    for outreach in rows:
        first = outreach.candidacy_id not in shown
        outreach.asks = asks.get(outreach.candidacy_id, []) if first else []  # type: ignore[attr-defined]
        shown.add(outreach.candidacy_id)
    return rows


def opportunity_asks(outreach: Outreach, now: datetime) -> list[Ask]:
    """What the outreach's company asks of the engineer now, for its candidacy."""
    found = engineer_asks(outreach.profile, now, candidacy_id=outreach.candidacy_id)
    return found.get(outreach.candidacy_id, [])


def candidacy_outreach(candidacy: Candidacy) -> Any:
    """The outreach of one candidacy, newest first, for the candidacy page's panel."""
    return (
        Outreach.objects.filter(candidacy=candidacy)
        .select_related("sender", "thread")
        .order_by("-sent_at", "-pk")
    )


# Threads ------------------------------------------------------------------------------


def get_thread_for_user(user: User, pk: int) -> tuple[Thread, str]:
    """The thread ``pk`` and the side ``user`` is on ("company" for any member of its
    company, "engineer" for its engineer); 404 for everyone else, staff included."""
    thread = (
        Thread.objects.select_related("company", "profile__user")
        .filter(pk=pk)
        .filter(Q(profile__user=user) | Q(company__memberships__user=user))
        .first()
    )
    if thread is None:
        raise Http404("No such conversation.")
    side = Message.Side.ENGINEER if thread.profile.user_id == user.pk else Message.Side.COMPANY
    return thread, side


def get_thread_message(thread: Thread, pk: int, *, side: str) -> Message:
    """A message of this thread written by ``side``; 404 for any other id (another
    thread's message, a system line, one's own message)."""
    message = Message.objects.filter(thread=thread, pk=pk, side=side).first()
    if message is None:
        raise Http404("No such message in this conversation.")
    return message


def _with_last_message(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Threads with their newest line (its time, side and text), newest activity first."""
    newest = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk")
    return threads.annotate(
        last_message_at=Subquery(newest.values("created_at")[:1]),
        last_message_side=Subquery(newest.values("side")[:1]),
        last_message_body=Subquery(newest.values("body")[:1]),
    ).order_by(F("last_message_at").desc(nulls_last=True), "-pk")


def threads_for_side(user: User, side: str) -> list[Thread]:
    """The inbox: a company's threads for any teammate, or an engineer's own threads."""
    if side == Message.Side.ENGINEER:
        threads = Thread.objects.filter(profile__user=user)
    else:
        threads = Thread.objects.filter(company__memberships__user=user)
    threads = threads.select_related("company", "profile__user")
    return list(_with_last_message(threads))


def thread_outreach(thread: Thread) -> list[Outreach]:
    """The outreach talked about in a thread, newest first (the engineer's side box)."""
    return list(Outreach.objects.filter(thread=thread).select_related("brief"))


def thread_messages(thread: Thread) -> list[Message]:
    """Every line of the thread, oldest first, with its author."""
    return list(Message.objects.filter(thread=thread).select_related("author"))


def company_unread_threads(user: Any) -> int:
    """Threads of the user's company with an engineer's message nobody there has read
    (the header's badge beside "Messages").

    On every page an employer opens, so written as SQL once: the queryset cost about
    0.9 ms to build and compile, the query 0.1 ms to run."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_threads_sql(), [user.pk])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@cache
def _unread_threads_sql() -> str:
    quote = connection.ops.quote_name
    return f"""
        SELECT count(*) FROM {quote(Thread._meta.db_table)} AS t
        JOIN {quote(Membership._meta.db_table)} AS m ON m.company_id = t.company_id
        WHERE m.user_id = %s AND t.engineer_last_at IS NOT NULL
          AND (t.company_read_at IS NULL OR t.engineer_last_at > t.company_read_at)
    """  # noqa: S608 - table names from the models; the user's id is a parameter
