"""Read replicas: the settings that declare them, the router, and which pages read from them."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_CACHE_PREFIX
from django.core.cache import cache
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import User
from accounts.replicas import read_alias, replica_reads
from candidates.models import Profile
from searches.models import Brief, ShortlistEntry
from tests.factories import BriefFactory, ProfileFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """config.settings imported afresh with ``env``; prints its databases and replicas."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'databases': {a: {'HOST': d['HOST'], 'TEST': d.get('TEST', {})}"
        " for a, d in s.DATABASES.items()}, 'replicas': s.DATABASE_REPLICAS}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_each_replica_url_becomes_an_alias_mirroring_default_in_tests() -> None:
    result = load_settings(DATABASE_REPLICA_URLS="postgres://u@h1/db,postgres://u@h2/db")

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["replicas"] == ["replica_1", "replica_2"]
    assert loaded["databases"]["replica_1"] == {"HOST": "h1", "TEST": {"MIRROR": "default"}}
    assert loaded["databases"]["replica_2"] == {"HOST": "h2", "TEST": {"MIRROR": "default"}}


def test_without_replica_urls_there_is_only_the_primary() -> None:
    result = load_settings()

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["replicas"] == []
    assert list(loaded["databases"]) == ["default"]


def test_a_replica_url_that_is_not_postgres_stops_start_up_with_a_clear_message() -> None:
    result = load_settings(DATABASE_REPLICA_URLS="mysql://x/y")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_REPLICA_URLS entries must be PostgreSQL URLs (got 'mysql://x/y')" in (
        result.stderr
    )


# The router, without a database.


@override_settings(DATABASE_REPLICAS=["replica_1"])
def test_reads_inside_replica_reads_go_to_the_replica_and_everything_else_to_default() -> None:
    assert router.db_for_read(Profile) == "default"
    with replica_reads() as alias:
        assert alias == "replica_1"
        assert router.db_for_read(Profile) == "replica_1"
        assert read_alias() == "replica_1"
        assert router.db_for_write(Profile) == "default"
    assert router.db_for_read(Profile) == "default"
    assert read_alias() == "default"
    assert router.db_for_write(Profile) == "default"


@override_settings(DATABASE_REPLICAS=["replica_1"])
def test_a_nested_replica_reads_keeps_the_outer_replica() -> None:
    with replica_reads():
        with override_settings(DATABASE_REPLICAS=["replica_2"]), replica_reads() as inner:
            assert inner == "replica_1"
            assert router.db_for_read(Profile) == "replica_1"
        assert router.db_for_read(Profile) == "replica_1"
    assert router.db_for_read(Profile) == "default"


@override_settings(DATABASE_REPLICAS=[])
def test_without_replicas_replica_reads_reads_from_default() -> None:
    with replica_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Profile) == "default"
        assert read_alias() == "default"


def test_migrations_run_on_default_only() -> None:
    assert router.allow_migrate("default", "candidates", model_name="profile")
    assert not router.allow_migrate("replica_1", "candidates", model_name="profile")


# Through the views. config/settings_test.py declares replica_1 as a test mirror of
# default: a second connection to the same test database. Django's test transaction
# wraps only default, so the mirror cannot see rows a test writes inside it (the search
# page then ranks the engineer on one connection and finds no card on the other).
# These tests therefore commit their rows: transaction=True.
VIEW_DB = pytest.mark.django_db(databases=["default", "replica_1"], transaction=True)


@pytest.fixture
def _skills() -> None:
    """Transactional tests empty every table afterwards, the seeded taxonomy included."""
    importlib.import_module("candidates.migrations.0002_seed_skills").seed(apps, None)


@pytest.fixture
def replica(settings: Any) -> None:
    settings.DATABASE_REPLICAS = ["replica_1"]


@pytest.fixture
def listed(_skills: None) -> Profile:
    return cast(Profile, ProfileFactory(status="approved", skills=["Python"]))


@pytest.fixture
def brief(owner: User) -> Brief:
    fields = {"company": owner.membership.company, "created_by": owner, "must": ["Python"]}
    return cast(Brief, BriefFactory(**fields))


