"""Employers find engineers by name in the ad-hoc search, and a renamed engineer by the
new name only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Company
from candidates.models import Profile
from searches.engine import Criteria, search
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db

BROWSE = reverse("searches:browse")


@pytest.mark.parametrize("words", ["Sana Javed", "Javed", "javed"])
def test_the_ad_hoc_search_finds_an_engineer_by_name(
    client: Client, company: Company, words: str
) -> None:
    sana = engineer("Sana Javed", {"Python": "4"}, "25", 4)
    engineer("Ayesha Khan", {"Python": "6"}, "30", 6)
    client.force_login(company.memberships.get().user)

    response = client.get(BROWSE, {"q": words})

    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("candidates:detail", args=[sana.pk])}"' in body
    assert "Ayesha Khan" not in body


def test_a_name_ranks_above_the_same_word_in_a_bio(company: Company) -> None:
    named = engineer("Imran Karachiwala", {"Python": "4"}, "25", 4)
    mentions = engineer("Omar Sheikh", {"Python": "4"}, "25", 4)
    Profile.objects.filter(pk=mentions.pk).update(bio="I worked with the Karachiwala family firm.")

    found = [p.pk for p in search(Criteria(text="Karachiwala"), company).results]

    assert found == [named.pk, mentions.pk]


def test_a_renamed_engineer_is_found_by_the_new_name_only(company: Company) -> None:
    profile = engineer("Sana Javed", {"Python": "4"}, "25", 4)
    user = profile.user
    user.full_name = "Sana Qureshi"
    user.save(update_fields=["full_name"])  # as staff do in the admin

    assert [p.pk for p in search(Criteria(text="Qureshi"), company).results] == [profile.pk]
    assert search(Criteria(text="Javed"), company).results == []
