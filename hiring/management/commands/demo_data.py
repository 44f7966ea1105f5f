"""Load the demo story once and print its logins (developer machines only).

The story a visitor can follow after `make run`:
- Ravi Logistics (employer@, owner; usman@, a teammate; one invitation still
  pending) has an open brief, "Django + PostgreSQL payments API", with a
  shortlist and notes, and a paused brief for a Go service;
- Bilal and Hira (bilal@, hira@) have complete, approved profiles that match
  the open brief; a few hundred generated engineers (candidates'
  generate_engineers, fixed seed) fill the search, and the staff review queue
  holds the generated profiles submitted in the last week;
- the open brief has a pipeline: Hira accepted Ayesha's outreach and they have
  started talking in their thread; a generated engineer declined (rate too
  low); Bilal has an outreach waiting for his answer (log in as bilal@ to
  answer it); others sit in Sourced with teammates' reviews, and one was closed
  as not a fit;
- screening: a paid take-home template with a four-line rubric, a technical and
  a final interview kit set on the brief (the technical one asks the guide's five
  questions); one engineer handed in the take-home, graded anonymously by Usman
  while Ayesha's grade is still to come (so she sees no marks until she gives
  hers); another was graded by both, interviewed last week with both scorecards
  in (one attribute left unrated), and has three times offered for the final
  interview. Hira is Interested: send her the take-home, then log in as hira@;
- contracts: Sana (sana@) was hired twice from two closed briefs. Phase one
  (fixed price) ended three weeks ago, reviewed by both sides; phase two (hourly)
  runs on version 2 after a change order, with check-ins answered, missed,
  skipped and waiting, a milestone accepted and one waiting for the company, and
  invoices paid and overdue (see ``_Contracts``).

It lives in hiring, the top app, because it writes to every app below it. It
sends no email: accounts are created verified, the named profiles are approved
without the approval email, the pending invitation is recorded, not sent, and
the outbox rows the pipeline's outreach wrote are removed before they commit.
Running it again adds nothing that is already there.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts import services
from accounts.models import Company, Invitation, Membership, OutboundEmail, User
from candidates import services as profiles
from candidates.management.commands.generate_engineers import generate_engineers
from candidates.models import Job, PortfolioItem, Profile, Skill, snapshot
from hiring import services as hiring
from hiring.changes import services as changes
from hiring.checkins import services as checkins
from hiring.contracts import services as contracts
from hiring.milestones import services as milestones
from hiring.models import (
    ChangeOrder,
    CheckIn,
    Contract,
    ContractReview,
    ContractVersion,
    HandoverTick,
    Message,
    Milestone,
    MilestoneWork,
    Outreach,
    Payment,
    Thread,
    VersionAcceptance,
)
from hiring.reviews import services as ending
from screening import services as pipeline
from screening.models import (
    Assessment,
    AssessmentTemplate,
    Candidacy,
    Currency,
    Focus,
    Grade,
    Interview,
    InterviewKind,
    InterviewKit,
    InterviewSlot,
    NotAFitReason,
    Question,
    Recommendation,
    Review,
    Scorecard,
    Stage,
    StageMove,
)
from screening.selectors import interviews as interview_selectors
from screening.services import assessments, bank, interviews, scorecards
from searches import engine, selectors
from searches import services as briefs
from searches.models import Brief, ShortlistEntry

DEMO_PASSWORD = "karigar-demo-2026"  # noqa: S105 - printed on purpose; DEBUG only

DEMO_USERS = [
    ("employer@karigar.localhost", "Ayesha Siddiqui", User.Role.EMPLOYER),
    ("usman@karigar.localhost", "Usman Tariq", User.Role.EMPLOYER),
    ("bilal@karigar.localhost", "Bilal Ahmed", User.Role.ENGINEER),
    ("hira@karigar.localhost", "Hira Malik", User.Role.ENGINEER),
    ("sana@karigar.localhost", "Sana Qureshi", User.Role.ENGINEER),
    ("staff@karigar.localhost", "Karigar Staff", User.Role.STAFF),
]

# What each login is for, as printed after loading.
WHO = {
    "employer@karigar.localhost": "Ravi Logistics, owner (start here)",
    "usman@karigar.localhost": "Ravi Logistics, hiring manager",
    "bilal@karigar.localhost": "Engineer, approved profile",
    "hira@karigar.localhost": "Engineer, approved profile",
    "sana@karigar.localhost": "Engineer on a contract with Ravi Logistics",
    "staff@karigar.localhost": "Staff: review queue at /admin/",
}
COMPANY = "Ravi Logistics"
OWNER = "employer@karigar.localhost"
TEAMMATE = "usman@karigar.localhost"
INVITED = "zara@ravi-logistics.example"

# Below this many profiles, demo_data adds this many generated engineers (same seed each time).
GENERATED_ENGINEERS = 300
GENERATED_SEED = 2026

DEMO_PROFILES: dict[str, dict[str, Any]] = {
    "bilal@karigar.localhost": {
        "fields": {
            "headline": "Senior Django engineer for payments and logistics",
            "bio": (
                "I have spent seven years building Python backends for companies in Lahore "
                "and the Gulf: payment reconciliation, courier tracking and the reporting "
                "that finance teams live in. I like PostgreSQL, boring deployments and code "
                "reviews that teach something."
            ),
            "years_experience": 7,
            "seniority": Profile.Seniority.SENIOR,
            "engagement_types": [Profile.Engagement.CONTRACT, Profile.Engagement.FULL_TIME],
            "hours_per_week": 40,
            "hourly_rate_usd": Decimal("35.00"),
            "monthly_rate_pkr": Decimal("550000"),
            "english": Profile.English.FLUENT,
            "github_url": "https://github.com/bilal-ahmed-demo",
        },
        "skills": [
            ("Python", "7", 4),
            ("Django", "6", 4),
            ("PostgreSQL", "6", 3),
            ("Celery", "4", 3),
            ("Docker", "4", 3),
            ("AWS", "3", 2),
        ],
        "portfolio": [
            (
                "Courier tracking API",
                "Designed the Django REST API that tells shops and customers where a parcel "
                "is, fed by rider apps; about 40,000 updates an hour at peak.",
                2023,
                ["Django", "PostgreSQL", "Celery"],
            ),
            (
                "Payments reconciliation",
                "Matched bank settlement files against orders every night and flagged "
                "mismatches for finance, replacing a spreadsheet that took two people a day.",
                2021,
                ["Python", "PostgreSQL"],
            ),
        ],
        "jobs": [
            ("Anarkali Commerce", "Senior Software Engineer", date(2021, 3, 1), None),
            ("Data Darbar", "Software Engineer", date(2018, 7, 1), date(2021, 2, 28)),
        ],
    },
    "sana@karigar.localhost": {
        "fields": {
            "headline": "Backend engineer for ledgers, payouts and the jobs behind them",
            "bio": (
                "Six years of Django and PostgreSQL for companies that move money: wallets, "
                "merchant ledgers and the nightly jobs that settle them. I write things down "
                "before I build them, and I like a weekly check-in that says what is next."
            ),
            "years_experience": 6,
            "seniority": Profile.Seniority.SENIOR,
            "engagement_types": [Profile.Engagement.CONTRACT],
            "hours_per_week": 30,
            "hourly_rate_usd": Decimal("30.00"),
            "english": Profile.English.FLUENT,
            "github_url": "https://github.com/sana-qureshi-demo",
        },
        "skills": [
            ("Python", "6", 4),
            ("Django", "6", 4),
            ("PostgreSQL", "6", 4),
            ("Celery", "4", 3),
            ("Redis", "3", 2),
        ],
        "portfolio": [
            (
                "Merchant ledger",
                "A double-entry ledger in PostgreSQL for a wallet app with 80,000 merchants, "
                "with the reports its auditors asked for.",
                2024,
                ["Django", "PostgreSQL"],
            ),
        ],
        "jobs": [
            ("Qist Pay", "Senior Backend Engineer", date(2022, 5, 1), date(2025, 12, 31)),
            ("Bazaar Labs", "Software Engineer", date(2020, 1, 6), date(2022, 4, 30)),
        ],
    },
    "hira@karigar.localhost": {
        "fields": {
            "headline": "Django and Go engineer for high-traffic APIs",
            "bio": (
                "Five years of backend work, mostly ride-hailing and food delivery: "
                "dispatch, pricing and the APIs the apps call. Django and PostgreSQL for "
                "the business side, Go where a service must answer in milliseconds. I work "
                "Lahore afternoons into the evening, which overlaps well with European teams."
            ),
            "years_experience": 5,
            "seniority": Profile.Seniority.MID,
            "engagement_types": [Profile.Engagement.CONTRACT, Profile.Engagement.PART_TIME],
            "hours_per_week": 25,
            "hourly_rate_usd": Decimal("24.00"),
            "english": Profile.English.FLUENT,
            "work_starts": time(13),
            "work_ends": time(22),
            "linkedin_url": "https://www.linkedin.com/in/hira-malik-demo",
        },
        "skills": [
            ("Python", "5", 3),
            ("Django", "4", 3),
            ("PostgreSQL", "5", 3),
            ("Go", "3", 3),
            ("Redis", "3", 2),
            ("Celery", "2", 2),
        ],
        "portfolio": [
            (
                "Rider dispatch service",
                "Rewrote rider assignment in Go with Redis for live positions; median time "
                "to assign a rider fell from 40 to 9 seconds.",
                2024,
                ["Go", "Redis"],
            ),
            (
                "Restaurant payouts",
                "A Django and PostgreSQL service that works out what each restaurant is "
                "owed every week, with Celery jobs that send the bank files.",
                2022,
                ["Django", "PostgreSQL", "Celery"],
            ),
        ],
        "jobs": [
            ("Tanga Mobility", "Backend Engineer", date(2022, 1, 10), None),
            (
                "Chai Break Software",
                "Associate Software Engineer",
                date(2021, 1, 4),
                date(2021, 12, 31),
            ),
        ],
    },
}

OPEN_BRIEF = "Django + PostgreSQL payments API"
#: What the demo's interviewers wrote, by focus attribute and score.
INTERVIEW_EVIDENCE: dict[str, dict[int, str]] = {
    "system_design": {
        3: "Split the monolith only where payouts need their own pace; sensible.",
        4: "Weighed a queue against a cron job with real numbers from their last job.",
    },
    "databases": {
        3: "Reached for EXPLAIN ANALYZE first and found the missing index.",
        4: "Explained why the planner skipped the index and fixed the statistics.",
    },
    "reliability": {
        3: "Retries with backoff, and knew which errors must never be retried.",
        4: "Idempotency keys end to end, with the constraint that enforces them.",
    },
}
#: The hiring guide's sample interview questions (starter questions of screening's
#: migration 0003), which the demo's technical kit asks in this order.
GUIDE_QUESTIONS = [
    "Can you explain the difference between monolithic architecture and microservices?",
    "How do you optimize the performance of a slow database query?",
    "What are some best practices for securing a backend API?",
    "How do you handle errors and exceptions in your code?",
    "Can you describe your experience with containerization using Docker?",
]
PAUSED_BRIEF = "Go service for live rider tracking"

DEMO_BRIEFS: list[dict[str, Any]] = [
    {
        "data": {
            "title": OPEN_BRIEF,
            "description": (
                "Ravi Logistics collects cash on delivery for about 300 shops in Lahore. "
                "We need an API that settles what each shop is owed every night, matches "
                "bank transfers against orders and shows finance what is still open. "
                "Django and PostgreSQL, Celery for the nightly jobs; three months of "
                "contract work to start, with a chance to stay on."
            ),
            "max_hourly_usd": Decimal("50"),
            "min_overlap_hours": 4,
        },
        "must": ["Django", "PostgreSQL"],
        "nice": ["Celery", "Docker", "AWS"],
        "status": Brief.Status.OPEN,
    },
    {
        "data": {
            "title": PAUSED_BRIEF,
            "description": (
                "A small Go service that takes rider positions from the app every few "
                "seconds and tells shops where their parcel is. On hold until the "
                "payments API is live."
            ),
            "engagement": Profile.Engagement.CONTRACT,
            "min_overlap_hours": 3,
        },
        "must": ["Go"],
        "nice": ["Redis", "Kubernetes"],
        "status": Brief.Status.PAUSED,
    },
]

# Who is on the open brief's shortlist, who added them, and why.
SHORTLIST_NOTES = {
    "bilal@karigar.localhost": (
        OWNER,
        "Built courier tracking and nightly bank reconciliation at Anarkali Commerce: "
        "ask about matching settlement files.",
    ),
    "hira@karigar.localhost": (
        TEAMMATE,
        "Restaurant payouts in Django, so she knows settlements. Works 1 to 10 pm: "
        "five hours with us.",
    ),
}
GENERATED_NOTES = [
    (OWNER, "Good fit on paper; check the Celery experience in a first call."),
    (TEAMMATE, "Rate is within budget. Ask whether they can start this month."),
]


class Command(BaseCommand):
    help = "Create the demo company, briefs, engineers and staff user if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for developer machines (DEBUG=true) only.")
        with transaction.atomic():
            created = [self._ensure(email, name, role) for email, name, role in DEMO_USERS]
            for email, profile in DEMO_PROFILES.items():
                self._ensure_profile(email, profile)
        if any(created):
            self.stdout.write("Loaded demo data.")
        if Profile.objects.count() < GENERATED_ENGINEERS:
            # Mostly approved, with some in every other state so the review queue has work.
            made = generate_engineers(
                count=GENERATED_ENGINEERS, seed=GENERATED_SEED, status="mixed"
            )
            self.stdout.write(f"Generated {made} engineers to browse and review.")
        with transaction.atomic():
            self._ensure_team()
            self._ensure_briefs()
        with transaction.atomic():
            self._ensure_pipeline()
        with transaction.atomic():
            self._ensure_contracts()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, _, _ in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {WHO[email]}")

    def _ensure(self, email: str, name: str, role: str) -> bool:
        if User.objects.filter(email=email).exists():
            return False
        staff = role == User.Role.STAFF
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            role=role,
            is_staff=staff,
            is_superuser=staff,
        )
        # Verified from the start: demo accounts get no confirmation email.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if email == OWNER:
            services.company_create(
                owner=user, name=COMPANY, website="https://ravi-logistics.example"
            )
        return True

    def _ensure_profile(self, email: str, data: dict[str, Any]) -> None:
        """An approved profile for a named demo engineer, unless they have started their own."""
        user = User.objects.get(email=email)
        profile = profiles.profile_ensure(user=user)
        if profile.status != Profile.Status.DRAFT or profile.skills.exists():
            return
        for name, value in data["fields"].items():
            setattr(profile, name, value)
        profile.save()
        skills = {skill.name: skill for skill in Skill.objects.all()}
        for name, years, level in data["skills"]:
            profiles.skill_set(
                profile=profile, skill=skills[name], years=Decimal(years), level=level
            )
        for title, description, year, used in data["portfolio"]:
            profiles.portfolio_save(
                profile=profile,
                item=PortfolioItem(title=title, description=description, year=year),
                skills=[skills[name] for name in used],
            )
        for employer, title, started, ended in data["jobs"]:
            profiles.job_save(
                profile=profile,
                job=Job(employer=employer, title=title, started=started, ended=ended),
            )
        # Submitted through the service, which checks the profile is complete ...
        profiles.profile_submit(profile=profile)
        # ... and approved as staff would, minus the "you are approved" email.
        profile.refresh_from_db()
        profile.status = Profile.Status.APPROVED
        profile.approved_at = timezone.now()
        profile.approved_snapshot = snapshot(profile)
        profile.save(update_fields=["status", "approved_at", "approved_snapshot", "updated_at"])

    def _ensure_team(self) -> None:
        """A teammate who joined through an invitation, and one invitation still open."""
        company = Company.objects.get(memberships__user__email=OWNER)
        owner = User.objects.get(email=OWNER)
        mate = User.objects.get(email=TEAMMATE)
        if not Membership.objects.filter(user=mate).exists():
            invitation = Invitation.objects.create(
                company=company, email=mate.email, invited_by=owner
            )
            services.invitation_accept(token=invitation.token, user=mate)
        pending = Invitation.objects.filter(
            company=company,
            email__iexact=INVITED,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        if not pending.exists():
            # Recorded, not sent: services.invitation_send would email it.
            Invitation.objects.create(company=company, email=INVITED, invited_by=owner)
        else:
            # Still pending however long ago the demo was loaded.
            pending.filter(expires_at__lte=timezone.now()).update(
                expires_at=timezone.now() + timedelta(days=Invitation.VALID_DAYS)
            )

    def _ensure_briefs(self) -> None:
        company = Company.objects.get(memberships__user__email=OWNER)
        owner = User.objects.get(email=OWNER)
        skills = {skill.name: skill for skill in Skill.objects.all()}
        for spec in DEMO_BRIEFS:
            if Brief.objects.filter(company=company, title=spec["data"]["title"]).exists():
                continue
            brief = briefs.brief_create(
                company=company,
                user=owner,
                data=spec["data"],
                must=[(skills[name], None) for name in spec["must"]],
                nice=[skills[name] for name in spec["nice"]],
            )
            if spec["status"] != Brief.Status.OPEN:
                briefs.brief_set_status(brief=brief, status=spec["status"])
            if spec["data"]["title"] == OPEN_BRIEF:
                self._fill_shortlist(brief)

    def _fill_shortlist(self, brief: Brief) -> None:
        """The named engineers and two of the brief's generated matches, each with a note."""
        users = {user.email: user for user in User.objects.filter(email__in=[OWNER, TEAMMATE])}
        criteria = selectors.criteria_from_brief(brief, selectors.brief_skills(brief))
        matches = engine.matching(criteria, brief.company).select_related("user")
        named = {p.user.email: p for p in matches.filter(user__email__in=SHORTLIST_NOTES)}
        for email, (added_by, note) in SHORTLIST_NOTES.items():
            if email in named:
                briefs.shortlist_add(
                    brief=brief, profile=named[email], user=users[added_by], note=note
                )
        others = matches.filter(user__email__endswith="@engineers.example").order_by("pk")
        chosen = list(others[: len(GENERATED_NOTES)])
        for profile, (added_by, note) in zip(chosen, GENERATED_NOTES[: len(chosen)], strict=True):
            briefs.shortlist_add(brief=brief, profile=profile, user=users[added_by], note=note)

    def _ensure_pipeline(self) -> None:
        """The open brief's pipeline, told through the services a team would use."""
        brief = Brief.objects.select_related("company").get(
            company__memberships__user__email=OWNER, title=OPEN_BRIEF
        )
        if Candidacy.objects.filter(brief=brief).exists():
            return
        started = timezone.now()
        owner = User.objects.get(email=OWNER)
        mate = User.objects.get(email=TEAMMATE)
        shortlisted = [
            e.profile
            for e in ShortlistEntry.objects.filter(brief=brief).select_related("profile__user")
        ]
        by_email = {p.user.email: p for p in shortlisted}
        bilal, hira = (
            by_email.get("bilal@karigar.localhost"),
            by_email.get("hira@karigar.localhost"),
        )
        if bilal is None or hira is None:
            return
        criteria = selectors.criteria_from_brief(brief, selectors.brief_skills(brief))
        generated = list(
            engine.matching(criteria, brief.company)
            .filter(user__email__endswith="@engineers.example")
            .select_related("user")
            .order_by("pk")[:7]
        )
        if len(generated) < 7:
            return
        declines, assessed, interviewed, unfit, *sourced = generated
        pipeline.candidacies_add(brief=brief, profile_ids=[bilal.pk, hira.pk], user=owner)
        pipeline.candidacies_add(brief=brief, profile_ids=[p.pk for p in generated], user=mate)
        cards = {c.profile_id: c for c in Candidacy.objects.filter(brief=brief)}

        # First looks: the team's reviews of who is still in Sourced, and of Bilal
        # and Hira before anyone wrote to them.
        for profile, author, rating, note in [
            (bilal, owner, Review.Rating.STRONG_YES, "Reconciliation work is exactly our problem."),
            (hira, mate, Review.Rating.YES, "Payouts in Django; overlap is good."),
            (sourced[0], owner, Review.Rating.YES, "Solid Celery history; rate fits."),
            (sourced[0], mate, Review.Rating.STRONG_YES, "Portfolio has a ledger service."),
            (sourced[1], mate, Review.Rating.NO, "Mostly frontend lately."),
        ]:
            pipeline.review_save(
                candidacy=cards[profile.pk], author=author, rating=rating, note=note
            )
        pipeline.candidacy_move(
            candidacy=cards[unfit.pk],
            to=Stage.NOT_A_FIT,
            by=mate,
            reason=NotAFitReason.EXPERIENCE,
            note="No payments work yet; revisit for the next brief.",
        )

        # Outreach: Hira accepted and they are talking; one generated engineer
        # declined; two accepted and moved on; Bilal has not answered yet.
        hello = (
            "Hi {first_name}, we are {company_name}, a logistics company in Lahore. "
            "Your profile fits our brief “{brief_title}”; the terms are below."
        )
        sent = {}
        for profile, sender in [
            (hira, owner),
            (declines, mate),
            (assessed, owner),
            (interviewed, owner),
            (bilal, owner),
        ]:
            sent[profile.pk] = hiring.outreach_send(
                candidacy=cards[profile.pk],
                sender=sender,
                terms=hiring.terms_initial(brief),
                message=hiring.template_render(hello, profile=profile, brief=brief),
            )
        hiring.outreach_accept(
            outreach=sent[hira.pk],
            user=hira.user,
            note="Thanks, this sounds like my kind of project. Happy to talk this week.",
        )
        thread = sent[hira.pk].thread
        hiring.message_post(
            thread=thread,
            author=owner,
            side=Message.Side.COMPANY,
            body=(
                "Lovely to hear. Could you do a 30-minute call on Thursday, 4 pm Lahore time? "
                "Our settlement notes are at https://ravi-logistics.example/settlements"
            ),
        )
        hiring.message_post(
            thread=thread,
            author=hira.user,
            side=Message.Side.ENGINEER,
            body="Thursday at 4 works. I will read the notes before we talk.",
        )
        hiring.outreach_decline(
            outreach=sent[declines.pk],
            user=declines.user,
            reason="rate",
            note="I am booked at a higher rate until March.",
        )
        for profile in (assessed, interviewed):
            hiring.outreach_accept(outreach=sent[profile.pk], user=profile.user)
        screening = _Screening(brief, owner, mate)
        screening.assessed(cards[assessed.pk])
        screening.interviewed(cards[interviewed.pk])

        # Nothing above emails anyone: the rows it queued go before they commit
        # (their delivery tasks then find nothing to send), and every thread
        # counts as already emailed, so no digest follows either.
        OutboundEmail.objects.filter(created_at__gte=started).delete()
        now = timezone.now()
        Thread.objects.filter(company=brief.company).update(
            company_notified_at=now, engineer_notified_at=now
        )
        # Spread the story over the last days, so cards show how long they have waited.
        for profile, days in [
            (hira, 5),
            (declines, 6),
            (assessed, 9),
            (interviewed, 12),
            (bilal, 1),
            (unfit, 4),
            (sourced[0], 3),
            (sourced[1], 2),
        ]:
            self._shift(cards[profile.pk], timedelta(days=days))
        # After the shift, so their times fall where the story needs them: the
        # technical interview's scorecards, then the final interview waiting for a time.
        screening.interviewed_after(cards[interviewed.pk])
        OutboundEmail.objects.filter(created_at__gte=started).delete()

    def _ensure_contracts(self) -> None:
        """Sana's finished and running contracts (see ``_Contracts``), told once."""
        sana = Profile.objects.select_related("user").get(user__email=ENGINEER_ON_CONTRACT)
        if sana.status != Profile.Status.APPROVED or Contract.objects.filter(profile=sana).exists():
            return
        started = timezone.now()
        story = _Contracts(User.objects.get(email=OWNER), sana)
        story.phase_one()
        story.phase_two()
        # As for the pipeline: nothing above emails anyone.
        OutboundEmail.objects.filter(created_at__gte=started).delete()
        Thread.objects.filter(profile=sana).update(
            company_notified_at=timezone.now(), engineer_notified_at=timezone.now()
        )

    @staticmethod
    def _shift(candidacy: Candidacy, back: timedelta) -> None:
        """Move one card's whole story ``back`` in time, keeping its order."""
        Candidacy.objects.filter(pk=candidacy.pk).update(stage_since=F("stage_since") - back)
        StageMove.objects.filter(candidacy=candidacy).update(at=F("at") - back)
        outreach = Outreach.objects.filter(candidacy=candidacy)
        outreach.update(sent_at=F("sent_at") - back)
        outreach.filter(answered_at__isnull=False).update(answered_at=F("answered_at") - back)
        Message.objects.filter(outreach__candidacy=candidacy).update(
            created_at=F("created_at") - back
        )
        threads = Thread.objects.filter(outreach__candidacy=candidacy)
        Message.objects.filter(thread__in=threads, outreach__isnull=True).update(
            created_at=F("created_at") - back
        )
        for name in ("company_last_at", "engineer_last_at", "company_read_at", "engineer_read_at"):
            threads.filter(**{f"{name}__isnull": False}).update(**{name: F(name) - back})
        _shift_rows(Assessment.objects.filter(candidacy=candidacy), back)
        _shift_rows(Grade.objects.filter(assessment__candidacy=candidacy), back)
        _shift_rows(Interview.objects.filter(candidacy=candidacy), back)
        _shift_rows(InterviewSlot.objects.filter(interview__candidacy=candidacy), back)
        _shift_rows(Scorecard.objects.filter(interview__candidacy=candidacy), back)


