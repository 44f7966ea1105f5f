"""Every write to outreach, threads, consent logs and reports.

Answers to an outreach are claimed with ``filter(pk=…, status=SENT).update(...)``:
whoever changes the row first (the engineer, the sender, the expiry sweep) wins,
the others get ``Conflict``. Scheduled work (follow-ups, expiry, digests) claims
the same way, and every email carries an idempotency key, so a sweep that runs
twice sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.limits import Limit, limits_consume
from accounts.models import Company, User
from accounts.money import format_money
from accounts.selectors import team_recipients
from candidates.models import CompanyBlock, ContactConsent, Profile, not_blocking
from candidates.services import company_block
from hiring.models import (
    ConsentGrant,
    DeclineReason,
    Message,
    MessageTemplate,
    Outreach,
    OutreachHold,
    Report,
    Thread,
)
from screening.models import Candidacy, Stage
from screening.services import candidacy_move
from searches.models import Brief

log = logging.getLogger(__name__)

DIGEST_TASK = "hiring.tasks.send_thread_digest"
#: The same text from the same person within this many seconds is one message sent twice.
DOUBLE_SUBMIT_SECONDS = 10
#: Earlier than any message: stands in for "never read" or "never emailed".
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


# Threads -----------------------------------------------------------------------


def thread_for(*, company: Company, profile: Profile) -> Thread:
    """The one thread of this company and engineer, made on first use."""
    thread, _ = Thread.objects.get_or_create(company=company, profile=profile)
    return thread


def _event(
    thread: Thread, text: str, *, outreach: Outreach | None, engineer_sees_new: bool
) -> Message:
    """A system line in the thread. ``engineer_sees_new`` marks it unread for the engineer
    (events they should notice); an event the engineer caused does not."""
    now = timezone.now()
    line = Message.objects.create(
        thread=thread, side=Message.Side.SYSTEM, body=text, outreach=outreach, created_at=now
    )
    if engineer_sees_new:
        Thread.objects.filter(pk=thread.pk).update(company_last_at=now)
    return line


def message_check(body: str) -> str:
    """The message as it will be stored, or Refused: not empty, at most 5,000 characters."""
    text = (body or "").strip()
    if not text:
        raise Refused("Write a message first: it was empty.")
    if len(text) > Message.MAX_LENGTH:
        raise Refused(
            f"Messages can be at most {Message.MAX_LENGTH:,} characters; this one has "
            f"{len(text):,}. Shorten it or send it in two parts."
        )
    return text


@transaction.atomic
def message_post(
    *, thread: Thread, author: User, side: str, body: str, now: datetime | None = None
) -> Message:
    """A message from one side; the other side gets a digest email (at most one per
    ``THREAD_DIGEST_MINUTES``) of what they have not read. The same text sent twice
    within ``DOUBLE_SUBMIT_SECONDS`` is stored once."""
    text = message_check(body)
    if side not in (Message.Side.COMPANY, Message.Side.ENGINEER):
        raise ValueError(f"Unknown side {side!r}")
    if side == Message.Side.COMPANY and not (
        Profile.objects.filter(pk=thread.profile_id).filter(not_blocking(thread.company)).exists()
    ):
        raise NotAllowed(
            "This engineer has asked not to hear from your company again, so the "
            "conversation is closed. Nothing was sent."
        )
    now = now or timezone.now()
    if side == Message.Side.ENGINEER:
        # Writing in the thread answers a waiting outreach as a reply does: no more
        # reminders. (Outreach rows before the thread row, the order answers lock them in.)
        Outreach.objects.filter(
            thread=thread, status=Outreach.Status.SENT, replied_at__isnull=True
        ).update(replied_at=now)
    # A double submit (two clicks, a resent form, a second tab) carries the same text
    # a moment later: the thread's row lock orders the two posts, and the second one
    # gets the first one's message instead of a copy.
    Thread.objects.select_for_update().filter(pk=thread.pk).first()
    repeat = (
        Message.objects.filter(
            thread=thread,
            author=author,
            side=side,
            body=text,
            created_at__gte=now - timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
        )
        .order_by("-created_at")
        .first()
    )
    if repeat is not None:
        return repeat
    message = Message.objects.create(
        thread=thread, side=side, author=author, body=text, created_at=now
    )
    if side == Message.Side.COMPANY:
        Thread.objects.filter(pk=thread.pk).update(company_last_at=now, company_read_at=now)
        reader = Message.Side.ENGINEER
    else:
        Thread.objects.filter(pk=thread.pk).update(engineer_last_at=now, engineer_read_at=now)
        reader = Message.Side.COMPANY
    current_app.tasks[DIGEST_TASK].delay_on_commit(thread.pk, reader)
    return message


def thread_mark_read(*, thread: Thread, side: str) -> None:
    field = "company_read_at" if side == Message.Side.COMPANY else "engineer_read_at"
    Thread.objects.filter(pk=thread.pk).update(**{field: timezone.now()})


def _digest_recipients(thread: Thread, reader: str) -> list[str]:
    if reader == Message.Side.ENGINEER:
        return [thread.profile.user.email]
    latest = Outreach.objects.filter(thread=thread).select_related("sender").first()
    return team_recipients(thread.company, latest.sender if latest else None)


def digest_send(*, thread_id: int, reader: str, now: datetime | None = None) -> bool:
    """Email ``reader`` ("engineer" or "company") every message of the other side they
    have not read, unless they were emailed less than ``THREAD_DIGEST_MINUTES`` ago or
    there is nothing new since. Claimed with a conditional update: runs twice, sends once."""
    now = now or timezone.now()
    window = timedelta(minutes=settings.THREAD_DIGEST_MINUTES)
    writer = Message.Side.COMPANY if reader == Message.Side.ENGINEER else Message.Side.ENGINEER
    notified, read = f"{reader}_notified_at", f"{reader}_read_at"
    thread = Thread.objects.select_related("company", "profile__user").filter(pk=thread_id).first()
    if thread is None:
        return False
    last_notified = getattr(thread, notified)
    if last_notified is not None and last_notified > now - window:
        return False  # the sweep sends the rest when the window ends
    seen = getattr(thread, read)
    unread = list(
        Message.objects.filter(thread=thread, side=writer)
        .filter(created_at__gt=seen or EPOCH)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    new_since_email = [m for m in unread if last_notified is None or m.created_at > last_notified]
    if not new_since_email:
        return False
    claimed = Thread.objects.filter(pk=thread.pk, **{notified: last_notified}).update(
        **{notified: now}
    )
    if not claimed:
        return False
    context = {
        "thread": thread,
        "messages": unread,
        "reader": reader,
        "company": thread.company,
        "engineer": thread.profile.user,
        "url": absolute(reverse("hiring:thread", args=[thread.pk])),
        # Times in the reader's own zone, as the thread page shows them.
        "zone": (
            thread.profile.time_zone
            if reader == Message.Side.ENGINEER
            else thread.company.time_zone
        ),
    }
    for to in _digest_recipients(thread, reader):
        email_send(
            to=to,
            template="email/thread_digest",
            context=context,
            key=f"thread-digest:{thread.pk}:{reader}:{unread[-1].pk}:{to}",
        )
    return True


def digest_sweep(now: datetime | None = None) -> int:
    """Send the digests whose 15-minute window has ended (beat, every minute)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.THREAD_DIGEST_MINUTES)
    due = []
    for reader, writer_last in (("engineer", "company_last_at"), ("company", "engineer_last_at")):
        notified, read = f"{reader}_notified_at", f"{reader}_read_at"
        ids = (
            Thread.objects.annotate(
                _seen=Coalesce(read, Value(EPOCH)), _told=Coalesce(notified, Value(EPOCH))
            )
            .filter(**{f"{writer_last}__gt": F("_seen")})
            .filter(**{f"{writer_last}__gt": F("_told")})
            .filter(Q(**{f"{notified}__isnull": True}) | Q(**{f"{notified}__lte": cutoff}))
            .values_list("pk", flat=True)
        )
        due += [(pk, reader) for pk in ids]
    sent = 0
    for pk, reader in due:
        sent += digest_send(thread_id=pk, reader=reader, now=now)
    return sent


