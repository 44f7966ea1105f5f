"""Bulk-load realistic engineer profiles: for demos, load tests and search benchmarks.

    manage.py generate_engineers --count 100000 --seed 7 [--status approved|mixed]

Each engineer gets an account with an unusable password, a profile whose skills,
years, seniority and rates agree with each other, one to three portfolio items
and one to four jobs at invented Lahore companies. Rows go in with PostgreSQL
COPY, one batch per transaction, with ids taken from the tables' own sequences
first so that rows can point at each other without a round trip each; a second
thread generates the next batch while PostgreSQL digests the last one.
``skill_ids`` and ``portfolio_text`` are written the way candidates.services
keeps them; ``search_document`` is computed by PostgreSQL.

The same ``--seed`` gives the same engineers (names, skills, texts); email
addresses carry the account id, so running the command again only adds people.
"""

from __future__ import annotations

import bisect
import itertools
import json
import queue
import random
import secrets
import threading
import time as clock
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from candidates.models import (
    Job,
    PortfolioItem,
    Profile,
    ProfileSkill,
    Skill,
    comparable_rate,
    skill_level_tokens,
    utc_window,
)

# People ---------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


MEN = _words(
    "Ahmed Ali Hassan Usman Bilal Hamza Umar Abdullah Saad Fahad Talha Zain Haris Faisal "
    "Imran Kamran Adnan Asad Danish Shahzaib Waqas Junaid Farhan Muneeb Moiz Taimoor Rizwan "
    "Shoaib Noman Owais Ammar Hamid Arslan Zeeshan Salman Yasir Atif Sohail Awais Mubashir "
    "Husnain Raheel Sarmad Shayan Wahab Uzair Ehtisham Daniyal Hasnain Sufyan"
)
WOMEN = _words(
    "Ayesha Fatima Hira Sana Zainab Maryam Amna Mahnoor Iqra Rabia Saba Sidra Nimra Komal "
    "Aleena Hafsa Anum Mehwish Khadija Noor Laiba Areeba Minahil Kinza Zoha Esha Sadia "
    "Bushra Alishba Javeria Rida Maham Mariam Huma Sehrish"
)
FAMILIES = _words(
    "Khan Malik Butt Sheikh Chaudhry Qureshi Rana Mirza Siddiqui Javed Ahmed Ali Hussain "
    "Iqbal Aslam Akhtar Raza Shah Bhatti Cheema Gill Warraich Awan Abbasi Hashmi Gondal "
    "Bajwa Tariq Nawaz Anwar Aziz Riaz Saleem Zafar Dar Mughal Ansari Farooq Rehman Haider "
    "Sandhu Virk Khokhar Arain Kazmi Naqvi Jafri Rizvi"
)

COMPANIES = _words(
    "Anarkali Commerce, Shalimar Labs, Ravi Systems, Gulberg Digital, Mall Road Software, "
    "Data Darbar, Badshahi Cloud, Canal View Analytics, Model Town Tech, Johar Town Works, "
    "Minar Payments, Walled City Apps, Zaitoon Logistics, Basant Labs, Chaupal Health, "
    "Sabz Energy Systems, Qila Data, Tanga Mobility, Lahori Ledger, Kinara Fintech, "
    "Peepal Software, Neelam Networks, Sheesh Mahal Studios, Mughal Code Works, "
    "Phulkari Commerce, Chenab Cloud, Rang Mahal Digital, Haveli Soft, Baradari Labs, "
    "Jharoka Systems, Chai Break Software, Ferozepur Road Tech, Township Data, "
    "Wahdat Road Systems, Kasuri Methi Apps, Lohari Gate Labs, Ichhra Retail Tech, "
    "Samanabad Software, Garden Town Analytics, Raiwind Agritech",
    sep=", ",
)

