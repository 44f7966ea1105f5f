"""Engineer profiles: the skill taxonomy, profiles and what hangs off them, contact consent."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES, Company, Membership, Weekend, WorkingDay
from candidates.hours import utc_window

# Search columns: values derived from a profile's own fields and its skills, stored so
# that searches over a million profiles filter and order on indexes (see searches.engine).

MAX_SKILL_YEARS_TOKEN = 30


def skill_level_tokens(entries: Iterable[tuple[int, Decimal]]) -> list[int]:
    """``skill_id * 100 + k`` for every whole year k a skill has been used (1..30).

    "Python for at least 3 years" is then the token ``python_id * 100 + 3``, and a
    GIN index answers it like any other array containment.
    """
    tokens = {
        skill_id * 100 + k
        for skill_id, years in entries
        for k in range(1, min(int(years), MAX_SKILL_YEARS_TOKEN) + 1)
    }
    return sorted(tokens)


# Search tokens: one int[] per listed profile, GIN-indexed, for the searches whose
# filters are each common but rare together (searches.engine picks that plan). Computed
# by the SQL function karigar_search_tokens (migration 0006) from the columns below:
#   skill_id * 100             has the skill          (skill ids stay below 100,000)
#   skill_id * 100 + k         used it k+ years, 1..30 (the skill_levels tokens)
#   SENIORITY_TOKEN + code     seniority
#   ENGAGEMENT_TOKEN + code    each engagement type offered
#   RATE_TOKEN + b             rate_usd <= b, for every b in RATE_BUCKETS
#   YEARS_TOKEN + k            years_experience >= k, 1..30
#   HOURS_TOKEN + h            hours_per_week >= h, for every h in HOURS_BUCKETS
SENIORITY_TOKEN = 10_000_000
SENIORITY_CODES = {"junior": 1, "mid": 2, "senior": 3, "lead": 4}
ENGAGEMENT_TOKEN = 10_000_100
ENGAGEMENT_CODES = {"contract": 1, "full_time": 2, "part_time": 3}
RATE_TOKEN = 10_001_000
RATE_BUCKETS = (5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 75, 100, 150)
YEARS_TOKEN = 10_002_000
HOURS_TOKEN = 10_003_000
HOURS_BUCKETS = (10, 20, 30, 40)

# Search bits (candidates/0015): one bigint per profile, kept by PostgreSQL
# (karigar_search_bits) and held in the narrow index a walk reads, so that a walk tests
# skills, engagement and seniority with one AND instead of arrays and strings:
#   bit skill_id - 1        has the skill, for ids up to SKILL_BITS (later ones: the row)
#   ENGAGEMENT_BITS[type]   offers that engagement type
#   SENIORITY_BITS[level]   has that seniority
#   AVAILABLE_NOW_BIT       is available now
SKILL_BITS = 55
ENGAGEMENT_BITS = {"contract": 55, "full_time": 56, "part_time": 57}
SENIORITY_BITS = {"junior": 58, "mid": 59, "senior": 60, "lead": 61}
AVAILABLE_NOW_BIT = 62


def search_bits(
    skill_ids: list[int], engagement_types: list[str], seniority: str, availability: str = ""
) -> int:
    """A profile's search bits, as karigar_search_bits computes them (and the mask of
    what a search asks, from the same arguments)."""
    bits = 1 << AVAILABLE_NOW_BIT if availability == "now" else 0
    for skill_id in skill_ids:
        if 1 <= skill_id <= SKILL_BITS:
            bits |= 1 << (skill_id - 1)
    for engagement in engagement_types:
        if engagement in ENGAGEMENT_BITS:
            bits |= 1 << ENGAGEMENT_BITS[engagement]
    if seniority in SENIORITY_BITS:
        bits |= 1 << SENIORITY_BITS[seniority]
    return bits


SEARCH_TOKENS = models.Func(
    F("skill_ids"),
    F("skill_levels"),
    F("seniority"),
    F("engagement_types"),
    F("rate_usd"),
    F("years_experience"),
    F("hours_per_week"),
    function="karigar_search_tokens",
    output_field=ArrayField(models.IntegerField()),
)


def comparable_rate(hourly_usd: Decimal | None, monthly_pkr: Decimal | None) -> Decimal | None:
    """One rate to compare and filter on: hourly USD, or monthly PKR converted to it."""
    if hourly_usd is not None:
        return hourly_usd
    if monthly_pkr is None:
        return None
    per_month = Decimal(settings.PKR_PER_USD) * Decimal(settings.HOURS_PER_MONTH)
    return (monthly_pkr / per_month).quantize(Decimal("0.01"))


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


LISTED = Q(is_listed=True)
SEARCH_COLUMNS = [
    "skill_ids",
    "skill_levels",
    "rate_usd",
    "years_experience",
    "seniority",
    "engagement_types",
    "hours_per_week",
    "availability",
    "available_from",
    "work_start_utc",
    "work_end_utc",
]


class ProfileQuerySet(models.QuerySet["Profile"]):
    def listed(self) -> ProfileQuerySet:
        """Profiles employers may ever see: approved, looking for work, account active.

        ``is_listed`` is generated by PostgreSQL from status and availability; a
        suspended account also suspends its profile (candidates.signals), so search
        at scale can rely on the flag alone.
        """
        return self.filter(is_listed=True, user__is_active=True)

    def visible_to(self, company: Company) -> ProfileQuerySet:
        """Listed profiles that do not hide from ``company`` (see not_blocking)."""
        return self.listed().filter(not_blocking(company))


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
    weekend = models.CharField(
        "days off",
        max_length=8,
        choices=Weekend.choices,
        default=Weekend.SAT_SUN,
        db_default=Weekend.SAT_SUN,
    )
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
    skill_levels = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    portfolio_text = models.TextField(blank=True, editable=False)
    # The account's name (accounts.User.full_name), copied here because a generated
    # column reads only its own row; kept in step by candidates.signals.
    full_name = models.CharField(max_length=150, blank=True, editable=False)
    search_document = models.GeneratedField(
        expression=SearchVector("full_name", weight="A", config="english")
        + SearchVector("headline", "bio", "portfolio_text", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Set by save() from the row's own fields, the UTC window for today's date;
    # candidates.tasks.refresh_utc_windows moves the windows of a zone whose clocks
    # change (daylight saving) within the hour.
    rate_usd = models.DecimalField(max_digits=9, decimal_places=2, null=True, editable=False)
    work_start_utc = models.SmallIntegerField(default=300, editable=False)
    work_end_utc = models.SmallIntegerField(default=840, editable=False)
    is_listed = models.GeneratedField(
        expression=models.ExpressionWrapper(
            Q(status="approved") & ~Q(availability="not_looking"),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
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
            # candidates.tasks.refresh_utc_windows updates one zone at a time.
            models.Index(fields=["time_zone"], name="profile_time_zone"),
            GinIndex(SEARCH_TOKENS, name="profile_tokens_gin", condition=LISTED),
            # Covers every column a search filters or scores on, so that picking the
            # window of recent matches is an index-only scan (see searches.engine).
            models.Index(
                fields=["-updated_at", "-id"],
                include=SEARCH_COLUMNS,
                name="profile_recent_listed",
                condition=LISTED,
            ),
            # The other orders' walks are index-only too.
            models.Index(
                fields=["rate_usd", "id"],
                include=SEARCH_COLUMNS,
                name="profile_rate_listed",
                condition=LISTED,
            ),
            models.Index(
                fields=["-years_experience", "-id"],
                include=SEARCH_COLUMNS,
                name="profile_years_listed",
                condition=LISTED,
            ),
            # A seniority against the rate order ("senior, cheapest first"): the walk
            # reads that seniority's entries alone, in rate order.
            models.Index(
                fields=["seniority", "rate_usd", "id"],
                include=SEARCH_COLUMNS,
                name="profile_seniority_rate_listed",
                condition=LISTED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.rate_usd = comparable_rate(self.hourly_rate_usd, self.monthly_rate_pkr)
        self.work_start_utc, self.work_end_utc = utc_window(
            self.time_zone, self.work_starts, self.work_ends, timezone.localdate()
        )
        derived = {"rate_usd", "work_start_utc", "work_end_utc"}
        if self._state.adding or "user" in self._state.fields_cache:  # the name at hand
            self.full_name = self.user.full_name
            derived.add("full_name")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    @property
    def is_paused(self) -> bool:
        return self.availability == self.Availability.NOT_LOOKING

    @property
    def can_submit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def working_day(self) -> WorkingDay:
        return WorkingDay(
            self.time_zone, self.work_starts, self.work_ends, Weekend.days(self.weekend)
        )


def company_name_key(name: str) -> str:
    """A company name as blocks compare it: case and runs of spaces do not count."""
    return " ".join(name.split()).lower()


class CompanyBlock(models.Model):
    """An engineer hides their profile from companies, which are never told.

    A *name* block hides it from every company whose name is ``value`` (see
    company_name_key) now or later, and from the companies that had the name when
    the block was made (``companies``), so renaming does not lift it. A *domain*
    block hides it from every company with a member whose verified email address is
    on the domain ``value``, including members who join later.
    """

    class Kind(models.TextChoices):
        NAME = "name", "Company name"
        DOMAIN = "domain", "Email domain"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="company_blocks")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = models.CharField(max_length=253, help_text="The name or domain, normalised.")
    label = models.CharField(max_length=253, help_text="What the engineer typed, trimmed.")
    companies = models.ManyToManyField(
        Company,
        blank=True,
        related_name="+",
        help_text="Companies that had the name when the block was made.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind", "value"], name="one_block_per_name_or_domain"
            )
        ]
        indexes = [models.Index(fields=["value", "kind"], name="companyblock_value")]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.get_kind_display().lower()} {self.label}"


@lru_cache(maxsize=1)
def _blocking_sql() -> str:
    """The ids of the profiles that block one company (params: its id, its name key,
    its id again): by a kept id, by name, or by a member's verified email domain.

    Written out once rather than built from querysets on every call: the ORM took
    about 1.5 ms a search to assemble it, more than PostgreSQL takes to answer it."""
    q = connection.ops.quote_name
    block = q(CompanyBlock._meta.db_table)
    kept = q(CompanyBlock.companies.through._meta.db_table)
    membership = q(Membership._meta.db_table)
    address = q(EmailAddress._meta.db_table)
    return f"""
        SELECT b.profile_id FROM {kept} AS k JOIN {block} AS b ON b.id = k.companyblock_id
        WHERE k.company_id = %s
        UNION ALL
        SELECT b.profile_id FROM {block} AS b WHERE b.kind = 'name' AND b.value = %s
        UNION ALL
        SELECT b.profile_id FROM {block} AS b WHERE b.kind = 'domain' AND b.value IN (
            SELECT lower(split_part(e.email, '@', 2))
            FROM {membership} AS m JOIN {address} AS e ON e.user_id = m.user_id
            WHERE m.company_id = %s AND e.verified
        )
    """  # noqa: S608 - table names from the models; every value is a parameter


def not_blocking(company: Company) -> Q:
    """Profiles that have not hidden themselves from ``company``: the one definition
    used by profile pages, resume downloads, shortlists and both search paths.

    One subquery, read once per query (a hashed NOT IN): the profiles that block the
    company by a kept id, by its name or by a member's email domain, each found
    through a b-tree index, which the search's planner switches allow in both of its
    plans (a GIN index would not be, in a walk). A single NOT IN, like the list of
    blocked companies it replaced, keeps PostgreSQL's estimate of how many profiles
    pass, and so the join the search gets, as it was; three of them made it choose a
    hash join over every listed profile for full-text searches.

    Everything is read at query time: a new block, a rename or a new member counts
    at once, even against a cached ranking.
    """
    return ~Q(pk__in=RawSQL(*blocking_sql(company)))  # noqa: S611 - values are parameters


def blocking_sql(company: Company) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the profiles that block ``company`` and its parameters: not_blocking()
    as a subquery, for code that writes its SQL itself."""
    return _blocking_sql(), (company.pk, company_name_key(company.name), company.pk)


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
