"""Every write of interviews: offering times, booking one, asking for others,
rescheduling, cancelling, no-shows, and the reminder sweep.

The life of an interview: proposed (times offered, the engineer picks one) → booked
→ cancelled by either side (or because its candidacy closed, ``on_card_closed``), or
marked a no-show by an interviewer once it has begun.
A booked interview can be offered new times (a reschedule): its time holds until the
engineer picks a new one. Every time the booked time changes or the interview is
cancelled, ``sequence`` goes up and everyone gets the calendar event again with the
same UID (screening.calendar).

Two bookings never overlap for anybody: booking locks the rows of everyone taking part
(interviewers and the engineer, in id order, so two bookings cannot deadlock), then
checks their other booked interviews, then books. A second booking that shares a
person waits for the first, then sees it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts.emails import Attachment, absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.links import web_link
from accounts.models import Membership, User
from accounts.selectors import team_recipients
from screening import calendar
from screening.models import (
    CLOSED_STAGES,
    Candidacy,
    Interview,
    InterviewKind,
    InterviewKit,
    InterviewSlot,
    Scorecard,
    Stage,
)
from screening.selectors import interviews as selectors
from screening.selectors.interviews import Person
from screening.services.pipeline import candidacy_move
from screening.signals import stage_changed

#: Interviews are scheduled only with engineers who said yes to the company.
SCHEDULE_STAGES: tuple[Stage, ...] = (Stage.INTERESTED, Stage.ASSESSMENT, Stage.INTERVIEW)
#: The stages an offer moves to Interview.
MOVES_TO_INTERVIEW: tuple[Stage, ...] = (Stage.INTERESTED, Stage.ASSESSMENT)
OPEN = (Interview.Status.PROPOSED, Interview.Status.BOOKED)
REMINDERS = {"day": timedelta(hours=24), "hour": timedelta(hours=1)}
NOTE_MAX = 1000


# Checks ------------------------------------------------------------------------------


def schedule_refusal(candidacy: Candidacy) -> Refused | None:
    """Why this candidacy cannot be offered an interview now, or None."""
    if candidacy.stage not in SCHEDULE_STAGES:
        return Conflict(
            "Interviews are for engineers who accepted your outreach (Interested, "
            f"Assessment or Interview); this card is in {candidacy.get_stage_display()}."
        )
    return None


def _text(value: str, *, what: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Refused(f"Write {what}.")
    if len(text) > NOTE_MAX:
        raise Refused(f"Keep {what} under {NOTE_MAX:,} characters.")
    return text


def _check_offer(starts: Sequence[datetime], length_minutes: int) -> list[datetime]:
    if length_minutes not in selectors.LENGTHS:
        raise Refused("Choose a length of 30, 45, 60 or 90 minutes.")
    chosen = sorted(set(starts))
    if not chosen:
        raise Refused("Tick at least one time to offer. Nothing was saved.")
    if len(chosen) > selectors.MAX_OFFERED:
        raise Refused(f"Offer at most {selectors.MAX_OFFERED} times. Nothing was saved.")
    return chosen


def _refuse(refusal: Refused | None) -> None:
    if refusal is not None:
        raise refusal


def _lock(interview: Interview) -> Interview:
    """The interview row, locked for this transaction, with what emails need."""
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("company", "candidacy__brief", "candidacy__profile__user", "kit")
        .get(pk=interview.pk)
    )


def _members_of(interview: Interview) -> list[Membership]:
    return selectors.current_members(interview, selectors.interview_scorecards(interview))


# Offering times ----------------------------------------------------------------------


@transaction.atomic
def interview_offer(
    *,
    candidacy: Candidacy,
    by: User,
    kind: str,
    kit: InterviewKit | None,
    interviewers: Sequence[User],
    length_minutes: int,
    video_link: str,
    starts: Sequence[datetime],
    now: datetime | None = None,
) -> Interview:
    """Offer the engineer times for an interview: each time is checked again against
    the free slots as they stand now. The card moves to Interview (from Interested or
    Assessment), each interviewer gets a place (their scorecard row) and the engineer
    an email asking them to pick a time."""
    now = now or timezone.now()
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("company", "brief", "profile__user")
        .get(pk=candidacy.pk)
    )
    refusal = schedule_refusal(locked)
    if refusal is not None:
        raise refusal
    if kind not in InterviewKind.values:
        raise Refused("Choose a technical or a final interview.")
    company = locked.company
    if kit is not None and (kit.company_id != company.pk or kit.archived_at is not None):
        raise Refused("Choose one of your company's interview kits.")
    link = web_link(video_link, what="The video link")
    chosen = _check_offer(starts, length_minutes)
    wanted = {user.pk for user in interviewers}
    members = [m for m in selectors.teammates(company) if m.user_id in wanted]
    if not wanted or len(members) != len(wanted):
        raise Refused("Choose at least one interviewer, all from your team.")
    if selectors.open_interview(locked, kind) is not None:
        raise Conflict(
            f"{locked.profile.user.display_name} already has a {kind} interview waiting for "
            "a time or booked. Open it to offer new times instead. Nothing was saved."
        )
    found = selectors.proposal(
        company=company,
        engineer=locked.profile,
        interviewers=members,
        length_minutes=length_minutes,
        now=now,
    )
    _refuse(found.refusal(chosen))
    interview = Interview.objects.create(
        candidacy=locked,
        company=company,
        kit=kit,
        kind=kind,
        focus=list(kit.focus) if kit else [],
        length_minutes=length_minutes,
        video_link=link,
        created_by=by,
    )
    slots = _slots_create(interview, chosen, length_minutes)
    Scorecard.objects.bulk_create(
        [Scorecard(interview=interview, interviewer_id=m.user_id) for m in members]
    )
    if locked.stage in MOVES_TO_INTERVIEW:
        candidacy_move(candidacy=locked, to=Stage.INTERVIEW, by=by, expected=locked.stage)
        candidacy.stage, candidacy.stage_since = locked.stage, locked.stage_since
    interview.candidacy = locked
    _tell_offered(interview, slots, members, reason="")
    return interview


def _slots_create(
    interview: Interview, starts: Sequence[datetime], length_minutes: int
) -> list[InterviewSlot]:
    length = timedelta(minutes=length_minutes)
    return InterviewSlot.objects.bulk_create(
        [InterviewSlot(interview=interview, starts_at=s, ends_at=s + length) for s in starts]
    )


@transaction.atomic
def interview_reoffer(
    *,
    interview: Interview,
    by: User,
    length_minutes: int,
    reason: str,
    starts: Sequence[datetime],
    now: datetime | None = None,
) -> Interview:
    """Offer new times: the engineer asked for others, or the team needs to move a
    booked interview (a reason is then required). A booked time holds until the
    engineer picks a new one (interview_book raises the sequence then)."""
    now = now or timezone.now()
    locked = _lock(interview)
    _check_open(locked, now)
    _check_candidacy(locked, engineer=False)
    booked = locked.status == Interview.Status.BOOKED
    why = _text(reason, what="why the time changes" if booked else "a note", required=booked)
    chosen = _check_offer(starts, length_minutes)
    offered = [slot.starts_at for slot in locked.slots.order_by("starts_at")]
    if offered == chosen and length_minutes == locked.length_minutes and not locked.others_asked_at:
        raise Conflict(
            "These are the times the engineer already has on offer: nothing new to send. "
            "Nothing was changed."
        )
    members = _members_of(locked)
    if not members:
        raise Refused(
            "Nobody on this interview is in your team any more: cancel it and schedule a new "
            "one. Nothing was saved."
        )
    found = selectors.proposal(
        company=locked.company,
        engineer=locked.candidacy.profile,
        interviewers=members,
        length_minutes=length_minutes,
        now=now,
        exclude=locked.pk,
    )
    _refuse(found.refusal(chosen))
    locked.slots.all().delete()
    slots = _slots_create(locked, chosen, length_minutes)
    locked.length_minutes = length_minutes
    locked.others_asked_at = None
    locked.save(update_fields=["length_minutes", "others_asked_at"])
    _tell_offered(locked, slots, members, reason=why)
    return locked


_CLOSED = {
    Interview.Status.CANCELLED: "This interview was cancelled",
    Interview.Status.NO_SHOW: "This interview was marked as missed",
}


def _check_open(interview: Interview, now: datetime) -> None:
    if interview.status not in OPEN:
        raise Conflict(
            f"{_CLOSED[Interview.Status(interview.status)]}: it can no longer be changed. "
            "Nothing was changed."
        )
    if interview.status == Interview.Status.BOOKED and interview.starts_at <= now:  # type: ignore[operator]
        raise Conflict("This interview has already begun. Nothing was changed.")


def _tell_offered(
    interview: Interview,
    slots: Sequence[InterviewSlot],
    members: Sequence[Membership],
    *,
    reason: str,
) -> None:
    engineer = selectors.engineer_person(interview.candidacy.profile)
    company_zone = interview.company.time_zone
    times = [
        {
            "text": selectors.span_text(s.starts_at, s.ends_at, engineer.time_zone),
            "company": selectors.span_text(s.starts_at, s.ends_at, company_zone, with_day=False),
        }
        for s in slots
    ]
    email_send(
        to=engineer.email,
        template="email/interview_offered",
        context=_context(
            interview,
            engineer,
            engineer=engineer,
            interviewers=[selectors.member_person(m) for m in members],
            times=times,
            reason=reason,
            rescheduling=interview.status == Interview.Status.BOOKED,
            company_zone=selectors.zone_label(company_zone),
        ),
        key=f"interview-offered:{interview.pk}:{slots[0].pk}",
    )


# The engineer's side ---------------------------------------------------------------------


@transaction.atomic
def interview_book(
    *, interview: Interview, user: User, slot_id: int, now: datetime | None = None
) -> Interview:
    """The engineer picks one of the offered times. Refused for a time never offered,
    Conflict for one that passed or that someone taking part was booked for meanwhile;
    nothing changes then. A booked interview that gets a new time is a reschedule: the
    sequence goes up and everyone's calendar event moves."""
    now = now or timezone.now()
    locked = _lock(interview)
    _check_engineer(locked, user)
    _check_open(locked, now)
    _check_candidacy(locked, engineer=True)
    slot = InterviewSlot.objects.filter(pk=slot_id, interview=locked).first()
    if slot is None and locked.status == Interview.Status.BOOKED and not locked.slots.exists():
        raise Conflict(
            "This interview is already booked and no other times are on offer: see its time "
            "below. Nothing was changed."
        )
    if slot is None:
        raise Refused(
            "That time is not one of the times offered to you now: pick one from the list. "
            "Nothing was changed."
        )
    if slot.starts_at <= now:
        raise Conflict("That time has passed: pick a later one. Nothing was changed.")
    members = _members_of(locked)
    people = sorted({m.user_id for m in members} | {locked.candidacy.profile.user_id})
    list(User.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))
    clash = selectors.busy_intervals(
        interviewer_ids=[m.user_id for m in members],
        profile_id=locked.candidacy.profile_id,
        start=slot.starts_at,
        end=slot.ends_at,
        exclude=locked.pk,
    )
    if clash:
        raise Conflict(
            "That time is no longer free: someone taking part was booked for another "
            "interview then. Pick another time, or ask for other times. Nothing was changed."
        )
    rescheduled = locked.status == Interview.Status.BOOKED
    locked.status = Interview.Status.BOOKED
    locked.starts_at, locked.ends_at = slot.starts_at, slot.ends_at
    locked.sequence += 1 if rescheduled else 0
    locked.reminded_day_at = locked.reminded_hour_at = None
    locked.others_asked_at = None
    locked.save(
        update_fields=[
            "status",
            "starts_at",
            "ends_at",
            "sequence",
            "reminded_day_at",
            "reminded_hour_at",
            "others_asked_at",
        ]
    )
    locked.slots.all().delete()
    _tell_everyone(locked, "email/interview_booked", members, key="booked", rescheduled=rescheduled)
    return locked


