"""An engineer's own data: a full export, and erasure that leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail, User
from candidates.models import Profile, ProfileSkill, Skill
from tests.factories import PASSWORD, JobFactory, PortfolioItemFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(client: Client, engineer: User) -> Profile:
    profile = ProfileFactory(user=engineer, skills=["Python", "Django"])
    PortfolioItemFactory(profile=profile, title="Settlement engine")
    JobFactory(profile=profile, employer="Arbisoft", title="Backend engineer")
    client.force_login(engineer)
    return profile


def test_the_export_is_a_json_download_of_everything(client: Client, profile: Profile) -> None:
    response = client.get(reverse("candidates:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "engineer@example.com"
    assert data["profile"]["headline"] == profile.headline
    assert data["profile"]["hourly_rate_usd"] == "30.00"
    assert {entry["skill"] for entry in data["skills"]} == {"Python", "Django"}
    assert [item["title"] for item in data["portfolio"]] == ["Settlement engine"]
    assert data["work_history"][0]["employer"] == "Arbisoft"


def test_the_delete_page_explains_what_is_erased(client: Client, profile: Profile) -> None:
    body = client.get(reverse("candidates:delete")).content.decode()

    assert "What is erased" in body
    assert 'type="password"' in body


def test_a_wrong_password_deletes_nothing(client: Client, profile: Profile) -> None:
    response = client.post(reverse("candidates:delete"), {"password": "not-my-password"})

    assert response.status_code == 400
    assert "That password is not right." in response.content.decode()
    assert User.objects.filter(email="engineer@example.com").exists()
    assert Profile.objects.filter(pk=profile.pk).exists()
    assert client.get(reverse("candidates:me")).status_code == 200


def test_deleting_erases_the_account_profile_files_and_mail(
    client: Client,
    profile: Profile,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    profile.resume.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    resume = tmp_path / profile.resume.name
    assert resume.exists()
    OutboundEmail.objects.create(
        key="welcome:1",
        to="Engineer@Example.com",
        template="email/welcome",
        subject="Welcome, Sana",
        body_text="Hello Sana",
    )
    other = OutboundEmail.objects.create(
        key="welcome:2", to="someone@example.com", template="t", subject="Hi", body_text="Hi"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidates:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
    assert not User.objects.filter(email="engineer@example.com").exists()
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not ProfileSkill.objects.exists()
    assert Skill.objects.filter(name="Python").exists()
    assert not resume.exists()
    assert not OutboundEmail.objects.filter(to__iexact="engineer@example.com").exists()
    assert not OutboundEmail.objects.filter(body_text__contains="Sana").exists()
    assert OutboundEmail.objects.filter(pk=other.pk, to="someone@example.com").exists()
    assert "_auth_user_id" not in client.session
    landing = client.get(response["Location"]).content.decode()
    assert "erased" in landing
    assert client.get(reverse("candidates:me")).status_code == 302