def sign_in(client: Client, user: User) -> None:
    """Signed in, with the session's cached copy dropped so the request reads its row."""
    client.force_login(user)
    session_key = client.session.session_key
    assert session_key is not None
    cache.delete(SESSION_CACHE_PREFIX + session_key)


def get(client: Client, url: str) -> tuple[Any, list[str], list[str]]:
    """The response, and the SQL it ran on default and on replica_1."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_1"]) as replica,
    ):
        response = client.get(url)
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def on(table: str, queries: list[str]) -> list[str]:
    return [sql for sql in queries if f'"{table}"' in sql]


@VIEW_DB
@pytest.mark.usefixtures("replica")
def test_the_search_page_searches_on_the_replica(
    client: Client, owner: User, listed: Profile
) -> None:
    sign_in(client, owner)

    response, primary, replica = get(client, reverse("searches:browse"))

    assert response.status_code == 200
    assert response.content.decode().count('class="card result"') == 1
    assert on("candidates_profile", primary) == [], "the engine's queries ran on default"
    assert len(on("candidates_profile", replica)) >= 2  # the ranking, then the cards
    assert on("django_session", primary) and on("accounts_user", primary)
    assert not on("django_session", replica)


@VIEW_DB
@pytest.mark.usefixtures("replica")
def test_a_briefs_results_search_on_the_replica_but_read_the_brief_on_default(
    client: Client, owner: User, listed: Profile, brief: Brief
) -> None:
    sign_in(client, owner)

    response, primary, replica = get(client, reverse("searches:results", args=[brief.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="card result"') == 1
    assert on("candidates_profile", primary) == [], "the engine's queries ran on default"
    assert len(on("candidates_profile", replica)) >= 2
    assert on("searches_brief", primary) and not on("searches_brief", replica)
    assert on("django_session", primary) and on("accounts_user", primary)


@VIEW_DB
@pytest.mark.usefixtures("replica")
def test_the_profile_page_reads_the_profile_on_the_replica(
    client: Client, owner: User, listed: Profile
) -> None:
    sign_in(client, owner)

    response, primary, replica = get(client, reverse("candidates:detail", args=[listed.pk]))

    assert response.status_code == 200
    assert listed.headline in response.content.decode()
    assert on("candidates_profile", replica) and not on("candidates_profile", primary)
    assert on("django_session", primary) and on("accounts_user", primary)


@VIEW_DB
@pytest.mark.usefixtures("replica")
def test_shortlisting_reads_and_writes_only_default(
    client: Client, owner: User, listed: Profile, brief: Brief
) -> None:
    client.force_login(owner)
    url = reverse("searches:shortlist_toggle", args=[brief.pk, listed.pk])

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_1"]) as replica,
    ):
        response = client.post(url, {"action": "add"})

    assert response.status_code == 302
    assert ShortlistEntry.objects.filter(brief=brief, profile=listed).exists()
    assert any(q["sql"].startswith('INSERT INTO "searches_shortlistentry"') for q in primary)
    assert replica.captured_queries == []


@pytest.mark.django_db
def test_with_replicas_a_listing_change_is_counted_again_once_replicas_have_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A search ranked on a lagging replica right after a change is cached under the new
    generation; counting the change again a few seconds later moves the generation
    past it, so the newly listed engineer still shows within a minute."""
    from unittest import mock

    from candidates import listing, tasks

    with mock.patch.object(tasks.count_listing_change, "apply_async") as later:
        with django_capture_on_commit_callbacks(execute=True):
            listing.listing_changed()
        assert later.call_count == 0  # no replicas: counted once, at commit

        with (
            override_settings(DATABASE_REPLICAS=["replica_1"]),
            django_capture_on_commit_callbacks(execute=True),
        ):
            listing.listing_changed()
    later.assert_called_once_with(countdown=listing.REPLICA_LAG_SECONDS)
    before = cache.get(listing.COUNTER_KEY)
    tasks.count_listing_change()
    assert cache.get(listing.COUNTER_KEY) == before + 1
