"""Every write of check-ins: the hourly sweep, the two sides' answers, skipping a week,
and the weekly call's calendar emails.

The life of a check-in: the sweep makes the week's row when it falls due (at the agreed
local time in the engineer's zone, see ``schedule``) and emails the engineer → the
engineer answers (ANSWERED; the company is emailed) → the company answers its side (the
engineer is emailed). Without an answer: one reminder a day after it fell due, then a
day later MISSED: shown to both, never scored, and still open to a late answer (it then
shows as answered late). Either side may skip this week's or next week's check-in
(SKIPPED, made ahead when needed); a skipped week is never chased.

Every email has a key of its own, and every change is claimed with a conditional update
or a row lock: a sweep run twice, or a form posted twice, sends and saves once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.emails import Attachment, absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.models import User
from hiring.checkins import calendar, schedule
from hiring.checkins.schedule import RUNNING
from hiring.contracts.common import contract_line, contract_lock, day_text, side_emails, text_clean
from hiring.models import CheckIn, Contract, ContractVersion, Side
from screening.calendar import Attendee

#: Last week's check-in is still sent this long after it fell due: a sweep that runs
#: just after the engineer's Sunday midnight still sends a late-Sunday check-in.
CATCH_UP = timedelta(days=1)
REMIND_AFTER = timedelta(days=1)
MISSED_AFTER = timedelta(days=2)
#: A sweep that was down never reminds right after sending, nor marks missed right
#: after reminding: the engineer always has this long to answer first.
GAP = timedelta(hours=12)
TEXT_MAX = {
    "done": 3000,
    "next": 3000,
    "blockers": 2000,
    "feedback": 3000,
    "company_blockers": 2000,
}
HOURS_MAX = Decimal("100")


# The sweep -----------------------------------------------------------------------------


def checkin_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send the check-ins due, remind once a day later, mark missed a day after that.
    Beat runs it hourly at minute 0; safe to run twice. Returns how many of each."""
    now = now or timezone.now()
    return {"sent": _send_due(now), "reminded": _remind_due(now), "missed": _mark_missed(now)}


def _due_weeks(now: datetime) -> list[tuple[Contract, date, datetime]]:
    """(contract, week, due moment) of every running contract whose check-in has come:
    this week's, or last week's within ``CATCH_UP``."""
    found = []
    running = Contract.objects.filter(status__in=RUNNING, current__isnull=False)
    for contract in running.select_related("current").order_by("pk"):
        version = contract.current
        assert version is not None
        this = schedule.week_now(version, now)
        for week_of in (this - timedelta(days=7), this):
            due = schedule.due_at(version, week_of)
            if due > now or (week_of != this and now - due > CATCH_UP):
                continue
            if schedule.in_term(contract, version, week_of):
                found.append((contract, week_of, due))
    return found


def _send_due(now: datetime) -> int:
    due = _due_weeks(now)
    if not due:
        return 0
    made = set(
        CheckIn.objects.filter(
            contract_id__in={c.pk for c, _, _ in due}, week_of__gte=min(w for _, w, _ in due)
        ).values_list("contract_id", "week_of")
    )
    sent = 0
    for contract, week_of, due_at in due:
        if (contract.pk, week_of) not in made:
            sent += _open(contract.pk, week_of, due_at, now)
    return sent