# Outreach ------------------------------------------------------------------------


def template_render(body: str, *, profile: Profile, brief: Brief) -> str:
    """A message template with its placeholders filled in for this engineer and brief."""
    values = {
        "first_name": profile.user.short_name,
        "brief_title": brief.title,
        "company_name": brief.company.name,
    }
    for name, value in values.items():
        body = body.replace("{" + name + "}", value)
    return body


def terms_initial(brief: Brief) -> dict[str, Any]:
    """An outreach's terms prefilled from its brief (the employer edits them)."""
    today = timezone.localdate()
    if brief.max_hourly_usd or brief.min_hourly_usd:
        amount, unit = brief.max_hourly_usd or brief.min_hourly_usd, "USD/hour"
    elif brief.max_monthly_pkr or brief.min_monthly_pkr:
        amount, unit = brief.max_monthly_pkr or brief.min_monthly_pkr, "PKR/month"
    else:
        amount, unit = None, "USD/hour"
    return {
        "summary": brief.description[:3000],
        "engagement": brief.engagement or Outreach.Engagement.CONTRACT,
        "rate_amount": amount,
        "rate_unit": unit,
        "hours_per_week": brief.hours_per_week or 40,
        "overlap_hours": brief.min_overlap_hours or 0,
        "start_date": brief.start_date
        if brief.start_date and brief.start_date > today
        else today + timedelta(days=14),
        "interviews": 2,
        "decide_by": today + timedelta(days=Outreach.DEFAULT_DECIDE_DAYS),
    }