def _check_candidacy(interview: Interview, *, engineer: bool) -> None:
    """A closed candidacy (not a fit, the engineer stepped back) books no more times."""
    if interview.candidacy.stage not in CLOSED_STAGES:
        return
    if engineer:
        raise Conflict(
            f"{interview.company.name} is not going ahead with this application any more, "
            "so this interview cannot be booked. Nothing was changed."
        )
    raise Conflict(
        "This candidacy is closed: reopen it before offering new times, or cancel the "
        "interview. Nothing was changed."
    )


def _check_engineer(interview: Interview, user: User) -> None:
    if interview.candidacy.profile.user_id != user.pk:  # the views' fetch checks it first
        raise NotAllowed("This interview is not yours.")


@transaction.atomic
def interview_ask_others(*, interview: Interview, user: User, note: str) -> Interview:
    """The engineer asks for other times, saying when suits them; the team is told.
    A booked time holds meanwhile."""
    text = _text(note, what="a note saying which times would suit you", required=True)
    locked = _lock(interview)
    _check_engineer(locked, user)
    _check_open(locked, timezone.now())
    if locked.others_asked_at is not None and locked.others_note == text:
        raise Conflict(
            f"You have already asked for other times with this note; {locked.company.name} "
            "has been told. Nothing was changed."
        )
    locked.others_asked_at = timezone.now()
    locked.others_note = text
    locked.save(update_fields=["others_asked_at", "others_note"])
    engineer, interviewers = selectors.interview_people(locked)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    for to in _team_emails(locked, interviewers):
        email_send(
            to=to,
            template="email/interview_others",
            context=_context(locked, None, engineer=engineer, interviewers=interviewers),
            key=f"interview-others:{locked.pk}:{digest}:{to}",
        )
    return locked


