from __future__ import annotations

import pytest

from candidates import services
from candidates.models import Skill
from searches.models import BriefSkill
from tests.factories import BriefFactory, BriefSkillFactory

pytestmark = pytest.mark.django_db


def test_merging_moves_briefs_to_the_surviving_skill_keeping_the_stricter_ask() -> None:
    source = Skill.objects.create(name="Postgres SQL", slug="postgres-sql", category="database")
    target = Skill.objects.get(name="PostgreSQL")
    only_source = BriefFactory()
    BriefSkillFactory(brief=only_source, skill=source, kind="nice")
    both = BriefFactory()
    BriefSkillFactory(brief=both, skill=source, kind="must", min_years=4)
    BriefSkillFactory(brief=both, skill=target, kind="nice", min_years=2)

    services.skill_merge(source=source, target=target)

    assert not Skill.objects.filter(pk=source.pk).exists()
    moved = BriefSkill.objects.get(brief=only_source)
    assert (moved.skill, moved.kind) == (target, "nice")
    merged = BriefSkill.objects.get(brief=both)
    assert (merged.skill, merged.kind, merged.min_years) == (target, "must", 4)