@transaction.atomic
def _open(contract_id: int, week_of: date, due_at: datetime, now: datetime) -> bool:
    """Make the week's check-in and email the engineer; False if it was there already
    (another sweep, or a skip ahead) or the contract stopped running meanwhile."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .filter(pk=contract_id, status__in=RUNNING)
        .first()
    )
    if contract is None:
        return False
    checkin, created = CheckIn.objects.get_or_create(
        contract=contract, week_of=week_of, defaults={"due_at": due_at, "sent_at": now}
    )
    if created:
        _tell_engineer(_load(checkin.pk), "checkin_due", key=f"checkin-due:{checkin.pk}")
    return created


def _remind_due(now: datetime) -> int:
    waiting = CheckIn.objects.filter(
        status=CheckIn.Status.DUE,
        reminded_at__isnull=True,
        due_at__lte=now - REMIND_AFTER,
        sent_at__lte=now - GAP,
        contract__status__in=RUNNING,
    )
    return sum(_remind(pk, now) for pk in waiting.order_by("due_at").values_list("pk", flat=True))


@transaction.atomic
def _remind(pk: int, now: datetime) -> bool:
    """Claim the one reminder, then send it; False if it was claimed or answered meanwhile."""
    claimed = CheckIn.objects.filter(
        pk=pk, status=CheckIn.Status.DUE, reminded_at__isnull=True
    ).update(reminded_at=now)
    if claimed:
        _tell_engineer(_load(pk), "checkin_reminder", key=f"checkin-reminder:{pk}")
    return bool(claimed)


def _mark_missed(now: datetime) -> int:
    """Still unanswered a day after the reminder (two after it fell due): missed. A
    contract that stopped running marks its unanswered check-in missed without one."""
    return CheckIn.objects.filter(
        Q(reminded_at__lte=now - GAP) | ~Q(contract__status__in=RUNNING),
        status=CheckIn.Status.DUE,
        due_at__lte=now - MISSED_AFTER,
    ).update(status=CheckIn.Status.MISSED, missed_at=now)


# Answers ---------------------------------------------------------------------------------


def _load(pk: int, *, lock: bool = False) -> CheckIn:
    rows = CheckIn.objects.select_related(
        "contract__current", "contract__company", "contract__profile__user"
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=pk)


def answer_refusal(checkin: CheckIn, side: str) -> Refused | None:
    """Why ``side`` cannot write the engineer's answer now, or None."""
    if side != Side.ENGINEER:
        return NotAllowed(
            "Only the engineer writes this side of the check-in. Your side opens once they "
            "have answered. Nothing was saved."
        )
    if checkin.status == CheckIn.Status.ANSWERED:
        return Conflict("This check-in is already answered. Nothing was changed.")
    if checkin.status == CheckIn.Status.SKIPPED:
        return Conflict("This week's check-in was skipped: there is nothing to answer.")
    return None


def reply_refusal(checkin: CheckIn, side: str) -> Refused | None:
    """Why ``side`` cannot write the company's side now, or None."""
    if side != Side.COMPANY:
        return NotAllowed("Only the company writes this side of the check-in. Nothing was saved.")
    if checkin.company_answered_at is not None:
        return Conflict("Your team has already answered this check-in. Nothing was changed.")
    if checkin.status != CheckIn.Status.ANSWERED:
        return Conflict(
            "Your side opens once the engineer has answered this check-in. Nothing was saved."
        )
    return None


def _refuse(refusal: Refused | None) -> None:
    if refusal is not None:
        raise refusal


@transaction.atomic
def checkin_answer(
    *,
    checkin: CheckIn,
    by: User,
    side: str,
    done: str,
    next: str,  # the model's field name
    blockers: str,
    hours: Decimal | None,
    health: str,
    now: datetime | None = None,
) -> CheckIn:
    """The engineer answers the week's check-in; the company is emailed once. A missed
    check-in may still be answered (late). A second answer is refused, nothing changed."""
    now = now or timezone.now()
    locked = _load(checkin.pk, lock=True)
    if locked.contract.profile.user_id != by.pk and side == Side.ENGINEER:
        raise NotAllowed("This check-in is not yours.")  # the views' fetch checks it first
    _refuse(answer_refusal(locked, side))
    if health not in CheckIn.Health.values:
        raise Refused("Say how it is going: on track, at risk or off track. Nothing was saved.")
    if hours is not None and not (Decimal(0) <= hours <= HOURS_MAX):
        raise Refused("Hours must be between 0 and 100. Nothing was saved.")
    locked.done = text_clean(
        done, limit=TEXT_MAX["done"], what="what you did since last time", required=True
    )
    locked.next = text_clean(next, limit=TEXT_MAX["next"], what="what comes next", required=True)
    locked.blockers = text_clean(
        blockers, limit=TEXT_MAX["blockers"], what="the blockers", required=False
    )
    locked.hours = hours
    locked.health = health
    locked.status = CheckIn.Status.ANSWERED
    locked.answered_at = now
    locked.answered_by = by
    locked.save(
        update_fields=[
            "done",
            "next",
            "blockers",
            "hours",
            "health",
            "status",
            "answered_at",
            "answered_by",
        ]
    )
    contract = locked.contract
    for to in side_emails(contract, Side.COMPANY):
        email_send(
            to=to,
            template="hiring/checkins/email/checkin_answered",
            context=_context(locked, for_engineer=False),
            key=f"checkin-answered:{locked.pk}:{to}",
        )
    return locked