def _team_emails(interview: Interview, interviewers: Sequence[Person]) -> list[str]:
    """The interviewers, and who scheduled it (or the owners once they have left)."""
    emails = [p.email for p in interviewers]
    emails += team_recipients(interview.company, interview.created_by)
    return list(dict.fromkeys(emails))


# Cancelling and no-shows ------------------------------------------------------------------


@transaction.atomic
def interview_cancel(
    *,
    interview: Interview,
    by: User,
    side: str,
    reason: str,
    now: datetime | None = None,
) -> Interview:
    """Either side cancels, with a reason. Everyone is told; once a time was booked,
    the email carries the calendar event's cancellation (METHOD:CANCEL, same UID,
    higher sequence)."""
    now = now or timezone.now()
    if side not in Interview.Side.values:
        raise ValueError(side)
    why = _text(reason, what="why the interview is cancelled", required=True)
    locked = _lock(interview)
    if side == Interview.Side.ENGINEER:
        _check_engineer(locked, by)
    _check_open(locked, now)
    return _cancel(locked, side=side, reason=why, now=now)


def _cancel(locked: Interview, *, side: str, reason: str, now: datetime) -> Interview:
    """Cancel an open interview (its row locked by the caller) and tell everyone on it."""
    had_time = locked.status == Interview.Status.BOOKED
    locked.status = Interview.Status.CANCELLED
    locked.cancelled_by = side
    locked.cancel_reason = reason
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save(
        update_fields=["status", "cancelled_by", "cancel_reason", "cancelled_at", "sequence"]
    )
    locked.slots.all().delete()
    _tell_everyone(
        locked,
        "email/interview_cancelled",
        _members_of(locked),
        key="cancelled",
        with_invitation=had_time,
        had_time=had_time,
        by_engineer=side == Interview.Side.ENGINEER,
    )
    return locked


