from __future__ import annotations

import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class EmailUserManager(BaseUserManager["User"]):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.update(is_staff=True, is_superuser=True)
        extra_fields.setdefault("role", User.Role.STAFF)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        EMPLOYER = "employer", "Hiring (employer)"
        ENGINEER = "engineer", "Engineer"
        STAFF = "staff", "Karigar staff"

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ENGINEER)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"  # type: ignore[misc]
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    objects = EmailUserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.email

    @property
    def is_employer(self) -> bool:
        return self.role == self.Role.EMPLOYER

    @property
    def is_engineer(self) -> bool:
        return self.role == self.Role.ENGINEER

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    @property
    def short_name(self) -> str:
        """How to greet someone: the first word of their name (one field holds it all)."""
        return (self.display_name.split() or [""])[0]


class Weekend(models.TextChoices):
    """Which days a person or a team does not work (interviews are never offered then)."""

    SAT_SUN = "sat_sun", "Saturday and Sunday"
    FRI_SAT = "fri_sat", "Friday and Saturday"
    SUN = "sun", "Sunday only"
    FRI = "fri", "Friday only"

    @classmethod
    def days(cls, value: str) -> frozenset[int]:
        """The weekday numbers (Monday 0) of a weekend choice."""
        return _WEEKEND_DAYS.get(value, _WEEKEND_DAYS[cls.SAT_SUN])


_WEEKEND_DAYS: dict[str, frozenset[int]] = {
    "sat_sun": frozenset({5, 6}),
    "fri_sat": frozenset({4, 5}),
    "sun": frozenset({6}),
    "fri": frozenset({4}),
}


@dataclass(frozen=True)
class WorkingDay:
    """Where and when someone works: a zone, local start and end, and their weekend."""

    time_zone: str
    starts: time
    ends: time
    weekend: frozenset[int]


def user_display(user: User) -> str:
    """How allauth names a user in its messages."""
    return user.display_name


class Company(models.Model):
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    city = models.CharField(max_length=80, default="Lahore")
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Karachi")
    work_starts = models.TimeField(default=time(9, 0), help_text="Local start of the working day.")
    work_ends = models.TimeField(default=time(18, 0), help_text="Local end of the working day.")
    weekend = models.CharField(
        max_length=8, choices=Weekend.choices, default=Weekend.SAT_SUN, db_default=Weekend.SAT_SUN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    @property
    def working_day(self) -> WorkingDay:
        return WorkingDay(
            self.time_zone, self.work_starts, self.work_ends, Weekend.days(self.weekend)
        )

    def clean(self) -> None:
        if self.work_starts == self.work_ends:
            raise ValidationError(
                {"work_ends": "The working day must start and end at different times."}
            )


class Membership(models.Model):
    """A user's place in a company. A person belongs to at most one company."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Hiring manager"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # A teammate's own working day, when it is not the company's (say, a manager in
    # Berlin for a Lahore company). Empty means "as the company".
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, blank=True)
    work_starts = models.TimeField(null=True, blank=True)
    work_ends = models.TimeField(null=True, blank=True)
    weekend = models.CharField(max_length=8, choices=Weekend.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.user} in {self.company} ({self.role})"

    @property
    def working_day(self) -> WorkingDay:
        """The teammate's working day, each part falling back to the company's."""
        company = self.company
        return WorkingDay(
            self.time_zone or company.time_zone,
            self.work_starts or company.work_starts,
            self.work_ends or company.work_ends,
            Weekend.days(self.weekend or company.weekend),
        )

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> Any:
    return timezone.now() + timedelta(days=Invitation.VALID_DAYS)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation for a teammate to join a company. Used once, by the invited address."""

    VALID_DAYS = 7

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.company}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class OutboundEmail(models.Model):
    """One email the product sends. Written in the caller's transaction, sent by a worker.

    ``key`` makes sending idempotent: the same key never produces a second row,
    and a row is claimed by a conditional update before it is sent, so a task
    delivered twice sends it once. ``claimed_at`` starts the claim's lease
    (``settings.OUTBOX_LEASE_SECONDS``): a row still ``sending`` after it is stuck
    and may be claimed again. ``message_id`` is chosen once and sent on every try.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField("idempotency key", max_length=200, unique=True)
    to = models.EmailField("recipient")
    template = models.CharField(max_length=200)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Files sent with it: [{"filename", "content_type", "content"}], content as text
    # (calendar invitations are text/calendar).
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "email"
        verbose_name_plural = "outbox"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
