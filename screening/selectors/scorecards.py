"""Scorecards as a teammate may read them: the blind rule, and the reads its pages share.

The rule lives in one place, ``_readable``, and runs in the database: every page that
shows a scorecard (the summary, the candidacy page's panel, the scorecard page) reads
through ``scorecards_for``, which selects a card's ratings and recommendation only
when the viewer may read them. A hidden card leaves the database with its
interviewer and whether it is in, never with what it says.

A teammate, owner included, reads another person's scorecard on a candidacy only when
1. they owe no scorecard of their own on an interview of that candidacy still to
   happen or being held (proposed or booked), and
2. for that card's interview, they submitted their own, or they were not on it and
   every interviewer of it has submitted, or the engineer did not show.
Their own card they always read. Cancelled interviews are left out of every page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, Exists, F, JSONField, OuterRef, Q, Value, When
from django.db.models import IntegerField as IntField
from django.http import Http404

from accounts.models import Company, User
from screening.models import (
    Candidacy,
    Focus,
    Interview,
    KitQuestion,
    Recommendation,
    Score,
    Scorecard,
)

#: Interviews whose interviewers still owe their cards (a pending one here keeps the
#: candidacy's other cards hidden from its interviewer).
OWING = (Interview.Status.PROPOSED, Interview.Status.BOOKED)
#: Interviews the scorecard pages show (a cancelled one has nothing to say).
SHOWN = (Interview.Status.PROPOSED, Interview.Status.BOOKED, Interview.Status.NO_SHOW)


def _owes_a_card(viewer: User) -> Exists:
    """The viewer has an unsubmitted card on an open interview of the row's candidacy."""
    return Exists(
        Scorecard.objects.filter(
            interviewer=viewer,
            submitted_at__isnull=True,
            interview__candidacy=OuterRef("interview__candidacy"),
            interview__status__in=OWING,
        )
    )


def _readable(viewer: User) -> Q:
    """Whether ``viewer`` may read a scorecard row's ratings and recommendation."""
    on_it = Scorecard.objects.filter(interview=OuterRef("interview"), interviewer=viewer)
    outstanding = Scorecard.objects.filter(
        interview=OuterRef("interview"), submitted_at__isnull=True
    )
    return Q(interviewer=viewer) | (
        Q(submitted_at__isnull=False)
        & ~_owes_a_card(viewer)
        & (
            Exists(on_it.filter(submitted_at__isnull=False))
            | (~Exists(on_it) & ~Exists(outstanding))
            | Q(interview__status=Interview.Status.NO_SHOW)
        )
    )


@dataclass(frozen=True)
class Cell:
    """One interviewer's rating of one focus attribute (``score`` None: not assessed)."""

    by: str  # the interviewer, as the column names them
    score: int | None
    evidence: str

    @property
    def label(self) -> str:
        return Score(self.score).label if self.score in Score.values else "Not assessed"


@dataclass(frozen=True)
class Seat:
    """An interviewer's place on an interview, as the viewer may see it: who and whether
    their card is in for everyone; the ratings and recommendation only when
    ``readable`` (otherwise empty)."""

    pk: int
    interviewer: User
    submitted_at: datetime | None
    mine: bool
    readable: bool
    ratings: dict[str, Any]
    recommendation: int | None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def shown(self) -> bool:
        """A card in whose contents the viewer may read."""
        return self.submitted and self.readable

    @property
    def recommendation_label(self) -> str:
        if self.recommendation in Recommendation.values:
            return Recommendation(self.recommendation).label
        return ""

    @property
    def name(self) -> str:
        return self.interviewer.display_name + (" (you)" if self.mine else "")

    def cell(self, focus: str) -> Cell:
        rating = self.ratings.get(focus) if isinstance(self.ratings, dict) else None
        if not isinstance(rating, dict):
            return Cell(self.name, None, "")
        score = rating.get("score")
        evidence = str(rating.get("evidence", ""))
        return Cell(self.name, score if score in Score.values else None, evidence)


@dataclass
class Row:
    """A focus attribute across the shown cards (the summary table's row)."""

    focus: str
    label: str
    cells: list[Cell]

    @property
    def rated(self) -> bool:
        return any(cell.score is not None for cell in self.cells)