def outreach_refusal(candidacy: Candidacy) -> Refused | None:
    """Why this candidacy cannot get an outreach now (a Conflict when one is already
    waiting: a double submit), or None when it can."""
    company = candidacy.company
    if OutreachHold.objects.filter(company=company).exists():
        return Refused(
            "Karigar has paused outreach from your company while staff look into reports. "
            "Write to support to talk about it."
        )
    if candidacy.brief.status != Brief.Status.OPEN:
        return Refused("This brief is not open. Reopen it before reaching out about it.")
    if Outreach.objects.filter(candidacy=candidacy, status=Outreach.Status.DECLINED).exists():
        return Refused(
            "This engineer declined an outreach for this brief, so they cannot be contacted "
            "about it again."
        )
    if Outreach.objects.filter(candidacy=candidacy, status=Outreach.Status.SENT).exists():
        return Conflict("An outreach for this brief is already waiting for this engineer's answer.")
    if candidacy.stage != Stage.SOURCED:
        return Conflict(
            f"Outreach is sent to engineers in Sourced; this one is in "
            f"{candidacy.get_stage_display()}."
        )
    if not Profile.objects.visible_to(company).filter(pk=candidacy.profile_id).exists():
        return Refused(
            "This engineer cannot be contacted: their profile is not listed for your company "
            "right now (paused, under review, or hidden from you)."
        )
    return None