@transaction.atomic
def checkin_reply(
    *,
    checkin: CheckIn,
    by: User,
    side: str,
    priorities_clear: str,
    feedback: str,
    company_blockers: str,
    now: datetime | None = None,
) -> CheckIn:
    """The company answers its side of an answered check-in; the engineer is emailed
    once. A second answer is refused, nothing changed."""
    now = now or timezone.now()
    locked = _load(checkin.pk, lock=True)
    _refuse(reply_refusal(locked, side))
    if priorities_clear not in CheckIn.Clear.values:
        raise Refused("Say whether the priorities are clear: yes, partly or no. Nothing was saved.")
    locked.priorities_clear = priorities_clear
    locked.feedback = text_clean(
        feedback, limit=TEXT_MAX["feedback"], what="your feedback", required=True
    )
    locked.company_blockers = text_clean(
        company_blockers,
        limit=TEXT_MAX["company_blockers"],
        what="the blockers you own",
        required=False,
    )
    locked.company_answered_at = now
    locked.company_by = by
    locked.save(
        update_fields=[
            "priorities_clear",
            "feedback",
            "company_blockers",
            "company_answered_at",
            "company_by",
        ]
    )
    _tell_engineer(locked, "checkin_reply", key=f"checkin-reply:{locked.pk}")
    return locked


# Skipping a week -------------------------------------------------------------------------


@transaction.atomic
def checkin_skip(
    *, contract: Contract, by: User, side: str, week_of: date, now: datetime | None = None
) -> tuple[CheckIn, bool]:
    """Either side skips this week's or next week's check-in (a holiday): the row is
    made ahead when the sweep has not made it yet, and the other side reads a line in the
    conversation. Returns the check-in and whether this call skipped it (False: it was
    skipped already, a replay). Refused for any other week, for a week outside the
    contract's dates, and for an answered check-in."""
    now = now or timezone.now()
    if side not in Side.values:
        raise ValueError(side)
    locked = contract_lock(contract)
    if locked.status not in RUNNING or locked.current is None:
        raise Conflict(
            "Check-ins can be skipped only while the contract runs. Nothing was changed."
        )
    weeks = {w.week_of: w for w in schedule.skippable_weeks(locked, locked.current, now)}
    chosen = weeks.get(week_of)
    if chosen is None:
        raise Refused(
            "Only this week's or next week's check-in can be skipped. Nothing was changed."
        )
    if not chosen.in_term:
        raise Refused(
            "There is no check-in that week: it falls outside the contract's dates. "
            "Nothing was changed."
        )
    skipped = {
        "status": CheckIn.Status.SKIPPED,
        "skipped_at": now,
        "skipped_side": side,
        "skipped_by": by,
    }
    checkin, created = CheckIn.objects.get_or_create(
        contract=locked, week_of=week_of, defaults={"due_at": chosen.due_at, **skipped}
    )
    if not created:
        checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if checkin.status == CheckIn.Status.SKIPPED:
            return checkin, False
        if checkin.status == CheckIn.Status.ANSWERED:
            raise Conflict(
                "This week's check-in is already answered, so it cannot be skipped. "
                "Nothing was changed."
            )
        for name, value in skipped.items():
            setattr(checkin, name, value)
        checkin.save(update_fields=list(skipped))
    _tell_skipped(locked, checkin, by=by, side=side)
    return checkin, True


def _tell_skipped(contract: Contract, checkin: CheckIn, *, by: User, side: str) -> None:
    who = contract.company.name if side == Side.COMPANY else by.display_name
    contract_line(
        contract,
        f"{who} skipped the weekly check-in for the week of {day_text(checkin.week_of)} "
        f"(“{contract.current.title if contract.current else 'contract'}”).",
        engineer_sees_new=side == Side.COMPANY,
    )


