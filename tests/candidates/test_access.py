"""Engineers touch only their own profile; everyone else is turned away."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import services
from candidates.models import Job, PortfolioItem, Profile, ProfileSkill
from tests.factories import (
    EngineerFactory,
    JobFactory,
    PortfolioItemFactory,
    ProfileFactory,
    ProfileSkillFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "candidates:me",
    "candidates:about",
    "candidates:skills",
    "candidates:portfolio",
    "candidates:experience",
    "candidates:resume",
    "candidates:blocked",
    "candidates:export",
    "candidates:delete",
]
POSTS = [
    "candidates:submit",
    "candidates:visibility",
    "candidates:resume_remove",
    "candidates:skills",
    "candidates:about",
]


@pytest.fixture
def others() -> Profile:
    """Another engineer's profile, with one of everything."""
    profile = ProfileFactory(user__email="other@example.com")
    ProfileSkillFactory(profile=profile, years=4)
    PortfolioItemFactory(profile=profile, title="Their project")
    JobFactory(profile=profile, title="Their role")
    return profile


@pytest.fixture
def signed_in(client: Client, engineer: User) -> Client:
    client.force_login(engineer)
    return client


def test_it_cannot_remove_another_engineers_skill(signed_in: Client, others: Profile) -> None:
    entry = others.skills.get()

    response = signed_in.post(reverse("candidates:skill_remove", args=[entry.pk]))

    assert response.status_code == 404
    assert ProfileSkill.objects.filter(pk=entry.pk, years=4).exists()
    others.refresh_from_db()
    assert others.skill_ids == [entry.skill_id]


def test_it_cannot_see_edit_or_remove_another_engineers_project(
    signed_in: Client, others: Profile
) -> None:
    item = others.portfolio.get()
    edit = reverse("candidates:portfolio_edit", args=[item.pk])
    data = {"title": "Taken over", "description": "Mine now."}

    assert signed_in.get(edit).status_code == 404
    assert signed_in.post(edit, data).status_code == 404
    remove = signed_in.post(reverse("candidates:portfolio_remove", args=[item.pk]))

    assert remove.status_code == 404
    assert PortfolioItem.objects.get(pk=item.pk).title == "Their project"


def test_it_cannot_see_edit_or_remove_another_engineers_job(
    signed_in: Client, others: Profile
) -> None:
    job = others.jobs.get()
    edit = reverse("candidates:job_edit", args=[job.pk])
    data = {"employer": "Mine", "title": "Taken over", "started": "2020-01-01"}

    assert signed_in.get(edit).status_code == 404
    assert signed_in.post(edit, data).status_code == 404
    remove = signed_in.post(reverse("candidates:job_remove", args=[job.pk]))

    assert remove.status_code == 404
    assert Job.objects.get(pk=job.pk).title == "Their role"


def test_it_cannot_remove_another_engineers_block(
    signed_in: Client, others: Profile, owner: User
) -> None:
    block = services.company_block(profile=others, kind="name", value=owner.membership.company.name)

    response = signed_in.post(reverse("candidates:unblock", args=[block.pk]))

    assert response.status_code == 404
    assert others.company_blocks.filter(pk=block.pk).exists()


def test_its_own_pages_show_nothing_of_another_engineer(signed_in: Client, others: Profile) -> None:
    for name in ["candidates:skills", "candidates:portfolio", "candidates:experience"]:
        body = signed_in.get(reverse(name)).content.decode()
        assert "Their project" not in body and "Their role" not in body


@pytest.mark.parametrize("name", PAGES)
def test_employers_get_403_on_every_page(client: Client, owner: User, name: str) -> None:
    client.force_login(owner)

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", POSTS)
def test_employers_get_403_on_every_change(client: Client, owner: User, name: str) -> None:
    client.force_login(owner)

    assert client.post(reverse(name), {"action": "pause"}).status_code == 403
    assert not Profile.objects.filter(user=owner).exists()


@pytest.mark.parametrize("name", PAGES)
def test_staff_get_403_on_every_page(client: Client, name: str) -> None:
    staff = EngineerFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_visitors_are_sent_to_log_in(client: Client, name: str) -> None:
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_visitors_cannot_post_changes(client: Client, others: Profile) -> None:
    entry = others.skills.get()

    response = client.post(reverse("candidates:skill_remove", args=[entry.pk]))

    assert response.status_code == 302
    assert ProfileSkill.objects.filter(pk=entry.pk).exists()
