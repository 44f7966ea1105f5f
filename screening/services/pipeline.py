"""Every write to the pipeline: adding engineers, moving them, reviewing them.

Moves use a conditional update on the stage the teammate saw, so two teammates
(or one double submit) can never move a card twice or from a stage it has left.
Higher apps hear of each move through ``screening.signals.stage_changed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import Conflict, Refused
from accounts.models import User
from candidates.models import Profile
from screening.models import (
    CLOSED_STAGES,
    HAND_STAGES,
    OPEN_STAGES,
    Assessment,
    Candidacy,
    Grade,
    Interview,
    NotAFitReason,
    Review,
    Scorecard,
    Stage,
    StageMove,
)
from screening.signals import stage_changed
from searches.models import Brief


@dataclass
class Added:
    """What adding several engineers did: who went in, who was already there, who could not."""

    added: list[Candidacy] = field(default_factory=list)
    already: list[Candidacy] = field(default_factory=list)
    unavailable: int = 0

    def notice(self, brief: Brief) -> str:
        parts = []
        if self.added:
            one = len(self.added) == 1
            who = self.added[0].profile.user.display_name if one else f"{len(self.added)} engineers"
            parts.append(f"Added {who} to the pipeline for {brief.title}.")
        if self.already:
            n = len(self.already)
            parts.append(f"{n} {'was' if n == 1 else 'were'} already in it.")
        if self.unavailable:
            parts.append(f"{self.unavailable} can no longer be added (not listed for you).")
        return " ".join(parts) or "Nobody was added."


def _check_brief(brief: Brief) -> None:
    if brief.status == Brief.Status.CLOSED:
        raise Refused("This brief is closed. Reopen it to add engineers to its pipeline.")


@transaction.atomic
def candidacies_add(*, brief: Brief, profile_ids: Iterable[int], user: User) -> Added:
    """Put engineers into a brief's pipeline as Sourced, each at most once per brief.

    Only engineers listed for the brief's company (approved, looking, not blocking
    it) can be added; other ids are counted as unavailable, never revealed.
    """
    _check_brief(brief)
    wanted = list(dict.fromkeys(int(pk) for pk in profile_ids))
    result = Added()
    if not wanted:
        return result
    existing = {
        c.profile_id: c
        for c in Candidacy.objects.select_related("profile__user").filter(
            brief=brief, profile_id__in=wanted
        )
    }
    result.already = [existing[pk] for pk in wanted if pk in existing]
    fresh = [pk for pk in wanted if pk not in existing]
    profiles = {
        p.pk: p
        for p in Profile.objects.visible_to(brief.company)
        .select_related("user")
        .filter(pk__in=fresh)
    }
    result.unavailable = len(fresh) - len(profiles)
    now = timezone.now()
    for pk in fresh:
        profile = profiles.get(pk)
        if profile is None:
            continue
        try:
            with transaction.atomic():
                candidacy = Candidacy.objects.create(
                    company=brief.company,
                    brief=brief,
                    profile=profile,
                    stage=Stage.SOURCED,
                    stage_since=now,
                    added_by=user,
                )
        except IntegrityError:  # a teammate added them a moment ago
            result.already.append(Candidacy.objects.get(brief=brief, profile=profile))
            continue
        StageMove.objects.create(candidacy=candidacy, to_stage=Stage.SOURCED, by=user, at=now)
        result.added.append(candidacy)
    return result


def candidacy_add(*, brief: Brief, profile: Profile, user: User) -> Added:
    return candidacies_add(brief=brief, profile_ids=[profile.pk], user=user)


def reopen_stage(candidacy: Candidacy) -> Stage:
    """Where a closed candidacy goes back to (see ``reopen_target``)."""
    closed_from = getattr(candidacy, "closed_from", None)  # screening.selectors annotates it
    if closed_from is None:
        last = candidacy.moves.filter(to_stage=candidacy.stage).order_by("-at", "-pk").first()
        closed_from = last.from_stage if last else ""
    return reopen_target(candidacy.stage, closed_from)


def reopen_target(closed: str, closed_from: str) -> Stage:
    """The reopening stage of a card closed as ``closed`` from ``closed_from`` (pure).

    Not a fit was the team's call, so undoing it puts the card back where it was. A
    card the engineer closed (declined, stepped back) or the clock closed (no answer)
    goes back to Sourced: only a new outreach and a new yes can move it on again.
    """
    previous = Stage(closed_from) if closed_from else Stage.SOURCED
    if closed != Stage.NOT_A_FIT:
        return Stage.SOURCED
    if previous in (Stage.SOURCED, Stage.CONTACTED) or previous in CLOSED_STAGES:
        return Stage.SOURCED
    return previous


def hand_targets(candidacy: Candidacy) -> list[Stage]:
    """The stages a teammate may move this card to by hand (not a fit is its own form)."""
    if candidacy.stage in CLOSED_STAGES:
        return []
    if candidacy.stage in HAND_STAGES:
        return [s for s in HAND_STAGES if s != candidacy.stage]
    return []


@transaction.atomic
def candidacy_move(
    *,
    candidacy: Candidacy,
    to: str,
    by: User | None,
    expected: str | None = None,
    reason: str = "",
    note: str = "",
    told_engineer: bool = False,
    via_outreach: bool = False,
) -> StageMove:
    """Move a card to ``to``, from the stage it is in (``expected``, when the caller
    knows which stage it saw). Raises Conflict when the card has moved since, and
    Refused for a move the pipeline does not allow."""
    to_stage = Stage(to)
    current = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if expected is not None and current.stage != expected:
        raise Conflict(
            f"This card is now in {current.get_stage_display()}: it was moved a moment ago. "
            "Nothing was changed."
        )
    frm = Stage(current.stage)
    if frm == to_stage:
        raise Conflict(f"The card is already in {to_stage.label}. Nothing was changed.")
    if not via_outreach:
        _check_hand_move(current, frm, to_stage, reason)
    now = timezone.now()
    current.stage = to_stage
    current.stage_since = now
    current.save(update_fields=["stage", "stage_since"])
    move = StageMove.objects.create(
        candidacy=current,
        from_stage=frm,
        to_stage=to_stage,
        by=by,
        reason=reason,
        note=note.strip(),
        told_engineer=told_engineer,
        at=now,
    )
    candidacy.stage, candidacy.stage_since = current.stage, current.stage_since
    stage_changed.send(sender=Candidacy, candidacy=current, move=move)
    return move


def _check_hand_move(candidacy: Candidacy, frm: Stage, to: Stage, reason: str) -> None:
    if to == Stage.NOT_A_FIT:
        if frm in CLOSED_STAGES:
            raise Refused("This candidacy is already closed.")
        if reason not in NotAFitReason.values:
            raise Refused("Choose why this engineer is not a fit.")
        return
    if frm in CLOSED_STAGES:
        if to != reopen_stage(candidacy):
            raise Refused(f"A closed candidacy reopens in {reopen_stage(candidacy).label}.")
        return
    if to in (Stage.CONTACTED, Stage.INTERESTED) and frm in (Stage.SOURCED, Stage.CONTACTED):
        raise Refused(
            "Contacted and Interested follow the engineer's answer: send them an outreach."
        )
    if to not in hand_targets(candidacy):
        raise Refused(f"A card in {frm.label} cannot be moved to {to.label} by hand.")


def candidacy_reopen(*, candidacy: Candidacy, by: User, expected: str | None = None) -> StageMove:
    if candidacy.stage not in CLOSED_STAGES:
        raise Conflict("This candidacy is open already. Nothing was changed.")
    return candidacy_move(
        candidacy=candidacy, to=reopen_stage(candidacy), by=by, expected=expected or candidacy.stage
    )


@transaction.atomic
def review_save(*, candidacy: Candidacy, author: User, rating: int, note: str = "") -> Review:
    """Leave or change the teammate's own review of a Sourced engineer."""
    if candidacy.stage != Stage.SOURCED:
        raise Conflict(
            "Reviews are for engineers still in Sourced; this one has moved on. "
            "Nothing was changed."
        )
    if rating not in Review.Rating.values:
        raise Refused("Choose a rating: strong no, no, yes or strong yes.")
    review, _ = Review.objects.update_or_create(
        candidacy=candidacy, author=author, defaults={"rating": rating, "note": note.strip()}
    )
    return review