# A card that closes -------------------------------------------------------------------------

#: What everyone reads as the reason when a closed candidacy cancels an interview. Never
#: the team's reason or note: the engineer reads the same words.
CLOSED_CANCEL_REASON = "The application this interview belonged to has closed."
#: The closes that are the engineer's own choice (they stepped back, or said no).
ENGINEER_CLOSES = (Stage.WITHDRAWN, Stage.DECLINED)


@transaction.atomic
def on_card_closed(*, candidacy: Candidacy, move: Any) -> int:
    """A card closed (not a fit, the engineer stepped back or declined, no answer) with
    interviews still to happen: each is cancelled the way a person cancels one, so
    everyone on it gets the calendar's cancellation of a booked time, and the engineer
    reads neutral words, never the team's reason. An interview that has already begun
    stays (it was held, or is a no-show to mark; its scorecards are still due).
    Returns how many were cancelled."""
    if move.to_stage not in CLOSED_STAGES:
        return 0
    side = Interview.Side.ENGINEER if move.to_stage in ENGINEER_CLOSES else Interview.Side.COMPANY
    cancelled = 0
    for interview in Interview.objects.filter(candidacy=candidacy, status__in=OPEN).order_by("pk"):
        locked = _lock(interview)
        if locked.status not in OPEN:
            continue
        if locked.status == Interview.Status.BOOKED and locked.starts_at <= move.at:  # type: ignore[operator]
            continue
        _cancel(locked, side=side, reason=CLOSED_CANCEL_REASON, now=move.at)
        cancelled += 1
    return cancelled


