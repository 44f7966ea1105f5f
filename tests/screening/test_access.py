"""Team-wide pipelines: every teammate sees and moves them; nobody else learns they exist."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Candidacy, Review, Stage
from screening.services import review_save
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, UserFactory, candidacy_in

pytestmark = pytest.mark.django_db

Request = Callable[[Client, Candidacy], object]

#: Every pipeline URL, with how it is asked for (the posts are valid for a Sourced card).
VIEWS: dict[str, Request] = {
    "board": lambda c, x: c.get(reverse("screening:board", args=[x.brief.pk])),
    "add": lambda c, x: c.post(
        reverse("screening:add", args=[x.brief.pk]),
        {"profile": ProfileFactory(status="approved").pk},
    ),
    "brief_funnel": lambda c, x: c.get(reverse("screening:brief_funnel", args=[x.brief.pk])),
    "candidacy": lambda c, x: c.get(reverse("screening:candidacy", args=[x.pk])),
    "move": lambda c, x: c.post(
        reverse("screening:move", args=[x.pk]),
        {"to": "not_a_fit", "expected": "sourced", "reason": "skills"},
    ),
    "review": lambda c, x: c.post(reverse("screening:review", args=[x.pk]), {"rating": "1"}),
}


@pytest.fixture
def theirs(outsider: User) -> Candidacy:
    """A Sourced candidacy of another company's brief."""
    brief = BriefFactory(company=outsider.membership.company, created_by=outsider, title="Secret")
    return candidacy_in(brief, user=outsider)


def nothing_changed(candidacy: Candidacy) -> None:
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.SOURCED
    assert candidacy.moves.count() == 1
    assert not Review.objects.filter(candidacy=candidacy).exists()
    assert Candidacy.objects.filter(brief=candidacy.brief).count() == 1


@pytest.mark.parametrize("view", list(VIEWS))
def test_another_companys_ids_answer_404_on_every_view(
    client: Client, owner: User, theirs: Candidacy, view: str
) -> None:
    client.force_login(owner)

    response = VIEWS[view](client, theirs)

    assert response.status_code == 404
    assert b"Secret" not in response.content
    nothing_changed(theirs)


@pytest.mark.parametrize("view", list(VIEWS))
def test_an_engineer_gets_404_on_every_view(
    client: Client, engineer: User, theirs: Candidacy, view: str
) -> None:
    client.force_login(engineer)

    response = VIEWS[view](client, theirs)

    assert response.status_code == 404
    nothing_changed(theirs)


@pytest.mark.parametrize("view", list(VIEWS))
def test_the_engineer_in_the_pipeline_gets_404_too(
    client: Client, theirs: Candidacy, view: str
) -> None:
    client.force_login(theirs.profile.user)

    response = VIEWS[view](client, theirs)

    assert response.status_code == 404
    nothing_changed(theirs)


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_visitor_is_sent_to_log_in(client: Client, theirs: Candidacy, view: str) -> None:
    response = VIEWS[view](client, theirs)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    nothing_changed(theirs)


def test_the_company_funnel_is_for_hiring_teams_only(client: Client, engineer: User) -> None:
    client.force_login(engineer)

    assert client.get(reverse("screening:company_funnel")).status_code == 403


def test_the_company_funnel_counts_only_the_own_companys_pipelines(
    client: Client, owner: User, theirs: Candidacy, candidacy: Candidacy
) -> None:
    client.force_login(owner)

    page = client.get(reverse("screening:company_funnel")).content.decode()

    assert "Payments API" in page
    assert "Secret" not in page
    assert "1 engineer in your company" in page


def test_staff_without_a_company_see_no_pipeline_page(client: Client, theirs: Candidacy) -> None:
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get(reverse("screening:candidacy", args=[theirs.pk])).status_code == 404


def test_a_teammate_sees_and_moves_the_companys_pipeline(
    client: Client, teammate: User, brief: Brief, candidacy: Candidacy
) -> None:
    client.force_login(teammate)

    board = client.get(reverse("screening:board", args=[brief.pk]))
    moved = client.post(
        reverse("screening:move", args=[candidacy.pk]),
        {"to": "not_a_fit", "expected": "sourced", "reason": "filled"},
    )

    assert board.status_code == 200
    assert "Ayesha Khan" in board.content.decode()
    assert moved.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.NOT_A_FIT


def test_engineers_never_see_reviews_or_stage_names_on_their_profile(
    client: Client, owner: User, teammate: User, candidacy: Candidacy
) -> None:
    review_save(candidacy=candidacy, author=teammate, rating=-2, note="Thin portfolio")
    engineer = candidacy.profile.user
    client.force_login(engineer)

    for url in (
        reverse("candidates:detail", args=[candidacy.profile.pk]),
        reverse("candidates:preview"),
    ):
        page = client.get(url).content.decode()
        assert "Thin portfolio" not in page
        assert "Strong no" not in page
        assert "Sourced" not in page
        assert 'id="pipeline-title"' not in page


def test_another_company_sees_neither_the_pipeline_nor_its_reviews_on_the_profile(
    client: Client, outsider: User, teammate: User, candidacy: Candidacy
) -> None:
    review_save(candidacy=candidacy, author=teammate, rating=2, note="Loved the ledger work")
    client.force_login(outsider)

    page = client.get(reverse("candidates:detail", args=[candidacy.profile.pk])).content.decode()

    assert "Loved the ledger work" not in page
    assert "Payments API" not in page
    assert "Sourced" not in page
    assert reverse("screening:candidacy", args=[candidacy.pk]) not in page


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/briefs/99999999999999999999999/pipeline/"),
        ("get", "/briefs/99999999999999999999999/funnel/"),
        ("get", "/pipeline/99999999999999999999999/"),
        ("post", "/briefs/99999999999999999999999/pipeline/add/"),
        ("post", "/pipeline/99999999999999999999999/move/"),
        ("post", "/pipeline/99999999999999999999999/review/"),
    ],
)
def test_ids_beyond_any_row_answer_404_not_500(
    client: Client, owner: User, method: str, url: str
) -> None:
    client.force_login(owner)

    response = getattr(client, method)(url, {"profile": "1", "to": "offer", "rating": "1"})

    assert response.status_code == 404
