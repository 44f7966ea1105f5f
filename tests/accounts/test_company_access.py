"""One answer everywhere to "which company is this employer in?"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import EngineerFactory, UserFactory

pytestmark = pytest.mark.django_db

HIRING_TEAM_PAGES = [
    "accounts:dashboard",
    "accounts:company_create",
    "accounts:company_edit",
    "searches:browse",
    "searches:brief_list",
    "searches:brief_create",
]


@pytest.mark.parametrize("role", ["engineer", "staff"])
def test_every_hiring_team_page_refuses_engineers_and_staff_with_a_403(
    client: Client, role: str
) -> None:
    if role == "engineer":
        client.force_login(EngineerFactory())
    else:
        client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True))

    for name in HIRING_TEAM_PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_an_employer_without_a_company_is_told_to_set_one_up_everywhere(client: Client) -> None:
    client.force_login(UserFactory(email="orphan@acme.example", role=User.Role.EMPLOYER))

    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard["Location"] == reverse("accounts:company_create")
    for name in ["searches:browse", "searches:brief_list", "searches:brief_create"]:
        response = client.get(reverse(name))
        assert response.status_code == 404, name
        assert "Set up your company first." in response.content.decode()
