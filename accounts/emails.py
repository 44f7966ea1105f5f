"""The one path every email takes: render, write an outbox row, send from a worker.

``email_send`` renders a template trio (``<template>_subject.txt``,
``<template>_message.txt`` and optionally ``<template>_message.html``) and
calls ``email_enqueue``. The row is written in the caller's transaction and
the delivery task is queued only when that transaction commits, so a rolled
back request sends nothing. ``email_deliver`` claims the row with a
conditional update before talking to SMTP: a task delivered twice sends once.

A claim is a lease of ``settings.OUTBOX_LEASE_SECONDS``. A worker killed
mid-send leaves its row in ``sending``; once the lease has run out the row is
stuck, and the next delivery task (a redelivered one, or one queued by
``outbox_sweep``) claims it again. Every try carries the row's own
``Message-ID``, so a receiver can drop a copy SMTP had already accepted.

This module never imports ``accounts.tasks`` (which imports this one): it
queues the delivery task by its registered name.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboundEmail

log = logging.getLogger(__name__)

#: The Celery task that delivers one row (defined in accounts.tasks under this name).
DELIVER_TASK = "accounts.tasks.deliver_email"
#: Claims per email before it is marked failed: the first try and five retries.
MAX_ATTEMPTS = 6


class DeliveryDeferred(Exception):
    """Sending failed in a way worth retrying later."""


def absolute(path: str) -> str:
    """A link that works from an email: the site's own address in front of ``path``."""
    return settings.SITE_URL + path


def _queue_delivery(email_id: int, *, after_commit: bool) -> None:
    task = current_app.tasks[DELIVER_TASK]
    if after_commit:
        task.delay_on_commit(email_id)
    else:
        task.delay(email_id)


def _new_message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return make_msgid(domain=domain or "karigar.localhost")


def _stuck(now: datetime) -> Q:
    """Rows claimed by a sender whose lease has run out (it died or hung mid-send)."""
    cutoff = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff)


def render_email(
    template: str, context: dict[str, Any], request: HttpRequest | None = None
) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, request).split())
    text = render_to_string(f"{template}_message.txt", context, request).strip()
    try:
        html = render_to_string(f"{template}_message.html", context, request).strip()
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, e.g. an interview's ``invite.ics``."""

    filename: str
    content: str
    content_type: str = "text/plain"

    def as_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content": self.content,
            "content_type": self.content_type,
        }


def email_enqueue(
    *,
    to: str,
    template: str,
    subject: str,
    text: str,
    html: str = "",
    key: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail:
    """Record an email and queue its delivery after the current transaction commits.

    The same ``key`` never makes a second email: the existing row is returned.
    """
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key or f"{template}:{uuid.uuid4()}",
            defaults={
                "to": to,
                "template": template,
                "subject": subject[:255],
                "body_text": text,
                "body_html": html,
                "attachments": [a.as_json() for a in attachments],
                "message_id": _new_message_id(),
            },
        )
        if created:
            _queue_delivery(email.pk, after_commit=True)
    return email


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    request: HttpRequest | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail:
    subject, text, html = render_email(template, context, request)
    return email_enqueue(
        to=to,
        template=template,
        subject=subject,
        text=text,
        html=html,
        key=key,
        attachments=attachments,
    )


def email_deliver(*, email_id: int, final_attempt: bool = False) -> bool:
    """Send one queued (or stuck) email. Returns True if this call sent it.

    Raises DeliveryDeferred when the SMTP server could not take it and another
    attempt is due; after the final attempt the row is marked failed.
    """
    now = timezone.now()
    # The claim: at most one sender holds a row, until its lease runs out.
    claimable = Q(status=OutboundEmail.Status.QUEUED) | _stuck(now)
    claimed = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return False  # already sent, being sent under a live lease, failed, or gone
    email = OutboundEmail.objects.get(pk=email_id)
    mine = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at=now
    )
    if not email.message_id:  # rows written before Message-IDs were stored: chosen once
        OutboundEmail.objects.filter(pk=email_id, message_id="").update(
            message_id=_new_message_id()
        )
        email.refresh_from_db(fields=["message_id"])
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id, "X-Karigar-Email": email.key[:200]},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    final = final_attempt or email.attempts >= MAX_ATTEMPTS
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        status = OutboundEmail.Status.FAILED if final else OutboundEmail.Status.QUEUED
        # Only while this call still holds the claim: a sender that outlived its lease
        # must not undo what the sender after it did.
        still_mine = mine.update(status=status, last_error=repr(exc)[:2000])
        log.warning(
            "email %s to %s failed (attempt %s): %r", email.pk, email.to, email.attempts, exc
        )
        if final or not still_mine:
            return False
        raise DeliveryDeferred(str(exc)) from exc
    # SMTP took it, so the row is sent whoever holds the claim now.
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def email_requeue(*, email_id: int) -> bool:
    """Queue a failed or stuck email again (a staff action in the admin)."""
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.FAILED) | _stuck(timezone.now()), pk=email_id
        ).update(status=OutboundEmail.Status.QUEUED, attempts=0, last_error="")
        if updated:
            _queue_delivery(email_id, after_commit=True)
    return bool(updated)


def outbox_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again emails whose delivery task was lost or whose sender died mid-send.

    Lost: still queued and never tried (say Redis was down at commit). Stuck: a
    sender claimed it and its lease ran out; the new task claims it again. An
    email whose sender died on every one of its attempts is marked failed.
    Returns how many delivery tasks were queued.
    """
    now = timezone.now()
    given_up = OutboundEmail.objects.filter(_stuck(now), attempts__gte=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.FAILED,
        last_error="The worker stopped while sending it, on every attempt.",
    )
    if given_up:
        log.warning("outbox: gave up on %s email(s) stuck in sending", given_up)
    lost = Q(status=OutboundEmail.Status.QUEUED, attempts=0, created_at__lt=now - older_than)
    ids = list(OutboundEmail.objects.filter(lost | _stuck(now)).values_list("pk", flat=True)[:500])
    for email_id in ids:
        _queue_delivery(email_id, after_commit=False)
    return len(ids)
