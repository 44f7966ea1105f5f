"""Interviews' reads: fetch-and-check helpers, who takes part (and in which zone), the
free slots for a set of people, and times shown in each viewer's zone.

Access: every member of the company sees its interviews; the engineer sees their own
on their side (``my/interviews/...``). Anyone else gets a 404 for an interview id,
whatever their role, so an id never reveals that an interview exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.errors import Conflict, Refused
from accounts.models import Company, Membership, User, WorkingDay
from candidates.models import Profile
from screening.models import (
    BriefKit,
    Candidacy,
    Interview,
    InterviewKit,
    InterviewSlot,
    KitQuestion,
    Scorecard,
)
from screening.slots import Interval, Slot, free_slots

#: Lengths a team may choose, in minutes.
LENGTHS = (30, 45, 60, 90)
#: At most this many times in one offer.
MAX_OFFERED = 20
#: Times pre-ticked per day on the scheduling page.
PRETICK_PER_DAY = 2


# Fetch and check -----------------------------------------------------------------------


def get_interview_for_user(user: Any, pk: int) -> Interview:
    """An interview of the user's company, with its candidacy, engineer and kit, in one
    query; 404 for everyone else (engineers included)."""
    interview = None
    if user.is_authenticated and user.is_employer:
        interview = (
            Interview.objects.select_related(
                "company",
                "candidacy__brief",
                "candidacy__profile__user",
                "kit",
                "created_by",
                "no_show_by",
            )
            .filter(pk=pk, company__memberships__user=user)
            .first()
        )
    if interview is None:
        raise Http404("No such interview.")
    return interview


def get_interview_for_engineer(user: Any, pk: int) -> Interview:
    """An interview of this engineer (any company's); 404 for everyone else."""
    interview = None
    if user.is_authenticated and user.is_engineer:
        interview = (
            Interview.objects.select_related(
                "company", "candidacy__brief", "candidacy__profile__user", "kit"
            )
            .filter(pk=pk, candidacy__profile__user=user)
            .first()
        )
    if interview is None:
        raise Http404("No such interview.")
    return interview


# Who takes part, and where ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone on an interview: their account, and the working day (and so the zone)
    their times are shown in."""

    user: User
    working_day: WorkingDay
    is_engineer: bool = False

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def time_zone(self) -> str:
        return self.working_day.time_zone


def engineer_person(profile: Profile) -> Person:
    return Person(profile.user, profile.working_day, is_engineer=True)


def member_person(membership: Membership) -> Person:
    return Person(membership.user, membership.working_day)


def teammates(company: Company) -> list[Membership]:
    """The company's members with their accounts (the company object shared, so a
    working day costs no query), by name."""
    members = list(Membership.objects.filter(company=company).select_related("user"))
    for member in members:
        member.company = company
    return sorted(members, key=lambda m: (m.user.display_name.lower(), m.pk))


def viewer_zone(user: User, company: Company) -> str:
    """The zone a teammate reads times in: their own, else the company's."""
    membership = Membership.objects.filter(user=user, company=company).first()
    if membership is None:
        return company.time_zone
    membership.company = company
    return membership.working_day.time_zone


def interview_scorecards(interview: Interview) -> list[Scorecard]:
    """The interviewers' places on an interview (no scores read here), each with the
    interviewer and their membership."""
    return list(
        Scorecard.objects.filter(interview=interview)
        .select_related("interviewer__membership")
        .order_by("pk")
    )


def current_members(interview: Interview, places: Iterable[Scorecard]) -> list[Membership]:
    """The interviewers still in the company, as memberships (for their working days).
    One who has left keeps no place on the invitations or the emails."""
    members = []
    for place in places:
        membership = getattr(place.interviewer, "membership", None)
        if membership is not None and membership.company_id == interview.company_id:
            membership.company = interview.company
            members.append(membership)
    return members


def interview_people(interview: Interview) -> tuple[Person, list[Person]]:
    """The engineer and the interviewers of an interview (one query: the interview comes
    with ``candidacy__profile__user`` from the fetch helpers)."""
    members = current_members(interview, interview_scorecards(interview))
    return engineer_person(interview.candidacy.profile), [member_person(m) for m in members]