# Emails ----------------------------------------------------------------------------------


def moment_text(moment: datetime, tz_name: str) -> str:
    """ "Friday 13 March, 16:00 PKT" in ``tz_name``."""
    local = schedule.localtime(moment, tz_name)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M} {local:%Z}"


def _context(checkin: CheckIn, *, for_engineer: bool, **extra: Any) -> dict[str, Any]:
    """What every check-in email knows; the due time in the reader's zone (a team email
    with no one reader: the company's)."""
    contract = checkin.contract
    zone = contract.profile.time_zone if for_engineer else contract.company.time_zone
    url = reverse("hiring:checkin_detail", args=[contract.pk, checkin.pk])
    return {
        "checkin": checkin,
        "contract": contract,
        "title": contract.current.title if contract.current else "your contract",
        "company": contract.company,
        "engineer": contract.profile.user,
        "for_engineer": for_engineer,
        "week": day_text(checkin.week_of),
        "when": moment_text(checkin.due_at, zone),
        "url": absolute(url),
        **extra,
    }


def _tell_engineer(checkin: CheckIn, template: str, *, key: str) -> None:
    email_send(
        to=checkin.contract.profile.user.email,
        template=f"hiring/checkins/email/{template}",
        context=_context(checkin, for_engineer=True),
        key=key,
    )


# The weekly call ------------------------------------------------------------------------

#: The terms whose change changes the calendar event.
CALL_FIELDS = ("call_weekday", "call_time", "call_minutes", "time_zone", "start_on", "end_on")


def has_call(version: ContractVersion | None) -> bool:
    return (
        version is not None and version.call_weekday is not None and version.call_time is not None
    )


def call_of(
    contract: Contract, version: ContractVersion, *, sequence: int | None = None
) -> calendar.Call:
    """The weekly call of ``version`` as calendars get it. SEQUENCE is the version's
    number, one more once notice ended the contract before the agreed end (the series is
    cut short then, and calendars must take the change)."""
    if not has_call(version):
        raise ValueError("This version has no weekly call.")
    assert version.call_weekday is not None and version.call_time is not None
    cut = contract.ends_on is not None and (
        version.end_on is None or contract.ends_on < version.end_on
    )
    return calendar.Call(
        contract_id=contract.pk,
        title=version.title,
        weekday=version.call_weekday,
        at=version.call_time,
        minutes=version.call_minutes or calendar.DEFAULT_MINUTES,
        time_zone=version.time_zone,
        start_on=version.start_on,
        until=schedule.last_day(contract, version),
        sequence=sequence if sequence is not None else (version.number or 0) + int(cut),
    )


def call_people(contract: Contract) -> tuple[Attendee, list[Attendee]]:
    """The engineer, and who hears for the company (the teammate who drafted the
    contract, or the owners once they have left)."""
    engineer = contract.profile.user
    team = side_emails(contract, Side.COMPANY)
    return (
        Attendee(engineer.email, engineer.display_name),
        [Attendee(email, contract.company.name) for email in team],
    )


def call_text(contract: Contract, call: calendar.Call, *, method: str = "REQUEST") -> str:
    engineer, team = call_people(contract)
    return calendar.invitation(
        call, method=method, company_name=contract.company.name, engineer=engineer, team=team
    )


def call_send(
    *, contract: Contract, call: calendar.Call, method: str = "REQUEST", reason: str
) -> int:
    """Email the calendar event to both sides (each once per sequence and method).
    ``reason``: "started", "changed", "removed" or "ended". Returns emails queued."""
    engineer, team = call_people(contract)
    text = calendar.invitation(
        call, method=method, company_name=contract.company.name, engineer=engineer, team=team
    )
    attachment = Attachment(calendar.FILENAME, text, calendar.CONTENT_TYPE)
    page = absolute(reverse("hiring:contract_detail", args=[contract.pk]))
    upcoming = call.next_start(timezone.now())
    sent = 0
    for person, zone in [
        (engineer, contract.profile.time_zone),
        *[(p, contract.company.time_zone) for p in team],
    ]:
        email_send(
            to=person.email,
            template="hiring/checkins/email/call",
            context={
                "contract": contract,
                "company": contract.company,
                "engineer": contract.profile.user,
                "for_engineer": person is engineer,
                "call": call,
                "reason": reason,
                "cancelled": method == "CANCEL",
                "weekly": call_words(call),
                "next_call": moment_text(upcoming, zone) if upcoming else "",
                "zone": zone.rsplit("/", 1)[-1].replace("_", " "),
                "url": page,
            },
            key=f"checkin-call:{contract.pk}:{call.sequence}:{method}:{person.email}",
            attachments=[attachment],
        )
        sent += 1
    return sent


