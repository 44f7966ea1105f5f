"""Talking to engineers: outreach with terms up front, one thread per company and engineer.

Every write goes through ``hiring.services``. Outreach answers are claimed with
conditional updates on ``status``, so an answer, a withdrawal and the expiry
sweep can race and exactly one of them wins.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Company
from candidates.models import Profile
from screening.models import Candidacy
from searches.models import Brief


class Thread(models.Model):
    """The one conversation between a company and an engineer.

    ``*_last_at`` is when that side last wrote (or, for the company side, when
    an event the engineer should see was added); ``*_read_at`` when that side
    last opened the thread; ``*_notified_at`` when that side was last emailed a
    digest of unread messages (at most one per ``THREAD_DIGEST_MINUTES``).
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="threads")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="threads")
    created_at = models.DateTimeField(auto_now_add=True)
    company_last_at = models.DateTimeField(null=True, blank=True)
    engineer_last_at = models.DateTimeField(null=True, blank=True)
    company_read_at = models.DateTimeField(null=True, blank=True)
    engineer_read_at = models.DateTimeField(null=True, blank=True)
    company_notified_at = models.DateTimeField(null=True, blank=True)
    engineer_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "profile"], name="one_thread_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.company} ↔ {self.profile}"

    @property
    def unread_for_engineer(self) -> bool:
        last, read = self.company_last_at, self.engineer_read_at
        return last is not None and (read is None or last > read)

    @property
    def unread_for_company(self) -> bool:
        last, read = self.engineer_last_at, self.company_read_at
        return last is not None and (read is None or last > read)


class Message(models.Model):
    """A line in a thread: plain text from one side, or an event (``side`` = system)."""

    MAX_LENGTH = 5000

    class Side(models.TextChoices):
        COMPANY = "company", "Company"
        ENGINEER = "engineer", "Engineer"
        SYSTEM = "system", "Karigar"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=MAX_LENGTH)
    outreach = models.ForeignKey(
        "Outreach", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.body[:40]}"


class RateUnit(models.TextChoices):
    USD_HOUR = "USD/hour", "USD per hour"
    USD_MONTH = "USD/month", "USD per month"
    PKR_HOUR = "PKR/hour", "PKR per hour"
    PKR_MONTH = "PKR/month", "PKR per month"


#: The most a rate offered can be, per unit: above this it is a typo, not an offer.
RATE_CEILINGS: dict[str, Decimal] = {
    RateUnit.USD_HOUR: Decimal("1000"),
    RateUnit.USD_MONTH: Decimal("100000"),
    RateUnit.PKR_HOUR: Decimal("100000"),
    RateUnit.PKR_MONTH: Decimal("20000000"),
}


class DeclineReason(models.TextChoices):
    RATE = "rate", "The rate is too low"
    AVAILABILITY = "availability", "I am not available"
    PROJECT = "project", "Not interested in the project"
    TIME_ZONE = "time_zone", "The working hours or time zone do not suit me"
    OTHER = "other", "Another reason"


class OutreachQuerySet(models.QuerySet["Outreach"]):
    def waiting(self) -> OutreachQuerySet:
        return self.filter(status=Outreach.Status.SENT)