def is_interviewer(user: User, places: Iterable[Scorecard]) -> bool:
    return any(place.interviewer_id == user.pk for place in places)


# Free slots ------------------------------------------------------------------------------


def busy_intervals(
    *,
    interviewer_ids: Sequence[int],
    profile_id: int,
    start: datetime,
    end: datetime,
    exclude: int | None = None,
) -> list[Interval]:
    """The booked times, between ``start`` and ``end``, of any of the interviewers and of
    the engineer (with any company), except interview ``exclude``."""
    theirs = Scorecard.objects.filter(interview=OuterRef("pk"), interviewer_id__in=interviewer_ids)
    booked = Interview.objects.filter(
        Q(Exists(theirs)) | Q(candidacy__profile_id=profile_id),
        status=Interview.Status.BOOKED,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    if exclude is not None:
        booked = booked.exclude(pk=exclude)
    return [(s, e) for s, e in booked.values_list("starts_at", "ends_at") if s and e]


@dataclass
class Proposal:
    """The free slots for a set of people (``free``), and the slots their working days
    would allow if nobody were busy (``possible``): a time in the second but not the
    first was taken by another interview."""

    free: list[Slot]
    possible: list[Slot]

    def refusal(self, starts: Iterable[datetime]) -> Refused | None:
        """Why some of ``starts`` cannot be offered (Refused: never proposed; Conflict:
        taken since), or None."""
        free = {slot.starts for slot in self.free}
        possible = {slot.starts for slot in self.possible}
        never = [s for s in starts if s not in possible]
        if never:
            return Refused(
                f"{len(never)} of the chosen times {'is' if len(never) == 1 else 'are'} not "
                "among the times Karigar proposed (outside someone's working hours, on a "
                "weekend, too soon, or not on the half hour). Nothing was saved."
            )
        taken = [s for s in starts if s not in free]
        if taken:
            return Conflict(
                f"{len(taken)} of the chosen times {'is' if len(taken) == 1 else 'are'} no "
                "longer free: someone taking part was booked for another interview then. "
                "Here are the times that are free now. Nothing was saved."
            )
        return None


def proposal(
    *,
    company: Company,
    engineer: Profile,
    interviewers: Sequence[Membership],
    length_minutes: int,
    now: datetime | None = None,
    exclude: int | None = None,
) -> Proposal:
    """The slots over the company's next ten working days inside the working hours of
    every interviewer and the engineer, and free of their other booked interviews
    (``exclude``: the interview being rescheduled, whose own time does not count)."""
    now = now or timezone.now()
    days = [m.working_day for m in interviewers] + [engineer.working_day]
    length = timedelta(minutes=length_minutes)
    possible = free_slots(
        organiser=company.working_day, participants=days, length=length, after=now
    )
    span = (possible[0].starts, possible[-1].ends) if possible else (now, now)
    busy = busy_intervals(
        interviewer_ids=[m.user_id for m in interviewers],
        profile_id=engineer.pk,
        start=span[0],
        end=span[1],
        exclude=exclude,
    )
    free = free_slots(
        organiser=company.working_day, participants=days, busy=busy, length=length, after=now
    )
    return Proposal(free=free, possible=possible)


# Times in each viewer's zone ---------------------------------------------------------------


def zone_label(tz_name: str) -> str:
    """A zone as people say it: "Karachi", "New York"."""
    return tz_name.rsplit("/", 1)[-1].replace("_", " ")


def local(moment: datetime, tz_name: str) -> datetime:
    return timezone.localtime(moment, ZoneInfo(tz_name))


def day_text(moment: datetime) -> str:
    """ "Monday 15 March" (of an already local moment)."""
    return f"{moment:%A} {moment.day} {moment:%B}"


def span_text(starts: datetime, ends: datetime, tz_name: str, *, with_day: bool = True) -> str:
    """ "Monday 15 March 2027, 19:00–20:00 PKT" in ``tz_name``."""
    a, b = local(starts, tz_name), local(ends, tz_name)
    hours = (
        f"{a:%H:%M}–{b:%H:%M} {b:%Z}"
        if a.date() == b.date()
        else (f"{a:%H:%M} to {day_text(b)} {b:%H:%M} {b:%Z}")
    )
    return f"{day_text(a)} {a.year}, {hours}" if with_day else hours


@dataclass
class SlotRow:
    """One time as a viewer sees it, with the other side's time beside it."""

    value: str  # what the form posts back: the UTC start, ISO
    pk: int | None
    text: str  # in the viewer's zone, without the day (the day heads the group)
    other: str  # in the other side's zone, with its day when that differs
    checked: bool = False


@dataclass
class SlotDay:
    label: str
    rows: list[SlotRow] = field(default_factory=list)


def slot_value(starts: datetime) -> str:
    return starts.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")


def slot_days(
    slots: Iterable[Slot | InterviewSlot],
    *,
    viewer_tz: str,
    other_tz: str,
    ticked: set[datetime] | None = None,
    pretick: bool = False,
) -> list[SlotDay]:
    """Slots grouped by day in the viewer's zone, each with the other side's time.

    ``ticked``: the starts to show ticked; else, with ``pretick``, up to two a day are
    ticked, the first and one later in the day, so an offer spreads over the day."""
    days: dict[date, SlotDay] = {}
    for slot in slots:
        starts, ends = _bounds(slot)
        mine, theirs = local(starts, viewer_tz), local(starts, other_tz)
        day = days.setdefault(mine.date(), SlotDay(day_text(mine)))
        other = span_text(starts, ends, other_tz, with_day=False)
        if theirs.date() != mine.date():
            other = f"{other}, {theirs:%a} {theirs.day} {theirs:%b}"
        day.rows.append(
            SlotRow(
                value=slot_value(starts),
                pk=slot.pk if isinstance(slot, InterviewSlot) else None,
                text=span_text(starts, ends, viewer_tz, with_day=False),
                other=other,
                checked=bool(ticked and starts in ticked),
            )
        )
    if ticked is None and pretick:
        for day in days.values():
            picks = {0, len(day.rows) // 2} if len(day.rows) > 1 else {0}
            for index in sorted(picks)[:PRETICK_PER_DAY]:
                day.rows[index].checked = True
    return list(days.values())


def _bounds(slot: Slot | InterviewSlot) -> tuple[datetime, datetime]:
    if isinstance(slot, InterviewSlot):
        return slot.starts_at, slot.ends_at
    return slot.starts, slot.ends


# What the pages list -------------------------------------------------------------------


def company_kits(company: Company) -> list[InterviewKit]:
    """The kits a team can schedule with: its own, not archived."""
    return list(InterviewKit.objects.filter(company=company, archived_at__isnull=True))


def brief_kits(brief_id: int) -> dict[str, InterviewKit]:
    """The brief's kit for each kind of interview it has one for (not archived)."""
    links = BriefKit.objects.select_related("kit").filter(
        brief_id=brief_id, kit__archived_at__isnull=True
    )
    return {link.kind: link.kit for link in links}


def kit_questions(kit: InterviewKit | None) -> list[KitQuestion]:
    if kit is None:
        return []
    return list(KitQuestion.objects.filter(kit=kit).select_related("question"))


def interview_slots(interview: Interview) -> list[InterviewSlot]:
    return list(interview.slots.order_by("starts_at"))


def open_interview(candidacy: Candidacy, kind: str) -> Interview | None:
    """The candidacy's interview of this kind still waiting for a time or booked."""
    return (
        Interview.objects.filter(
            candidacy=candidacy,
            kind=kind,
            status__in=[Interview.Status.PROPOSED, Interview.Status.BOOKED],
        )
        .order_by("-pk")
        .first()
    )


def candidacy_interviews(candidacy: Candidacy, viewer: User) -> list[Interview]:
    """Every interview of a candidacy, newest first, each carrying the viewer's own zone
    as ``viewer_tz`` (empty: the company's), in one query."""
    own_zone = Membership.objects.filter(user=viewer, company=candidacy.company_id)
    return list(
        Interview.objects.filter(candidacy=candidacy)
        .annotate(viewer_tz=Subquery(own_zone.values("time_zone")[:1]))
        .order_by("-created_at", "-pk")
    )
