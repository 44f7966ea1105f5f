"""Moving cards: what a teammate may do by hand, what they may not, and the history."""

from __future__ import annotations

from itertools import permutations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import HAND_STAGES, Candidacy, Stage, StageMove
from tests.screening.conftest import moves_of

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "board"}


def move(client: Client, candidacy: Candidacy, **data: str) -> object:
    return client.post(reverse("screening:move", args=[candidacy.pk]), data)


@pytest.mark.parametrize(("start", "to"), list(permutations(HAND_STAGES, 2)))
def test_it_moves_a_card_between_any_two_hand_stages(
    client: Client, owner: User, card_at, start: Stage, to: Stage
) -> None:
    candidacy = card_at(start)
    client.force_login(owner)

    response = move(client, candidacy, to=to, expected=start)

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == to
    assert moves_of(candidacy)[-1] == (start, to)
    assert StageMove.objects.filter(candidacy=candidacy).last().by == owner


@pytest.mark.parametrize("to", [Stage.CONTACTED, Stage.INTERESTED])
@pytest.mark.parametrize("start", [Stage.SOURCED, Stage.CONTACTED])
def test_it_refuses_contacted_and_interested_by_hand_with_400(
    client: Client, owner: User, card_at, start: Stage, to: Stage
) -> None:
    candidacy = card_at(start)
    before = moves_of(candidacy)
    client.force_login(owner)

    response = move(client, candidacy, to=to, expected=start)

    if start == to:
        assert response.status_code == 409  # already there
    else:
        assert response.status_code == 400
        assert b"send them an outreach" in response.content
    candidacy.refresh_from_db()
    assert candidacy.stage == start
    assert moves_of(candidacy) == before


@pytest.mark.parametrize("to", [Stage.ASSESSMENT, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED])
def test_it_refuses_skipping_outreach_from_sourced(
    client: Client, owner: User, candidacy: Candidacy, to: Stage
) -> None:
    client.force_login(owner)

    response = move(client, candidacy, to=to, expected=Stage.SOURCED)

    assert response.status_code == 400
    assert b"cannot be moved" in response.content
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.SOURCED


@pytest.mark.parametrize("to", [Stage.DECLINED, Stage.WITHDRAWN, Stage.NO_ANSWER])
def test_it_refuses_the_engineers_and_the_clocks_stages_by_hand(
    client: Client, owner: User, card_at, to: Stage
) -> None:
    candidacy = card_at(Stage.INTERVIEW)
    client.force_login(owner)

    response = move(client, candidacy, to=to, expected=Stage.INTERVIEW)

    assert response.status_code == 400
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERVIEW


@pytest.mark.parametrize("start", [Stage.SOURCED, Stage.CONTACTED, *HAND_STAGES])
def test_it_closes_any_open_card_as_not_a_fit_with_a_reason_and_note(
    client: Client, owner: User, card_at, start: Stage
) -> None:
    candidacy = card_at(start)
    client.force_login(owner)

    response = move(
        client, candidacy, to="not_a_fit", expected=start, reason="rate", note="  Asks 2x budget "
    )

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.NOT_A_FIT
    last = StageMove.objects.filter(candidacy=candidacy).last()
    assert (last.from_stage, last.reason, last.note) == (start, "rate", "Asks 2x budget")


def test_not_a_fit_needs_a_reason(client: Client, owner: User, candidacy: Candidacy) -> None:
    client.force_login(owner)

    response = move(client, candidacy, to="not_a_fit", expected="sourced", note="No")

    assert response.status_code == 400
    assert b"Choose why this engineer is not a fit" in response.content
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.SOURCED
    assert len(moves_of(candidacy)) == 1


def test_an_unknown_reason_is_refused(client: Client, owner: User, candidacy: Candidacy) -> None:
    client.force_login(owner)

    response = move(client, candidacy, to="not_a_fit", expected="sourced", reason="vibes")

    assert response.status_code == 400
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.SOURCED


