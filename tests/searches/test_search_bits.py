"""The narrow walks (candidates/0015-0017): profiles' search bits and rates in cents, and
the searches ranked from them alone, which must find the same engineers with the same
scores as the columns they copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import Company
from candidates import services
from candidates.models import SKILL_BITS, Profile, Skill, search_bits
from searches import engine
from searches.engine import Criteria, Must, Sort
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db


def _skill(name: str) -> int:
    return Skill.objects.get(name=name).pk


@pytest.fixture
def listed() -> list[Profile]:
    return [
        engineer("Ayesha Khan", {"Python": "6", "Django": "4"}, "35.50", 7, seniority="senior"),
        engineer(
            "Bilal Raza",
            {"Python": "2", "Redis": "1"},
            "12.25",
            2,
            seniority="junior",
            engagement_types=["contract", "part_time"],
            availability=Profile.Availability.FROM_DATE,
            available_from=date(2031, 5, 1),
        ),
        engineer(
            "Sana Mir",
            {"Go": "5", "Kubernetes": "3", "Python": "1"},
            "60",
            12,
            seniority="lead",
            engagement_types=["full_time"],
        ),
        engineer("Omar Aziz", {"Java": "31"}, "150", 31, seniority="mid", hours_per_week=10),
        engineer("Hira Butt", {"PostgreSQL": "1", "Python": "3"}, "5.75", 1, seniority="mid"),
    ]


def test_each_profiles_bits_and_cents_are_what_its_columns_say(listed: list[Profile]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_bits, rate_cents, skill_ids, engagement_types, seniority,"
            " availability, rate_usd FROM candidates_profile"
        )
        rows = cursor.fetchall()
    assert len(rows) == len(listed)
    for _pk, bits, cents, skills, engagements, seniority, availability, rate in rows:
        assert bits == search_bits(skills, engagements, seniority, availability)
        assert cents == rate * 100
    bilal = next(row for row in rows if row[0] == listed[1].pk)
    assert bilal[1] & search_bits([_skill("Redis")], ["part_time"], "junior") > 0
    assert bilal[1] & search_bits([], [], "", "now") == 0  # available from May 2031


NARROW = [
    lambda: Criteria(must=[Must(_skill("Python"))]),
    lambda: Criteria(must=[Must(_skill("Python"))], nice=[_skill("Django"), _skill("Redis")]),
    lambda: Criteria(seniority="mid", engagement="full_time"),
    lambda: Criteria(engagement="contract", max_rate_usd=Decimal("12.25")),
    lambda: Criteria(max_rate_usd=Decimal("12.249")),
    lambda: Criteria(max_rate_usd=Decimal("35.5"), min_years=2, hours_per_week=20),
    lambda: Criteria(nice=[_skill("Kubernetes")], min_overlap_hours=3, sort=Sort.RECENT),
    lambda: Criteria(must=[Must(_skill("Python"))], text="Ayesha"),
    lambda: Criteria(text="Khan OR Raza", max_rate_usd=Decimal("40"), sort=Sort.RECENT),
    lambda: Criteria(must=[Must(_skill("Python"))], nice=[_skill("Django")], sort=Sort.RATE),
    lambda: Criteria(max_rate_usd=Decimal("35.5"), text="Khan", sort=Sort.RATE),
    lambda: Criteria(engagement="full_time", min_years=2, sort=Sort.EXPERIENCE),
    lambda: Criteria(nice=[_skill("Go")], text="Mir OR Aziz", sort=Sort.EXPERIENCE),
]


@pytest.mark.parametrize("case", range(len(NARROW)))
def test_a_search_the_narrow_index_answers_ranks_as_the_columns_do(
    listed: list[Profile], company: Company, case: int
) -> None:
    criteria = NARROW[case]()
    assert engine._narrow_walk_sql(criteria, company) is not None  # ranked from it alone
    narrow = engine.rank(criteria, company, plan="walk")
    by_columns = engine.rank(criteria, company, plan="bitmap")
    assert narrow == by_columns  # the same engineers, order and scores
    # And the same rows as the definition of a match.
    assert set(narrow.ids) == set(engine.matching(criteria, company).values_list("pk", flat=True))


def test_searches_asking_more_than_the_bits_hold_walk_the_wide_index(company: Company) -> None:
    for criteria in [
        Criteria(must=[Must(_skill("Python"), 3)]),  # years of a skill: its row
        Criteria(must=[Must(SKILL_BITS + 1)]),  # a skill past the bits: its row
        Criteria(available_by=date(2031, 6, 1)),
        Criteria(seniority="senior", sort=Sort.RATE),  # that seniority's entries alone
    ]:
        assert engine._narrow_walk_sql(criteria, company) is None


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        (Sort.MATCH, "profile_recent_bits"),
        (Sort.RATE, "profile_rate_bits"),
        (Sort.EXPERIENCE, "profile_years_bits"),
    ],
)
def test_a_narrow_walk_reads_only_its_index(
    listed: list[Profile], company: Company, sort: str, index: str
) -> None:
    criteria = Criteria(must=[Must(_skill("Python"))], max_rate_usd=Decimal("40"), sort=sort)
    sql = engine._narrow_walk_sql(criteria, company)
    assert sql is not None
    with connection.cursor() as cursor:
        # The other indexes of the table go for this test's transaction: which of two
        # indexes the planner takes depends on statistics that earlier tests leave
        # behind; what must hold is that this one answers the walk by itself.
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid ="
            " 'candidates_profile'::regclass AND indexrelid::regclass::text <> %s"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
            [index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # five rows: a sort would be cheaper
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert f"Index Only Scan using {index} on" in plan


def test_a_profiles_bits_follow_its_skills_and_availability(listed: list[Profile]) -> None:
    omar = listed[3]
    go = Skill.objects.get(name="Go")
    criteria = Criteria(must=[Must(go.pk)], engagement="part_time")
    assert omar.pk not in engine.rank(criteria, None, plan="walk").ids

    services.skill_set(profile=omar, skill=go, years=Decimal("3"), level=2)
    omar.refresh_from_db()
    omar.engagement_types = ["part_time"]
    omar.save()

    assert omar.pk in engine.rank(criteria, None, plan="walk").ids
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_bits FROM candidates_profile WHERE id = %s", [omar.pk])
        (bits,) = cursor.fetchone()
    assert bits == search_bits(omar.skill_ids, omar.engagement_types, "mid", "now")
