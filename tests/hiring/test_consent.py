"""Accepting shares contact details with that one company; the engineer can take it back."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from candidates.models import ContactConsent
from hiring.models import ConsentGrant
from hiring.services import outreach_accept
from tests.factories import BriefFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db

ACCESS = reverse("candidates:access")


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _profile_page(client: Client, user: Any, outreach: Any) -> str:
    client.force_login(user)
    return _text(client.get(reverse("candidates:detail", args=[outreach.profile_id])))


def test_accepting_shows_the_details_to_that_company_only(
    client: Client, owner: Any, teammate: Any, outsider: Any, engineer: Any, outreach_waiting: Any
):
    assert "engineer@example.com" not in _profile_page(client, owner, outreach_waiting)

    client.force_login(engineer)
    client.post(reverse("hiring:accept", args=[outreach_waiting.pk]))

    assert "mailto:engineer@example.com" in _profile_page(client, owner, outreach_waiting)
    assert "mailto:engineer@example.com" in _profile_page(client, teammate, outreach_waiting)
    hidden = _profile_page(client, outsider, outreach_waiting)
    assert "engineer@example.com" not in hidden
    assert "email, phone and resume are private" in hidden
    grant = ConsentGrant.objects.get()
    assert (grant.company, grant.outreach, grant.withdrawn_at) == (
        outreach_waiting.company,
        outreach_waiting,
        None,
    )


def test_the_engineer_sees_who_has_access_and_withdraws_it(
    client: Client, owner: Any, engineer: Any, outreach_waiting: Any
):
    outreach_accept(outreach=outreach_waiting, user=engineer)
    client.force_login(engineer)
    page = _text(client.get(ACCESS))
    assert outreach_waiting.company.name in page
    consent = ContactConsent.objects.get()

    response = client.post(reverse("candidates:access_withdraw", args=[consent.pk]), follow=True)

    assert f"{outreach_waiting.company.name} can no longer see" in _text(response)
    assert "No company can see your contact details" in _text(response)
    assert not ContactConsent.objects.exists()
    assert ConsentGrant.objects.get().withdrawn_at is not None
    hidden = _profile_page(client, owner, outreach_waiting)
    assert "engineer@example.com" not in hidden


def test_withdrawing_one_company_leaves_the_other(
    client: Client, owner: Any, outsider: Any, engineer: Any, outreach_waiting: Any
):
    brief = BriefFactory(company=outsider.membership.company, created_by=outsider)
    other = outreach_sent(candidacy_in(brief, outreach_waiting.profile, user=outsider))
    outreach_accept(outreach=outreach_waiting, user=engineer)
    outreach_accept(outreach=other, user=engineer)
    mine = ContactConsent.objects.get(company=outreach_waiting.company)
    client.force_login(engineer)

    client.post(reverse("candidates:access_withdraw", args=[mine.pk]))

    assert list(ContactConsent.objects.values_list("company", flat=True)) == [other.company_id]
    assert "mailto:engineer@example.com" in _profile_page(client, outsider, other)
    assert "engineer@example.com" not in _profile_page(client, owner, outreach_waiting)


def test_another_engineers_access_cannot_be_withdrawn(client: Client, outreach_waiting: Any):
    outreach_accept(outreach=outreach_waiting, user=outreach_waiting.profile.user)
    consent = ContactConsent.objects.get()
    from tests.factories import ProfileFactory

    client.force_login(ProfileFactory(status="approved").user)

    response = client.post(reverse("candidates:access_withdraw", args=[consent.pk]))

    assert response.status_code == 404
    assert ContactConsent.objects.exists()


def test_employers_have_no_access_page(client: Client, owner: Any):
    client.force_login(owner)

    assert client.get(ACCESS).status_code == 403


def test_the_profile_sections_link_to_contact_access(client: Client, engineer: Any):
    client.force_login(engineer)

    page = _text(client.get(reverse("candidates:me")))

    assert ACCESS in page
    assert "No company can see your contact details" in _text(client.get(ACCESS))