@transaction.atomic
def outreach_send(
    *, candidacy: Candidacy, sender: User, terms: dict[str, Any], message: str = ""
) -> Outreach:
    """Send the terms to a Sourced engineer: the card moves to Contacted, the thread
    gets the event and the engineer an email. Refused (with the reason) when the
    engineer cannot be contacted, LimitExceeded past the company's daily limit."""
    locked = (
        Candidacy.objects.select_for_update().select_related("brief__company").get(pk=candidacy.pk)
    )
    refusal = outreach_refusal(locked)
    if refusal is not None:
        raise refusal
    text = (message or "").strip()
    if len(text) > Message.MAX_LENGTH:
        raise Refused(f"The personal message can be at most {Message.MAX_LENGTH:,} characters.")
    profile = Profile.objects.select_related("user").get(pk=locked.profile_id)
    thread = thread_for(company=locked.company, profile=profile)
    outreach = Outreach(
        candidacy=locked,
        company=locked.company,
        brief=locked.brief,
        profile=profile,
        thread=thread,
        sender=sender,
        message=text,
        **terms,
    )
    try:  # terms a form let through but the model refuses: a 400, and no outreach counted
        outreach.full_clean(
            exclude=["candidacy", "company", "brief", "profile", "thread", "sender"]
        )
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages) + " Nothing was sent.") from None
    limits_consume(
        Limit(
            ("outreach", locked.company_id),
            count=settings.OUTREACH_DAILY_LIMIT,
            seconds=86400,
            reason=(
                f"Your company has sent {settings.OUTREACH_DAILY_LIMIT} outreach today, "
                "the daily limit."
            ),
        )
    )
    try:
        with transaction.atomic():
            outreach.save()
    except IntegrityError:
        raise Conflict("An outreach for this brief is already waiting for this engineer.") from None
    candidacy_move(
        candidacy=locked, to=Stage.CONTACTED, by=sender, expected=Stage.SOURCED, via_outreach=True
    )
    candidacy.stage = locked.stage
    _event(
        thread,
        f"{locked.company.name} invited you to talk about “{locked.brief.title}”.",
        outreach=outreach,
        engineer_sees_new=True,
    )
    email_send(
        to=profile.user.email,
        template="email/outreach",
        context=_email_context(outreach),
        key=f"outreach:{outreach.pk}",
    )
    return outreach


def _email_context(outreach: Outreach, **extra: Any) -> dict[str, Any]:
    return {
        "outreach": outreach,
        "company": outreach.company,
        "brief": outreach.brief,
        "engineer": outreach.profile.user,
        "sender": outreach.sender,
        "opportunity_url": absolute(reverse("hiring:opportunity", args=[outreach.pk])),
        "pipeline_url": absolute(reverse("screening:board", args=[outreach.brief_id])),
        "thread_url": absolute(reverse("hiring:thread", args=[outreach.thread_id])),
        **extra,
    }


def _lock_card(outreach: Outreach) -> None:
    """Lock the outreach's card before its outreach row: the order a pipeline move takes
    (candidacy_move, then on_stage_changed withdraws the outreach), so an answer racing
    a Not a fit waits for it instead of deadlocking with it."""
    Candidacy.objects.select_for_update().filter(pk=outreach.candidacy_id).first()


def _claim(outreach: Outreach, **changes: Any) -> None:
    """Change a waiting outreach, or raise Conflict saying what happened to it first.
    Past the end of its decide-by day it has expired, even before the sweep says so."""
    if outreach.status == Outreach.Status.SENT and timezone.now() >= outreach.expires_at():
        raise Conflict(
            "This outreach expired on its decide-by date; it can no longer be answered. "
            "Nothing was changed."
        )
    _lock_card(outreach)
    if Outreach.objects.filter(pk=outreach.pk, status=Outreach.Status.SENT).update(**changes):
        for name, value in changes.items():
            setattr(outreach, name, value)
        return
    outreach.refresh_from_db()
    raise Conflict(
        {
            Outreach.Status.ACCEPTED: "You have already accepted this outreach.",
            Outreach.Status.DECLINED: "You have already declined this outreach.",
            Outreach.Status.WITHDRAWN: (
                "The company withdrew this outreach; it can no longer be answered."
            ),
            Outreach.Status.EXPIRED: (
                "This outreach expired on its decide-by date; it can no longer be answered."
            ),
        }.get(Outreach.Status(outreach.status), "This outreach has already been answered.")
        + " Nothing was changed."
    )


def _move_if(candidacy: Candidacy, frm: str, to: str, by: User | None) -> None:
    if Candidacy.objects.filter(pk=candidacy.pk, stage=frm).exists():
        candidacy_move(candidacy=candidacy, to=to, by=by, expected=frm, via_outreach=True)


