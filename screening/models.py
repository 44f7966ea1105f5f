"""The pipeline: one candidacy per (brief, engineer), its stage, its history, reviews.

A candidacy's stage changes only through ``screening.services.candidacy_move``,
which writes a ``StageMove`` in the same transaction. Moves are never edited:
the history is the record of who decided what, and when.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
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


def _new_event_uid() -> str:
    return f"{uuid.uuid4()}@karigar"


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


#: A recommendation (strong no / no / yes / strong yes): a first review's rating, a
#: grader's and an interviewer's overall call all use the same four answers.
Recommendation = Review.Rating


class Score(models.IntegerChoices):
    """A rubric criterion's or a focus attribute's score: four levels, no middle."""

    WEAK = 1, "1 · Weak"
    MIXED = 2, "2 · Mixed"
    GOOD = 3, "3 · Good"
    EXCELLENT = 4, "4 · Excellent"


class Focus(models.TextChoices):
    """What a question probes and an interviewer rates."""

    SYSTEM_DESIGN = "system_design", "System design"
    DATABASES = "databases", "Databases"
    APIS = "apis", "APIs"
    SECURITY = "security", "Security"
    PERFORMANCE = "performance", "Performance"
    RELIABILITY = "reliability", "Errors and reliability"
    TESTING = "testing", "Testing"
    DEVOPS = "devops", "Deployment and containers"
    CODE_QUALITY = "code_quality", "Code quality"
    COMMUNICATION = "communication", "Communication"
    COLLABORATION = "collaboration", "Collaboration and fit"
    OWNERSHIP = "ownership", "Ownership"


class Currency(models.TextChoices):
    USD = "USD", "US dollars"
    PKR = "PKR", "Pakistani rupees"


#: Stages from which the engineer has said yes (assessments and interviews need it).
SCREENING_STAGES: tuple[Stage, ...] = (
    Stage.INTERESTED,
    Stage.ASSESSMENT,
    Stage.INTERVIEW,
    Stage.OFFER,
)


# Assessments ------------------------------------------------------------------------


class AssessmentTemplate(models.Model):
    """A take-home test a company sends again and again, with its rubric (criteria)."""

    class SubmitKind(models.TextChoices):
        REPOSITORY = "repository", "A link to a code repository"
        DOCUMENT = "document", "A link to a document"

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="assessment_templates"
    )
    title = models.CharField(max_length=120)
    instructions = models.TextField(max_length=5000)
    time_box_hours = models.PositiveSmallIntegerField("time box (hours)")
    deadline_days = models.PositiveSmallIntegerField("days to submit")
    paid = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    submit_kind = models.CharField(
        max_length=12, choices=SubmitKind.choices, default=SubmitKind.REPOSITORY
    )
    submit_note = models.TextField("how to submit", blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    """One line of a rubric: what is judged, its weight (%) and what each level means."""

    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=80)
    weight = models.PositiveSmallIntegerField("weight (%)")
    level_1 = models.CharField("1 looks like", max_length=300)
    level_2 = models.CharField("2 looks like", max_length=300)
    level_3 = models.CharField("3 looks like", max_length=300)
    level_4 = models.CharField("4 looks like", max_length=300)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"

    @property
    def levels(self) -> list[str]:
        return [self.level_1, self.level_2, self.level_3, self.level_4]


class Assessment(models.Model):
    """A template sent to one engineer: its own copy of the text and rubric (a template
    edited later does not change what was sent), the deadline, the submission.

    ``rubric`` is ``[{"key", "name", "weight", "levels": [four texts]}]``; grades score
    each ``key``.
    """

    class Status(models.TextChoices):
        SENT = "sent", "Waiting for the engineer"
        SUBMITTED = "submitted", "Submitted, being graded"
        GRADED = "graded", "Graded"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Extension(models.TextChoices):
        NONE = "", "Not asked"
        ASKED = "asked", "Asked"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="assessments")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    instructions = models.TextField(max_length=5000)
    time_box_hours = models.PositiveSmallIntegerField()
    paid = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    submit_kind = models.CharField(max_length=12, choices=AssessmentTemplate.SubmitKind.choices)
    submit_note = models.TextField(blank=True, max_length=1000)
    rubric = models.JSONField(default=list)
    anonymous = models.BooleanField("grade anonymously", default=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()

    extension = models.CharField(
        max_length=8, choices=Extension.choices, default=Extension.NONE, blank=True
    )
    extension_until = models.DateTimeField(null=True, blank=True)  # what the engineer asked
    extension_note = models.TextField(blank=True, max_length=1000)
    extension_answered_at = models.DateTimeField(null=True, blank=True)

    submission_url = models.URLField(max_length=500, blank=True)
    submission_note = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(null=True, blank=True)

    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # graded, expired or withdrawn

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(status__in=["sent", "submitted"]),
                name="one_open_assessment_per_candidacy",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="assessment_due")]

    def __str__(self) -> str:
        return f"{self.title} for {self.candidacy}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.SUBMITTED)


class Grade(models.Model):
    """One grader's marks on one assessment. The row exists from the moment the team
    picks the grader (``submitted_at`` empty); ``scores`` is
    ``{criterion key: {"score": 1-4, "evidence": text}}``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(default=dict, blank=True)
    recommendation = models.SmallIntegerField(choices=Recommendation.choices, null=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "grader"], name="one_grade_per_grader"),
        ]

    def __str__(self) -> str:
        return f"{self.grader} on {self.assessment}"