def test_telling_the_engineer_is_kept_only_past_sourced(
    client: Client, owner: User, candidacy: Candidacy, card_at
) -> None:
    later = card_at(Stage.INTERVIEW)
    client.force_login(owner)

    move(client, candidacy, to="not_a_fit", expected="sourced", reason="skills", told_engineer="on")
    move(client, later, to="not_a_fit", expected="interview", reason="skills", told_engineer="on")

    assert StageMove.objects.filter(candidacy=candidacy).last().told_engineer is False
    assert StageMove.objects.filter(candidacy=later).last().told_engineer is True


@pytest.mark.parametrize(
    ("closed", "reopens_in"),
    [
        (Stage.NOT_A_FIT, Stage.SOURCED),  # closed from Sourced
        (Stage.DECLINED, Stage.SOURCED),  # the outreach ended: a new one is needed
        (Stage.NO_ANSWER, Stage.SOURCED),
        (Stage.WITHDRAWN, Stage.SOURCED),  # stepped back: only a new yes moves them on
    ],
)
def test_a_closed_card_reopens_in_the_right_stage(
    client: Client, owner: User, card_at, closed: Stage, reopens_in: Stage
) -> None:
    candidacy = card_at(closed)
    client.force_login(owner)
    board = client.get(reverse("screening:board", args=[candidacy.brief.pk])).content.decode()
    assert f"Reopen in {reopens_in.label}" in board

    response = move(client, candidacy, to=reopens_in, expected=closed)

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == reopens_in
    assert moves_of(candidacy)[-1] == (closed, reopens_in)


def test_a_card_closed_from_an_interview_reopens_in_interview(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERVIEW)
    client.force_login(owner)
    move(client, candidacy, to="not_a_fit", expected="interview", reason="communication")

    wrong = move(client, candidacy, to="sourced", expected="not_a_fit")
    right = move(client, candidacy, to="interview", expected="not_a_fit")

    assert wrong.status_code == 400
    assert b"reopens in Interview" in wrong.content
    assert right.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERVIEW


def test_a_closed_card_cannot_be_closed_again(client: Client, owner: User, card_at) -> None:
    candidacy = card_at(Stage.NOT_A_FIT)
    client.force_login(owner)

    response = move(client, candidacy, to="not_a_fit", expected="not_a_fit", reason="skills")

    assert response.status_code == 409
    assert len(moves_of(candidacy)) == 2


def test_a_card_moved_meanwhile_answers_409_and_nothing_changes(
    client: Client, owner: User, teammate: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERESTED)
    client.force_login(teammate)
    move(client, candidacy, to="assessment", expected="interested")
    client.force_login(owner)

    response = move(client, candidacy, to="offer", expected="interested")

    assert response.status_code == 409
    assert b"now in Assessment" in response.content
    assert b"Nothing was changed" in response.content
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.ASSESSMENT
    assert moves_of(candidacy)[-1] == (Stage.INTERESTED, Stage.ASSESSMENT)


def test_a_double_submit_moves_the_card_once(client: Client, owner: User, card_at) -> None:
    candidacy = card_at(Stage.INTERVIEW)
    client.force_login(owner)

    first = move(client, candidacy, to="offer", expected="interview")
    second = move(client, candidacy, to="offer", expected="interview")

    assert (first.status_code, second.status_code) == (302, 409)
    assert [m for m in moves_of(candidacy) if m[1] == Stage.OFFER] == [
        (Stage.INTERVIEW, Stage.OFFER)
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"to": "promoted", "expected": "interested"},
        {"to": "assessment", "expected": "nowhere"},
        {"to": "assessment"},
        {"expected": "interested"},
        {"to": "", "expected": ""},
        {"to": "assessment", "expected": "interested", "note": "x" * 2001},
    ],
)
def test_bad_input_gets_a_4xx_and_changes_nothing(
    client: Client, owner: User, card_at, data: dict[str, str]
) -> None:
    candidacy = card_at(Stage.INTERESTED)
    before = moves_of(candidacy)
    client.force_login(owner)

    response = move(client, candidacy, **data)

    assert response.status_code == 400
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERESTED
    assert moves_of(candidacy) == before


