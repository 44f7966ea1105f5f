"""What the pipeline pages show: the board's columns and cards, the candidacy page,
the links from the brief and the dashboard, and the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from screening import registry
from screening.models import Candidacy, Stage, StageMove
from searches.models import Brief
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def column(page: str, stage: str) -> str:
    start = page.index(f'id="column-{stage}"')
    return page[start : page.index("</section>", start)]


def test_the_board_has_a_column_per_open_stage_with_counts(
    client: Client, owner: User, brief: Brief, candidacy: Candidacy, card_at
) -> None:
    card_at(Stage.OFFER)
    card_at(Stage.OFFER)
    card_at(Stage.DECLINED)
    client.force_login(owner)

    page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()

    assert page.count("<h1") == 1
    for stage in (
        "sourced",
        "contacted",
        "interested",
        "assessment",
        "interview",
        "offer",
        "hired",
    ):
        assert f'id="column-{stage}"' in page
    assert '<span class="badge">2<span class="visually-hidden"> engineers' in column(page, "offer")
    assert "Ayesha Khan" in column(page, "sourced")
    assert "Reopen in Sourced" in column(page, "declined")


def test_a_card_shows_who_what_and_how_long(
    client: Client, owner: User, brief: Brief, candidacy: Candidacy
) -> None:
    Candidacy.objects.filter(pk=candidacy.pk).update(
        stage_since=timezone.now() - timedelta(days=3, hours=1)
    )
    client.force_login(owner)

    card = column(
        client.get(reverse("screening:board", args=[brief.pk])).content.decode(), "sourced"
    )

    assert "Ayesha Khan" in card
    assert "Backend engineer for payment systems" in card
    assert "USD 30 an hour" in card
    assert "hours a day" in card
    assert "<dd>3 days</dd>" in card
    assert "<dd>Owner Person</dd>" in card


def test_the_move_select_offers_only_the_hand_stages(
    client: Client, owner: User, brief: Brief, card_at
) -> None:
    candidacy = card_at(Stage.ASSESSMENT)
    client.force_login(owner)

    page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()

    select = page[page.index(f'id="move-{candidacy.pk}-to"') :]
    select = select[: select.index("</select>")]
    assert [s for s in ("Interested", "Interview", "Offer", "Hired") if s in select] == [
        "Interested",
        "Interview",
        "Offer",
        "Hired",
    ]
    assert "Contacted" not in select and "Sourced" not in select
    assert f'<label class="small" for="move-{candidacy.pk}-to">' in page


def test_tell_the_engineer_is_offered_only_past_sourced(
    client: Client, owner: User, brief: Brief, candidacy: Candidacy, card_at
) -> None:
    later = card_at(Stage.CONTACTED)
    client.force_login(owner)

    page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()

    assert f'id="notfit-{candidacy.pk}-tell"' not in page
    assert f'id="notfit-{later.pk}-tell"' in page
    assert "Tell the engineer (sends a kind note)" in page


def test_every_move_form_posts_the_stage_it_saw_and_works_without_javascript(
    client: Client, owner: User, brief: Brief, card_at
) -> None:
    cards = [card_at(Stage.INTERVIEW), card_at(Stage.NOT_A_FIT), card_at(Stage.SOURCED)]
    client.force_login(owner)

    page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()

    for candidacy in cards:
        url = reverse("screening:move", args=[candidacy.pk])
        forms = page.count(f'<form method="post" action="{url}"')
        assert forms >= 1
        assert page.count(f'hx-post="{url}"') == forms
        assert page.count(f'name="expected" value="{candidacy.stage}"') >= forms


def test_card_actions_of_higher_apps_show_on_their_stage(
    client: Client, owner: User, brief: Brief, candidacy: Candidacy, card_at
) -> None:
    later = card_at(Stage.INTERVIEW)
    registry.card_action_register(
        stage="sourced", label="Say hello", url_name="screening:candidacy"
    )
    try:
        client.force_login(owner)
        page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()
        detail = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()
    finally:
        registry._actions.pop(("sourced", "screening:candidacy"))

    link = f'href="{reverse("screening:candidacy", args=[candidacy.pk])}">Say hello'
    assert link in page
    assert link in detail
    assert "Say hello" not in column(page, "interview")
    assert later.profile.user.display_name in column(page, "interview")


def test_the_empty_board_explains_how_to_add_engineers(
    client: Client, owner: User, brief: Brief
) -> None:
    client.force_login(owner)

    page = client.get(reverse("screening:board", args=[brief.pk])).content.decode()

    assert "Nobody in this pipeline yet" in page
    assert reverse("searches:results", args=[brief.pk]) in page
    assert reverse("searches:shortlist", args=[brief.pk]) in page
    assert "profile page" in page


def test_the_candidacy_page_shows_profile_stage_history_and_panels(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERVIEW, user__full_name="Hira Malik")
    client.force_login(owner)

    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()

    assert page.count("<h1") == 1
    assert "Hira Malik for “Payments API”" in page
    assert reverse("candidates:detail", args=[candidacy.profile.pk]) in page
    assert "Stage: Interview" in page
    history = page[page.index('id="history-title"') :]
    assert history.count("<tr>") == 1 + StageMove.objects.filter(candidacy=candidacy).count()
    assert "Added to Sourced" in history
    assert "Assessment → Interview" in history
    assert f'value="{candidacy.stage}"' in page


def test_the_brief_page_and_the_dashboard_link_to_the_pipeline(
    client: Client, owner: User, brief: Brief
) -> None:
    client.force_login(owner)
    board = reverse("screening:board", args=[brief.pk])

    brief_page = client.get(reverse("searches:brief_detail", args=[brief.pk])).content.decode()
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()

    assert board in brief_page
    assert reverse("screening:brief_funnel", args=[brief.pk]) in brief_page
    assert board in dashboard
    assert "Coming soon" not in brief_page


def test_the_admin_shows_candidacies_with_their_history_read_only(client: Client, card_at) -> None:
    candidacy = card_at(Stage.INTERVIEW)
    move = StageMove.objects.filter(candidacy=candidacy).last()
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)

    listing = client.get(reverse("admin:screening_candidacy_changelist"), {"stage": "interview"})
    detail = client.get(reverse("admin:screening_candidacy_change", args=[candidacy.pk]))
    edit = client.post(
        reverse("admin:screening_stagemove_change", args=[move.pk]), {"to_stage": "hired"}
    )
    delete = client.post(
        reverse("admin:screening_stagemove_delete", args=[move.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert candidacy.profile.user.display_name in listing.content.decode()
    assert detail.status_code == 200
    assert "Assessment" in detail.content.decode()
    assert edit.status_code == 403
    assert delete.status_code == 403
    move.refresh_from_db()
    assert move.to_stage == Stage.INTERVIEW
