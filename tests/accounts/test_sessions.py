"""Sessions are kept in PostgreSQL: Redis evicting its caches logs nobody out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tasks import sessions_clear_expired
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def evict_every_cache_entry() -> int:
    """What Redis under memory pressure may do to every key that has an expiry."""
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


def test_a_signed_in_user_stays_signed_in_when_the_cache_is_evicted(
    client: Client, owner: User
) -> None:
    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    assert evict_every_cache_entry() > 0

    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == owner


def test_signing_out_ends_the_session_even_with_the_cache_evicted(
    client: Client, owner: User
) -> None:
    client.force_login(owner)
    client.post(reverse("account_logout"))
    evict_every_cache_entry()

    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_nightly_task_clears_expired_sessions_only(client: Client, owner: User) -> None:
    client.force_login(owner)
    expired = Client()
    expired.force_login(owner)
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    sessions_clear_expired.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
