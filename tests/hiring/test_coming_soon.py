"""Where a hiring team looks for screening, the page links to it; what is not built says so."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_the_brief_page_links_to_its_pipeline_instead_of_promising_it(
    client: Client, owner: User
) -> None:
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    client.force_login(owner)

    page = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()

    assert reverse("screening:board", args=[brief.pk]) in page
    assert "Coming soon" not in page
    assert "while you screen" not in page


def test_the_dashboard_links_pipelines_and_messages_and_shows_contracts(
    client: Client, owner: User
) -> None:
    client.force_login(owner)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert reverse("screening:company_funnel") in page
    assert reverse("hiring:inbox") in page
    assert "Coming soon" not in page  # contracts exist now: the dashboard shows them
    assert "No contracts yet" in page