DOMAINS = [
    "payments",
    "logistics",
    "e-commerce",
    "healthcare",
    "education",
    "ride-hailing",
    "telecom billing",
    "SaaS analytics",
    "property listings",
    "food delivery",
    "banking",
    "insurance",
    "agritech",
    "travel booking",
]
PROJECTS = [
    "order tracking API",
    "payments ledger",
    "inventory sync service",
    "notification service",
    "reporting pipeline",
    "search service",
    "booking engine",
    "fraud checks",
    "admin back office",
    "loyalty points service",
    "invoice generator",
    "rider dispatch service",
    "audit log",
    "pricing engine",
]
RESULTS = [
    "It handles about {n},000 requests a minute at peak.",
    "It cut a nightly batch from {h} hours to {m} minutes.",
    "It serves {n}00 merchants across Lahore and Karachi.",
    "Support tickets about it fell by half in the first quarter.",
    "It has run for {h} years with no data loss.",
    "It replaced {h} cron scripts nobody wanted to touch.",
]
ACHIEVEMENTS = [
    "built the {domain} APIs on {framework}",
    "moved the slowest reports onto {database} read replicas",
    "cut the p95 latency of the main {domain} endpoints by more than half",
    "set up the deployment pipeline and container images",
    "designed the data model behind the {domain} product",
    "wrote the integration tests that let the team release daily",
    "led the move of a monolith's {domain} module into its own service",
]


@dataclass(frozen=True)
class Stack:
    """A primary language and what usually comes with it in Lahore's job market.

    The first framework and the first database are the stack's usual ones: ``usual``
    is the share of its engineers who work with them (the rest pick any).
    """

    language: str
    weight: int
    frameworks: tuple[str, ...]
    languages: tuple[str, ...]
    databases: tuple[str, ...]
    clouds: tuple[str, ...] = ("AWS", "AWS", "AWS", "Google Cloud", "Azure")
    usual: float = 0.6
    tools: tuple[str, ...] = ()  # the stack's own libraries, drawn with the frameworks


STACKS = [
    # Django on PostgreSQL is the most common backend stack among Lahore's engineers.
    Stack(
        "Python",
        30,
        ("Django", "FastAPI", "Flask"),
        ("SQL", "JavaScript"),
        ("PostgreSQL", "Redis", "MySQL", "MongoDB", "Elasticsearch"),
        usual=0.8,
        tools=("Celery",),
    ),
    Stack(
        "Node.js",
        18,
        ("Express", "NestJS"),
        ("TypeScript", "JavaScript"),
        ("MongoDB", "PostgreSQL", "Redis", "MySQL", "DynamoDB"),
    ),
    Stack("PHP", 14, ("Laravel",), ("JavaScript", "SQL"), ("MySQL", "Redis", "PostgreSQL")),
    Stack(
        "Java",
        14,
        ("Spring",),
        ("SQL", "Kotlin"),
        ("PostgreSQL", "MySQL", "Redis", "Elasticsearch", "Cassandra"),
    ),
    Stack("Go", 9, ("Gin",), ("SQL",), ("PostgreSQL", "Redis", "MongoDB", "Cassandra")),
    Stack(
        "C#",
        9,
        (".NET",),
        ("SQL", "TypeScript"),
        ("SQL Server", "Redis", "PostgreSQL"),
        ("Azure", "Azure", "AWS"),
    ),
    Stack("Ruby", 5, ("Ruby on Rails",), ("JavaScript",), ("PostgreSQL", "Redis", "MySQL")),
    Stack("Kotlin", 3, ("Spring",), ("Java",), ("PostgreSQL", "Redis")),
    Stack("Scala", 2, (), ("Java",), ("Cassandra", "PostgreSQL")),
    Stack("Elixir", 1, ("Phoenix",), ("Ruby",), ("PostgreSQL", "Redis")),
    Stack("Rust", 1, (), ("Go",), ("PostgreSQL", "Redis")),
]
DEVOPS_JUNIOR = ("Docker", "Linux", "CI/CD", "Nginx")
DEVOPS_SENIOR = ("Docker", "Kubernetes", "CI/CD", "Terraform", "Kafka", "RabbitMQ", "Linux")
PRACTICES_JUNIOR = ("Git", "REST APIs", "Testing")
PRACTICES_SENIOR = (
    "REST APIs",
    "Testing",
    "System design",
    "Data modeling",
    "Query optimization",
    "Microservices",
    "API security",
    "GraphQL",
    "gRPC",
)


