"""Keep profiles in step with their accounts, and tell higher apps about skill merges."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from accounts.models import User
from candidates.listing import listing_changed
from candidates.models import Profile, Skill
from candidates.selectors import TAXONOMY_CACHE_KEY

# Sent by services.skill_merge inside its transaction, with ``source`` and ``target``
# Skills, before ``source`` is deleted: a higher app whose rows refer to ``source``
# moves them to ``target`` in its receiver (a PROTECTed reference left behind would
# stop the merge).
skill_merged = Signal()

# Sent by services.consent_withdraw after the engineer took back a company's access to
# their contact details, with ``profile`` and ``company_id`` (hiring logs when).
consent_withdrawn = Signal()


@receiver(post_save, sender=User)
def suspend_profile_of_suspended_account(sender: type[User], instance: User, **kwargs: Any) -> None:
    """A deactivated account's profile stops being listed, and stays so until staff act."""
    if not instance.is_active:
        suspended = Profile.objects.filter(user=instance, status=Profile.Status.APPROVED).update(
            status=Profile.Status.SUSPENDED
        )
        if suspended:
            listing_changed()


@receiver(post_save, sender=User)
def copy_name_to_profile(sender: type[User], instance: User, **kwargs: Any) -> None:
    """Full-text search finds engineers by name: the profile keeps a copy of it."""
    fields = kwargs.get("update_fields")
    if fields is not None and "full_name" not in fields:
        return
    Profile.objects.filter(user=instance).exclude(full_name=instance.full_name).update(
        full_name=instance.full_name
    )


@receiver([post_save, post_delete], sender=Skill)
def forget_cached_taxonomy(sender: type[Skill], **kwargs: Any) -> None:
    cache.delete(TAXONOMY_CACHE_KEY)