def _sender_emails(outreach: Outreach) -> list[str]:
    return team_recipients(outreach.company, outreach.sender)


@transaction.atomic
def outreach_accept(*, outreach: Outreach, user: User, note: str = "") -> Outreach:
    """The engineer says yes: the card moves to Interested and this company (only this
    one) may now see their email, phone and resume."""
    _check_engineer(outreach, user)
    text = (note or "").strip()
    if len(text) > Message.MAX_LENGTH:
        raise Refused(f"The note can be at most {Message.MAX_LENGTH:,} characters.")
    now = timezone.now()
    _claim(outreach, status=Outreach.Status.ACCEPTED, answered_at=now, answer_note=text)
    _move_if(outreach.candidacy, Stage.CONTACTED, Stage.INTERESTED, user)
    consent_grant(outreach=outreach)
    _event(
        outreach.thread,
        f"{user.display_name} accepted the outreach for “{outreach.brief.title}” and shared "
        f"their contact details with {outreach.company.name}.",
        outreach=outreach,
        engineer_sees_new=False,
    )
    if text:
        message_post(thread=outreach.thread, author=user, side=Message.Side.ENGINEER, body=text)
    for to in _sender_emails(outreach):
        email_send(
            to=to,
            template="email/outreach_accepted",
            context=_email_context(outreach),
            key=f"outreach-accepted:{outreach.pk}:{to}",
        )
    return outreach


@transaction.atomic
def outreach_decline(
    *, outreach: Outreach, user: User, reason: str, note: str = "", block: bool = False
) -> Outreach:
    """The engineer says no, with a reason; optionally they hide their profile from
    this company from now on (a block by company name)."""
    _check_engineer(outreach, user)
    if reason not in DeclineReason.values:
        raise Refused("Choose a reason for declining.")
    text = (note or "").strip()
    if len(text) > 2000:
        raise Refused("The note can be at most 2,000 characters.")
    now = timezone.now()
    _claim(
        outreach,
        status=Outreach.Status.DECLINED,
        answered_at=now,
        decline_reason=reason,
        answer_note=text,
    )
    _move_if(outreach.candidacy, Stage.CONTACTED, Stage.DECLINED, user)
    _event(
        outreach.thread,
        f"{user.display_name} declined the outreach for “{outreach.brief.title}”.",
        outreach=outreach,
        engineer_sees_new=False,
    )
    if block:
        company_block(
            profile=outreach.profile, kind=CompanyBlock.Kind.NAME, value=outreach.company.name
        )
    for to in _sender_emails(outreach):
        email_send(
            to=to,
            template="email/outreach_declined",
            context=_email_context(outreach, reason=DeclineReason(reason).label),
            key=f"outreach-declined:{outreach.pk}:{to}",
        )
    return outreach


@transaction.atomic
def outreach_reply(
    *,
    outreach: Outreach,
    user: User,
    body: str,
    counter_amount: Decimal | None = None,
    counter_unit: str = "",
) -> Message:
    """The engineer answers with a question or a counter-proposal without deciding:
    reminders stop; the outreach stays open until its decide-by date."""
    _check_engineer(outreach, user)
    text = message_check(body) if body.strip() or counter_amount is None else ""
    changes: dict[str, Any] = {"replied_at": timezone.now()}
    if counter_amount is not None:
        changes.update(counter_amount=counter_amount, counter_unit=counter_unit)
        proposal = f"Counter-proposal: {format_money(counter_amount, counter_unit)}."
        text = f"{proposal}\n\n{text}".strip() if text else proposal
    _claim(outreach, **changes)
    return message_post(thread=outreach.thread, author=user, side=Message.Side.ENGINEER, body=text)


@transaction.atomic
def outreach_withdraw(*, outreach: Outreach, user: User) -> Outreach:
    """The sender's company takes back an outreach nobody has answered yet: the card
    goes back to Sourced and the engineer is told."""
    if outreach.status != Outreach.Status.SENT:
        raise Conflict("This outreach has been answered or has ended; it cannot be withdrawn.")
    _claim(outreach, status=Outreach.Status.WITHDRAWN, answered_at=timezone.now())
    _move_if(outreach.candidacy, Stage.CONTACTED, Stage.SOURCED, user)
    _tell_withdrawn(outreach)
    return outreach


