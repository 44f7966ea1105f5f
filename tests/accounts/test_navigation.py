from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import EmployerFactory, EngineerFactory

pytestmark = pytest.mark.django_db


def nav_links(client: Client, path: str = "/") -> list[str]:
    body = client.get(path, follow=True).content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', body, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


def test_visitors_are_offered_log_in_and_sign_up(client: Client) -> None:
    assert nav_links(client) == ["Log in", "Sign up"]


def test_an_employer_sees_their_dashboard_and_no_admin(client: Client) -> None:
    client.force_login(EmployerFactory())

    links = nav_links(client)

    assert "Dashboard" in links
    assert "Admin" not in links and "My profile" not in links


def test_an_engineer_sees_their_profile_and_no_dashboard(client: Client) -> None:
    client.force_login(EngineerFactory())

    links = nav_links(client)

    assert "My profile" in links
    assert "Dashboard" not in links and "Admin" not in links


def test_staff_see_the_admin_link(client: Client) -> None:
    client.force_login(EngineerFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))

    assert "Admin" in nav_links(client, reverse("account_email"))