def _shift_rows(rows: QuerySet[Any], back: timedelta) -> None:
    """Every date and time column of ``rows`` that is set, ``back`` earlier."""
    for field in rows.model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            name = field.name
            rows.filter(**{f"{name}__isnull": False}).update(**{name: F(name) - back})


class _Screening:
    """The open brief's screening, told through the services a team would use: an
    assessment template, the technical and final interview kits, and how far three
    engineers got (see the module's docstring)."""

    def __init__(self, brief: Brief, owner: User, mate: User) -> None:
        self.brief, self.owner, self.mate = brief, owner, mate
        company = brief.company
        self.template = assessments.template_save(
            company=company,
            user=owner,
            fields={
                "title": "Settlement reconciliation (take-home)",
                "instructions": (
                    "Write a small Django service that takes a courier's daily cash-on-delivery "
                    "file (CSV) and our orders export, matches each payment to its order, and "
                    "reports what is missing, short or paid twice. Include a migration, tests "
                    "and a README that says what you would do next with more time."
                ),
                "time_box_hours": 4,
                "deadline_days": 5,
                "paid": True,
                "amount": Decimal("60"),
                "currency": Currency.USD,
                "submit_kind": AssessmentTemplate.SubmitKind.REPOSITORY,
                "submit_note": "Share a GitHub or GitLab repository (public, or invite ayesha).",
            },
            criteria=[
                {
                    "name": "Correctness and tests",
                    "weight": 35,
                    "level_1": "Matches only the happy path; no tests.",
                    "level_2": "Most cases match; a few tests of the obvious ones.",
                    "level_3": "Short, missing and double payments all found; tests cover them.",
                    "level_4": "Every case right, including bad rows; tests read as a spec.",
                },
                {
                    "name": "Data model and SQL",
                    "weight": 25,
                    "level_1": "Amounts as floats; no constraints.",
                    "level_2": "Decimals, but matching done row by row in Python.",
                    "level_3": "Sound tables and indexes; matching in a few queries.",
                    "level_4": "Constraints guard the money; matching in one set-based query.",
                },
                {
                    "name": "API and errors",
                    "weight": 20,
                    "level_1": "Crashes on a bad file.",
                    "level_2": "Bad files rejected without saying why.",
                    "level_3": "Clear errors per row; the good rows still processed.",
                    "level_4": "Clear errors, safe to upload twice, and a useful summary.",
                },
                {
                    "name": "Clarity and README",
                    "weight": 20,
                    "level_1": "Hard to follow; no README.",
                    "level_2": "Readable; README says how to run it.",
                    "level_3": "Small clear functions; README explains the choices.",
                    "level_4": "A newcomer could extend it in an hour; trade-offs written down.",
                },
            ],
        )
        starters = {q.text: q for q in Question.objects.filter(company__isnull=True)}
        guide = [starters[text] for text in GUIDE_QUESTIONS if text in starters]
        own = bank.question_add(
            company=company,
            user=owner,
            text="Walk us through how you would make a payout job safe to run twice.",
            focus=Focus.RELIABILITY,
            good_answer=(
                "An idempotency key per payout, a unique constraint that enforces it, a "
                "conditional update to claim the work, and what happens when the worker dies "
                "between the bank call and the commit."
            ),
        )
        self.technical = bank.kit_save(
            company=company,
            user=owner,
            title="Backend technical interview",
            kind=InterviewKind.TECHNICAL,
            focus=[Focus.SYSTEM_DESIGN, Focus.DATABASES, Focus.SECURITY, Focus.RELIABILITY],
            notes=(
                "Sixty minutes: ten to introduce ourselves and the settlement problem, forty "
                "on the questions, ten for theirs. Ask for examples from their own work."
            ),
            question_ids=[q.pk for q in guide] + [own.pk],
        )
        people = [
            q
            for q in starters.values()
            if q.focus in (Focus.COMMUNICATION, Focus.COLLABORATION, Focus.OWNERSHIP)
        ]
        self.final = bank.kit_save(
            company=company,
            user=owner,
            title="Final interview: expertise, fit and communication",
            kind=InterviewKind.FINAL,
            focus=[Focus.SYSTEM_DESIGN, Focus.COMMUNICATION, Focus.COLLABORATION],
            notes="Ask for a story for each question; note how they explain trade-offs.",
            question_ids=[q.pk for q in people],
        )
        bank.brief_kits_set(brief=brief, technical=self.technical, final=self.final)

    def _send(self, candidacy: Candidacy, *, anonymous: bool = False) -> Assessment:
        return assessments.assessment_send(
            candidacy=candidacy,
            template=self.template,
            sender=self.owner,
            deadline=timezone.now() + timedelta(days=5),
            graders=[self.owner, self.mate],
            anonymous=anonymous,
        )

    def _grade(self, assessment: Assessment, grader: User, marks: list[int], call: int) -> None:
        evidence = {
            1: "Missed the cases this criterion asks for.",
            2: "Partly there; gaps noted in the review.",
            3: "Solid: the cases we care about are covered.",
            4: "Excellent: better than our own first version.",
        }
        scores = {
            criterion["key"]: {"score": mark, "evidence": evidence[mark]}
            for criterion, mark in zip(assessment.rubric, marks, strict=True)
        }
        assessments.grade_submit(
            assessment=assessment, grader=grader, scores=scores, recommendation=call
        )

    def assessed(self, candidacy: Candidacy) -> None:
        """Handed in and graded anonymously by Usman; Ayesha's grade is still to come,
        so she sees nobody's marks until she has given hers."""
        assessment = self._send(candidacy, anonymous=True)
        assessments.assessment_submit(
            assessment=assessment,
            user=candidacy.profile.user,
            url="https://github.com/demo-engineer/settlements-takehome",
            note="Matching runs in one query; the README lists what I would do next.",
        )
        self._grade(assessment, self.mate, [3, 3, 2, 3], Recommendation.YES)

    def interviewed(self, candidacy: Candidacy) -> None:
        """Graded by both, then a technical interview booked (shifted into the past)."""
        assessment = self._send(candidacy)
        assessments.assessment_submit(
            assessment=assessment,
            user=candidacy.profile.user,
            url="https://github.com/demo-engineer/reconcile",
        )
        self._grade(assessment, self.owner, [4, 3, 3, 3], Recommendation.STRONG_YES)
        self._grade(assessment, self.mate, [3, 3, 4, 2], Recommendation.YES)
        self.technical_interview = self._offer(
            candidacy, self.technical, InterviewKind.TECHNICAL, [self.owner, self.mate]
        )
        first = self.technical_interview.slots.order_by("starts_at").first()
        assert first is not None
        interviews.interview_book(
            interview=self.technical_interview, user=candidacy.profile.user, slot_id=first.pk
        )

    def _offer(
        self, candidacy: Candidacy, kit: InterviewKit, kind: str, interviewers: list[User]
    ) -> Interview:
        members = list(Membership.objects.filter(user__in=interviewers).select_related("company"))
        found = interview_selectors.proposal(
            company=candidacy.company,
            engineer=candidacy.profile,
            interviewers=members,
            length_minutes=60,
        )
        return interviews.interview_offer(
            candidacy=candidacy,
            by=self.owner,
            kind=kind,
            kit=kit,
            interviewers=interviewers,
            length_minutes=60,
            video_link="https://meet.example.com/ravi-logistics-interview",
            starts=[slot.starts for slot in found.free[:6:2]],
        )

    def interviewed_after(self, candidacy: Candidacy) -> None:
        """Both scorecards of the (now past) technical interview, then the final
        interview offered: three times for the engineer to pick from."""
        interview = Interview.objects.get(pk=self.technical_interview.pk)
        after = (interview.ends_at or timezone.now()) + timedelta(hours=1)
        cards: list[tuple[User, list[int | None], int]] = [
            # Security ran out of time on both sides: the summary names it as unrated.
            (self.owner, [3, 4, None, 3], Recommendation.YES),
            (self.mate, [4, 3, None, 3], Recommendation.STRONG_YES),
        ]
        for interviewer, marks, call in cards:
            ratings = {
                focus: {"score": mark, "evidence": INTERVIEW_EVIDENCE[focus][mark]}
                for focus, mark in zip(interview.focus, marks, strict=True)
                if mark is not None
            }
            scorecards.scorecard_submit(
                interview=interview,
                interviewer=interviewer,
                ratings=ratings,
                recommendation=call,
                now=after,
            )
        # Usman alone: until he has written his final scorecard, he sees none of this
        # candidacy's cards; Ayesha, who is not on it, reads the technical ones.
        self._offer(candidacy, self.final, InterviewKind.FINAL, [self.mate])


