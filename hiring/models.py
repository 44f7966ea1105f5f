"""Talking to engineers: outreach with terms up front, one thread per company and engineer.

Every write goes through ``hiring.services``. Outreach answers are claimed with
conditional updates on ``status``, so an answer, a withdrawal and the expiry
sweep can race and exactly one of them wins.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
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


# Contracts ------------------------------------------------------------------------------
#
# A contract is a series of numbered versions. Version 1 is drafted by the company
# from the outreach terms; once sent, a version never changes (``ContractVersion.save``
# refuses). Before the start, the company may replace an offered version with a
# revised one (the next number); after the start, only an accepted change order makes
# the next version. Both sides accept the exact version they read: the acceptance
# keeps the hash of its content (hiring.contracts.terms).


class Side(models.TextChoices):
    COMPANY = "company", "Company"
    ENGINEER = "engineer", "Engineer"


class ContractEngagement(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    MONTHLY = "monthly", "Monthly"
    FIXED = "fixed", "Fixed price"


class InvoiceCadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    MILESTONE = "milestone", "Per milestone"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Contract(models.Model):
    """The agreement between a company and an engineer for one candidacy."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # the company is writing it; nothing sent
        OFFERED = "offered", "Waiting for acceptance"  # a version sent, not both accepted
        DECLINED = "declined", "Declined"  # the offered version was declined; may be revised
        ACTIVE = "active", "Active"
        ENDING = "ending", "Ending"  # notice given; ends on ``ends_on``
        ENDED = "ended", "Ended"
        WITHDRAWN = "withdrawn", "Withdrawn"  # the company withdrew the offer before a start

    #: Days after the end during which both sides may review; then what was written is published.
    REVIEW_DAYS = 14

    candidacy = models.OneToOneField(Candidacy, on_delete=models.CASCADE, related_name="contract")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contracts")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="contracts")
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="contracts")
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts"
    )
    outreach = models.ForeignKey(
        Outreach, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: The version in force (active and after), or the one on offer / being drafted.
    current = models.ForeignKey(
        "ContractVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)

    # Ending: either side gives notice with a reason; the contract ends on ``ends_on``.
    end_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    end_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True, max_length=2000)
    end_requested_at = models.DateTimeField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    # Reviews: open for REVIEW_DAYS after the end; published when both are in or time is up.
    reviews_close_at = models.DateTimeField(null=True, blank=True)
    reviews_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "status"], name="contract_company_status"),
            models.Index(fields=["profile", "status"], name="contract_profile_status"),
        ]

    def __str__(self) -> str:
        return f"Contract {self.pk}: {self.company} and {self.profile}"

    @property
    def is_running(self) -> bool:
        """Work is going on: started and not ended (notice may have been given)."""
        return self.status in (self.Status.ACTIVE, self.Status.ENDING)


class ContractVersionError(Exception):
    """A sent version was about to change: make a change order instead."""


