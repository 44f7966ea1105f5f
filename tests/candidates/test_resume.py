"""Resumes: real PDFs only, stored under a generated name, old files never left behind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import selectors
from candidates.models import Profile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def profile(client: Client, engineer: User, media: Path) -> Profile:
    client.force_login(engineer)
    return selectors.get_own_profile(engineer)


def upload(client: Client, content: bytes, name: str = "Sana Javed CV.pdf") -> Any:
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("candidates:resume"), {"resume": file})


def stored(media: Path) -> list[Path]:
    return sorted((media / "resumes").glob("*")) if (media / "resumes").exists() else []


def test_a_pdf_is_stored_under_a_generated_name(
    client: Client, profile: Profile, media: Path
) -> None:
    response = upload(client, PDF)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.pdf", profile.resume.name)
    assert "Sana" not in profile.resume.name
    assert (media / profile.resume.name).read_bytes() == PDF
    assert "A PDF is on file" in client.get(reverse("candidates:resume")).content.decode()


def test_the_owner_downloads_their_resume(client: Client, profile: Profile) -> None:
    upload(client, PDF)

    response = client.get(reverse("candidates:resume_download", args=[profile.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_file_over_5_mb_is_refused_with_its_size(
    client: Client, profile: Profile, media: Path
) -> None:
    big = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)

    response = upload(client, big, name="big.pdf")

    assert response.status_code == 400
    assert "That file is 6.0 MB; the limit is 5 MB." in response.content.decode()
    profile.refresh_from_db()
    assert not profile.resume
    assert stored(media) == []


def test_a_png_renamed_to_pdf_is_refused(client: Client, profile: Profile, media: Path) -> None:
    response = upload(client, PNG, name="photo.pdf")

    assert response.status_code == 400
    assert "That file is not a PDF." in response.content.decode()
    profile.refresh_from_db()
    assert not profile.resume
    assert stored(media) == []


def test_an_empty_post_says_a_file_is_needed(client: Client, profile: Profile) -> None:
    response = client.post(reverse("candidates:resume"), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_replacing_deletes_the_old_file(client: Client, profile: Profile, media: Path) -> None:
    upload(client, PDF)
    profile.refresh_from_db()
    old = media / profile.resume.name

    upload(client, PDF + b"% second version\n")

    profile.refresh_from_db()
    assert not old.exists()
    assert stored(media) == [media / profile.resume.name]


def test_removing_deletes_the_file(client: Client, profile: Profile, media: Path) -> None:
    upload(client, PDF)
    profile.refresh_from_db()
    path = media / profile.resume.name

    response = client.post(reverse("candidates:resume_remove"))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.resume
    assert not path.exists()
    assert stored(media) == []