@receiver(stage_changed, dispatch_uid="screening.interviews.on_card_closed")
def _stage_changed(sender: Any, *, candidacy: Candidacy, move: Any, **kwargs: Any) -> None:
    on_card_closed(candidacy=candidacy, move=move)


@transaction.atomic
def interview_no_show(*, interview: Interview, by: User, now: datetime | None = None) -> Interview:
    """An interviewer records that the engineer did not come, once the interview has
    begun. The engineer gets a short note saying how to reach the team."""
    now = now or timezone.now()
    locked = _lock(interview)
    if not Scorecard.objects.filter(interview=locked, interviewer=by).exists():
        raise NotAllowed("Only the interviewers can mark a no-show.")
    if locked.status != Interview.Status.BOOKED:
        raise Conflict(
            "Only a booked interview can be marked a no-show; this one is "
            f"{locked.get_status_display().lower()}. Nothing was changed."
        )
    if locked.starts_at > now:  # type: ignore[operator]
        raise Conflict("A no-show can be marked once the interview has begun. Nothing was changed.")
    locked.status = Interview.Status.NO_SHOW
    locked.no_show_by = by
    locked.no_show_at = now
    locked.save(update_fields=["status", "no_show_by", "no_show_at"])
    engineer, interviewers = selectors.interview_people(locked)
    email_send(
        to=engineer.email,
        template="email/interview_no_show",
        context=_context(locked, engineer, engineer=engineer, interviewers=interviewers),
        key=f"interview-no-show:{locked.pk}",
    )
    return locked


# Emails ------------------------------------------------------------------------------------


def _context(
    interview: Interview,
    reader: Person | None,
    *,
    engineer: Person,
    interviewers: Sequence[Person],
    **extra: Any,
) -> dict[str, Any]:
    """What every interview email knows; times in the reader's own zone (a team email
    with no one reader: the company's)."""
    zone = reader.time_zone if reader else interview.company.time_zone
    for_engineer = reader is not None and reader.is_engineer
    page = "screening:my_interview" if for_engineer else "screening:interview"
    context = {
        "interview": interview,
        "company": interview.company,
        "brief": interview.candidacy.brief,
        "engineer": engineer.user,
        "reader": reader,
        "for_engineer": for_engineer,
        "interviewers": [p.name for p in interviewers],
        "zone": selectors.zone_label(zone),
        "url": absolute(reverse(page, args=[interview.pk])),
        "when": "",
        "engineer_when": "",
    }
    if interview.starts_at and interview.ends_at:
        context["when"] = selectors.span_text(interview.starts_at, interview.ends_at, zone)
        theirs = selectors.span_text(interview.starts_at, interview.ends_at, engineer.time_zone)
        context["engineer_when"] = "" if theirs == context["when"] else theirs
    context.update(extra)
    return context


