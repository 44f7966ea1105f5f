"""The pipeline: one candidacy per (brief, engineer), its stage, its history, reviews.

A candidacy's stage changes only through ``screening.services.candidacy_move``,
which writes a ``StageMove`` in the same transaction. Moves are never edited:
the history is the record of who decided what, and when.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Company
from candidates.models import Profile
from searches.models import Brief


class Stage(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    CONTACTED = "contacted", "Contacted"
    INTERESTED = "interested", "Interested"
    ASSESSMENT = "assessment", "Assessment"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_ANSWER = "no_answer", "No answer"


#: The open stages, in the order a candidacy walks them (the board's columns).
OPEN_STAGES: tuple[Stage, ...] = (
    Stage.SOURCED,
    Stage.CONTACTED,
    Stage.INTERESTED,
    Stage.ASSESSMENT,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.HIRED,
)
#: Where a candidacy ends when it stops: ours (not a fit) or theirs / the clock's.
CLOSED_STAGES: tuple[Stage, ...] = (
    Stage.NOT_A_FIT,
    Stage.DECLINED,
    Stage.WITHDRAWN,
    Stage.NO_ANSWER,
)
#: Reached only through outreach (hiring), never by a teammate's move.
OUTREACH_STAGES: frozenset[str] = frozenset(
    {Stage.CONTACTED, Stage.INTERESTED, Stage.DECLINED, Stage.WITHDRAWN, Stage.NO_ANSWER}
)
#: Stages a teammate may move a card between by hand (once the engineer is interested).
HAND_STAGES: tuple[Stage, ...] = (
    Stage.INTERESTED,
    Stage.ASSESSMENT,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.HIRED,
)


class NotAFitReason(models.TextChoices):
    SKILLS = "skills", "Skills do not match"
    EXPERIENCE = "experience", "Not enough experience"
    RATE = "rate", "Rate above budget"
    AVAILABILITY = "availability", "Availability or start date"
    TIME_ZONE = "time_zone", "Working hours do not overlap"
    COMMUNICATION = "communication", "Communication"
    FILLED = "filled", "Role filled"
    OTHER = "other", "Other"


class CandidacyQuerySet(models.QuerySet["Candidacy"]):
    def for_company(self, company: Company) -> CandidacyQuerySet:
        return self.filter(company=company)

    def open(self) -> CandidacyQuerySet:
        return self.filter(stage__in=OPEN_STAGES)


class Candidacy(models.Model):
    """An engineer in one brief's pipeline.

    ``company`` repeats ``brief.company`` so every access check is one indexed
    filter; ``stage_since`` is when the current stage began (days in stage).
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="candidacies")
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="candidacies")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="candidacies")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SOURCED)
    stage_since = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(fields=["brief", "profile"], name="one_candidacy_per_brief"),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="candidacy_stage_known"
            ),
        ]
        indexes = [
            models.Index(fields=["brief", "stage"], name="candidacy_board"),
            models.Index(fields=["company", "profile"], name="candidacy_company_profile"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} for {self.brief}"

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def days_in_stage(self) -> int:
        return (timezone.now() - self.stage_since).days


class StageMove(models.Model):
    """One change of stage. Written once, never edited or deleted by the product.

    ``from_stage`` is empty for the move that put the engineer in the pipeline.
    ``by`` is the teammate, or the engineer for their own answers; empty when
    the clock moved it (an outreach that expired).
    """

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    told_engineer = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.candidacy}: {self.from_stage or 'new'} → {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A stage move is history: it is never edited.")
        super().save(*args, **kwargs)

    @property
    def reason_label(self) -> str:
        return NotAFitReason(self.reason).label if self.reason in NotAFitReason.values else ""


class Review(models.Model):
    """A teammate's first look at an engineer's resume and portfolio (one per teammate)."""

    class Rating(models.IntegerChoices):
        STRONG_NO = -2, "Strong no"
        NO = -1, "No"
        YES = 1, "Yes"
        STRONG_YES = 2, "Strong yes"

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.SmallIntegerField(choices=Rating.choices)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "author"], name="one_review_per_teammate"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.candidacy}"
