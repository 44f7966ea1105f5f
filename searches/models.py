"""Briefs (an employer's search criteria), shortlists and saved-search alerts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Company
from accounts.money import format_money
from candidates.models import Profile, Skill


class Brief(models.Model):
    """A project brief: what the company needs, used to find and rank engineers."""

    # What the brief form edits and the services copy onto a brief.
    EDITABLE_FIELDS = (
        "title",
        "description",
        "min_years",
        "seniority",
        "engagement",
        "hours_per_week",
        "min_hourly_usd",
        "max_hourly_usd",
        "min_monthly_pkr",
        "max_monthly_pkr",
        "start_date",
        "min_overlap_hours",
        "keywords",
        "alerts_enabled",
    )

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="briefs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    description = models.TextField("project description", max_length=5000)
    min_years = models.PositiveSmallIntegerField(
        "minimum total years", null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    seniority = models.CharField(
        max_length=10,
        choices=Profile.Seniority.choices,
        blank=True,
        help_text="Leave empty for any.",
    )
    engagement = models.CharField(
        max_length=10,
        choices=Profile.Engagement.choices,
        blank=True,
        help_text="Leave empty for any.",
    )
    hours_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    max_hourly_usd = models.DecimalField(
        "budget: most per hour (USD)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    max_monthly_pkr = models.DecimalField(
        "budget: most per month (PKR)",
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("10000"))],
    )
    # The lower ends of the budget say what the company expects to pay; they never
    # exclude a cheaper engineer from results.
    min_hourly_usd = models.DecimalField(
        "budget: least per hour (USD)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    min_monthly_pkr = models.DecimalField(
        "budget: least per month (PKR)",
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("10000"))],
    )
    start_date = models.DateField(null=True, blank=True)
    min_overlap_hours = models.PositiveSmallIntegerField(
        "required overlap (hours a day)", null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    keywords = models.CharField(
        max_length=200, blank=True, help_text="Words to look for in headlines, bios and portfolios."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    alerts_enabled = models.BooleanField("daily email of new matches", default=True)
    last_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        problems = {}
        for low, high, spec in [
            ("min_hourly_usd", "max_hourly_usd", "USD/hour"),
            ("min_monthly_pkr", "max_monthly_pkr", "PKR/month"),
        ]:
            least, most = getattr(self, low), getattr(self, high)
            if least is not None and most is not None and least > most:
                problems[low] = (
                    f"The least you would pay ({format_money(least, spec)}) is more than "
                    f"the most ({format_money(most, spec)}). Lower it, or leave it empty."
                )
        if problems:
            raise ValidationError(problems)


class BriefSkill(models.Model):
    class Kind(models.TextChoices):
        MUST = "must", "Must have"
        NICE = "nice", "Nice to have"

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.MUST)
    min_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(30)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "skill"], name="skill_once_per_brief")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.kind})"


class ShortlistEntry(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="shortlist")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField("private note", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "profile"], name="shortlisted_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile} on {self.brief}"


class AlertDelivery(models.Model):
    """An engineer already sent to a brief's owner in a digest: never sent twice."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brief", "profile"], name="alerted_once")]

    def __str__(self) -> str:
        return f"{self.profile} sent for {self.brief}"