def invitation_text(interview: Interview, engineer: Person, interviewers: Sequence[Person]) -> str:
    return calendar.invitation(
        interview,
        company_name=interview.company.name,
        engineer=calendar.Attendee(engineer.email, engineer.name),
        interviewers=[calendar.Attendee(p.email, p.name) for p in interviewers],
    )


def _tell_everyone(
    interview: Interview,
    template: str,
    members: Sequence[Membership],
    *,
    key: str,
    with_invitation: bool = True,
    **extra: Any,
) -> None:
    """The engineer and each interviewer, each in their own zone, with the calendar
    event when ``with_invitation``. Keys carry the sequence: a later change is a new
    email, the same one twice is not."""
    engineer = selectors.engineer_person(interview.candidacy.profile)
    interviewers = [selectors.member_person(m) for m in members]
    attachments = []
    if with_invitation:
        text = invitation_text(interview, engineer, interviewers)
        attachments = [Attachment(calendar.FILENAME, text, calendar.CONTENT_TYPE)]
    for person in [engineer, *interviewers]:
        email_send(
            to=person.email,
            template=template,
            context=_context(
                interview, person, engineer=engineer, interviewers=interviewers, **extra
            ),
            key=f"interview-{key}:{interview.pk}:{interview.sequence}:{person.email}",
            attachments=attachments,
        )


# Reminders -----------------------------------------------------------------------------------


def interview_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Reminders 24 hours and 1 hour before each booked interview, to the engineer and
    every interviewer, each in their own zone. Each is claimed with a conditional update
    (``reminded_day_at`` / ``reminded_hour_at`` still empty) before it is sent, so a
    sweep run twice sends once. A sweep that wakes inside the last hour sends only the
    hour's reminder (and counts the day's as done). Returns interviews reminded, by kind."""
    now = now or timezone.now()
    done = {"day": 0, "hour": 0}
    booked = Interview.objects.filter(status=Interview.Status.BOOKED, starts_at__gt=now)
    due = {
        "hour": booked.filter(
            starts_at__lte=now + REMINDERS["hour"], reminded_hour_at__isnull=True
        ),
        "day": booked.filter(
            starts_at__gt=now + REMINDERS["hour"],
            starts_at__lte=now + REMINDERS["day"],
            reminded_day_at__isnull=True,
        ),
    }
    for which, queryset in due.items():
        for pk in queryset.values_list("pk", flat=True).order_by("starts_at"):
            if _remind(pk, which, now):
                done[which] += 1
    return done


@transaction.atomic
def _remind(pk: int, which: str, now: datetime) -> bool:
    """Claim one reminder, then send it; False if another sweep claimed it first or
    the interview moved meanwhile."""
    claim = Q(reminded_day_at__isnull=True) if which == "day" else Q(reminded_hour_at__isnull=True)
    changes: dict[str, Any] = (
        {"reminded_day_at": now}
        if which == "day"
        else {"reminded_hour_at": now, "reminded_day_at": Coalesce("reminded_day_at", now)}
    )
    window = REMINDERS[which]
    claimed = Interview.objects.filter(
        claim,
        pk=pk,
        status=Interview.Status.BOOKED,
        starts_at__gt=now,
        starts_at__lte=now + window,
    ).update(**changes)
    if not claimed:
        return False
    interview = (
        Interview.objects.select_related("company", "candidacy__brief", "candidacy__profile__user")
        .filter(pk=pk)
        .get()
    )
    _tell_everyone(
        interview,
        "email/interview_reminder",
        _members_of(interview),
        key=f"reminder-{which}",
        with_invitation=False,
        which=which,
    )
    return True
