"""What each company asks of an engineer right now, for their Opportunities pages.

``engineer_asks(profile, now)`` reads it in two queries however many companies,
assessments and interviews there are: the assessments waiting for the engineer, and
the interviews with times to pick or booked ahead. Each ask knows how to say its time
in the engineer's zone (Profile.time_zone) and in the company's.

Only what the engineer may see: titles, deadlines and times. Never scores, grades,
scorecards, kits or the team's notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.utils import dateformat, timezone

from accounts.models import Company
from candidates.models import Profile
from screening.models import Assessment, Interview


class AskKind(StrEnum):
    ASSESSMENT = "assessment"  # an assessment to submit before its deadline
    PICK = "pick"  # interview times offered: pick one (or ask for others)
    WAITING = "waiting"  # the engineer asked for other times; the company will offer them
    PASSED = "passed"  # every time offered has gone by: ask for others
    REPICK = "repick"  # a booked interview with new times offered: pick one to move it
    INTERVIEW = "interview"  # a booked interview ahead


def place_of(zone: str) -> str:
    """A zone's city as people say it: "Europe/Berlin" → "Berlin"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class Ask:
    """One thing a company is waiting for from the engineer, or a booked interview."""

    kind: AskKind
    candidacy_id: int
    company: Company
    pk: int  # the assessment's or the interview's
    title: str  # the assessment's title or the interview's kind ("Technical interview")
    at: datetime | None  # UTC: the deadline, or the booked start
    engineer_zone: str
    length_minutes: int = 0
    slots: int = 0  # times offered, still ahead
    extension: str = ""  # the assessment's request for more time, if any

    def _local(self, zone: str, fmt: str) -> str:
        if self.at is None:
            return ""
        return dateformat.format(timezone.localtime(self.at, ZoneInfo(zone)), fmt)

    @property
    def is_assessment(self) -> bool:
        return self.kind == AskKind.ASSESSMENT

    @property
    def same_zone(self) -> bool:
        """Whether the company's clock reads the same as the engineer's at that time."""
        if self.at is None:
            return True
        here = self.at.astimezone(ZoneInfo(self.engineer_zone)).utcoffset()
        there = self.at.astimezone(ZoneInfo(self.company.time_zone)).utcoffset()
        return here == there

    @property
    def company_place(self) -> str:
        return place_of(self.company.time_zone)

    @property
    def when_yours(self) -> str:
        """The time in the engineer's zone: "3 Dec, 17:00" or "Tue 8 Dec, 15:00"."""
        return self._local(self.engineer_zone, "j M, H:i" if self.is_assessment else "D j M, H:i")

    @property
    def when_theirs(self) -> str:
        """The time on the company's clock: "10:00", or "Mon 7 Dec, 23:00" on another day."""
        if self.at is None:
            return ""
        mine = timezone.localtime(self.at, ZoneInfo(self.engineer_zone)).date()
        theirs = timezone.localtime(self.at, ZoneInfo(self.company.time_zone)).date()
        return self._local(self.company.time_zone, "H:i" if mine == theirs else "D j M, H:i")

    @property
    def at_iso(self) -> str:
        return self.at.isoformat() if self.at else ""

    @property
    def summary(self) -> str:
        """One line for the Opportunities list."""
        theirs = "" if self.same_zone else f" ({self.when_theirs} in {self.company_place})"
        if self.kind == AskKind.ASSESSMENT:
            return f"Assessment due {self.when_yours} your time{theirs}"
        if self.kind == AskKind.PICK:
            return "Pick an interview time"
        if self.kind == AskKind.PASSED:
            return "The interview times offered have passed: ask for new ones"
        if self.kind == AskKind.WAITING:
            return f"You asked for other interview times: {self.company.name} will offer them"
        if self.kind == AskKind.REPICK:
            return "New interview times offered: pick one to move your interview"
        return f"Interview {self.when_yours} your time{theirs}"


def engineer_asks(
    profile: Profile, now: datetime, *, candidacy_id: int | None = None
) -> dict[int, list[Ask]]:
    """Per candidacy (each is one company's brief), what is asked of the engineer now:
    assessments to submit (deadline soonest first), interview times to pick, booked
    interviews ahead. Two queries. ``candidacy_id`` narrows it to one candidacy."""
    mine = Q(candidacy__profile=profile)
    if candidacy_id is not None:
        mine &= Q(candidacy_id=candidacy_id)
    zone = profile.time_zone
    asks: dict[int, list[Ask]] = {}

    assessments = (
        Assessment.objects.filter(mine, status=Assessment.Status.SENT)
        .select_related("company")
        .only(
            "pk",
            "candidacy_id",
            "title",
            "deadline",
            "extension",
            "company__name",
            "company__time_zone",
        )
        .order_by("deadline", "pk")
    )
    for assessment in assessments:
        asks.setdefault(assessment.candidacy_id, []).append(
            Ask(
                kind=AskKind.ASSESSMENT,
                candidacy_id=assessment.candidacy_id,
                company=assessment.company,
                pk=assessment.pk,
                title=assessment.title,
                at=assessment.deadline,
                engineer_zone=zone,
                extension=assessment.extension,
            )
        )

    ahead = Q(slots__starts_at__gt=now)
    interviews = (
        Interview.objects.filter(mine)
        .filter(
            Q(status=Interview.Status.PROPOSED) | Q(status=Interview.Status.BOOKED, ends_at__gt=now)
        )
        .select_related("company")
        .only(
            "pk",
            "candidacy_id",
            "kind",
            "status",
            "starts_at",
            "length_minutes",
            "others_asked_at",
            "company__name",
            "company__time_zone",
        )
        .annotate(
            # Offered times still ahead; for a booked interview, others than its own time.
            offered=Count(
                "slots",
                filter=ahead & (Q(starts_at__isnull=True) | ~Q(slots__starts_at=F("starts_at"))),
            ),
        )
        .order_by(F("starts_at").asc(nulls_first=True), "pk")
    )
    for interview in interviews:
        common = {
            "candidacy_id": interview.candidacy_id,
            "company": interview.company,
            "pk": interview.pk,
            "title": interview.get_kind_display(),
            "engineer_zone": zone,
            "length_minutes": interview.length_minutes,
            "slots": interview.offered,  # type: ignore[attr-defined]
        }
        found = asks.setdefault(interview.candidacy_id, [])
        if interview.status == Interview.Status.PROPOSED:
            if interview.offered:  # type: ignore[attr-defined]
                kind = AskKind.PICK
            elif interview.others_asked_at:
                kind = AskKind.WAITING
            else:
                kind = AskKind.PASSED
            found.append(Ask(kind=kind, at=None, **common))  # type: ignore[arg-type]
            continue
        found.append(Ask(kind=AskKind.INTERVIEW, at=interview.starts_at, **common))  # type: ignore[arg-type]
        if interview.offered:  # type: ignore[attr-defined]
            found.append(Ask(kind=AskKind.REPICK, at=None, **common))  # type: ignore[arg-type]
        elif interview.others_asked_at:  # asked to move it; the booked time holds meanwhile
            found.append(Ask(kind=AskKind.WAITING, at=None, **common))  # type: ignore[arg-type]
    return asks