@dataclass
class InterviewCards:
    """One interview's interviewers and the cards the viewer may read."""

    interview: Interview
    seats: list[Seat] = field(default_factory=list)
    owes_elsewhere: bool = False  # the viewer owes a card on an open interview

    @property
    def mine(self) -> Seat | None:
        return next((s for s in self.seats if s.mine), None)

    @property
    def shown(self) -> list[Seat]:
        """The submitted cards the viewer reads (the summary's columns), theirs first."""
        return sorted((s for s in self.seats if s.shown), key=lambda s: not s.mine)

    @property
    def submitted(self) -> list[Seat]:
        return [s for s in self.seats if s.submitted]

    @property
    def pending(self) -> list[Seat]:
        return [s for s in self.seats if not s.submitted]

    @property
    def hidden(self) -> list[Seat]:
        """Cards in that the viewer may not read yet."""
        return [s for s in self.seats if s.submitted and not s.readable]

    @property
    def complete(self) -> bool:
        """Every card is in and the viewer reads them all."""
        return bool(self.seats) and all(s.shown for s in self.seats)

    @property
    def focus(self) -> list[str]:
        return [f for f in self.interview.focus if f in Focus.values]

    @property
    def focus_labels(self) -> list[str]:
        return [Focus(f).label for f in self.focus]

    @property
    def rows(self) -> list[Row]:
        shown = self.shown
        return [Row(f, Focus(f).label, [s.cell(f) for s in shown]) for f in self.focus]

    @property
    def unrated(self) -> list[str]:
        """The interview's focus attributes no card rated (said only once all are in:
        before that, a missing rating may still come)."""
        if not self.complete:
            return []
        return [row.label for row in self.rows if not row.rated]

    @property
    def tally(self) -> str:
        """The shown recommendations counted, strongest yes first: "1 strong yes · 1 no"."""
        counts = Counter(s.recommendation for s in self.shown if s.recommendation is not None)
        return " · ".join(
            f"{counts[value]} {Recommendation(value).label.lower()}"
            for value in sorted(counts, reverse=True)
        )

    @property
    def blind_note(self) -> str:
        """Why the viewer does not read every card that is in (empty when they do)."""
        mine = self.mine
        waiting_on_others = bool(self.pending) and mine is None
        if self.interview.status == Interview.Status.NO_SHOW:
            waiting_on_others = False  # the cards written are all there will be
        if not self.hidden and not waiting_on_others:
            return ""
        if mine is not None and not mine.submitted:
            return "Submit your own scorecard to read the others'."
        if self.owes_elsewhere:
            return (
                "You still owe a scorecard on another interview of this engineer: "
                "the team's cards stay hidden from you until you submit it."
            )
        if self.interview.status == Interview.Status.PROPOSED:
            return "Scorecards open once the engineer picks a time and the interview happens."
        return (
            f"The cards show once every interviewer has submitted "
            f"({len(self.submitted)} of {len(self.seats)} in so far)."
        )


def scorecards_for(
    *, viewer: User, candidacy: Candidacy, interview: Interview | None = None
) -> list[InterviewCards]:
    """The candidacy's interviews (or only ``interview``) with their interviewers, each
    card's contents present only when ``viewer`` may read it. One query.

    Interviews come in the order they happen (not yet booked last); the viewer must
    already be known to be on the candidacy's team (a fetch-and-check helper)."""
    readable = _readable(viewer)
    rows = (
        Scorecard.objects.filter(interview__candidacy=candidacy)
        .select_related("interview", "interviewer")
        .defer("ratings", "recommendation")
        .annotate(
            readable=Case(When(readable, then=Value(True)), default=Value(False)),
            owes=Case(
                When(_owes_a_card(viewer), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            seen_ratings=Case(
                When(readable, then=F("ratings")),
                default=Value(None, output_field=JSONField()),
                output_field=JSONField(),
            ),
            seen_recommendation=Case(
                When(readable, then=F("recommendation")),
                default=Value(None, output_field=IntField()),
                output_field=IntField(),
            ),
        )
        .order_by(
            F("interview__starts_at").asc(nulls_last=True),
            "interview__created_at",
            "interview_id",
            "pk",
        )
    )
    if interview is not None:
        rows = rows.filter(interview=interview)
    else:
        rows = rows.filter(interview__status__in=SHOWN)
    found: dict[int, InterviewCards] = {}
    for row in rows:
        cards = found.get(row.interview_id)
        if cards is None:
            cards = found[row.interview_id] = InterviewCards(
                interview if interview is not None else row.interview
            )
        cards.owes_elsewhere = row.owes  # type: ignore[attr-defined]
        cards.seats.append(
            Seat(
                pk=row.pk,
                interviewer=row.interviewer,
                submitted_at=row.submitted_at,
                mine=row.interviewer_id == viewer.pk,
                readable=row.readable,  # type: ignore[attr-defined]
                ratings=row.seen_ratings or {},  # type: ignore[attr-defined]
                recommendation=row.seen_recommendation,  # type: ignore[attr-defined]
            )
        )
    return list(found.values())


def get_interview_for_interviewer(user: Any, pk: int) -> Interview:
    """An interview the user is an interviewer on (in their own company), with its
    candidacy, engineer, brief, company and kit in one query; 404 for everyone else,
    teammates who are not on it included."""
    if not user.is_authenticated or not user.is_employer:
        raise Http404("No such interview.")
    interview = (
        Interview.objects.select_related(
            "company", "kit", "candidacy__brief", "candidacy__profile__user"
        )
        .filter(pk=pk, scorecards__interviewer=user, company__memberships__user=user)
        .first()
    )
    if interview is None:
        raise Http404("No such interview.")
    return interview


def kit_questions(interview: Interview) -> list[KitQuestion]:
    """The questions of the interview's kit in order (none when the kit was deleted)."""
    if interview.kit_id is None:
        return []
    return list(KitQuestion.objects.filter(kit_id=interview.kit_id).select_related("question"))


def viewer_zone(user: User, company: Company) -> str:
    """The teammate's own time zone, else the company's (for showing interview times)."""
    membership = getattr(user, "membership", None)
    return (membership.time_zone if membership else "") or company.time_zone