@dataclass(frozen=True)
class Level:
    """What a seniority implies: years, number of skills, rates, jobs, job titles."""

    name: str
    weight: int
    years: tuple[int, int]
    skills: tuple[int, int]
    usd: tuple[int, int]
    pkr: tuple[int, int]
    jobs: tuple[int, int]
    titles: tuple[str, ...]


LEVELS = [
    Level(
        "junior",
        30,
        (0, 2),
        (3, 5),
        (8, 15),
        (80_000, 200_000),
        (1, 2),
        ("Associate Software Engineer", "Junior Backend Developer"),
    ),
    Level(
        "mid",
        35,
        (2, 5),
        (5, 8),
        (15, 28),
        (200_000, 450_000),
        (1, 3),
        ("Software Engineer", "Backend Engineer"),
    ),
    Level(
        "senior",
        25,
        (5, 10),
        (7, 11),
        (25, 50),
        (450_000, 900_000),
        (2, 4),
        ("Senior Software Engineer", "Senior Backend Engineer"),
    ),
    Level(
        "lead",
        10,
        (8, 20),
        (8, 13),
        (40, 80),
        (800_000, 1_600_000),
        (2, 4),
        ("Tech Lead", "Principal Engineer", "Engineering Manager"),
    ),
]

# (time zone, city, share of engineers, usual working days)
PLACES = [
    ("Asia/Karachi", "Lahore", 88, [(10, 19), (10, 19), (10, 19), (9, 18), (11, 20), (14, 23)]),
    ("Asia/Dubai", "Dubai", 5, [(9, 18), (9, 17)]),
    ("Europe/London", "London", 4, [(9, 17), (9, 18)]),
    ("America/Toronto", "Toronto", 3, [(9, 17), (10, 18)]),
]
NIGHT_SHIFT = (18, 3)  # Lahore engineers who work United States hours

# Statuses for --status mixed, with the share of each.
MIXED_STATUSES = [
    (Profile.Status.APPROVED.value, 70),
    (Profile.Status.SUBMITTED.value, 10),
    (Profile.Status.DRAFT.value, 10),
    (Profile.Status.CHANGES_REQUESTED.value, 5),
    (Profile.Status.SUSPENDED.value, 5),
]

# Seconds from the profile's creation to each moderation step (a few hours to weeks).
SUBMIT_DELAY = (3_600, 14 * 86_400)
REVIEW_DELAY = (1_800, 5 * 86_400)
# Staff keep up with the review queue: a profile waiting for review was sent in the last week.
QUEUE_WAIT = (1_800, 6 * 86_400)