class ContractVersion(models.Model):
    """One numbered version of a contract's terms. Editable only while a draft.

    ``number`` is empty for the proposal inside an open change order: it gets the
    next number when the change order is accepted. ``time_zone`` is the engineer's
    zone when drafted: the check-in time, the call and the overlap are in it.
    """

    MAX_RATE: dict[tuple[str, str], Decimal] = {
        ("hourly", "USD"): Decimal("1000"),
        ("hourly", "PKR"): Decimal("100000"),
        ("monthly", "USD"): Decimal("100000"),
        ("monthly", "PKR"): Decimal("20000000"),
        ("fixed", "USD"): Decimal("1000000"),
        ("fixed", "PKR"): Decimal("200000000"),
    }

    #: What may still be written on a sent version: its number (a change order's
    #: proposal gets one when accepted) and a decline.
    AFTER_SENT_FIELDS = frozenset(
        {"number", "declined_at", "declined_side", "declined_by", "decline_note"}
    )

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    # The terms.
    title = models.CharField(max_length=120)
    scope = models.TextField("scope of work", max_length=5000)
    engagement = models.CharField(max_length=10, choices=ContractEngagement.choices)
    rate = models.DecimalField(
        "rate", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    currency = models.CharField(max_length=3, choices=[("USD", "USD"), ("PKR", "PKR")])
    hours_cap = models.PositiveSmallIntegerField(
        "weekly hours cap",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    start_on = models.DateField("start date")
    end_on = models.DateField("end date", null=True, blank=True, help_text="Empty: open-ended.")
    notice_days = models.PositiveSmallIntegerField(
        "notice period (days)", default=14, validators=[MaxValueValidator(90)]
    )
    invoice_cadence = models.CharField(max_length=12, choices=InvoiceCadence.choices)
    pay_within_days = models.PositiveSmallIntegerField(
        "paid within (days)", default=14, validators=[MaxValueValidator(90)]
    )
    deem_accept_days = models.PositiveSmallIntegerField(
        "work deemed accepted after (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    trial_weeks = models.PositiveSmallIntegerField(
        "paid trial (weeks)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    time_zone = models.CharField(max_length=64, default="Asia/Karachi")
    overlap_starts = models.TimeField("overlap starts", null=True, blank=True)
    overlap_ends = models.TimeField("overlap ends", null=True, blank=True)
    #: The team's collaboration tools: [{"kind": "slack", "url": "https://..."}, ...].
    tools = models.JSONField(default=list, blank=True)
    checkin_weekday = models.PositiveSmallIntegerField(
        "check-in day", choices=Weekday.choices, default=Weekday.FRIDAY
    )
    checkin_time = models.TimeField("check-in time", default=time(16, 0))
    call_weekday = models.PositiveSmallIntegerField(
        "weekly call day", choices=Weekday.choices, null=True, blank=True
    )
    call_time = models.TimeField("weekly call time", null=True, blank=True)
    call_minutes = models.PositiveSmallIntegerField(
        "weekly call length (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(120)],
    )

    # The offer was declined (by either side), with a note.
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["contract", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                condition=Q(number__isnull=False),
                name="one_version_number_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number or '?'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A sent version never changes; only its decline may be written (once)."""
        if self.pk is not None:
            stored = ContractVersion.objects.filter(pk=self.pk).values("sent_at").first()
            if stored and stored["sent_at"] is not None:
                fields = set(kwargs.get("update_fields") or ())
                if not fields or not fields <= self.AFTER_SENT_FIELDS:
                    raise ContractVersionError(
                        "A sent version never changes: propose a change order instead."
                    )
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class Milestone(models.Model):
    """A milestone as one version states it. ``key`` names the same milestone across
    versions, so its progress (``MilestoneWork``) survives a change order."""

    version = models.ForeignKey(
        ContractVersion, on_delete=models.CASCADE, related_name="milestones"
    )
    key = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    acceptance_criteria = models.TextField(max_length=2000)
    due_on = models.DateField("due date")
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="one_milestone_key_per_version"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if ContractVersion.objects.filter(pk=self.version_id, sent_at__isnull=False).exists():
            raise ContractVersionError(
                "A sent version's milestones never change: propose a change order instead."
            )
        super().save(*args, **kwargs)


class VersionAcceptance(models.Model):
    """One side accepted one version: who, when, and the hash of what they read."""

    version = models.ForeignKey(
        ContractVersion, on_delete=models.CASCADE, related_name="acceptances"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="one_acceptance_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.version} accepted by the {self.side}"


class ChangeOrder(models.Model):
    """A proposed change to the version in force; accepting it makes the next version."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        COUNTERED = "countered", "Countered"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Lapsed"  # the contract ended, or its base was replaced

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="change_orders")
    base = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(
        ContractVersion, on_delete=models.CASCADE, related_name="change_order"
    )
    counter_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="counters"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="open"),
                name="one_open_change_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Change order {self.pk} on {self.contract}"


class MilestoneWork(models.Model):
    """Where one milestone (by key) stands: submitted, changes asked, accepted."""

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        SUBMITTED = "submitted", "Submitted"
        CHANGES = "changes", "Changes asked"
        ACCEPTED = "accepted", "Accepted"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestone_work")
    key = models.CharField(max_length=12)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_note = models.TextField(blank=True, max_length=2000)
    submit_link = models.URLField(blank=True, max_length=500)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_note = models.TextField(blank=True, max_length=2000)
    #: Accepted by the clock: no answer within the agreed days.
    deemed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="one_work_per_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} milestone {self.key}: {self.status}"


class Payment(models.Model):
    """A payment the terms call for: an accepted milestone or an invoice period.

    Karigar moves no money: the company marks it paid, the engineer confirms receipt.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    milestone_key = models.CharField(max_length=12, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    label = models.CharField(max_length=160)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3)
    due_on = models.DateField()
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_note = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "milestone_key"],
                condition=~Q(milestone_key=""),
                name="one_payment_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["contract", "period_start"],
                condition=Q(period_start__isnull=False),
                name="one_payment_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.label}"


class CheckIn(models.Model):
    """One week's written check-in. Made by the sweep when due (or ahead, when skipped)."""

    class Status(models.TextChoices):
        DUE = "due", "Waiting for the engineer"
        ANSWERED = "answered", "Answered"
        SKIPPED = "skipped", "Skipped"
        MISSED = "missed", "Missed"

    class Health(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"

    class Clear(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="checkins")
    #: The Monday of the engineer's local week this check-in is for.
    week_of = models.DateField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    skipped_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    skipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The engineer's side.
    done = models.TextField("done since last time", blank=True, max_length=3000)
    next = models.TextField("next", blank=True, max_length=3000)
    blockers = models.TextField(blank=True, max_length=2000)
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    health = models.CharField("how it is going", max_length=10, choices=Health.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The company's side.
    priorities_clear = models.CharField(
        "are priorities clear", max_length=10, choices=Clear.choices, blank=True
    )
    feedback = models.TextField(blank=True, max_length=3000)
    company_blockers = models.TextField("blockers we own", blank=True, max_length=2000)
    company_answered_at = models.DateTimeField(null=True, blank=True)
    company_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-week_of", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "week_of"], name="one_checkin_per_week"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="checkin_status_due")]

    def __str__(self) -> str:
        return f"{self.contract}: week of {self.week_of}"


class HandoverItem(models.TextChoices):
    ACCESS = "access", "Access to the team's tools returned"
    WORK = "work", "Work handed over"
    CREDENTIALS = "credentials", "Credentials handed over"


class HandoverTick(models.Model):
    """One side ticked one item of the handover checklist when the contract ends."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="handover")
    item = models.CharField(max_length=12, choices=HandoverItem.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "item", "side"], name="one_tick_per_item_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.item} ({self.side})"


class ContractReview(models.Model):
    """One side's review of the other after a contract ends. Blind until published.

    ``side`` is who wrote it: the company reviews the engineer (quality,
    communication, reliability, time zones), the engineer reviews the company
    (clarity of the brief, responsiveness, paying on time).
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Denormalised for the profile and company pages.
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="contract_reviews")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contract_reviews")
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Of an engineer.
    quality = models.PositiveSmallIntegerField(
        "quality of work",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    communication = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reliability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    time_zones = models.PositiveSmallIntegerField(
        "working across time zones",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # Of a company.
    clarity = models.PositiveSmallIntegerField(
        "clarity of the brief",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    responsiveness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    paying_on_time = models.PositiveSmallIntegerField(
        "paying on time",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    public_text = models.TextField("public review", max_length=2000)
    private_note = models.TextField("private note to Karigar staff", blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # One public reply, by the side reviewed.
    reply_text = models.TextField(blank=True, max_length=2000)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Reported by the side reviewed; hidden by staff with a note.
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_note = models.TextField(blank=True, max_length=2000)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "side"], name="one_review_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} review of {self.contract}"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.hidden_at is None
