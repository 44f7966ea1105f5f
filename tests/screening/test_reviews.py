"""Initial screening: each teammate's review of a Sourced engineer, shown to the team."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Review, Stage
from screening.services import review_save

pytestmark = pytest.mark.django_db


def review(client: Client, candidacy: Candidacy, **data: str) -> object:
    return client.post(reverse("screening:review", args=[candidacy.pk]), data)


def test_each_teammate_leaves_one_review_and_can_change_it(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)
    review(client, candidacy, rating="1", note="Solid Django")
    review(client, candidacy, rating="2", note="Solid Django, great tests")
    client.force_login(teammate)

    response = review(client, candidacy, rating="-1", note="Rate is high")

    here = reverse("screening:candidacy", args=[candidacy.pk])
    assert response.status_code == 302
    assert response["Location"] == here
    assert sorted(Review.objects.values_list("author__email", "rating")) == [
        ("mate@acme.example", -1),
        ("owner@acme.example", 2),
    ]
    page = client.get(here).content.decode()
    assert "Your review is saved." in page
    assert "Strong yes" in page and "Solid Django, great tests" in page
    assert "Rate is high" in page
    assert "1 yes · 1 no" in page


def test_the_board_card_and_the_profile_page_show_the_teams_reviews(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    review_save(candidacy=candidacy, author=owner, rating=2, note="Hire")
    review_save(candidacy=candidacy, author=teammate, rating=1)
    client.force_login(teammate)

    board = client.get(reverse("screening:board", args=[candidacy.brief.pk])).content.decode()
    profile = client.get(reverse("candidates:detail", args=[candidacy.profile.pk])).content.decode()

    assert "<dt>Reviews</dt><dd>2 yes</dd>" in board
    assert "Team reviews: 2 yes" in profile
    assert "Strong yes</strong> · Owner Person: Hire" in profile


def test_the_review_form_shows_only_while_the_engineer_is_in_sourced(
    client: Client, owner: User, candidacy: Candidacy, card_at
) -> None:
    later = card_at(Stage.CONTACTED)
    client.force_login(owner)

    sourced = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    contacted = client.get(reverse("screening:candidacy", args=[later.pk])).content.decode()

    assert reverse("screening:review", args=[candidacy.pk]) in sourced
    assert reverse("screening:review", args=[later.pk]) not in contacted
    assert "Reviews close once an engineer leaves Sourced." in contacted


@pytest.mark.parametrize("stage", [Stage.CONTACTED, Stage.INTERVIEW, Stage.NOT_A_FIT])
def test_a_review_after_sourced_is_refused_with_409(
    client: Client, owner: User, card_at, stage: Stage
) -> None:
    candidacy = card_at(stage)
    client.force_login(owner)

    response = review(client, candidacy, rating="2")

    assert response.status_code == 409
    assert b"Reviews are for engineers still in Sourced" in response.content
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"rating": "0"}, {"rating": "3"}, {"rating": "yes"}, {"rating": "1", "note": "x" * 2001}],
)
def test_a_bad_review_gets_400_with_the_form_and_saves_nothing(
    client: Client, owner: User, candidacy: Candidacy, data: dict[str, str]
) -> None:
    client.force_login(owner)

    response = review(client, candidacy, **data)

    assert response.status_code == 400
    assert b'class="field__errors"' in response.content
    assert not Review.objects.exists()