def _tell_withdrawn(outreach: Outreach) -> None:
    """The engineer hears that an outreach they had not answered was taken back."""
    _event(
        outreach.thread,
        f"{outreach.company.name} withdrew its outreach for “{outreach.brief.title}”.",
        outreach=outreach,
        engineer_sees_new=True,
    )
    email_send(
        to=outreach.profile.user.email,
        template="email/outreach_withdrawn",
        context=_email_context(outreach),
        key=f"outreach-withdrawn:{outreach.pk}",
    )


@transaction.atomic
def engineer_step_back(*, outreach: Outreach, user: User, note: str = "") -> Outreach:
    """After accepting, the engineer leaves the process: the card closes as Withdrawn."""
    _check_engineer(outreach, user)
    _lock_card(outreach)
    updated = Outreach.objects.filter(
        pk=outreach.pk, status=Outreach.Status.ACCEPTED, engineer_withdrew_at__isnull=True
    ).update(engineer_withdrew_at=timezone.now())
    if not updated:
        raise Conflict("You can step back only from an opportunity you accepted and are still in.")
    outreach.refresh_from_db()
    candidacy = Candidacy.objects.get(pk=outreach.candidacy_id)
    if not candidacy.is_closed:
        candidacy_move(
            candidacy=candidacy, to=Stage.WITHDRAWN, by=user, note=note, via_outreach=True
        )
    _event(
        outreach.thread,
        f"{user.display_name} stepped back from “{outreach.brief.title}”.",
        outreach=outreach,
        engineer_sees_new=False,
    )
    if note.strip():
        message_post(thread=outreach.thread, author=user, side=Message.Side.ENGINEER, body=note)
    return outreach


def _check_engineer(outreach: Outreach, user: User) -> None:
    if outreach.profile.user_id != user.pk:
        raise NotAllowed("Only the engineer this outreach was sent to can answer it.")


def outreach_mark_seen(*, outreach: Outreach) -> None:
    if outreach.seen_at is None:
        Outreach.objects.filter(pk=outreach.pk, seen_at__isnull=True).update(seen_at=timezone.now())


# Scheduled: reminders and expiry --------------------------------------------------


def outreach_expire(*, outreach: Outreach, now: datetime | None = None) -> bool:
    """Close a waiting outreach whose decide-by day has ended in the engineer's time
    zone: the card moves to No answer and the sender is told. Safe to run twice."""
    now = now or timezone.now()
    if now < outreach.expires_at():
        return False
    with transaction.atomic():
        _lock_card(outreach)
        if not Outreach.objects.filter(pk=outreach.pk, status=Outreach.Status.SENT).update(
            status=Outreach.Status.EXPIRED, answered_at=now
        ):
            return False
        outreach.status = Outreach.Status.EXPIRED
        _move_if(outreach.candidacy, Stage.CONTACTED, Stage.NO_ANSWER, None)
        _event(
            outreach.thread,
            f"The outreach for “{outreach.brief.title}” expired without an answer.",
            outreach=outreach,
            engineer_sees_new=False,
        )
        for to in _sender_emails(outreach):
            email_send(
                to=to,
                template="email/outreach_expired",
                context=_email_context(outreach),
                key=f"outreach-expired:{outreach.pk}:{to}",
            )
    return True


