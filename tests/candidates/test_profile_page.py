"""The profile page employers see: who may see it, what it shows, what it costs."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import services
from candidates.models import ContactConsent, Job, PortfolioItem, Profile, Skill
from tests.factories import EmployerFactory, EngineerFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def make_profile(email: str = "sana@example.com", **fields: object) -> Profile:
    user = EngineerFactory(email=email, full_name="Sana Javed")
    values: dict[str, object] = {
        "status": Profile.Status.APPROVED,
        "headline": "Django engineer for payment systems",
        "bio": "I build and run payment backends.",
        "hourly_rate_usd": Decimal("35.00"),
        "monthly_rate_pkr": Decimal("450000"),
        "years_experience": 6,
        "seniority": Profile.Seniority.SENIOR,
        "phone": "+92 300 1234567",
        "work_starts": time(10),
        "work_ends": time(19),
    }
    values.update(fields)
    return Profile.objects.create(user=user, **values)


def add_details(profile: Profile, n: int) -> None:
    skills = list(Skill.objects.order_by("pk")[: n * 2])
    for i in range(n):
        services.skill_set(profile=profile, skill=skills[i], years=Decimal(i + 1), level=2)
        item = PortfolioItem(title=f"Project {i}", description="Built it.", year=2020 + i)
        services.portfolio_save(profile=profile, item=item, skills=skills[n : n + 2])
        Job.objects.create(
            profile=profile, employer=f"Company {i}", title="Engineer", started=date(2015 + i, 1, 1)
        )


@pytest.fixture
def viewer(client: Client) -> User:
    employer = EmployerFactory(email="hiring@acme.example")
    company = employer.membership.company
    company.name, company.time_zone = "Acme", "Europe/London"
    company.work_starts, company.work_ends = time(9), time(17)
    company.save()
    client.force_login(employer)
    return employer


def test_an_employer_sees_an_approved_profile_with_its_details(
    client: Client, viewer: User
) -> None:
    profile = make_profile()
    add_details(profile, 2)

    response = client.get(reverse("candidates:detail", args=[profile.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Sana Javed" in body and "Django engineer for payment systems" in body
    assert "USD 35" in body and "PKR 450,000" in body
    assert "Project 1" in body and "Company 0" in body
    assert "Overlap with Acme" in body
    assert "No reviews yet" in body


@pytest.mark.parametrize(
    "status",
    [
        Profile.Status.DRAFT,
        Profile.Status.SUBMITTED,
        Profile.Status.CHANGES_REQUESTED,
        Profile.Status.SUSPENDED,
    ],
)
def test_an_employer_cannot_see_an_unapproved_profile(
    client: Client, viewer: User, status: str
) -> None:
    profile = make_profile(status=status)

    assert client.get(reverse("candidates:detail", args=[profile.pk])).status_code == 404


def test_an_employer_cannot_see_a_paused_profile(client: Client, viewer: User) -> None:
    profile = make_profile(availability=Profile.Availability.NOT_LOOKING)

    assert client.get(reverse("candidates:detail", args=[profile.pk])).status_code == 404


def test_an_employer_cannot_see_a_profile_that_blocked_their_company(
    client: Client, viewer: User
) -> None:
    profile = make_profile()
    services.company_block(profile=profile, kind="name", value=viewer.membership.company.name)

    assert client.get(reverse("candidates:detail", args=[profile.pk])).status_code == 404


def test_an_engineer_cannot_open_another_engineers_profile(client: Client) -> None:
    profile = make_profile()
    client.force_login(EngineerFactory(email="other@example.com"))

    assert client.get(reverse("candidates:detail", args=[profile.pk])).status_code == 404


def test_contact_details_stay_hidden_without_consent(client: Client, viewer: User) -> None:
    profile = make_profile()

    body = client.get(reverse("candidates:detail", args=[profile.pk])).content.decode()

    assert "sana@example.com" not in body
    assert "300 1234567" not in body
    assert reverse("candidates:resume_download", args=[profile.pk]) not in body
    assert "are private" in body


def test_contact_details_show_after_the_engineer_accepts(
    client: Client, viewer: User, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    profile = make_profile()
    services.resume_replace(profile=profile, upload=ContentFile(PDF, name="cv.pdf"))
    ContactConsent.objects.create(profile=profile, company=viewer.membership.company)

    body = client.get(reverse("candidates:detail", args=[profile.pk])).content.decode()

    assert "sana@example.com" in body and "+92 300 1234567" in body
    assert reverse("candidates:resume_download", args=[profile.pk]) in body


def test_consent_given_to_one_company_does_not_open_it_to_another(
    client: Client, viewer: User
) -> None:
    profile = make_profile()
    ContactConsent.objects.create(profile=profile, company=EmployerFactory().membership.company)

    body = client.get(reverse("candidates:detail", args=[profile.pk])).content.decode()

    assert "sana@example.com" not in body


def test_the_resume_downloads_only_with_consent(
    client: Client,
    viewer: User,
    settings,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    profile = make_profile()
    services.resume_replace(profile=profile, upload=ContentFile(PDF, name="cv.pdf"))
    url = reverse("candidates:resume_download", args=[profile.pk])

    assert client.get(url).status_code == 404
    ContactConsent.objects.create(profile=profile, company=viewer.membership.company)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_engineer_downloads_their_own_resume_but_not_anothers(
    client: Client,
    settings,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    mine = make_profile(email="me@example.com")
    theirs = make_profile(email="them@example.com")
    for profile in (mine, theirs):
        services.resume_replace(profile=profile, upload=ContentFile(PDF, name="cv.pdf"))
    client.force_login(mine.user)

    assert client.get(reverse("candidates:resume_download", args=[mine.pk])).status_code == 200
    assert client.get(reverse("candidates:resume_download", args=[theirs.pk])).status_code == 404


def test_a_resume_is_not_reachable_as_a_plain_file_even_in_development(settings) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.urls import Resolver404, clear_url_caches, resolve

    import config.urls

    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(settings.MEDIA_URL + "resumes/0123456789abcdef.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
