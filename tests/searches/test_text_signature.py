"""The text signature (candidates/0011_text_signature) only ever saves work: a walk that
passes over profiles by their signature finds exactly what reading every profile's
text finds, whatever the words, and a profile's signature follows its text."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Company
from candidates.models import Profile
from searches import engine
from searches.engine import Criteria, Sort
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db

TEXTS = {
    "Noor O'Brien": "Payments ledger for a Karachi fintech; C++ and Go; full-time, 24/7 on-call.",
    "Asad Urdu": "لاہور میں بیک اینڈ انجینئر — logistics and delivery tracking at scale.",
    "Maha Slash": r"Back\slash paths, e-mail maha@example.com, https://example.com/delivery",
    "Omar Numbers": "Cut p95 latency from 900ms to 120ms across 3,000 requests a second.",
    "Rida Plain": "Logistics platform: route planning, delivery windows and invoicing.",
}
QUERIES = [
    "logistics delivery",
    "delivery",
    "logistics -delivery",
    "logistics or payments",
    '"delivery windows"',
    "O'Brien",
    "c++",
    "لاہور",
    "maha@example.com",
    "back\\slash",
    "900ms latency",
    "full-time on-call",
    "nothing-like-this",
]


@pytest.fixture
def texts(company: Company) -> dict[str, Profile]:
    made = {}
    for name, bio in TEXTS.items():
        profile = engineer(name, {"Python": "3"}, "30", 4)
        profile.bio = bio
        profile.save()
        made[name] = profile
    return made


@pytest.mark.parametrize("sort", [Sort.MATCH, Sort.RECENT])
@pytest.mark.parametrize("words", QUERIES)
def test_the_signature_walk_finds_what_reading_every_text_finds(
    company: Company, texts: dict[str, Profile], words: str, sort: str
) -> None:
    criteria = Criteria(text=words, sort=sort)
    listed = Profile.objects.filter(is_listed=True)
    exact = set(
        listed.filter(search_document=engine._text_query(words)).values_list("pk", flat=True)
    )

    walk = engine.rank(criteria, company, plan="walk").ids
    bitmap = engine.rank(criteria, company, plan="bitmap").ids

    assert set(walk) == exact
    assert walk == bitmap


def test_a_profile_signature_follows_its_text(company: Company, texts: dict[str, Profile]) -> None:
    profile = texts["Rida Plain"]
    criteria = Criteria(text="warehouse robotics", sort=Sort.RECENT)
    assert profile.pk not in engine.rank(criteria, company, plan="walk").ids

    profile.bio = "Warehouse robotics and fleet telemetry."
    profile.save()

    assert profile.pk in engine.rank(criteria, company, plan="walk").ids


def test_a_query_of_plain_words_gets_a_mask_and_any_other_none() -> None:
    def bits(words: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT bit_count(karigar_text_mask(websearch_to_tsquery('english', %s)))",
                [words],
            )
            return int(cursor.fetchone()[0])

    assert bits("logistics delivery") == 2
    assert bits("logistics or delivery") == bits("-delivery") == bits('"a b c"') == 0


def test_a_profiles_search_document_is_kept_in_its_row() -> None:
    """candidates/0013: every text check reads the document; kept in the row (STORAGE
    MAIN) it costs no TOAST lookup. Its bio and portfolio may leave the row instead."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname IN ('search_document', 'bio')",
            [Profile._meta.db_table],
        )
        storage = dict(cursor.fetchall())
    assert storage == {"search_document": "m", "bio": "x"}