def follow_up_send(*, outreach: Outreach, now: datetime | None = None) -> bool:
    """Send the next reminder if it is due (10:00 the engineer's time, 3 and 7 days
    after sending, never past the decide-by date, never after any answer). Claimed
    by a conditional update on the count sent: runs twice, sends once."""
    now = now or timezone.now()
    due = outreach.follow_up_due_at()
    if due is None or now < due or now >= outreach.expires_at():
        return False
    number = outreach.follow_ups_sent + 1
    # A sweep that was down past the next reminder's day too sends only that one, so
    # nobody gets two reminders minutes apart.
    while (later := outreach.follow_up_due_at(number)) is not None and later <= now:
        number += 1
    with transaction.atomic():
        claimed = Outreach.objects.filter(
            pk=outreach.pk,
            status=Outreach.Status.SENT,
            replied_at__isnull=True,
            follow_ups_sent=outreach.follow_ups_sent,
        ).update(follow_ups_sent=number, last_follow_up_at=now)
        if not claimed:
            return False
        email_send(
            to=outreach.profile.user.email,
            template="email/outreach_follow_up",
            context=_email_context(
                outreach, number=number, last=number == len(Outreach.FOLLOW_UP_DAYS)
            ),
            key=f"outreach-follow-up:{outreach.pk}:{number}",
        )
    return True


def outreach_sweep(now: datetime | None = None) -> dict[str, int]:
    """Expire what is past its decide-by date, then send the reminders that are due."""
    now = now or timezone.now()
    done = {"expired": 0, "follow_ups": 0}
    # Every waiting outreach is looked at: there are at most a few weeks' worth per
    # company (OUTREACH_DAILY_LIMIT a day), and each one's due times depend on the
    # engineer's zone on that date, which SQL here would only approximate.
    waiting = (
        Outreach.objects.waiting()
        .select_related("profile__user", "company", "brief", "sender", "thread")
        .order_by("sent_at")
    )
    for outreach in waiting.iterator(chunk_size=500):
        if outreach_expire(outreach=outreach, now=now):
            done["expired"] += 1
        elif follow_up_send(outreach=outreach, now=now):
            done["follow_ups"] += 1
    return done


# Consent ---------------------------------------------------------------------------


def consent_grant(*, outreach: Outreach) -> None:
    ContactConsent.objects.get_or_create(profile=outreach.profile, company=outreach.company)
    ConsentGrant.objects.create(
        profile=outreach.profile, company=outreach.company, outreach=outreach
    )


