"""Every write to briefs and shortlists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accounts.models import Company, User
from candidates.models import Profile, Skill
from searches.models import AlertDelivery, Brief, BriefSkill, ShortlistEntry
from searches.tasks import warm_brief_ranking


def _set_skills(
    brief: Brief, must: Iterable[tuple[Skill, int | None]], nice: Iterable[Skill]
) -> None:
    brief.skills.all().delete()
    rows = [
        BriefSkill(brief=brief, skill=skill, kind=BriefSkill.Kind.MUST, min_years=years)
        for skill, years in must
    ]
    taken = {row.skill_id for row in rows}
    rows += [
        BriefSkill(brief=brief, skill=skill, kind=BriefSkill.Kind.NICE)
        for skill in nice
        if skill.pk not in taken
    ]
    BriefSkill.objects.bulk_create(rows)


def _warm_ranking(brief: Brief) -> None:
    """Once saved, a worker ranks the brief's matches for its results page."""
    warm_brief_ranking.delay_on_commit(brief.pk)


@transaction.atomic
def brief_create(
    *,
    company: Company,
    user: User,
    data: dict[str, Any],
    must: Iterable[tuple[Skill, int | None]],
    nice: Iterable[Skill] = (),
) -> Brief:
    brief = Brief(company=company, created_by=user)
    for name in Brief.EDITABLE_FIELDS:
        if name in data:
            setattr(brief, name, data[name])
    brief.full_clean()
    brief.save()
    _set_skills(brief, must, nice)
    _warm_ranking(brief)
    return brief


@transaction.atomic
def brief_update(
    *,
    brief: Brief,
    data: dict[str, Any],
    must: Iterable[tuple[Skill, int | None]],
    nice: Iterable[Skill] = (),
) -> Brief:
    for name in Brief.EDITABLE_FIELDS:
        if name in data:
            setattr(brief, name, data[name])
    brief.full_clean()
    brief.save()
    _set_skills(brief, must, nice)
    _warm_ranking(brief)
    return brief


def brief_set_status(*, brief: Brief, status: str) -> Brief:
    if status not in Brief.Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    brief.status = status
    brief.save(update_fields=["status", "updated_at"])
    return brief


def shortlist_add(*, brief: Brief, profile: Profile, user: User, note: str = "") -> ShortlistEntry:
    """Adds the engineer once; adding again keeps the first entry (and its note).

    The caller has checked that the profile is visible to the brief's company.
    """
    entry, _ = ShortlistEntry.objects.get_or_create(
        brief=brief, profile=profile, defaults={"added_by": user, "note": note}
    )
    return entry


def shortlist_remove(*, brief: Brief, profile_id: int) -> bool:
    """True if the engineer was on the shortlist."""
    deleted, _ = ShortlistEntry.objects.filter(brief=brief, profile_id=profile_id).delete()
    return bool(deleted)


def shortlist_note(*, entry: ShortlistEntry, note: str) -> ShortlistEntry:
    entry.note = note.strip()
    entry.full_clean(exclude=["brief", "profile", "added_by"])
    entry.save(update_fields=["note"])
    return entry


@transaction.atomic
def brief_skills_merge(*, source: Skill, target: Skill) -> None:
    """Briefs asking for ``source`` ask for ``target`` instead; the stricter ask wins."""
    for entry in BriefSkill.objects.filter(skill=source):
        existing = BriefSkill.objects.filter(brief_id=entry.brief_id, skill=target).first()
        if existing is None:
            entry.skill = target
            entry.save(update_fields=["skill"])
            continue
        if entry.kind == BriefSkill.Kind.MUST:
            existing.kind = BriefSkill.Kind.MUST
        existing.min_years = max(filter(None, [existing.min_years, entry.min_years]), default=None)
        existing.save(update_fields=["kind", "min_years"])
        entry.delete()


# searches' part of a person's data (registered in accounts.registry by SearchesConfig).
# What a company noted about an engineer on its shortlists is the company's own
# assessment and is not exported to the engineer (engineers never see internal
# scores or notes); it is erased with them.


def person_data_export(user: User) -> dict[str, Any]:
    """The briefs a hiring manager wrote."""
    briefs = list(
        Brief.objects.filter(created_by=user)
        .order_by("created_at")
        .values("title", "status", "created_at")
    )
    return {"briefs_you_wrote": briefs} if briefs else {}


def person_data_erase(user: User) -> None:
    """Shortlist entries and alert records about the engineer go; briefs a hiring
    manager wrote stay with their company, no longer attributed to them."""
    ShortlistEntry.objects.filter(profile__user=user).delete()
    AlertDelivery.objects.filter(profile__user=user).delete()
    Brief.objects.filter(created_by=user).update(created_by=None)
    ShortlistEntry.objects.filter(added_by=user).update(added_by=None)
