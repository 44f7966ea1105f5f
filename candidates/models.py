"""Engineer profiles: the skill taxonomy, profiles and what hangs off them, contact consent."""

from __future__ import annotations

import uuid
from datetime import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TIME_ZONE_CHOICES, Company


class SkillQuerySet(models.QuerySet["Skill"]):
    def matching(self, text: str) -> SkillQuerySet:
        """Skills whose name, or one of whose aliases, is ``text`` in any case."""
        text = text.strip()
        return self.filter(Q(name__iexact=text) | Q(aliases__contains=[text.lower()]))


class Skill(models.Model):
    """One entry of the shared taxonomy that profiles and briefs refer to."""

    class Category(models.TextChoices):
        LANGUAGE = "language", "Languages"
        FRAMEWORK = "framework", "Frameworks"
        DATABASE = "database", "Databases"
        CLOUD = "cloud", "Cloud"
        DEVOPS = "devops", "DevOps"
        PRACTICE = "practice", "Practices"

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    aliases = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        help_text="Other spellings people use, in lower case, e.g. 'postgres' for PostgreSQL.",
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def resume_path(instance: Profile, filename: str) -> str:
    # The engineer's file name is never used: it may hold personal data or path tricks.
    return f"resumes/{uuid.uuid4().hex}.pdf"


class ProfileQuerySet(models.QuerySet["Profile"]):
    def listed(self) -> ProfileQuerySet:
        """Profiles employers may ever see: approved, looking for work, account active."""
        return self.filter(status=Profile.Status.APPROVED, user__is_active=True).exclude(
            availability=Profile.Availability.NOT_LOOKING
        )

    def visible_to(self, company: Company) -> ProfileQuerySet:
        """Listed profiles that have not blocked ``company``."""
        return self.listed().exclude(blocked_companies=company)


class Profile(models.Model):
    """An engineer's profile. Only approved, listed profiles are ever shown to employers."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SUSPENDED = "suspended", "Suspended"

    class Seniority(models.TextChoices):
        JUNIOR = "junior", "Junior"
        MID = "mid", "Mid-level"
        SENIOR = "senior", "Senior"
        LEAD = "lead", "Lead / principal"

    class Engagement(models.TextChoices):
        CONTRACT = "contract", "Contract"
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"

    class Availability(models.TextChoices):
        NOW = "now", "Available now"
        FROM_DATE = "from_date", "Available from a date"
        NOT_LOOKING = "not_looking", "Not looking"

    class English(models.TextChoices):
        BASIC = "basic", "Basic"
        CONVERSATIONAL = "conversational", "Conversational"
        FLUENT = "fluent", "Fluent"
        NATIVE = "native", "Native or bilingual"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    staff_note = models.TextField(blank=True, help_text="What staff asked the engineer to change.")

    headline = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True, max_length=4000)
    city = models.CharField(max_length=80, default="Lahore")
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Karachi")
    work_starts = models.TimeField("usual working day starts", default=time(10, 0))
    work_ends = models.TimeField("usual working day ends", default=time(19, 0))
    years_experience = models.PositiveSmallIntegerField(
        "years of experience", null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    engagement_types = ArrayField(
        models.CharField(max_length=10, choices=Engagement.choices), default=list, blank=True
    )
    hours_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    availability = models.CharField(
        max_length=12, choices=Availability.choices, default=Availability.NOW
    )
    available_from = models.DateField(null=True, blank=True)
    hourly_rate_usd = models.DecimalField(
        "hourly rate (USD)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
    )
    monthly_rate_pkr = models.DecimalField(
        "monthly rate (PKR)",
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("10000")), MaxValueValidator(Decimal("50000000"))],
    )
    english = models.CharField("English", max_length=16, choices=English.choices, blank=True)
    github_url = models.URLField("GitHub", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    website_url = models.URLField("website", blank=True)
    phone = models.CharField(max_length=32, blank=True)
    resume = models.FileField(upload_to=resume_path, blank=True)

    # Kept in step by candidates.services for search: the profile's skill ids, and the
    # text of its portfolio, both indexed.
    skill_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    portfolio_text = models.TextField(blank=True, editable=False)
    search_document = models.GeneratedField(
        expression=SearchVector("headline", "bio", "portfolio_text", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    blocked_companies = models.ManyToManyField(
        Company, blank=True, related_name="+", help_text="Companies that must never see it."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_snapshot = models.JSONField(default=dict, blank=True, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        indexes = [
            GinIndex(fields=["skill_ids"], name="profile_skill_ids_gin"),
            GinIndex(fields=["search_document"], name="profile_search_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.get_status_display()})"

    @property
    def is_listed(self) -> bool:
        return (
            self.status == self.Status.APPROVED
            and self.availability != self.Availability.NOT_LOOKING
            and self.user.is_active
        )

    @property
    def is_paused(self) -> bool:
        return self.availability == self.Availability.NOT_LOOKING

    @property
    def can_submit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)


class ProfileSkill(models.Model):
    class Level(models.IntegerChoices):
        WORKING = 1, "Working knowledge"
        PROFICIENT = 2, "Proficient"
        ADVANCED = 3, "Advanced"
        EXPERT = 4, "Expert"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    years = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PROFICIENT)

    class Meta:
        ordering = ["-years", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="one_entry_per_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.years} y)"


class PortfolioItem(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="portfolio")
    title = models.CharField(max_length=120)
    description = models.TextField("what you did", max_length=2000)
    url = models.URLField("link", blank=True)
    repo_url = models.URLField("code repository", blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    """One entry of an engineer's work history."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="jobs")
    employer = models.CharField("company", max_length=120)
    title = models.CharField("role", max_length=120)
    started = models.DateField()
    ended = models.DateField(null=True, blank=True, help_text="Leave empty if you work there now.")
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.title} at {self.employer}"


class ContactConsent(models.Model):
    """An engineer let a company see their email, phone and resume.

    Created when the engineer accepts that company's outreach (the hiring app);
    until one exists, contact details stay private.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="consents")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="consents")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "company"], name="one_consent_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.profile} → {self.company}"


def snapshot(profile: Profile) -> dict[str, Any]:
    """What staff approved: the fields and lists an employer sees, as plain JSON."""
    fields = [
        "headline",
        "bio",
        "city",
        "time_zone",
        "years_experience",
        "seniority",
        "engagement_types",
        "hours_per_week",
        "hourly_rate_usd",
        "monthly_rate_pkr",
        "english",
        "github_url",
        "linkedin_url",
        "website_url",
    ]
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(profile, name)
        data[name] = str(value) if isinstance(value, Decimal) else value
    data["skills"] = sorted(
        f"{entry.skill.name} {entry.years}y" for entry in profile.skills.select_related("skill")
    )
    data["portfolio"] = sorted(item.title for item in profile.portfolio.all())
    data["jobs"] = sorted(f"{job.title} at {job.employer}" for job in profile.jobs.all())
    return data


class ProfileReview(Profile):
    """The staff review queue: the same rows as Profile, registered in the admin on its own."""

    class Meta:
        proxy = True
        verbose_name = "profile awaiting review"
        verbose_name_plural = "profiles awaiting review"