def call_words(call: calendar.Call) -> str:
    """ "Fridays, 15:00–15:30 Karachi time"."""
    day = schedule.WEEKDAYS[call.weekday]
    start = datetime.combine(date(2000, 1, 3), call.at)
    end = start + timedelta(minutes=call.minutes)
    zone = call.time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{day}s, {start:%H:%M}–{end:%H:%M} {zone} time"


def call_started(*, contract: Contract) -> int:
    """Both sides accepted: the weekly call, if the terms have one, goes to both calendars."""
    version = contract.current
    if version is None or not has_call(version):
        return 0
    return call_send(contract=contract, call=call_of(contract, version), reason="started")


def call_changed(
    *, contract: Contract, version: ContractVersion, previous: ContractVersion | None
) -> int:
    """A new version is in force: if it changes the call, both calendars get the event
    again (same UID, SEQUENCE = its number); if it removes the call, its cancellation."""
    had, has = has_call(previous), has_call(version)
    if not had and not has:
        return 0
    same = previous is not None and all(
        getattr(previous, f) == getattr(version, f) for f in CALL_FIELDS
    )
    if had and has and same:
        return 0
    if has:
        return call_send(contract=contract, call=call_of(contract, version), reason="changed")
    assert previous is not None
    gone = call_of(contract, previous, sequence=version.number or 0)
    return call_send(contract=contract, call=gone, method="CANCEL", reason="removed")


def call_ended(*, contract: Contract) -> int:
    """The contract ended before its agreed end (notice): the series stops on its last
    day, so both calendars get it again with that end (past calls stay in them)."""
    version = contract.current
    if version is None or not has_call(version):
        return 0
    call = call_of(contract, version)
    if call.sequence == (version.number or 0):
        return 0  # it ended on the agreed end, which calendars already have
    return call_send(contract=contract, call=call, reason="ended")


# Personal data (accounts.registry) ---------------------------------------------------------


def person_data_export(user: User) -> dict[str, Any]:
    """Check-ins in a person's export. An engineer's: every week of their contracts that
    was answered, skipped or missed, their answer and the company's answer to them. A
    teammate's: the company's answers they wrote."""
    data: dict[str, Any] = {}
    mine = (
        CheckIn.objects.filter(contract__profile__user=user)
        .select_related("contract__company", "contract__current")
        .order_by("contract_id", "week_of")
    )
    if mine:
        data["check_ins"] = [
            {
                "company": c.contract.company.name,
                "contract": c.contract.current.title if c.contract.current else "",
                "week_of": c.week_of,
                "status": c.get_status_display(),
                "done": c.done,
                "next": c.next,
                "blockers": c.blockers,
                "hours": c.hours,
                "how_it_is_going": c.get_health_display() if c.health else "",
                "answered": c.answered_at,
                "skipped": c.skipped_at,
                "company_answer": {
                    "priorities_clear": c.get_priorities_clear_display(),
                    "feedback": c.feedback,
                    "blockers_they_own": c.company_blockers,
                    "answered": c.company_answered_at,
                }
                if c.company_answered_at
                else None,
            }
            for c in mine
        ]
    answered = (
        CheckIn.objects.filter(company_by=user)
        .select_related("contract__profile__user")
        .order_by("company_answered_at")
    )
    if answered:
        data["check_in_answers_you_wrote"] = [
            {
                "engineer": c.contract.profile.user.display_name,
                "week_of": c.week_of,
                "priorities_clear": c.get_priorities_clear_display(),
                "feedback": c.feedback,
                "blockers_you_own": c.company_blockers,
                "answered": c.company_answered_at,
            }
            for c in answered
        ]
    return data