def open_stage_index(stage: str) -> int:
    """Position of an open stage on the board (closed stages sort after)."""
    try:
        return OPEN_STAGES.index(Stage(stage))
    except ValueError:
        return len(OPEN_STAGES)


def person_data_export(user: User) -> dict[str, Any]:
    """screening's part of a person's export.

    A teammate's: the reviews, grades and scorecards they wrote. An engineer's: the
    assessments and interviews they were sent, with what they submitted (their own
    words). An engineer's place in a company's pipeline (stage names, the team's
    scores and notes) is that company's working note, so it is not part of it.
    """
    reviews = [
        {
            "brief": review.candidacy.brief.title,
            "engineer": review.candidacy.profile.user.display_name,
            "rating": review.get_rating_display(),
            "note": review.note,
            "written": review.created_at,
        }
        for review in Review.objects.filter(author=user).select_related(
            "candidacy__brief", "candidacy__profile__user"
        )
    ]
    grades = [
        {
            "assessment": grade.assessment.title,
            "engineer": grade.assessment.candidacy.profile.user.display_name,
            "scores": grade.scores,
            "recommendation": grade.get_recommendation_display() if grade.recommendation else "",
            "submitted": grade.submitted_at,
        }
        for grade in Grade.objects.filter(grader=user).select_related(
            "assessment__candidacy__profile__user"
        )
    ]
    scorecards = [
        {
            "interview": card.interview.get_kind_display(),
            "engineer": card.interview.candidacy.profile.user.display_name,
            "ratings": card.ratings,
            "recommendation": card.get_recommendation_display() if card.recommendation else "",
            "submitted": card.submitted_at,
        }
        for card in Scorecard.objects.filter(interviewer=user).select_related(
            "interview__candidacy__profile__user"
        )
    ]
    received = Q(candidacy__profile__user=user)
    assessments = [
        {
            "company": a.company.name,
            "title": a.title,
            "status": a.get_status_display(),
            "deadline": a.deadline,
            "your_link": a.submission_url,
            "your_note": a.submission_note,
            "submitted": a.submitted_at,
        }
        for a in Assessment.objects.filter(received).select_related("company")
    ]
    interviews = [
        {
            "company": i.company.name,
            "interview": i.get_kind_display(),
            "status": i.get_status_display(),
            "starts": i.starts_at,
            "your_note": i.others_note,
        }
        for i in Interview.objects.filter(received).select_related("company")
    ]
    parts = {
        "reviews_you_wrote": reviews,
        "grades_you_gave": grades,
        "scorecards_you_wrote": scorecards,
        "assessments_you_were_sent": assessments,
        "interviews_you_were_invited_to": interviews,
    }
    return {name: rows for name, rows in parts.items() if rows}


def person_data_erase(user: User) -> None:
    """A teammate's reviews go with them; the cards they added and moved stay with the
    company, no longer attributed to them (an engineer's candidacies go with the profile)."""
    Review.objects.filter(author=user).delete()
    Candidacy.objects.filter(added_by=user).update(added_by=None)
    StageMove.objects.filter(by=user).update(by=None)
