"""Where a hiring team would look for screening, the page says it is coming."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_the_brief_page_says_where_screening_will_appear(client: Client, owner: User) -> None:
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    client.force_login(owner)

    page = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert "Screening and outreach" in page
    assert "Coming soon" in page
    assert "while you screen" not in page


def test_the_dashboard_says_screening_and_contracts_are_coming(client: Client, owner: User) -> None:
    client.force_login(owner)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Coming soon" in page
    assert "contracts" in page