def consent_withdrawn(*, profile: Profile, company_id: int) -> None:
    """Receiver side of candidates' consent withdrawal: the log says when."""
    ConsentGrant.objects.filter(
        profile=profile, company_id=company_id, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


# Stage changes the engineer should hear about --------------------------------------


def on_stage_changed(*, candidacy: Candidacy, move: Any) -> None:
    """Not a fit: an outreach still waiting is withdrawn; when the team chose to tell
    the engineer, they get a kind note and see "Not moving forward"."""
    if move.to_stage != Stage.NOT_A_FIT:
        return
    outreach = (
        Outreach.objects.filter(candidacy=candidacy)
        .select_related("profile__user", "company", "brief", "thread", "sender")
        .first()
    )
    if outreach is None:
        return
    if outreach.status == Outreach.Status.SENT:
        Outreach.objects.filter(pk=outreach.pk, status=Outreach.Status.SENT).update(
            status=Outreach.Status.WITHDRAWN, answered_at=move.at
        )
        outreach.status = Outreach.Status.WITHDRAWN
        if not move.told_engineer:
            _tell_withdrawn(outreach)
    if not move.told_engineer or outreach.status not in (
        Outreach.Status.ACCEPTED,
        Outreach.Status.WITHDRAWN,
    ):
        return
    Outreach.objects.filter(pk=outreach.pk).update(not_moving_forward_at=move.at)
    _event(
        outreach.thread,
        f"{outreach.company.name} has decided not to move forward with you for "
        f"“{outreach.brief.title}”.",
        outreach=outreach,
        engineer_sees_new=True,
    )
    email_send(
        to=outreach.profile.user.email,
        template="email/not_moving_forward",
        context=_email_context(outreach),
        key=f"not-moving-forward:{outreach.pk}:{move.pk}",
    )


# Templates and reports -----------------------------------------------------------------


@transaction.atomic
def message_template_save(
    *, company: Company, user: User, name: str, body: str, template: MessageTemplate | None = None
) -> MessageTemplate:
    template = template or MessageTemplate(company=company, created_by=user)
    template.name, template.body = name.strip(), body.strip()
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise Refused(f"You already have a template called “{template.name}”.") from None
    return template


@transaction.atomic
def report_create(
    *,
    reporter: User,
    outreach: Outreach | None = None,
    message: Message | None = None,
    note: str = "",
) -> Report:
    company = outreach.company if outreach else message.thread.company  # type: ignore[union-attr]
    report, _ = Report.objects.get_or_create(
        reporter=reporter,
        outreach=outreach if message is None else None,
        message=message,
        defaults={"company": company, "note": note.strip()[:2000]},
    )
    return report


def reports_resolve(*, reports: Iterable[Report]) -> int:
    """Staff dealt with these reports: they leave the open queue. Returns how many."""
    return Report.objects.filter(pk__in=[r.pk for r in reports], status=Report.Status.OPEN).update(
        status=Report.Status.RESOLVED
    )


def outreach_stop(*, company: Company, by: User, reason: str) -> OutreachHold:
    """Staff stop a company from sending outreach (``outreach_refusal`` refuses it from
    now on); stopping it again keeps the first hold. Deleting the hold allows it again."""
    hold, _ = OutreachHold.objects.get_or_create(
        company=company, defaults={"reason": reason, "created_by": by}
    )
    return hold


def engineer_unread(user: User) -> int:
    """Threads with something the engineer has not read (the header's count)."""
    return (
        Thread.objects.filter(profile__user=user, company_last_at__isnull=False)
        .filter(Q(engineer_read_at__isnull=True) | Q(company_last_at__gt=F("engineer_read_at")))
        .count()
    )


# Personal data (accounts.registry) ----------------------------------------------------


def person_data_export(user: User) -> dict[str, Any]:
    """hiring's part of a person's export: outreach received or sent, the messages they
    wrote, and (for an engineer) which companies they gave their contact details to."""
    data: dict[str, Any] = {}
    received = Outreach.objects.filter(profile__user=user).select_related("company", "brief")
    if received:
        data["outreach_you_received"] = [
            {
                "company": o.company.name,
                "brief": o.brief.title,
                "rate_offered": format_money(o.rate_amount, o.rate_unit),
                "engagement": o.get_engagement_display(),
                "hours_per_week": o.hours_per_week,
                "start_date": o.start_date,
                "decide_by": o.decide_by,
                "status": o.engineer_status,
                "sent": o.sent_at,
                "answered": o.answered_at,
                "decline_reason": o.get_decline_reason_display(),
                "your_note": o.answer_note,
            }
            for o in received
        ]
        data["contact_details_shared_with"] = [
            {"company": g.company.name, "granted": g.granted_at, "withdrawn": g.withdrawn_at}
            for g in ConsentGrant.objects.filter(profile__user=user).select_related("company")
        ]
    sent = Outreach.objects.filter(sender=user).select_related("profile__user", "brief")
    if sent:
        data["outreach_you_sent"] = [
            {
                "engineer": o.profile.user.display_name,
                "brief": o.brief.title,
                "status": o.get_status_display(),
                "sent": o.sent_at,
            }
            for o in sent
        ]
    written = Message.objects.filter(author=user).select_related("thread__company")
    if written:
        data["messages_you_wrote"] = [
            {
                "conversation_with": m.thread.company.name
                if m.side == Message.Side.ENGINEER
                else "an engineer",
                "sent": m.created_at,
                "text": m.body,
            }
            for m in written
        ]
    return data


def person_data_erase(user: User) -> None:
    """An engineer's outreach, threads and consent log go with their profile (cascades);
    a teammate's messages stay in the engineer's conversation, no longer signed by them,
    and the reports an engineer filed go with their account."""
    Message.objects.filter(author=user, side=Message.Side.COMPANY).update(author=None)
    Outreach.objects.filter(sender=user).update(sender=None)
    MessageTemplate.objects.filter(created_by=user).update(created_by=None)