# Question bank and interview kits ---------------------------------------------------


class InterviewKind(models.TextChoices):
    TECHNICAL = "technical", "Technical interview"
    FINAL = "final", "Final interview"


class QuestionQuerySet(models.QuerySet["Question"]):
    def for_company(self, company: Company) -> QuestionQuerySet:
        """The company's own questions and Karigar's starter set, not archived."""
        return self.filter(Q(company=company) | Q(company__isnull=True), archived_at__isnull=True)


class Question(models.Model):
    """An interview question, the focus attribute it probes and what a good answer
    covers. ``company`` empty: one of Karigar's starter questions, shared by all."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    text = models.TextField(max_length=1000)
    focus = models.CharField(max_length=16, choices=Focus.choices)
    good_answer = models.TextField("a good answer covers", max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["focus", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_starter(self) -> bool:
        return self.company_id is None


class InterviewKit(models.Model):
    """The questions to ask (in order), the focus attributes to rate, notes for the
    interviewers."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="interview_kits")
    title = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=10, choices=InterviewKind.choices, default=InterviewKind.TECHNICAL
    )
    focus = ArrayField(models.CharField(max_length=16, choices=Focus.choices), default=list)
    notes = models.TextField("notes for interviewers", blank=True, max_length=3000)
    questions = models.ManyToManyField(Question, through="KitQuestion", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def focus_labels(self) -> list[str]:
        return [Focus(f).label for f in self.focus if f in Focus.values]


class KitQuestion(models.Model):
    kit = models.ForeignKey(InterviewKit, on_delete=models.CASCADE, related_name="kit_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kit", "question"], name="question_once_per_kit"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.question}"


class BriefKit(models.Model):
    """The kit a brief's technical or final interviews use by default."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="interview_kits")
    kind = models.CharField(max_length=10, choices=InterviewKind.choices)
    kit = models.ForeignKey(InterviewKit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "kind"], name="one_kit_per_brief_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kit} for {self.brief}"


# Interviews and scorecards -----------------------------------------------------------


class Interview(models.Model):
    """One interview of a candidacy, from the slots offered to the booked time.

    ``uid`` is the calendar event's UID for its whole life; ``sequence`` goes up on
    every change sent to calendars (a new time, a cancellation). While ``status`` is
    booked, slots offered again are a reschedule: the booked time holds until the
    engineer picks a new one.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the engineer to pick a time"
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Engineer did not show"

    class Side(models.TextChoices):
        COMPANY = "company", "The company"
        ENGINEER = "engineer", "The engineer"

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="interviews")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    kit = models.ForeignKey(
        InterviewKit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=InterviewKind.choices)
    focus = ArrayField(models.CharField(max_length=16, choices=Focus.choices), default=list)
    length_minutes = models.PositiveSmallIntegerField()
    video_link = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    uid = models.CharField(max_length=100, unique=True, default=_new_event_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    others_asked_at = models.DateTimeField(null=True, blank=True)  # engineer: other times?
    others_note = models.TextField(blank=True, max_length=1000)
    cancelled_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    cancel_reason = models.TextField(blank=True, max_length=1000)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    no_show_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    no_show_at = models.DateTimeField(null=True, blank=True)

    # Reminders of the booked time (cleared when it moves).
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="interview_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.candidacy}"


class InterviewSlot(models.Model):
    """A time offered to the engineer (the offer of the moment; replaced on reoffer)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "starts_at"], name="slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Scorecard(models.Model):
    """An interviewer's place on an interview and, once written, their scorecard.

    ``ratings`` is ``{focus: {"score": 1-4, "evidence": text}}``. Until
    ``submitted_at``, the interviewer sees nobody else's (screening.selectors)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ratings = models.JSONField(default=dict, blank=True)
    recommendation = models.SmallIntegerField(choices=Recommendation.choices, null=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="one_scorecard_per_interviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} on {self.interview}"
