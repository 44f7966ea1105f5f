"""The one path every email takes: render, write an outbox row, send from a worker.

``email_send`` renders a template trio (``<template>_subject.txt``,
``<template>_message.txt`` and optionally ``<template>_message.html``) and
calls ``email_enqueue``. The row is written in the caller's transaction and
the delivery task is queued only when that transaction commits, so a rolled
back request sends nothing. ``email_deliver`` claims the row with a
conditional update before talking to SMTP: a task delivered twice sends once.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboundEmail

log = logging.getLogger(__name__)


class DeliveryDeferred(Exception):
    """Sending failed in a way worth retrying later."""


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


def email_enqueue(
    *, to: str, template: str, subject: str, text: str, html: str = "", key: str | None = None
) -> OutboundEmail:
    """Record an email and queue its delivery after the current transaction commits.

    The same ``key`` never makes a second email: the existing row is returned.
    """
    from accounts.tasks import deliver_email

    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key or f"{template}:{uuid.uuid4()}",
            defaults={
                "to": to,
                "template": template,
                "subject": subject[:255],
                "body_text": text,
                "body_html": html,
            },
        )
        if created:
            deliver_email.delay_on_commit(email.pk)
    return email


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    request: HttpRequest | None = None,
) -> OutboundEmail:
    subject, text, html = render_email(template, context, request)
    return email_enqueue(to=to, template=template, subject=subject, text=text, html=html, key=key)


def email_deliver(*, email_id: int, final_attempt: bool = False) -> bool:
    """Send one queued email. Returns True if this call sent it.

    Raises DeliveryDeferred when the SMTP server could not take it and another
    attempt is due; after the final attempt the row is marked failed.
    """
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return False  # already sent, being sent, or gone
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"X-Karigar-Email": email.key[:200]},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        status = OutboundEmail.Status.FAILED if final_attempt else OutboundEmail.Status.QUEUED
        OutboundEmail.objects.filter(pk=email_id).update(status=status, last_error=repr(exc)[:2000])
        log.warning(
            "email %s to %s failed (attempt %s): %r", email.pk, email.to, email.attempts, exc
        )
        if final_attempt:
            return False
        raise DeliveryDeferred(str(exc)) from exc
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def email_requeue(*, email_id: int) -> bool:
    """Put a failed email back in the queue (a staff action in the admin)."""
    from accounts.tasks import deliver_email

    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            pk=email_id, status=OutboundEmail.Status.FAILED
        ).update(status=OutboundEmail.Status.QUEUED, attempts=0, last_error="")
        if updated:
            deliver_email.delay_on_commit(email_id)
    return bool(updated)


def outbox_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again emails whose first delivery task never ran (say Redis was down at commit)."""
    from accounts.tasks import deliver_email

    stale = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.QUEUED,
        attempts=0,
        created_at__lt=timezone.now() - older_than,
    ).values_list("pk", flat=True)[:500]
    ids = list(stale)
    for email_id in ids:
        deliver_email.delay(email_id)
    return len(ids)