class Outreach(models.Model):
    """An invitation to talk about a brief, with the terms written out before anyone says yes."""

    class Status(models.TextChoices):
        SENT = "sent", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the company"
        EXPIRED = "expired", "Expired"

    class Engagement(models.TextChoices):
        FULL_TIME = "full_time", "Full time"
        PART_TIME = "part_time", "Part time"
        CONTRACT = "contract", "Contract"

    #: Days after sending when a reminder goes out (at 10:00 the engineer's time).
    FOLLOW_UP_DAYS = (3, 7)
    FOLLOW_UP_AT = time(10, 0)
    DEFAULT_DECIDE_DAYS = 14

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="outreach")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="outreach")
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="outreach")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="outreach")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="outreach")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # The terms, as sent (never edited afterwards).
    summary = models.TextField("project summary", max_length=3000)
    engagement = models.CharField(max_length=10, choices=Engagement.choices)
    rate_amount = models.DecimalField(
        "rate offered",
        max_digits=11,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    rate_unit = models.CharField(max_length=10, choices=RateUnit.choices)
    hours_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    overlap_hours = models.PositiveSmallIntegerField(
        "working-hours overlap asked (hours a day)",
        default=0,
        validators=[MaxValueValidator(12)],
    )
    start_date = models.DateField()
    length_months = models.PositiveSmallIntegerField(
        "expected length (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Leave empty for ongoing work.",
    )
    assessment = models.BooleanField("technical assessment", default=False)
    assessment_paid = models.BooleanField("the assessment is paid", default=False)
    assessment_hours = models.PositiveSmallIntegerField(
        "assessment time box (hours)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    interviews = models.PositiveSmallIntegerField(
        "number of interviews", default=2, validators=[MaxValueValidator(6)]
    )
    decide_by = models.DateField("please answer by")
    message = models.TextField("personal message", max_length=Message.MAX_LENGTH, blank=True)

    # What happened to it.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    answer_note = models.TextField(blank=True, max_length=2000)
    follow_ups_sent = models.PositiveSmallIntegerField(default=0)
    last_follow_up_at = models.DateTimeField(null=True, blank=True)
    # The engineer wrote back (a question or a counter-proposal) without deciding:
    # reminders stop, the outreach stays open until the decide-by date.
    replied_at = models.DateTimeField(null=True, blank=True)
    counter_amount = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    counter_unit = models.CharField(max_length=10, choices=RateUnit.choices, blank=True)
    # The company told the engineer it is not moving forward (with the kind email).
    not_moving_forward_at = models.DateTimeField(null=True, blank=True)
    # The engineer stepped back after accepting.
    engineer_withdrew_at = models.DateTimeField(null=True, blank=True)

    objects = OutreachQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "outreach"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(status="sent"),
                name="one_open_outreach_per_candidacy",
            ),
        ]
        indexes = [
            models.Index(fields=["profile", "-sent_at"], name="outreach_inbox"),
            models.Index(fields=["sent_at"], condition=Q(status="sent"), name="outreach_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.profile} ({self.brief})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def engineer_status(self) -> str:
        """The plain status the engineer sees: never the team's internal stage."""
        if self.status == self.Status.SENT:
            return "Invited"
        if self.status == self.Status.ACCEPTED:
            if self.engineer_withdrew_at:
                return "You stepped back"
            if self.not_moving_forward_at:
                return "Not moving forward"
            return "In conversation"
        if self.status == self.Status.WITHDRAWN and self.not_moving_forward_at:
            return "Not moving forward"  # what the kind email told them, not a bare withdrawal
        return {
            self.Status.DECLINED: "You declined",
            self.Status.WITHDRAWN: "Withdrawn by the company",
            self.Status.EXPIRED: "Expired",
        }[self.Status(self.status)]

    def local_moment(self, day: date, at: time) -> datetime:
        """``at`` o'clock on ``day`` in the engineer's time zone, as a UTC datetime
        (the zone's offset on that very date, daylight saving included)."""
        zone = ZoneInfo(self.profile.time_zone)
        return datetime.combine(day, at, tzinfo=zone).astimezone(ZoneInfo("UTC"))

    def sent_local_date(self) -> date:
        return timezone.localtime(self.sent_at, ZoneInfo(self.profile.time_zone)).date()

    def follow_up_due_at(self, index: int | None = None) -> datetime | None:
        """When reminder ``index`` (by default the next one) is due, or None when there
        is no such reminder."""
        index = self.follow_ups_sent if index is None else index
        if index >= len(self.FOLLOW_UP_DAYS) or self.replied_at:
            return None
        day = self.sent_local_date() + timedelta(days=self.FOLLOW_UP_DAYS[index])
        if day > self.decide_by:
            return None
        return self.local_moment(day, self.FOLLOW_UP_AT)

    def expires_at(self) -> datetime:
        """The end of the decide-by day in the engineer's time zone."""
        return self.local_moment(self.decide_by + timedelta(days=1), time(0, 0))


class MessageTemplate(models.Model):
    """A company's reusable outreach message, with placeholders filled in when sent."""

    PLACEHOLDERS = ("first_name", "brief_title", "company_name")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="message_templates")
    name = models.CharField(max_length=80)
    body = models.TextField(max_length=Message.MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="one_template_name_per_company"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConsentGrant(models.Model):
    """The log of access an engineer gave a company through an accepted outreach.

    ``candidates.ContactConsent`` is whether access is given now; this row says
    which outreach gave it and when the engineer took it back.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    outreach = models.ForeignKey(Outreach, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.profile} → {self.company}"


class Report(models.Model):
    """An engineer flagged an outreach or a message as abusive; staff look at it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="reports")
    outreach = models.ForeignKey(
        Outreach, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "outreach"],
                condition=Q(outreach__isnull=False, message__isnull=True),
                name="one_report_per_outreach",
            ),
            models.UniqueConstraint(
                fields=["reporter", "message"],
                condition=Q(message__isnull=False),
                name="one_report_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.company} ({self.get_status_display()})"


class OutreachHold(models.Model):
    """Staff stopped a company from sending outreach (after reports, say)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="outreach_hold")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.company}: outreach stopped"
