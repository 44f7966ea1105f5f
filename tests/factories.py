from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from accounts.models import Company, Invitation, Membership, User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    role = User.Role.ENGINEER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class EngineerFactory(UserFactory):
    role = User.Role.ENGINEER


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    website = "https://example.com"


class EmployerFactory(UserFactory):
    """An employer who owns a new company unless ``membership__company`` is given."""

    role = User.Role.EMPLOYER
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory",
        factory_related_name="user",
        role=Membership.Role.OWNER,
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=User.Role.EMPLOYER)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    company = factory.SubFactory(CompanyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")


def _decimal(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


class ProfileFactory(factory.django.DjangoModelFactory):
    """An engineer's profile with everything submission asks for but skills.

    ``ProfileFactory(skills=["Python", "Django", "PostgreSQL"])`` adds skills by name
    through candidates.services, so ``skill_ids`` stays in step.
    """

    class Meta:
        model = "candidates.Profile"
        skip_postgeneration_save = True

    user = factory.SubFactory(EngineerFactory)
    headline = "Backend engineer for payment systems"
    bio = (
        "I design and run payment and logistics backends in Python and Go, "
        "and I care about tests, clear APIs and calm on-call weeks."
    )
    years_experience = 6
    seniority = "senior"
    engagement_types = factory.LazyFunction(lambda: ["contract"])
    hours_per_week = 40
    hourly_rate_usd = factory.LazyFunction(lambda: _decimal("30.00"))

    @factory.post_generation
    def skills(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        from candidates import services
        from candidates.models import Skill

        for name in extracted:
            services.skill_set(
                profile=self, skill=Skill.objects.get(name=name), years=_decimal("3"), level=2
            )


def _nth_skill(n: int) -> Any:
    """The taxonomy's skills in turn, so consecutive entries on a profile never clash."""
    from candidates.models import Skill

    skills = list(Skill.objects.order_by("pk"))
    return skills[n % len(skills)]


def _date(year: int, month: int = 1, day: int = 1) -> Any:
    from datetime import date

    return date(year, month, day)


class ProfileSkillFactory(factory.django.DjangoModelFactory):
    """One skill on a profile, saved through candidates.services so ``skill_ids`` keeps up."""

    class Meta:
        model = "candidates.ProfileSkill"

    profile = factory.SubFactory(ProfileFactory)
    skill = factory.Sequence(_nth_skill)
    years = factory.LazyFunction(lambda: _decimal("3"))
    level = 2

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        from candidates import services

        return services.skill_set(**kwargs)


class PortfolioItemFactory(factory.django.DjangoModelFactory):
    """A portfolio project, saved through candidates.services so the search text keeps up."""

    class Meta:
        model = "candidates.PortfolioItem"

    profile = factory.SubFactory(ProfileFactory)
    title = factory.Sequence(lambda n: f"Payments API {n}")
    description = "Designed the ledger and wrote the settlement jobs."
    url = "https://example.com/payments"
    year = 2023

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        from candidates import services

        profile = kwargs.pop("profile")
        return services.portfolio_save(profile=profile, item=model_class(**kwargs))


class JobFactory(factory.django.DjangoModelFactory):
    """An entry of an engineer's work history."""

    class Meta:
        model = "candidates.Job"

    profile = factory.SubFactory(ProfileFactory)
    employer = factory.Sequence(lambda n: f"Employer {n}")
    title = "Backend engineer"
    started = factory.LazyFunction(lambda: _date(2020, 3, 1))
    ended = None
    description = "Built and ran the order service."


class BriefFactory(factory.django.DjangoModelFactory):
    """An open brief of a new company, written by a member of it.

    ``BriefFactory(must=["Python"], nice=["Django"])`` adds skills by name.
    """

    class Meta:
        model = "searches.Brief"
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    created_by = factory.LazyAttribute(
        lambda o: MembershipFactory(company=o.company, role=Membership.Role.OWNER).user
    )
    title = factory.Sequence(lambda n: f"Payments backend {n}")
    description = "Build and run the settlement service of a payments startup in Lahore."

    @factory.post_generation
    def must(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        _brief_skills(self, create, extracted, "must")

    @factory.post_generation
    def nice(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        _brief_skills(self, create, extracted, "nice")


def _brief_skills(brief: Any, create: bool, names: Any, kind: str) -> None:
    if not create or not names:
        return
    from candidates.models import Skill
    from searches.models import BriefSkill

    for name in names:
        BriefSkill.objects.create(brief=brief, skill=Skill.objects.get(name=name), kind=kind)


class BriefSkillFactory(factory.django.DjangoModelFactory):
    """One skill of a brief: a must-have unless ``kind="nice"``."""

    class Meta:
        model = "searches.BriefSkill"

    brief = factory.SubFactory(BriefFactory)
    skill = factory.Sequence(_nth_skill)
    kind = "must"
    min_years = None


class ShortlistEntryFactory(factory.django.DjangoModelFactory):
    """An engineer on a brief's shortlist (the profile is approved, so it is listed)."""

    class Meta:
        model = "searches.ShortlistEntry"

    brief = factory.SubFactory(BriefFactory)
    profile = factory.SubFactory(ProfileFactory, status="approved")
    added_by = factory.LazyAttribute(lambda o: o.brief.created_by)
    note = ""


def candidacy_in(brief: Any = None, profile: Any = None, *, user: Any = None) -> Any:
    """An engineer put in a brief's pipeline (Sourced) the way a teammate does it."""
    from screening.services import candidacy_add

    brief = brief or BriefFactory()
    profile = profile or ProfileFactory(status="approved")
    added = candidacy_add(brief=brief, profile=profile, user=user or brief.created_by)
    return (added.added or added.already)[0]


def outreach_terms(**overrides: Any) -> dict[str, Any]:
    """Valid outreach terms (the fields of hiring.forms.OutreachForm), changed by ``overrides``."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    terms = {
        "summary": "Build the settlement service of a payments startup.",
        "engagement": "contract",
        "rate_amount": _decimal("35"),
        "rate_unit": "USD/hour",
        "hours_per_week": 40,
        "overlap_hours": 3,
        "start_date": today + datetime.timedelta(days=21),
        "length_months": 6,
        "assessment": True,
        "assessment_paid": True,
        "assessment_hours": 4,
        "interviews": 2,
        "decide_by": today + datetime.timedelta(days=14),
    }
    terms.update(overrides)
    return terms


def outreach_sent(
    candidacy: Any = None, *, sender: Any = None, message: str = "", **terms: Any
) -> Any:
    """An outreach sent through hiring.services (the card moves to Contacted)."""
    from hiring.services import outreach_send

    candidacy = candidacy or candidacy_in()
    return outreach_send(
        candidacy=candidacy,
        sender=sender or candidacy.brief.created_by,
        terms=outreach_terms(**terms),
        message=message,
    )


def candidacy_at_offer(candidacy: Any = None, **terms: Any) -> Any:
    """An engineer who accepted the outreach and whose card a teammate moved to Offer."""
    from hiring.services import outreach_accept
    from screening.services import candidacy_move

    outreach = outreach_sent(candidacy, **terms)
    outreach_accept(outreach=outreach, user=outreach.profile.user)
    candidacy = outreach.candidacy
    candidacy.refresh_from_db()
    candidacy_move(candidacy=candidacy, to="offer", by=candidacy.brief.created_by)
    candidacy.refresh_from_db()
    return candidacy


def contract_made(
    candidacy: Any = None,
    *,
    status: str = "active",
    milestones: int = 2,
    started_at: Any = None,
    **terms: Any,
) -> Any:
    """A contract written straight into the tables (for testing the parts that follow it).

    ``status``: "draft" (version 1 not sent), "offered" (sent, nobody accepted),
    "active" (both accepted; the card in Hired). Fixed price by default, its
    milestones splitting the price evenly; ``terms`` override version 1's fields.
    """
    import datetime

    from django.utils import timezone

    from hiring.contracts.terms import content, content_hash, new_milestone_key, version_freeze
    from hiring.models import Contract, ContractVersion, Milestone, VersionAcceptance
    from screening.services import candidacy_move

    candidacy = candidacy or candidacy_at_offer()
    outreach = candidacy.outreach.order_by("-sent_at").first()
    start = terms.pop("start_on", timezone.localdate())
    values: dict[str, Any] = {
        "title": "Settlement service",
        "scope": "Build and hand over the settlement service described in the brief.",
        "engagement": "fixed",
        "rate": _decimal("6000"),
        "currency": "USD",
        "hours_cap": 30,
        "start_on": start,
        "end_on": start + datetime.timedelta(days=90),
        "notice_days": 14,
        "invoice_cadence": "milestone",
        "pay_within_days": 14,
        "deem_accept_days": 7,
        "time_zone": candidacy.profile.time_zone,
        "checkin_weekday": 4,
        "checkin_time": datetime.time(16, 0),
    }
    values.update(terms)
    contract = Contract.objects.create(
        candidacy=candidacy,
        company=candidacy.brief.company,
        profile=candidacy.profile,
        brief=candidacy.brief,
        thread=outreach.thread if outreach else None,
        outreach=outreach,
        created_by=candidacy.brief.created_by,
    )
    version = ContractVersion.objects.create(
        contract=contract, created_by=candidacy.brief.created_by, **values
    )
    rate = values["rate"]
    for n in range(milestones):
        Milestone.objects.create(
            version=version,
            key=new_milestone_key(),
            position=n,
            title=f"Milestone {n + 1}",
            acceptance_criteria=f"Part {n + 1} is deployed to staging and its tests pass.",
            due_on=start + datetime.timedelta(days=30 * (n + 1)),
            amount=(rate / milestones).quantize(_decimal("0.01"))
            if values["engagement"] == "fixed"
            else None,
        )
    contract.current = version
    contract.save(update_fields=["current"])
    if status == "draft":
        return contract
    version_freeze(version, number=1)
    contract.status = Contract.Status.OFFERED
    contract.save(update_fields=["status"])
    if status == "offered":
        return contract
    digest = content_hash(content(version))
    for side, user in (("company", contract.created_by), ("engineer", contract.profile.user)):
        VersionAcceptance.objects.create(version=version, side=side, user=user, content_hash=digest)
    contract.status = Contract.Status.ACTIVE
    contract.started_at = started_at or timezone.now()
    contract.save(update_fields=["status", "started_at"])
    candidacy_move(candidacy=candidacy, to="hired", by=contract.created_by)
    return contract
