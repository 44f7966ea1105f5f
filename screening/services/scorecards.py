"""screening's writes for scorecards (see screening.services): an interviewer submits
theirs once, the teammate who scheduled the interview hears when the last one is in,
and the sweep reminds, once, the interviewers still without one two hours after the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, Refused
from accounts.models import User
from accounts.selectors import team_recipients
from screening.models import Focus, Interview, Recommendation, Score, Scorecard

#: How long after an interview's end an interviewer without a scorecard is reminded.
REMIND_AFTER = timedelta(hours=2)
EVIDENCE_MAX = 2000


def scorecard_closed_reason(interview: Interview, now: datetime | None = None) -> str:
    """Why scorecards cannot be written for this interview now ("" when they can).

    Not before it begins: a card written ahead would say nothing, and would end the
    blind rule early (a teammate who owes no card reads the candidacy's other cards)."""
    if interview.status == Interview.Status.PROPOSED:
        return "This interview is not booked yet: scorecards open once the engineer picks a time."
    if interview.status == Interview.Status.CANCELLED:
        return "This interview was cancelled, so it takes no scorecards."
    if interview.status == Interview.Status.NO_SHOW:
        return "The engineer did not show for this interview, so there is nothing to score."
    if interview.starts_at is not None and interview.starts_at > (now or timezone.now()):
        return "This interview has not begun yet: its scorecards open when it starts."
    return ""


ALREADY_SUBMITTED = (
    "You already submitted your scorecard for this interview, and a scorecard is final. "
    "Nothing was changed."
)


def scorecard_refusal(*, interview: Interview, interviewer: User) -> Conflict | None:
    """Why this interviewer cannot submit a card for this interview now (None: they can).
    Checked before the form, so a second submit is a conflict whatever it holds."""
    reason = scorecard_closed_reason(interview)
    if reason:
        return Conflict(f"{reason} Nothing was saved.")
    mine = Scorecard.objects.filter(interview=interview, interviewer=interviewer)
    if mine.filter(submitted_at__isnull=False).exists():
        return Conflict(ALREADY_SUBMITTED)
    return None


def _checked_ratings(interview: Interview, ratings: dict[str, Any]) -> dict[str, Any]:
    """The ratings as stored, or Refused: known attributes, scores 1–4, evidence."""
    if not ratings:
        raise Refused("Score at least one attribute. Nothing was saved.")
    clean = {}
    for focus, rating in ratings.items():
        if focus not in interview.focus or focus not in Focus.values:
            raise Refused("This interview does not rate that attribute. Nothing was saved.")
        label = Focus(focus).label
        score = rating.get("score") if isinstance(rating, dict) else None
        if isinstance(score, bool) or score not in Score.values:
            raise Refused(f"A score for {label} is 1, 2, 3 or 4. Nothing was saved.")
        evidence = str(rating.get("evidence") or "").strip()
        if not evidence:
            raise Refused(f"Write the evidence for your {label} score. Nothing was saved.")
        if len(evidence) > EVIDENCE_MAX:
            raise Refused(
                f"The evidence for {label} can be at most {EVIDENCE_MAX:,} characters. "
                "Nothing was saved."
            )
        clean[focus] = {"score": int(score), "evidence": evidence}
    return clean


@transaction.atomic
def scorecard_submit(
    *,
    interview: Interview,
    interviewer: User,
    ratings: dict[str, Any],
    recommendation: int,
    now: datetime | None = None,
) -> Scorecard:
    """Saves the interviewer's scorecard, once: it is final. When it is the interview's
    last one, the teammate who scheduled the interview is told the cards are in.

    The interview row is locked first, so two interviewers submitting at the same
    moment cannot both think the other is still out (and nobody be told)."""
    now = now or timezone.now()
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    reason = scorecard_closed_reason(locked, now)
    if reason:
        raise Conflict(f"{reason} Nothing was saved.")
    if recommendation not in Recommendation.values:
        raise Refused("Choose your recommendation: strong no, no, yes or strong yes.")
    checked = _checked_ratings(locked, ratings)
    mine = Scorecard.objects.filter(interview=locked, interviewer=interviewer)
    claimed = mine.filter(submitted_at__isnull=True).update(
        ratings=checked, recommendation=recommendation, submitted_at=now
    )
    if not claimed:
        if not mine.exists():
            raise Refused("You are not an interviewer on this interview. Nothing was saved.")
        raise Conflict(ALREADY_SUBMITTED)
    if not Scorecard.objects.filter(interview=locked, submitted_at__isnull=True).exists():
        _tell_scheduler(locked)
    return mine.get()


def _tell_scheduler(interview: Interview) -> None:
    """Email the teammate who scheduled the interview (or the owners, once they have
    left) that every scorecard is in. The email links to the summary and says nothing
    of the scores: its reader may still owe a card of their own."""
    candidacy = interview.candidacy
    context = {
        "interview": interview,
        "kind": interview.get_kind_display(),
        "engineer": candidacy.profile.user,
        "brief": candidacy.brief,
        "cards": interview.scorecards.count(),
        "summary_url": absolute(reverse("screening:scorecards", args=[candidacy.pk])),
    }
    for to in team_recipients(interview.company, interview.created_by):
        email_send(
            to=to,
            template="email/scorecards_in",
            context=context,
            key=f"scorecards-in:{interview.pk}:{to}",
        )


def scorecard_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """One reminder to each interviewer still without a scorecard 2 hours after the end
    of a booked interview. Each reminder is claimed (``reminded_at``) before it is
    sent, so a second run, or two runs at once, send it once."""
    now = now or timezone.now()
    due = list(
        Scorecard.objects.filter(
            interview__status=Interview.Status.BOOKED,
            interview__ends_at__lte=now - REMIND_AFTER,
            submitted_at__isnull=True,
            reminded_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reminded = sum(1 for pk in due if _remind(pk, now))
    return {"due": len(due), "reminded": reminded}


@transaction.atomic
def _remind(pk: int, now: datetime) -> bool:
    claimed = Scorecard.objects.filter(
        pk=pk,
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        interview__status=Interview.Status.BOOKED,
    ).update(reminded_at=now)
    if not claimed:
        return False
    card = Scorecard.objects.select_related(
        "interviewer__membership__company",
        "interview__candidacy__profile__user",
        "interview__candidacy__brief",
        "interview__company",
    ).get(pk=pk)
    interview = card.interview
    membership = getattr(card.interviewer, "membership", None)
    zone = (membership.time_zone if membership else "") or interview.company.time_zone
    email_send(
        to=card.interviewer.email,
        template="email/scorecard_reminder",
        context={
            "interviewer": card.interviewer,
            "interview": interview,
            "kind": interview.get_kind_display(),
            "engineer": interview.candidacy.profile.user,
            "brief": interview.candidacy.brief,
            "zone": zone,
            "scorecard_url": absolute(reverse("screening:scorecard", args=[interview.pk])),
        },
        key=f"scorecard-reminder:{pk}",
    )
    return True
