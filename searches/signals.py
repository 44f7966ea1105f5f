"""What searches does when lower apps report a change."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from candidates.models import Skill
from candidates.signals import skill_merged
from searches import services


@receiver(skill_merged)
def move_brief_skills(sender: type[Skill], source: Skill, target: Skill, **kwargs: Any) -> None:
    services.brief_skills_merge(source=source, target=target)
