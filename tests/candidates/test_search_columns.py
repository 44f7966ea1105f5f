"""Columns kept for search: derived from each profile, so filters can use indexes."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from accounts.models import User
from candidates import services
from candidates.models import Profile, Skill, comparable_rate, skill_level_tokens, utc_window
from tests.factories import EngineerFactory

pytestmark = pytest.mark.django_db


def test_skill_tokens_stand_for_each_whole_year() -> None:
    assert skill_level_tokens([(7, Decimal("3.5")), (12, Decimal("0.5"))]) == [701, 702, 703]


def test_a_monthly_rupee_rate_is_compared_as_dollars_an_hour(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PKR_PER_USD = 280

    assert comparable_rate(Decimal("40"), Decimal("900000")) == Decimal("40")
    assert comparable_rate(None, Decimal("448000")) == Decimal("10.00")
    assert comparable_rate(None, None) is None


def test_the_utc_window_moves_with_daylight_saving() -> None:
    assert utc_window("Asia/Karachi", time(10), time(19), date(2026, 1, 15)) == (300, 840)
    assert utc_window("Europe/London", time(9), time(17), date(2026, 1, 15)) == (540, 1020)
    assert utc_window("Europe/London", time(9), time(17), date(2026, 7, 15)) == (480, 960)


def test_saving_and_editing_skills_keep_the_columns_in_step() -> None:
    profile = Profile.objects.create(
        user=EngineerFactory(),
        monthly_rate_pkr=Decimal("448000"),
        time_zone="Asia/Karachi",
        work_starts=time(10),
        work_ends=time(19),
    )
    python = Skill.objects.get(name="Python")

    services.skill_set(profile=profile, skill=python, years=Decimal("2"), level=2)

    profile.refresh_from_db()
    assert profile.rate_usd == Decimal("10.00")
    assert (profile.work_start_utc, profile.work_end_utc) == (300, 840)
    assert profile.skill_levels == [python.pk * 100 + 1, python.pk * 100 + 2]


def test_is_listed_follows_status_and_availability() -> None:
    profile = Profile.objects.create(user=EngineerFactory(), status=Profile.Status.APPROVED)
    assert Profile.objects.filter(pk=profile.pk, is_listed=True).exists()

    services.profile_pause(profile=profile)

    assert not Profile.objects.filter(pk=profile.pk, is_listed=True).exists()


def test_suspending_an_account_suspends_its_listed_profile() -> None:
    user: User = EngineerFactory()
    profile = Profile.objects.create(user=user, status=Profile.Status.APPROVED)

    user.is_active = False
    user.save()

    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUSPENDED
    assert not Profile.objects.filter(pk=profile.pk, is_listed=True).exists()