# Contracts ------------------------------------------------------------------------------

ENGINEER_ON_CONTRACT = "sana@karigar.localhost"
PAST_BRIEF = "Shop ledger clean-up (phase one)"
CURRENT_BRIEF = "Rider payouts service (phase two)"
#: Both briefs were filled by Sana: closed once she was hired.
CONTRACT_BRIEFS: list[dict[str, Any]] = [
    {
        "title": PAST_BRIEF,
        "description": (
            "Phase one of our ledger work: clean up five years of shop balances, write the "
            "migrations that make them add up, and hand over a report finance can trust."
        ),
        "max_hourly_usd": Decimal("40"),
        "min_overlap_hours": 3,
    },
    {
        "title": CURRENT_BRIEF,
        "description": (
            "Phase two: pay riders their cash-on-delivery commission every week, from the "
            "ledger phase one cleaned up. Django, PostgreSQL and Celery; about 30 hours a "
            "week for three months."
        ),
        "max_hourly_usd": Decimal("35"),
        "min_overlap_hours": 3,
    },
]


def _stamp(since: datetime, moment: datetime) -> None:
    """Rows a service wrote at the real time since ``since`` take ``moment`` instead, so a
    story told now reads as if it happened then (a contract's own dates are its terms)."""
    models_stamped = [
        Message,
        Thread,
        Outreach,
        StageMove,
        Contract,
        ContractVersion,
        VersionAcceptance,
        ChangeOrder,
        MilestoneWork,
        Payment,
        CheckIn,
        HandoverTick,
        ContractReview,
    ]
    for model in models_stamped:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and field.name != "reviews_close_at":
                name = field.name
                rows: QuerySet[Any] = model._default_manager.filter(**{f"{name}__gte": since})
                rows.update(**{name: moment})
    Candidacy.objects.filter(stage_since__gte=since).update(stage_since=moment)


