"""An oversized request body is refused before anything reads it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the oversized body was read")

    readline = read


def test_a_huge_upload_gets_a_413_page_without_its_body_being_read(
    client: Client, engineer: User
) -> None:
    profile = ProfileFactory(user=engineer)
    client.force_login(engineer)

    response = client.generic(
        "POST",
        reverse("candidates:resume"),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(2 * 1024**3),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "That upload is too large" in page
    assert "2048.0 MB" in page
    assert "a resume can be up to 5 MB" in page
    profile.refresh_from_db()
    assert not profile.resume


def test_a_request_within_the_limit_reaches_the_page(client: Client, engineer: User) -> None:
    client.force_login(engineer)

    response = client.post(reverse("candidates:resume"), {})

    assert response.status_code == 400  # the form's own message: no file chosen
    assert "That upload is too large" not in response.content.decode()
