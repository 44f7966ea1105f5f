"""Shortlists: the htmx toggle, notes, who may be shortlisted, the comparison table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import services as candidate_services
from candidates.models import Profile
from searches.models import Brief, ShortlistEntry
from tests.factories import BriefFactory, ProfileFactory, ShortlistEntryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def brief(owner: User) -> Brief:
    return BriefFactory(
        company=owner.membership.company, created_by=owner, title="Payments API", must=["Python"]
    )


@pytest.fixture
def sana() -> Profile:
    return ProfileFactory(
        status="approved", user__full_name="Sana Javed", skills=["Python", "Django"]
    )


def toggle(client: Client, brief: Brief, profile_pk: int, action: str, **extra: Any) -> Any:
    url = reverse("searches:shortlist_toggle", args=[brief.pk, profile_pk])
    return client.post(url, {"action": action, "next": "/somewhere/?q=x"}, **extra)


def test_htmx_adds_and_removes_and_gets_the_button_back(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    client.force_login(owner)

    added = toggle(client, brief, sana.pk, "add", **HTMX)
    assert added.status_code == 200
    body = added.content.decode()
    assert 'aria-pressed="true"' in body and "Shortlisted ✓ Remove" in body
    assert 'name="action" value="remove"' in body and "<html" not in body
    assert ShortlistEntry.objects.get(brief=brief).profile == sana
    assert ShortlistEntry.objects.get().added_by == owner

    removed = toggle(client, brief, sana.pk, "remove", **HTMX)
    body = removed.content.decode()
    assert 'aria-pressed="false"' in body and ">Shortlist<" in body
    assert not ShortlistEntry.objects.exists()


def test_adding_twice_keeps_one_entry_and_its_note(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    ShortlistEntryFactory(brief=brief, profile=sana, note="keep me")
    client.force_login(owner)

    toggle(client, brief, sana.pk, "add", **HTMX)

    assert ShortlistEntry.objects.get().note == "keep me"


def test_without_javascript_it_redirects_back_to_next(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    client.force_login(owner)

    response = toggle(client, brief, sana.pk, "add")

    assert response.status_code == 302 and response["Location"] == "/somewhere/?q=x"
    assert ShortlistEntry.objects.filter(brief=brief, profile=sana).exists()


def test_a_next_on_another_site_is_ignored(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    client.force_login(owner)
    url = reverse("searches:shortlist_toggle", args=[brief.pk, sana.pk])

    response = client.post(url, {"action": "add", "next": "https://evil.example/"})

    assert response["Location"] == reverse("searches:shortlist", args=[brief.pk])


@pytest.mark.parametrize("kind", ["draft", "not_looking", "blocked", "inactive", "unknown"])
def test_only_engineers_visible_to_the_company_can_be_shortlisted(
    client: Client, owner: User, brief: Brief, kind: str
) -> None:
    profile = ProfileFactory(status="approved")
    if kind == "draft":
        Profile.objects.filter(pk=profile.pk).update(status="draft")
    elif kind == "not_looking":
        profile.availability = Profile.Availability.NOT_LOOKING
        profile.save()
    elif kind == "blocked":
        candidate_services.company_block(
            profile=profile, kind="name", value=owner.membership.company.name
        )
    elif kind == "inactive":
        User.objects.filter(pk=profile.user_id).update(is_active=False)
    pk = profile.pk + 1000 if kind == "unknown" else profile.pk
    client.force_login(owner)

    assert toggle(client, brief, pk, "add", **HTMX).status_code == 404
    assert toggle(client, brief, pk, "add").status_code == 404
    assert not ShortlistEntry.objects.exists()


def test_an_unknown_action_is_a_400(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    client.force_login(owner)

    response = toggle(client, brief, sana.pk, "promote")

    assert response.status_code == 400
    assert "Choose to add the engineer or to remove them." in response.content.decode()


def test_a_note_is_saved_and_a_long_one_refused_with_a_400(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    entry = ShortlistEntryFactory(brief=brief, profile=sana)
    client.force_login(owner)
    url = reverse("searches:shortlist_note", args=[brief.pk, sana.pk])

    saved = client.post(url, {"note": "  Strong on ledgers; ask about on-call.  "})
    too_long = client.post(url, {"note": "x" * 501}, **HTMX)

    assert saved.status_code == 302
    assert too_long.status_code == 400
    assert "keep it to 500 characters" in too_long.content.decode()
    entry.refresh_from_db()
    assert entry.note == "Strong on ledgers; ask about on-call."


def test_a_note_needs_the_engineer_on_the_shortlist(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    client.force_login(owner)
    url = reverse("searches:shortlist_note", args=[brief.pk, sana.pk])

    assert client.post(url, {"note": "hello"}).status_code == 404


def test_the_comparison_table_shows_rate_and_must_have_years(
    client: Client, owner: User, sana: Profile
) -> None:
    brief = BriefFactory(company=owner.membership.company, created_by=owner, must=["Python", "Go"])
    ShortlistEntryFactory(brief=brief, profile=sana, note="Strong on ledgers")
    other = ProfileFactory(
        status="approved",
        user__full_name="Bilal Ahmed",
        hourly_rate_usd=Decimal("45"),
        years_experience=9,
        skills=["Go"],
    )
    ShortlistEntryFactory(brief=brief, profile=other)
    client.force_login(owner)

    response = client.get(reverse("searches:shortlist", args=[brief.pk]))

    body = response.content.decode()
    assert "<table" in body
    assert "Sana Javed" in body and "USD 30 an hour" in body
    assert "Bilal Ahmed" in body and "USD 45 an hour" in body
    assert body.count(">3 y<") == 2  # Sana's Python, Bilal's Go: 3 years each (factory default)
    assert body.count(">✗<") == 2  # Sana lacks Go, Bilal lacks Python
    assert "Strong on ledgers" in body and 'aria-pressed="true"' in body


def test_an_engineer_who_blocks_the_company_leaves_its_shortlist_page(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    ShortlistEntryFactory(brief=brief, profile=sana)
    candidate_services.company_block(profile=sana, kind="name", value=owner.membership.company.name)
    client.force_login(owner)

    body = client.get(reverse("searches:shortlist", args=[brief.pk])).content.decode()

    assert "Sana Javed" not in body and "Nobody on this shortlist yet" in body


def test_the_empty_shortlist_points_to_the_results(
    client: Client, owner: User, brief: Brief
) -> None:
    client.force_login(owner)

    body = client.get(reverse("searches:shortlist", args=[brief.pk])).content.decode()

    assert "Nobody on this shortlist yet" in body
    assert reverse("searches:results", args=[brief.pk]) in body


def test_the_profile_page_offers_the_companys_open_briefs(
    client: Client, owner: User, brief: Brief, sana: Profile
) -> None:
    BriefFactory(company=owner.membership.company, created_by=owner, title="Old", status="closed")
    ShortlistEntryFactory(brief=brief, profile=sana)
    client.force_login(owner)

    body = client.get(reverse("candidates:detail", args=[sana.pk])).content.decode()

    assert "Shortlist for a brief" in body and "Payments API" in body and "Old" not in body
    assert 'aria-pressed="true"' in body


def test_the_dashboard_lists_briefs_or_invites_a_first_one(
    client: Client, owner: User, outsider: User
) -> None:
    BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")
    client.force_login(owner)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Payments API" in body and "0 engineers" in body

    client.force_login(outsider)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Payments API" not in body and "Write your first brief" in body


def test_employers_see_briefs_and_search_in_the_header(client: Client, owner: User) -> None:
    client.force_login(owner)

    body = client.get(reverse("accounts:dashboard")).content.decode()
    nav = body.split('<nav class="site-nav"')[1].split("</nav>")[0]

    assert reverse("searches:brief_list") in nav and reverse("searches:browse") in nav