def test_a_get_on_the_move_url_is_not_allowed(
    client: Client, owner: User, candidacy: Candidacy
) -> None:
    client.force_login(owner)

    assert client.get(reverse("screening:move", args=[candidacy.pk])).status_code == 405


def test_a_plain_post_redirects_back_to_the_board_with_a_message(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.OFFER, user__full_name="Bilal Ahmed")
    client.force_login(owner)

    response = move(client, candidacy, to="hired", expected="offer")

    board = reverse("screening:board", args=[candidacy.brief.pk])
    assert response.status_code == 302
    assert response["Location"] == board
    page = client.get(board).content.decode()
    assert "Bilal Ahmed is now in Hired." in page


def test_a_plain_post_goes_back_to_the_page_it_came_from(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.OFFER)
    here = reverse("screening:candidacy", args=[candidacy.pk])
    client.force_login(owner)

    response = move(client, candidacy, to="hired", expected="offer", next=here)
    elsewhere = move(client, candidacy, to="offer", expected="hired", next="https://evil.example/")

    assert response["Location"] == here
    assert elsewhere["Location"] == reverse("screening:board", args=[candidacy.brief.pk])


def test_htmx_gets_the_board_back_with_the_card_in_its_new_column(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERVIEW, user__full_name="Hira Malik")
    client.force_login(owner)

    response = client.post(
        reverse("screening:move", args=[candidacy.pk]),
        {"to": "offer", "expected": "interview"},
        headers=HTMX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('id="board"') == 1
    assert "<html" not in body
    assert "Hira Malik is now in Offer." in body
    assert 'hx-swap-oob="true"' in body  # the notice goes to the page's live region
    offer = body[body.index('id="column-offer"') : body.index('id="column-hired"')]
    assert "Hira Malik" in offer


def test_htmx_gets_the_board_as_it_now_stands_on_a_conflict(
    client: Client, owner: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERVIEW, user__full_name="Hira Malik")
    client.force_login(owner)
    move(client, candidacy, to="offer", expected="interview")

    response = client.post(
        reverse("screening:move", args=[candidacy.pk]),
        {"to": "hired", "expected": "interview"},
        headers=HTMX,
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "now in Offer" in body
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.OFFER


def test_history_rows_are_never_edited(candidacy: Candidacy) -> None:
    row = StageMove.objects.get(candidacy=candidacy)
    row.note = "rewritten"

    with pytest.raises(ValueError, match="never edited"):
        row.save()

    assert StageMove.objects.get(candidacy=candidacy).note == ""


def test_every_move_is_a_history_row_with_who_and_when(
    client: Client, owner: User, teammate: User, card_at
) -> None:
    candidacy = card_at(Stage.INTERESTED)
    client.force_login(teammate)
    move(client, candidacy, to="assessment", expected="interested")
    move(client, candidacy, to="not_a_fit", expected="assessment", reason="skills", note="Weak SQL")

    page = client.get(reverse("screening:candidacy", args=[candidacy.pk])).content.decode()

    assert moves_of(candidacy) == [
        ("", Stage.SOURCED),
        (Stage.SOURCED, Stage.CONTACTED),
        (Stage.CONTACTED, Stage.INTERESTED),
        (Stage.INTERESTED, Stage.ASSESSMENT),
        (Stage.ASSESSMENT, Stage.NOT_A_FIT),
    ]
    assert "Assessment → Not a fit" in page
    assert "Skills do not match: Weak SQL" in page
    assert teammate.display_name in page
    assert StageMove.objects.filter(candidacy=candidacy, by=teammate).count() == 2