class Weighted:
    """Fast weighted choice from a fixed list (random.choices recomputes sums each call)."""

    def __init__(self, pairs: Sequence[tuple[Any, int]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


STACK_CHOICE = Weighted([(stack, stack.weight) for stack in STACKS])
LEVEL_CHOICE = Weighted([(level, level.weight) for level in LEVELS])
PLACE_CHOICE = Weighted([(place, place[2]) for place in PLACES])
MIXED_CHOICE = Weighted(MIXED_STATUSES)
ENGLISH_CHOICE = Weighted([("fluent", 45), ("conversational", 35), ("basic", 12), ("native", 8)])


# Rows -------------------------------------------------------------------------

# Skill years go in half-year steps; the same Decimal objects serve every row.
HALF_YEARS = {steps: Decimal(f"{steps / 2:.1f}") for steps in range(0, 101)}


def columns(model: type[Model], names: Sequence[str]) -> tuple[str, list[str]]:
    """The table and column names for ``names``, so renamed fields fail loudly here."""
    meta = model._meta
    found = [meta.get_field(name).column for name in names]  # type: ignore[union-attr]
    return meta.db_table, [str(column) for column in found]


USER_FIELDS = [
    "id",
    "password",
    "is_superuser",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "full_name",
    "role",
]
PROFILE_FIELDS = [
    "id",
    "user",
    "status",
    "staff_note",
    "headline",
    "bio",
    "city",
    "time_zone",
    "work_starts",
    "work_ends",
    "years_experience",
    "seniority",
    "engagement_types",
    "hours_per_week",
    "availability",
    "available_from",
    "hourly_rate_usd",
    "monthly_rate_pkr",
    "english",
    "github_url",
    "linkedin_url",
    "website_url",
    "phone",
    "resume",
    "skill_ids",
    "portfolio_text",
    "full_name",
    "skill_levels",
    "rate_usd",
    "work_start_utc",
    "work_end_utc",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
    "approved_snapshot",
]
PROFILE_SKILL_FIELDS = ["profile", "skill", "years", "level"]
PORTFOLIO_FIELDS = ["id", "profile", "title", "description", "url", "repo_url", "year"]
JOB_FIELDS = ["profile", "employer", "title", "started", "ended", "description"]


@dataclass
class Batch:
    users: list[tuple[Any, ...]] = field(default_factory=list)
    profiles: list[tuple[Any, ...]] = field(default_factory=list)
    profile_skills: list[tuple[Any, ...]] = field(default_factory=list)
    portfolio: list[tuple[Any, ...]] = field(default_factory=list)
    portfolio_skills: list[tuple[Any, ...]] = field(default_factory=list)
    jobs: list[tuple[Any, ...]] = field(default_factory=list)


class Generator:
    """Makes one engineer's rows at a time from a seeded random stream."""

    def __init__(self, skills: dict[str, int], status: str, now: datetime) -> None:
        self.skills = skills
        self.status = status
        self.now = now
        self.today = now.date()
        if not skills.keys() & {stack.language for stack in STACKS}:
            raise CommandError("The skill taxonomy has no languages; run migrate first.")

    def _known(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name in self.skills]

    def _skill_names(self, rng: random.Random, stack: Stack, level: Level) -> list[str]:
        """The language, a framework and a database first, then a draw of the rest."""
        senior = level.name in ("senior", "lead")
        databases = list(stack.databases)
        # Most people of a stack use its usual database; the rest are spread out.
        main_db = databases[0] if rng.random() < stack.usual else rng.choice(databases)
        core = [stack.language, main_db]
        if stack.frameworks:
            usual = rng.random() < stack.usual
            core.insert(1, stack.frameworks[0] if usual else rng.choice(stack.frameworks))
        pool = stack.frameworks + stack.tools + stack.databases
        extra = [name for name in pool if name not in core]
        extra = rng.sample(extra, min(len(extra), 3 if senior else 1))
        if senior or rng.random() < 0.5:
            extra.append(rng.choice(stack.clouds))
        extra += rng.sample(DEVOPS_SENIOR if senior else DEVOPS_JUNIOR, rng.randint(1, 3))
        extra += rng.sample(PRACTICES_SENIOR if senior else PRACTICES_JUNIOR, rng.randint(1, 3))
        if rng.random() < 0.6:
            extra.append(rng.choice(stack.languages))
        core = self._known(core)
        extra = [name for name in self._known(list(dict.fromkeys(extra))) if name not in core]
        wanted = rng.randint(*level.skills)
        return core + extra[: max(0, wanted - len(core))]

    def engineer(self, rng: random.Random, batch: Batch) -> None:
        """Append one engineer's rows to ``batch``.

        Rows point at each other by their position in the batch (``index`` for the
        account and profile, ``item`` for portfolio items); real ids are put in
        when the batch is written.
        """
        index = len(batch.users)
        stack: Stack = STACK_CHOICE.pick(rng)
        level: Level = LEVEL_CHOICE.pick(rng)
        woman = rng.random() < 0.28
        first = rng.choice(WOMEN if woman else MEN)
        family = rng.choice(FAMILIES)
        full_name = f"{first} {family}"
        handle = f"{first}{family}".lower()
        number = rng.randint(10, 9999)

        years = rng.randint(*level.years)
        span = level.years[1] - level.years[0] or 1
        # How far into the level's years this person is sets where their rate falls.
        standing = (years - level.years[0]) / span
        usd = pkr = None
        which = rng.random()
        if which < 0.8:
            low, high = level.usd
            usd = Decimal(round(low + (high - low) * min(1.0, standing * 0.7 + rng.random() * 0.4)))
            usd = usd.quantize(Decimal("0.01"))
        if which > 0.5:
            low, high = level.pkr
            raw = low + (high - low) * min(1.0, standing * 0.7 + rng.random() * 0.4)
            pkr = Decimal(int(raw / 5_000) * 5_000)

        tz, city, _, days = PLACE_CHOICE.pick(rng)
        starts, ends = rng.choice(days)
        if tz == "Asia/Karachi" and rng.random() < 0.05:
            starts, ends = NIGHT_SHIFT

        engagements = [
            kind
            for kind, share in (("contract", 0.6), ("full_time", 0.55), ("part_time", 0.2))
            if rng.random() < share
        ] or ["contract"]
        if "full_time" in engagements:
            hours = 40
        elif engagements == ["part_time"]:
            hours = rng.choice((15, 20, 25))
        else:
            hours = rng.choice((20, 30, 40))
        roll = rng.random()
        if roll < 0.55:
            availability, available_from = "now", None
        elif roll < 0.9:
            availability = "from_date"
            available_from = self.today + timedelta(days=rng.randint(7, 90))
        else:
            availability, available_from = "not_looking", None
        english = ENGLISH_CHOICE.pick(rng)
        if level.name == "junior" and english == "native":
            english = "fluent"

        names = self._skill_names(rng, stack, level)
        skill_years: list[tuple[str, Decimal, int]] = []
        for position, name in enumerate(names):
            share = 1.0 if position == 0 else 0.35 + rng.random() * 0.65
            value = max(0.5, round(max(years, 0.5) * share * 2) / 2)
            skill_level = 1 if value < 1 else 2 if value < 3 else 3 if value < 6 else 4
            if level.name == "junior":
                skill_level = min(skill_level, 2)
            skill_years.append((name, HALF_YEARS[int(value * 2)], skill_level))
        for name, amount, skill_level in skill_years:
            batch.profile_skills.append((index, self.skills[name], amount, skill_level))
        skill_ids = sorted({self.skills[name] for name in names})

        framework = next((n for n in names if n in stack.frameworks), stack.language)
        database = next((n for n in names if n in stack.databases), "PostgreSQL")
        domain = rng.choice(DOMAINS)
        headline = self._headline(rng, level, stack.language, framework, database, domain)

        career_start = self.today - timedelta(days=int(years * 365.25) + rng.randint(60, 300))
        jobs = self._jobs(rng, level, career_start, domain, framework)
        for employer, title, started, ended, description in jobs:
            batch.jobs.append((index, employer, title, started, ended, description))
        current_employer = jobs[-1][0]
        bio = self._bio(rng, years, stack.language, framework, database, domain, current_employer)
        bio += " " + self._closing(rng, names, engagements, tz)

        items = []
        for _ in range(rng.randint(1, 3)):
            item = len(batch.portfolio)
            project = rng.choice(PROJECTS)
            item_domain = rng.choice(DOMAINS)
            title = f"{item_domain[0].upper()}{item_domain[1:]} {project}"
            used = rng.sample(names, min(len(names), rng.randint(2, 3)))
            result = rng.choice(RESULTS).format(
                n=rng.randint(2, 40), h=rng.randint(2, 9), m=rng.randint(5, 50)
            )
            description = (
                f"Designed and built the {project} for a {item_domain} product "
                f"using {' and '.join(used)}. {result}"
            )
            repo = f"https://github.com/{handle}/{project.replace(' ', '-')}"
            year = rng.randint(career_start.year, self.today.year)
            batch.portfolio.append(
                (
                    item,
                    index,
                    title,
                    description,
                    "",
                    repo if rng.random() < 0.4 else "",
                    year,
                )
            )
            for name in used:
                batch.portfolio_skills.append((item, self.skills[name]))
            items.append((year, item, title, description))
        # Newest first, as PortfolioItem orders them and candidates.services joins them.
        items.sort(key=lambda entry: (-entry[0], -entry[1]))
        portfolio_text = "\n".join(f"{title}. {description}" for _, _, title, description in items)

        github = f"https://github.com/{handle}{number}" if rng.random() < 0.7 else ""
        linkedin = (
            f"https://www.linkedin.com/in/{first.lower()}-{family.lower()}-{number}"
            if rng.random() < 0.6
            else ""
        )

        joined = self.now - timedelta(seconds=rng.randint(86_400, 3 * 365 * 86_400))
        status = self.status if self.status != "mixed" else MIXED_CHOICE.pick(rng)
        submitted_at = approved_at = None
        if status == Profile.Status.SUBMITTED:
            submitted_at = self.now - timedelta(seconds=rng.randint(*QUEUE_WAIT))
            joined = min(joined, submitted_at - timedelta(seconds=rng.randint(*SUBMIT_DELAY)))
        elif status != Profile.Status.DRAFT:
            submitted_at = min(self.now, joined + timedelta(seconds=rng.randint(*SUBMIT_DELAY)))
        if status in (Profile.Status.APPROVED, Profile.Status.SUSPENDED):
            assert submitted_at is not None
            approved_at = min(
                self.now, submitted_at + timedelta(seconds=rng.randint(*REVIEW_DELAY))
            )
        staff_note = ""
        if status == Profile.Status.CHANGES_REQUESTED:
            staff_note = "Please add the years you have used each skill and one portfolio link."
        elif status == Profile.Status.SUSPENDED:
            staff_note = "Several portfolio items were copied from other people's work."

        values = {
            "headline": headline,
            "bio": bio,
            "city": city,
            "time_zone": tz,
            "years_experience": years,
            "seniority": level.name,
            "engagement_types": engagements,
            "hours_per_week": hours,
            "hourly_rate_usd": usd,
            "monthly_rate_pkr": pkr,
            "english": english,
            "github_url": github,
            "linkedin_url": linkedin,
            "website_url": "",
        }
        snapshot = ""
        if approved_at is not None:
            # The same shape as candidates.models.snapshot, so nothing reads as changed.
            approved = {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}
            approved["skills"] = sorted(f"{name} {value}y" for name, value, _ in skill_years)
            approved["portfolio"] = sorted(title for _, _, title, _ in items)
            approved["jobs"] = sorted(f"{job[1]} at {job[0]}" for job in jobs)
            snapshot = json.dumps(approved)

        batch.users.append(
            (
                index,
                # "!" marks an unusable password: nobody can log in as a generated engineer.
                f"!{rng.getrandbits(160):040x}",
                False,
                False,
                True,
                joined,
                f"{first}.{family}".lower(),  # the email address, finished with the user id
                full_name,
                User.Role.ENGINEER.value,
            )
        )
        batch.profiles.append(
            (
                index,
                index,
                status,
                staff_note,
                headline,
                bio,
                city,
                tz,
                time(starts),
                time(ends),
                years,
                level.name,
                engagements,
                hours,
                availability,
                available_from,
                usd,
                pkr,
                english,
                github,
                linkedin,
                "",
                "",
                "",
                skill_ids,
                portfolio_text,
                full_name,
                skill_level_tokens((self.skills[name], amount) for name, amount, _ in skill_years),
                comparable_rate(usd, pkr),
                *utc_window(tz, time(starts), time(ends), self.today),
                joined,
                approved_at or submitted_at or joined,
                submitted_at,
                approved_at,
                snapshot or "{}",
            )
        )

    def _headline(
        self,
        rng: random.Random,
        level: Level,
        language: str,
        framework: str,
        database: str,
        domain: str,
    ) -> str:
        rank = {"junior": "Junior", "mid": "", "senior": "Senior", "lead": "Lead"}[level.name]
        options = [
            f"{rank} {language} engineer: {framework} and {database}",
            f"{language} backend engineer for {domain}",
            f"{framework} developer building {domain} systems",
            f"{rank} backend engineer ({language}, {framework}, {database})",
        ]
        if level.name == "lead":
            options.append(f"Tech lead for {language} teams in {domain}")
        return " ".join(rng.choice(options).split())[:120]

    def _bio(
        self,
        rng: random.Random,
        years: int,
        language: str,
        framework: str,
        database: str,
        domain: str,
        employer: str,
    ) -> str:
        if years == 0:
            opening = (
                f"I started my first backend job this year and write {language} every day, "
                f"mostly with {framework}."
            )
        else:
            opening = (
                f"I have {years} year{'s' if years != 1 else ''} of backend work behind me, "
                f"mostly in {language} with {framework} and {database}."
            )
        achievement = rng.choice(ACHIEVEMENTS).format(
            domain=domain, framework=framework, database=database
        )
        return f"{opening} At {employer} I {achievement}."

    def _closing(
        self, rng: random.Random, names: list[str], engagements: list[str], tz: str
    ) -> str:
        kinds = {"contract": "contract", "full_time": "full-time", "part_time": "part-time"}
        wanted = " or ".join(kinds[kind] for kind in engagements)
        tools = ", ".join(names[-3:])
        place = "from Lahore" if tz == "Asia/Karachi" else f"from {tz.split('/')[-1]}"
        return (
            f"Also comfortable with {tools}. Looking for {wanted} work {place}, "
            "with a few hours' overlap with European or Gulf teams."
        )

    def _jobs(
        self, rng: random.Random, level: Level, career_start: date, domain: str, framework: str
    ) -> list[tuple[str, str, date, date | None, str]]:
        count = rng.randint(*level.jobs)
        days = max(60, (self.today - career_start).days)
        # Cut the career into ``count`` consecutive jobs; the last one is the current job.
        cuts = sorted(rng.sample(range(30, days), min(count - 1, max(0, days - 31))))
        bounds = [career_start] + [career_start + timedelta(days=cut) for cut in cuts]
        employers = rng.sample(COMPANIES, len(bounds))
        earlier = LEVELS[max(0, LEVELS.index(level) - 1)].titles
        jobs = []
        for position, started in enumerate(bounds):
            last = position == len(bounds) - 1
            ended = None if last else bounds[position + 1] - timedelta(days=1)
            title = rng.choice(level.titles if last else earlier)
            description = (
                f"Backend work on {domain} products with {framework}; "
                f"{rng.choice(('code reviews', 'on-call', 'mentoring', 'API design'))} "
                "was part of the job."
            )
            jobs.append((employers[position], title, started, ended, description))
        return jobs


# Loading ------------------------------------------------------------------------


class Progress:
    """A one-line progress bar rewritten in place: percent, count, rate, time left."""

    def __init__(self, total: int, write: Callable[[str], None], width: int = 28) -> None:
        self.total = max(total, 1)
        self.write = write
        self.width = width
        self.started = clock.monotonic()

    def update(self, done: int) -> None:
        elapsed = max(clock.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        left = (self.total - done) / rate if rate else 0.0
        filled = int(self.width * done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.write(
            f"\r[{bar}] {100 * done / self.total:5.1f}%  {done:,}/{self.total:,}  "
            f"{rate:,.0f}/s  ETA {self._clock(left)} "
        )

    def finish(self) -> float:
        self.write("\n")
        return clock.monotonic() - self.started

    @staticmethod
    def _clock(seconds: float) -> str:
        minutes, secs = divmod(int(seconds + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"


class Sequences:
    """Hands out ids from the tables' own sequences, as inserts would take them."""

    def __init__(self, cursor: Any) -> None:
        self.names: dict[type[Model], str] = {}
        for model in (User, Profile, PortfolioItem):
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [model._meta.db_table, model._meta.pk.column],  # type: ignore[union-attr]
            )
            self.names[model] = cursor.fetchone()[0]

    def take(self, cursor: Any, model: type[Model], count: int) -> list[int]:
        if not count:
            return []
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
            [self.names[model], count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(
    cursor: Any, model: type[Model], names: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    table, cols = columns(model, names)
    quoted = ", ".join(f'"{col}"' for col in cols)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _write(cursor: Any, batch: Batch, sequences: Sequences) -> None:
    """COPY one batch into every table, replacing positions in the batch with real ids."""
    users = sequences.take(cursor, User, len(batch.users))
    profiles = sequences.take(cursor, Profile, len(batch.profiles))
    items = sequences.take(cursor, PortfolioItem, len(batch.portfolio))
    _copy(
        cursor,
        User,
        USER_FIELDS,
        (
            (users[row[0]], *row[1:6], f"{row[6]}.{users[row[0]]}@engineers.example", *row[7:])
            for row in batch.users
        ),
    )
    _copy(
        cursor,
        Profile,
        PROFILE_FIELDS,
        ((profiles[row[0]], users[row[1]], *row[2:]) for row in batch.profiles),
    )
    _copy(
        cursor,
        ProfileSkill,
        PROFILE_SKILL_FIELDS,
        ((profiles[row[0]], *row[1:]) for row in batch.profile_skills),
    )
    _copy(
        cursor,
        PortfolioItem,
        PORTFOLIO_FIELDS,
        ((items[row[0]], profiles[row[1]], *row[2:]) for row in batch.portfolio),
    )
    _copy(
        cursor,
        PortfolioItem.skills.through,
        ["portfolioitem", "skill"],
        ((items[row[0]], row[1]) for row in batch.portfolio_skills),
    )
    _copy(cursor, Job, JOB_FIELDS, ((profiles[row[0]], *row[1:]) for row in batch.jobs))


def _produce(
    generator: Generator,
    seed: int | str,
    count: int,
    batch_size: int,
    out: queue.Queue[Batch | BaseException | None],
    stop: threading.Event,
) -> None:
    """Make batches on a thread of their own, while PostgreSQL digests the previous one."""

    def put(item: Batch | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    rng = random.Random()
    try:
        for start in range(0, count, batch_size):
            batch = Batch()
            for number in range(start, min(start + batch_size, count)):
                # Each engineer draws from a stream of their own: the Nth engineer of a
                # seed is the same person whatever the batch size.
                rng.seed(f"{seed}:{number}")
                generator.engineer(rng, batch)
            if not put(batch):
                return
    except BaseException as exc:  # handed to the loading thread, which raises it
        put(exc)
        return
    put(None)


def generate_engineers(
    *,
    count: int,
    seed: int | str | None = None,
    status: str = Profile.Status.APPROVED,
    batch_size: int = 10_000,
    progress: Progress | None = None,
) -> int:
    """Create ``count`` engineers with profiles. Returns how many were created.

    A second thread generates the next batch while this one writes the last, so
    Python and PostgreSQL work at the same time.
    """
    if seed is None:
        seed = secrets.randbelow(10**9)
    if status != "mixed":
        status = Profile.Status(status).value
    skills = dict(Skill.objects.values_list("name", "pk"))
    generator = Generator(skills, status, timezone.now())
    with connection.cursor() as wrapper:
        sequences = Sequences(wrapper.cursor)
    batches: queue.Queue[Batch | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()
    producer = threading.Thread(
        target=_produce,
        args=(generator, seed, count, batch_size, batches, stop),
        name="generate-engineers",
        daemon=True,
    )
    producer.start()
    done = 0
    try:
        while (batch := batches.get()) is not None:
            if isinstance(batch, BaseException):
                raise batch
            with transaction.atomic(), connection.cursor() as wrapper:
                # psycopg's own cursor: Django's wrapper has no copy().
                _write(wrapper.cursor, batch, sequences)
            done += len(batch.users)
            if progress is not None:
                progress.update(done)
    finally:
        stop.set()
        producer.join()
    with connection.cursor() as cursor:
        # Fresh statistics, so the planner knows how big the tables have become.
        for model in (User, Profile, ProfileSkill, PortfolioItem, Job):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return done


class Command(BaseCommand):
    help = "Create realistic engineers with approved profiles in bulk (COPY, in batches)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many engineers.")
        parser.add_argument("--seed", type=int, help="Same seed, same engineers.")
        parser.add_argument(
            "--status",
            choices=["approved", "mixed"],
            default="approved",
            help="approved (default), or a mix of every moderation status.",
        )
        parser.add_argument("--batch-size", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")

        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(10**9)
        show = options["verbosity"] > 0
        # The bar rewrites one line, so it bypasses OutputWrapper's newline and colours.
        stream: TextIO = self.stderr._out  # type: ignore[attr-defined,assignment]

        def write(text: str) -> None:
            stream.write(text)
            stream.flush()

        progress = Progress(count, write) if show else None
        created = generate_engineers(
            count=count,
            seed=seed,
            status=options["status"],
            batch_size=options["batch_size"],
            progress=progress,
        )
        if progress is not None:
            seconds = progress.finish()
            self.stdout.write(
                f"Created {created:,} engineers in {seconds:.1f} s "
                f"({created / max(seconds, 1e-6):,.0f} profiles/s); seed {seed}."
            )
