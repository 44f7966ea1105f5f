"""The employer dashboard: the same page whether asked for or shown again after a mistake."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_a_bad_invitation_address_shows_the_dashboard_again_with_the_companys_briefs(
    client: Client, owner: User
) -> None:
    BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")
    client.force_login(owner)

    response = client.post(reverse("accounts:invitation_create"), {"email": "not an email"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "valid email" in body
    assert "Payments API" in body
    assert "No briefs yet" not in body
    assert not Invitation.objects.exists()