class _Contracts:
    """Sana's two contracts with Ravi Logistics, told through the services both sides use:
    phase one (fixed price, two milestones) ended three weeks ago and both reviewed it;
    phase two (hourly, every two weeks) started five weeks ago, was changed once by a
    change order, and has check-ins in every state, a milestone accepted and one waiting
    for the company, and invoices paid, waiting and overdue."""

    def __init__(self, owner: User, sana: Profile) -> None:
        self.owner, self.sana = owner, sana
        self.zone = ZoneInfo(sana.time_zone)
        self.now = timezone.now()
        self.today = timezone.localtime(self.now, self.zone).date()

    def at(self, day: date, hour: int = 11) -> datetime:
        """That day at ``hour`` in Sana's zone."""
        return datetime.combine(day, time(hour), tzinfo=self.zone)

    def _brief(self, spec: dict[str, Any]) -> Brief:
        skills = {skill.name: skill for skill in Skill.objects.all()}
        data = {k: v for k, v in spec.items()}
        return briefs.brief_create(
            company=Company.objects.get(memberships__user=self.owner),
            user=self.owner,
            data=data,
            must=[(skills["Django"], None), (skills["PostgreSQL"], None)],
            nice=[skills["Celery"]],
        )

    def _hire(
        self, brief: Brief, terms: dict[str, Any], milestones: list[dict[str, Any]], day: date
    ) -> Contract:
        """Outreach accepted, card to Offer, contract drafted, sent and accepted by both,
        all on ``day``; then the brief is closed: it was filled."""
        since = timezone.now()
        pipeline.candidacies_add(brief=brief, profile_ids=[self.sana.pk], user=self.owner)
        candidacy = Candidacy.objects.get(brief=brief, profile=self.sana)
        outreach = hiring.outreach_send(
            candidacy=candidacy,
            sender=self.owner,
            terms=hiring.terms_initial(brief),
            message="Hi Sana, here is the next piece of work, with its terms below.",
        )
        hiring.outreach_accept(outreach=outreach, user=self.sana.user)
        candidacy.refresh_from_db()
        pipeline.candidacy_move(candidacy=candidacy, to=Stage.OFFER, by=self.owner)
        candidacy.refresh_from_db()
        contract = contracts.contract_draft(
            candidacy=candidacy, by=self.owner, terms=terms, milestones=milestones
        )
        version = contracts.contract_send(contract=contract, by=self.owner, today=day)
        for user in (self.sana.user, self.owner):
            contracts.version_accept(
                contract=contract,
                user=user,
                number=version.number or 1,
                content_hash=version.content_hash,
            )
        briefs.brief_set_status(brief=brief, status=Brief.Status.CLOSED)
        _stamp(since, self.at(day, 10))
        contract.refresh_from_db()
        return contract

    def _terms(self, **values: Any) -> dict[str, Any]:
        terms: dict[str, Any] = {
            "notice_days": 14,
            "pay_within_days": 10,
            "deem_accept_days": 7,
            "trial_weeks": None,
            "overlap_starts": time(14),
            "overlap_ends": time(18),
            "tools": [
                {"kind": "slack", "url": "https://ravi-logistics.slack.example/engineering"},
                {"kind": "repository", "url": "https://github.com/ravi-logistics-demo/ledger"},
            ],
            "checkin_weekday": 4,
            "checkin_time": time(16),
            "call_weekday": None,
            "call_time": None,
            "call_minutes": None,
        }
        terms.update(values)
        return terms

    def phase_one(self) -> Contract:
        """Fixed price, two milestones, ended three weeks ago; both reviewed it."""
        start, end = self.today - timedelta(days=100), self.today - timedelta(days=30)
        contract = self._hire(
            self._brief(CONTRACT_BRIEFS[0]),
            self._terms(
                title="Shop ledger clean-up",
                scope=(
                    "Reconcile five years of shop balances, write the migrations that make "
                    "them add up, and hand over a report finance can run every month."
                ),
                engagement="fixed",
                rate=Decimal("3000"),
                currency="USD",
                hours_cap=25,
                start_on=start,
                end_on=end,
                invoice_cadence="milestone",
            ),
            [
                {
                    "title": "Balances reconciled",
                    "acceptance_criteria": (
                        "Every shop's balance matches the bank statements for 2021 to 2025; "
                        "the differences are listed with their cause."
                    ),
                    "due_on": start + timedelta(days=35),
                    "amount": Decimal("1500"),
                },
                {
                    "title": "Migrations and monthly report",
                    "acceptance_criteria": (
                        "Migrations run on a copy of production in under ten minutes; "
                        "finance can run the report for any month from the admin."
                    ),
                    "due_on": end,
                    "amount": Decimal("1500"),
                },
            ],
            start - timedelta(days=2),
        )
        sana, owner = self.sana.user, self.owner
        first, second = Milestone.objects.filter(version=contract.current_id).order_by("position")
        for milestone, submitted, note in (
            (first, start + timedelta(days=33), "All 312 shops reconcile; see DIFFERENCES.md."),
            (second, end - timedelta(days=2), "Migrations take 6 minutes on the copy."),
        ):
            milestones.milestone_submit(
                contract=contract,
                user=sana,
                key=milestone.key,
                note=note,
                link="https://github.com/ravi-logistics-demo/ledger/pull/1",
                now=self.at(submitted),
            )
            milestones.milestone_accept(
                contract=contract, user=owner, key=milestone.key, now=self.at(submitted, 15)
            )
        for payment in Payment.objects.filter(contract=contract):
            due = payment.due_on
            milestones.payment_paid(
                contract=contract,
                user=owner,
                payment_id=payment.pk,
                note="Bank transfer",
                now=self.at(due - timedelta(days=2)),
            )
            milestones.payment_confirm(
                contract=contract, user=sana, payment_id=payment.pk, now=self.at(due)
            )
        ended = self.at(end + timedelta(days=1), 0) + timedelta(minutes=10)
        ending.ending_sweep(now=ended)
        since = timezone.now()
        for item in ("access", "work", "credentials"):
            for user, side in ((owner, "company"), (sana, "engineer")):
                ending.handover_tick(contract=contract, by=user, side=side, item=item)
        _stamp(since, ended + timedelta(hours=10))
        contract.refresh_from_db()
        ending.review_create(
            contract=contract,
            by=owner,
            side="company",
            stars=5,
            scores={"quality": 5, "communication": 5, "reliability": 5, "time_zones": 4},
            public_text=(
                "Sana found every mismatch in five years of shop balances and explained each "
                "one so finance could act on it. Clear weekly notes and no surprises."
            ),
            private_note="We are hiring her again for phase two.",
            now=ended + timedelta(days=2),
        )
        review = ending.review_create(
            contract=contract,
            by=sana,
            side="engineer",
            stars=4,
            scores={"clarity": 4, "responsiveness": 5, "paying_on_time": 5},
            public_text=(
                "A well-run team: answers within the day and payments on time. The first "
                "brief was vague about the old data, which cost a week."
            ),
            now=ended + timedelta(days=3),
        )
        ending.review_reply(
            review=review,
            by=owner,
            side="company",
            text="Fair point: phase two's brief lists the data sources up front.",
            now=ended + timedelta(days=4),
        )
        return contract

    def phase_two(self) -> Contract:
        """Hourly, invoiced every two weeks, started five weeks ago and changed once. The
        check-in is the day before today each week, so this week's waits for Sana."""
        start = self.today - timedelta(days=35)
        day = self.today - timedelta(days=1)
        contract = self._hire(
            self._brief(CONTRACT_BRIEFS[1]),
            self._terms(
                title="Rider payouts service",
                scope=(
                    "Pay riders their cash-on-delivery commission every week from the "
                    "cleaned-up ledger: a Django service with Celery jobs, an admin for finance "
                    "and a bank file they can upload."
                ),
                engagement="hourly",
                rate=Decimal("30"),
                currency="USD",
                hours_cap=30,
                start_on=start,
                end_on=start + timedelta(days=90),
                invoice_cadence="fortnightly",
                # Paid within five days: the second fortnight's invoice is always overdue.
                pay_within_days=5,
                checkin_weekday=day.weekday(),
                checkin_time=time(10),
                call_weekday=(day.weekday() + 2) % 7,
                call_time=time(15),
                call_minutes=30,
            ),
            [
                {
                    "title": "Commission rules",
                    "acceptance_criteria": (
                        "Every rule finance wrote down has a test, and last month's "
                        "commissions come out to the rupee."
                    ),
                    "due_on": start + timedelta(days=21),
                    "amount": None,
                },
                {
                    "title": "Weekly payout job",
                    "acceptance_criteria": (
                        "A Celery job makes the payout file every Monday; running it twice "
                        "pays nobody twice."
                    ),
                    "due_on": start + timedelta(days=49),
                    "amount": None,
                },
                {
                    "title": "Finance admin",
                    "acceptance_criteria": "Finance can hold, release and export a payout.",
                    "due_on": start + timedelta(days=84),
                    "amount": None,
                },
            ],
            start - timedelta(days=3),
        )
        sana, owner = self.sana.user, self.owner
        keys = list(
            Milestone.objects.filter(version=contract.current_id)
            .order_by("position")
            .values_list("key", flat=True)
        )
        self._checkins(contract, day, start)
        # The first milestone, accepted; the second, submitted yesterday for Ayesha to answer.
        milestones.milestone_submit(
            contract=contract,
            user=sana,
            key=keys[0],
            note="All 14 rules have tests; last month matches finance's sheet.",
            link="https://github.com/ravi-logistics-demo/payouts/pull/7",
            now=self.at(start + timedelta(days=20)),
        )
        milestones.milestone_accept(
            contract=contract,
            user=owner,
            key=keys[0],
            now=self.at(start + timedelta(days=21), 12),
        )
        # A change order: Ayesha adds rider statements, a better rate and two more weeks.
        self._change(contract, keys, self.today - timedelta(days=12))
        milestones.milestone_submit(
            contract=contract,
            user=sana,
            key=keys[1],
            note="The job runs on staging every Monday at 06:00; see the run log.",
            link="https://github.com/ravi-logistics-demo/payouts/pull/12",
            now=self.at(self.today - timedelta(days=1), 17),
        )
        # Invoices every two weeks from the hours in the check-ins: the first paid and
        # confirmed, the second overdue.
        milestones.milestone_sweep(now=self.now)
        first = Payment.objects.filter(contract=contract).order_by("due_on").first()
        if first is not None and first.due_on < self.today:
            milestones.payment_paid(
                contract=contract,
                user=owner,
                payment_id=first.pk,
                note="Bank transfer",
                now=self.at(first.due_on - timedelta(days=1)),
            )
            milestones.payment_confirm(
                contract=contract, user=sana, payment_id=first.pk, now=self.at(first.due_on)
            )
        return contract

    def _checkins(self, contract: Contract, day: date, start: date) -> None:
        """Five weeks: answered by both, answered by both, missed, skipped for a
        holiday, and this week's waiting for Sana (oldest first)."""
        sana, owner = self.sana.user, self.owner
        weeks = [day - timedelta(days=7 * k) for k in range(4, -1, -1)]
        story = ["answered", "answered", "missed", "skipped", "waiting"]
        notes = [
            ("Read the commission sheet with finance; wrote the first six rules.", 26, "on_track"),
            ("All rules but the night-shift bonus; it needs a decision.", 31, "at_risk"),
        ]
        for due_day, what in zip(weeks, story, strict=True):
            if due_day < start:
                continue
            due = self.at(due_day, 10)
            if what == "skipped":
                monday = due_day - timedelta(days=due_day.weekday())
                checkins.checkin_skip(
                    contract=contract,
                    by=sana,
                    side="engineer",
                    week_of=monday,
                    now=self.at(monday, 9) if monday < due_day else due - timedelta(hours=2),
                )
                continue
            checkins.checkin_sweep(now=due + timedelta(minutes=5))
            if what == "missed":
                checkins.checkin_sweep(now=due + timedelta(days=1, minutes=5))
                checkins.checkin_sweep(now=due + timedelta(days=2, minutes=5))
            if what != "answered":
                continue
            checkin = CheckIn.objects.get(
                contract=contract, week_of=due_day - timedelta(days=due_day.weekday())
            )
            done, hours, health = notes.pop(0)
            checkins.checkin_answer(
                checkin=checkin,
                by=sana,
                side="engineer",
                done=done,
                next="Finish the rules, then start the payout job.",
                blockers="" if health == "on_track" else "Who decides the night-shift bonus?",
                hours=Decimal(hours),
                health=health,
                now=due + timedelta(hours=3),
            )
            checkins.checkin_reply(
                checkin=checkin,
                by=owner,
                side="company",
                priorities_clear="yes" if health == "on_track" else "partly",
                feedback="Thanks, clear as always.",
                company_blockers="" if health == "on_track" else "Finance decides by Friday.",
                now=due + timedelta(hours=6),
            )

    def _change(self, contract: Contract, keys: list[str], day: date) -> None:
        since = timezone.now()
        version = contract.current
        assert version is not None
        proposed = changes.Proposed(
            scope=version.scope + " Riders also get a weekly statement by SMS.",
            rate=Decimal("32"),
            hours_cap=version.hours_cap,
            end_on=(version.end_on or self.today) + timedelta(days=14),
            milestones=[
                changes.MilestoneRow(
                    key="",
                    title="Rider statements",
                    acceptance_criteria=(
                        "Each rider gets an SMS on Monday with last week's deliveries and "
                        "commission; a rider can ask for the detail by replying."
                    ),
                    due_on=(version.end_on or self.today) + timedelta(days=14),
                    amount=None,
                )
            ],
            note="Finance asked for rider statements; two more weeks and a better rate.",
        )
        change = changes.change_propose(
            contract=contract, by=self.owner, proposed=proposed, today=day
        )
        _stamp(since, self.at(day, 12))
        since = timezone.now()
        contract.refresh_from_db()
        change.refresh_from_db()
        changes.change_accept(
            contract=contract,
            change=change,
            by=self.sana.user,
            content_hash=change.proposal.content_hash,
            note="Happy with this.",
        )
        _stamp(since, self.at(day + timedelta(days=1), 11))
        contract.refresh_from_db()
