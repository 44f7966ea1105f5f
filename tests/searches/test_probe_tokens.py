"""The probe's token condition: the same engineers as their search tokens, for every kind
of token (the probe estimates the token plan's cost from it, so it must agree)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from candidates.models import SEARCH_TOKENS, Profile, Skill
from searches.engine import Criteria, Must, search_tokens, tokens_condition
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db

TABLE = '"candidates_profile"'


@pytest.fixture
def listed() -> list[Profile]:
    return [
        engineer("Ayesha Khan", {"Python": "6", "Django": "4"}, "35", 7, seniority="senior"),
        engineer("Bilal Raza", {"Python": "2"}, "12", 2, seniority="junior", hours_per_week=20),
        engineer(
            "Sana Mir",
            {"Go": "5", "Kubernetes": "3"},
            "60",
            12,
            seniority="lead",
            engagement_types=["full_time", "part_time"],
        ),
        engineer("Omar Aziz", {"Java": "31"}, "150", 31, seniority="mid", hours_per_week=10),
        engineer("Hira Butt", {"PostgreSQL": "1"}, "5", 0, seniority="mid", hours_per_week=40),
    ]


def _skill(name: str) -> int:
    return Skill.objects.get(name=name).pk


CASES = [
    lambda: Criteria(must=[Must(_skill("Python"))]),
    lambda: Criteria(must=[Must(_skill("Python"), 3)]),
    lambda: Criteria(must=[Must(_skill("Python"), 2), Must(_skill("Django"), 4)]),
    lambda: Criteria(must=[Must(_skill("Java"), 40)]),
    lambda: Criteria(seniority="senior"),
    lambda: Criteria(seniority="mid", engagement="contract"),
    lambda: Criteria(engagement="part_time"),
    lambda: Criteria(seniority="senior", engagement="part_time"),
    lambda: Criteria(max_rate_usd=Decimal("12")),
    lambda: Criteria(max_rate_usd=Decimal("12.50")),
    lambda: Criteria(max_rate_usd=Decimal("4")),
    lambda: Criteria(max_rate_usd=Decimal("500")),
    lambda: Criteria(min_years=7),
    lambda: Criteria(min_years=45),
    lambda: Criteria(hours_per_week=25),
    lambda: Criteria(hours_per_week=5),
    lambda: Criteria(
        must=[Must(_skill("Go"), 5)],
        seniority="lead",
        engagement="full_time",
        max_rate_usd=Decimal("75"),
        min_years=10,
        hours_per_week=40,
        available_by=date(2030, 1, 1),
    ),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_token_condition_finds_the_engineers_the_tokens_do(
    listed: list[Profile], case: int
) -> None:
    tokens = search_tokens(CASES[case]())
    by_tokens = set(
        Profile.objects.filter(is_listed=True)
        .alias(search_tokens=SEARCH_TOKENS)
        .filter(search_tokens__contains=tokens)  # type: ignore[misc]
        .values_list("pk", flat=True)
    )
    for narrow in (False, True):  # the columns, or the narrow indexes' (candidates/0015)
        answer = tokens_condition(tokens, TABLE, narrow=narrow)
        if answer is None:  # a skill's years: not on the narrow columns
            assert narrow
            assert any(token < 10_000_000 and token % 100 for token in tokens)
            continue
        condition, params = answer
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {TABLE} WHERE is_listed AND {condition}", params)  # noqa: S608
            by_condition = {row[0] for row in cursor.fetchall()}
        assert by_condition == by_tokens, narrow


def test_the_cases_cover_every_kind_of_token_and_both_answers(listed: list[Profile]) -> None:
    found = []
    for case in CASES:
        answer = tokens_condition(search_tokens(case()), TABLE)
        assert answer is not None
        condition, params = answer
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE is_listed AND {condition}", params)  # noqa: S608
            found.append(cursor.fetchone()[0])
    assert 0 in found and any(0 < n < len(listed) for n in found)
    kinds = {
        token // 1000 if token >= 10_000_000 else "skill"
        for c in CASES
        for token in search_tokens(c())
    }
    assert len(kinds) >= 5  # skills, seniority and engagement, rate, years, hours
