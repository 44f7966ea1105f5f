"""Every write to profiles that spans rows, sends mail or touches files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Func, Q, Value
from django.db.models.functions import ExtractHour, ExtractMinute, Lower, Mod, Trim
from django.utils import timezone

from accounts.emails import email_send
from accounts.models import TIME_ZONE_CHOICES, Company, User
from candidates.hours import DAY, utc_offset_minutes
from candidates.listing import listing_changed
from candidates.models import (
    CompanyBlock,
    ContactConsent,
    Job,
    PortfolioItem,
    Profile,
    ProfileSkill,
    Skill,
    company_name_key,
    skill_level_tokens,
    snapshot,
)
from candidates.selectors import missing_for_submission
from candidates.signals import consent_withdrawn, skill_merged


class ProfileError(Exception):
    """A change the profile's state does not allow; the message is for the engineer."""


def profile_ensure(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _refresh_skill_ids(profile: Profile) -> None:
    entries = list(profile.skills.values_list("skill_id", "years"))
    Profile.objects.filter(pk=profile.pk).update(
        skill_ids=sorted(skill_id for skill_id, _ in entries),
        skill_levels=skill_level_tokens(entries),
        updated_at=timezone.now(),
    )


def _refresh_portfolio_text(profile: Profile) -> None:
    parts = [f"{item.title}. {item.description}" for item in profile.portfolio.all()]
    Profile.objects.filter(pk=profile.pk).update(
        portfolio_text="\n".join(parts), updated_at=timezone.now()
    )


@transaction.atomic
def skill_set(*, profile: Profile, skill: Skill, years: Decimal, level: int) -> ProfileSkill:
    """Add a skill to the profile, or update its years and level if it is there."""
    entry, _ = ProfileSkill.objects.update_or_create(
        profile=profile, skill=skill, defaults={"years": years, "level": level}
    )
    _refresh_skill_ids(profile)
    return entry


@transaction.atomic
def skill_remove(*, profile: Profile, entry_id: int) -> None:
    ProfileSkill.objects.filter(profile=profile, pk=entry_id).delete()
    _refresh_skill_ids(profile)


@transaction.atomic
def portfolio_save(
    *, profile: Profile, item: PortfolioItem, skills: list[Skill] | None = None
) -> PortfolioItem:
    item.profile = profile
    item.save()
    if skills is not None:
        item.skills.set(skills)
    _refresh_portfolio_text(profile)
    return item


@transaction.atomic
def portfolio_remove(*, profile: Profile, item_id: int) -> None:
    PortfolioItem.objects.filter(profile=profile, pk=item_id).delete()
    _refresh_portfolio_text(profile)


def job_save(*, profile: Profile, job: Job) -> Job:
    job.profile = profile
    job.save()
    return job


def job_remove(*, profile: Profile, job_id: int) -> None:
    Job.objects.filter(profile=profile, pk=job_id).delete()


def resume_replace(*, profile: Profile, upload: UploadedFile) -> None:
    """Store a validated PDF under a generated name and drop the old file."""
    old = profile.resume.name
    profile.resume.save("resume.pdf", upload, save=False)
    Profile.objects.filter(pk=profile.pk).update(resume=profile.resume.name)
    if old:
        profile.resume.storage.delete(old)


def resume_remove(*, profile: Profile) -> None:
    if profile.resume:
        profile.resume.delete(save=False)
    Profile.objects.filter(pk=profile.pk).update(resume="")


@transaction.atomic
def profile_submit(*, profile: Profile) -> None:
    """Send the profile to staff for review; it must hold the essentials first."""
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if not profile.can_submit:
        raise ProfileError(
            f"A profile that is {profile.get_status_display().lower()} cannot be submitted."
        )
    missing = missing_for_submission(profile)
    if missing:
        raise ProfileError("Before you submit, add: " + ", ".join(missing) + ".")
    profile.status = Profile.Status.SUBMITTED
    profile.submitted_at = timezone.now()
    profile.save(update_fields=["status", "submitted_at", "updated_at"])


def _notify(profile: Profile, template: str, key: str) -> None:
    email_send(
        to=profile.user.email,
        template=template,
        context={"profile": profile, "user": profile.user, "site_url": settings.SITE_URL},
        key=key,
    )


@transaction.atomic
def profile_approve(*, profile: Profile) -> None:
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == Profile.Status.APPROVED:
        return
    profile.status = Profile.Status.APPROVED
    profile.approved_at = timezone.now()
    profile.staff_note = ""
    profile.approved_snapshot = snapshot(profile)
    profile.save(
        update_fields=["status", "approved_at", "staff_note", "approved_snapshot", "updated_at"]
    )
    listing_changed()
    _notify(
        profile, "email/profile_approved", f"profile-approved:{profile.pk}:{profile.approved_at:%s}"
    )


@transaction.atomic
def profile_request_changes(*, profile: Profile, note: str) -> None:
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    profile.status = Profile.Status.CHANGES_REQUESTED
    profile.staff_note = note.strip()
    profile.save(update_fields=["status", "staff_note", "updated_at"])
    listing_changed()  # an approved profile leaves the listing
    _notify(
        profile,
        "email/profile_changes_requested",
        f"profile-changes:{profile.pk}:{timezone.now():%s%f}",
    )


@transaction.atomic
def profile_suspend(*, profile: Profile, note: str = "") -> None:
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status == Profile.Status.SUSPENDED:
        return
    profile.status = Profile.Status.SUSPENDED
    profile.staff_note = note.strip()
    profile.save(update_fields=["status", "staff_note", "updated_at"])
    listing_changed()
    _notify(
        profile, "email/profile_suspended", f"profile-suspended:{profile.pk}:{timezone.now():%s%f}"
    )


def profile_pause(*, profile: Profile) -> None:
    """Not looking: the profile stops appearing to employers until resumed."""
    Profile.objects.filter(pk=profile.pk).update(
        availability=Profile.Availability.NOT_LOOKING, updated_at=timezone.now()
    )
    listing_changed()


def profile_resume(*, profile: Profile) -> None:
    resumed = Profile.objects.filter(
        pk=profile.pk, availability=Profile.Availability.NOT_LOOKING
    ).update(availability=Profile.Availability.NOW, available_from=None, updated_at=timezone.now())
    if resumed:
        listing_changed()


def _minutes_utc(local: str, offset: int) -> Mod:
    minutes = ExtractHour(local) * 60 + ExtractMinute(local)
    return Mod(minutes - offset + DAY, DAY)


UTC_OFFSETS_KEY = "candidates:utc-offsets"


def profile_utc_windows_refresh(*, on: date) -> int:
    """Move the stored UTC working windows of every zone whose UTC offset on ``on``
    is not the one last applied (daylight saving began or ended): one UPDATE per such
    zone, of its profiles whose window differs. Returns how many profiles moved.

    The offsets applied are remembered in the cache, so a run with nothing to change
    makes no query; without that record every zone is checked once, through the
    time-zone index, and nothing is written twice either way. Not one transaction:
    each zone's UPDATE stands alone and is safe to repeat, and the record is written
    only after they have all been committed."""
    offsets = {name: utc_offset_minutes(name, on) for name, _ in TIME_ZONE_CHOICES}
    applied = cache.get(UTC_OFFSETS_KEY) or {}
    moved = 0
    for name, offset in offsets.items():
        if applied.get(name) == offset:
            continue
        start, end = _minutes_utc("work_starts", offset), _minutes_utc("work_ends", offset)
        moved += (
            Profile.objects.filter(time_zone=name)
            .alias(new_start=start, new_end=end)
            .filter(~Q(work_start_utc=F("new_start")) | ~Q(work_end_utc=F("new_end")))
            .update(work_start_utc=start, work_end_utc=end)
        )
    if moved:
        listing_changed()  # who meets an overlap requirement may have changed
    if applied != offsets:
        cache.set(UTC_OFFSETS_KEY, offsets, timeout=None)
    return moved


def _companies_named(key: str) -> list[int]:
    """Ids of the companies whose name is ``key``, once case and spaces are ignored."""
    spaced = Func(F("name"), Value(r"\s+"), Value(" "), Value("g"), function="regexp_replace")
    named = Company.objects.alias(key=Lower(Trim(spaced))).filter(key=key)
    return sorted(named.values_list("pk", flat=True))


@transaction.atomic
def company_block(*, profile: Profile, kind: str, value: str) -> CompanyBlock:
    """Hide the profile by company name or email domain (a domain already checked by
    candidates.forms.domain_key). Blocking the same name or domain again changes nothing
    but, for a name, adds the companies that have taken it since.

    The answer is the same whether or not any company matches, so that an engineer
    cannot learn which companies use Karigar from it.
    """
    if kind == CompanyBlock.Kind.NAME:
        label = " ".join(value.split())
        key = company_name_key(value)
        company_ids = _companies_named(key)
    elif kind == CompanyBlock.Kind.DOMAIN:
        label = key = value.strip().lower()
        company_ids = []
    else:
        raise ValueError(f"Unknown kind of block: {kind!r}")
    if not key:
        raise ValueError("A block needs a name or a domain.")
    block, _ = CompanyBlock.objects.get_or_create(
        profile=profile, kind=kind, value=key, defaults={"label": label}
    )
    if company_ids:
        block.companies.add(*company_ids)
    return block


@transaction.atomic
def consent_withdraw(*, profile: Profile, company_id: int) -> bool:
    """Take back a company's access to the engineer's email, phone and resume."""
    deleted, _ = ContactConsent.objects.filter(profile=profile, company_id=company_id).delete()
    if deleted:
        consent_withdrawn.send(sender=Profile, profile=profile, company_id=company_id)
    return bool(deleted)


@transaction.atomic
def company_unblock(*, profile: Profile, block_id: int) -> None:
    CompanyBlock.objects.filter(profile=profile, pk=block_id).delete()


def profile_data_export(user: User) -> dict[str, Any]:
    """candidates' part of a person's export (see accounts.registry): the profile."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return {}
    fields = {
        f.name: getattr(profile, f.name)
        for f in Profile._meta.concrete_fields
        if f.name
        not in {
            "id",
            "user",
            "search_document",
            "skill_ids",
            "portfolio_text",
            "approved_snapshot",
            "resume",
        }
    }
    data: dict[str, Any] = {"profile": {**fields, "resume": bool(profile.resume)}}
    data["skills"] = [
        {"skill": e.skill.name, "years": e.years, "level": e.get_level_display()}
        for e in profile.skills.select_related("skill")
    ]
    data["portfolio"] = [
        {
            "title": i.title,
            "description": i.description,
            "url": i.url,
            "repo_url": i.repo_url,
            "year": i.year,
            "skills": [s.name for s in i.skills.all()],
        }
        for i in profile.portfolio.prefetch_related("skills")
    ]
    data["work_history"] = list(
        profile.jobs.values("employer", "title", "started", "ended", "description")
    )
    data["blocks"] = [
        {"kind": block.get_kind_display(), "blocked": block.label, "since": block.created_at}
        for block in profile.company_blocks.order_by("created_at", "pk")
    ]
    data["companies_that_can_see_your_contact_details"] = list(
        profile.consents.values_list("company__name", flat=True)
    )
    return data


def profile_data_erase(user: User) -> None:
    """candidates' part of erasure: the profile's rows go with the account (they cascade);
    the resume file is deleted once the deletion has committed."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.resume.name:
        name: str = profile.resume.name
        storage = profile.resume.storage
        transaction.on_commit(lambda: storage.delete(name))
    if profile is not None:
        listing_changed()


@transaction.atomic
def skill_merge(*, source: Skill, target: Skill) -> int:
    """Fold ``source`` into ``target``: profiles, portfolios and aliases move; source goes.

    Returns how many profiles were touched.
    """
    if source.pk == target.pk:
        raise ValueError("A skill cannot be merged into itself.")
    profile_ids = list(
        ProfileSkill.objects.filter(skill=source).values_list("profile_id", flat=True)
    )
    for entry in ProfileSkill.objects.filter(skill=source).select_related("profile"):
        existing = ProfileSkill.objects.filter(profile=entry.profile, skill=target).first()
        if existing is None:
            entry.skill = target
            entry.save(update_fields=["skill"])
        else:
            existing.years = max(existing.years, entry.years)
            existing.level = max(existing.level, entry.level)
            existing.save(update_fields=["years", "level"])
            entry.delete()
    Through = PortfolioItem.skills.through
    for item_id in Through.objects.filter(skill=source).values_list("portfolioitem_id", flat=True):
        Through.objects.get_or_create(portfolioitem_id=item_id, skill=target)
    Through.objects.filter(skill=source).delete()
    # Higher apps move what refers to ``source`` (searches: the briefs asking for it).
    skill_merged.send(sender=Skill, source=source, target=target)
    aliases = {a.lower() for a in [*target.aliases, *source.aliases, source.name]}
    aliases.discard(target.name.lower())
    source.delete()
    target.aliases = sorted(aliases)
    target.save(update_fields=["aliases"])
    for profile in Profile.objects.filter(pk__in=profile_ids):
        _refresh_skill_ids(profile)
    return len(set(profile_ids))
